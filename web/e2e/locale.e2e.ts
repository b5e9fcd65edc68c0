// Locale in a real browser (issue 13 class 1): the demo facility is en-GB in Europe/London, the browser
// is en-US in Los Angeles, and reception and the board still read as the hospital's own papers and
// clocks do: a date of birth as "3 Apr 1990" (never "4/3/1990"), typed in day/month/year order with a
// read-back, and 24-hour London times on the board.
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
  // A browser that disagrees with the hospital (openPage's default is en-GB / London).
  ({ context, page } = await openPage(browser, server.url, problems, "locale", { locale: "en-US", timezoneId: "America/Los_Angeles" }));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** The London wall clock for the minute of `at` (en-GB, 24-hour). */
function londonClock(at: number): string {
  return new Date(at).toLocaleTimeString("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

describe("locale in a real browser", () => {
  it("AnEnGBFacilityShowsDayMonthBirthDatesAnd24HourTimesInAnEnUSBrowser", { timeout: 180_000 }, async () => {
    onTestFailed(async () => {
      await page.screenshot({ path: join(import.meta.dirname, "screenshots", "failed-locale.png"), fullPage: true }).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    const reception = await demoLogin(server.url, "reception@demo.carequeue.org");
    const facility = await gql<{ me: { facility: { locale: string; timezone: string; departments: { edges: { node: { id: string } }[] } } } }>(
      server.url,
      `{ me { facility { locale timezone departments(first: 1) { edges { node { id } } } } } }`,
      {},
      reception.token,
    );
    expect(facility.me.facility).toMatchObject({ locale: "en-GB", timezone: "Europe/London" });
    await gql(
      server.url,
      `mutation($f: ID!) { createPatient(input: { givenName: "Augusta", familyName: "Byronic", dateOfBirth: "1990-04-03T00:00:00Z", facilityID: $f }) { id } }`,
      { f: reception.facilityID },
      reception.token,
    );

    await page.goto("/");
    await page.getByLabel("Email").fill("reception@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/reception");

    // Found by search: the date of birth is the hospital's, not the browser's 4/3/1990.
    await page.getByLabel("Name, phone or MRN").fill("Byronic");
    const result = page.getByRole("list", { name: "Matching patients" }).getByRole("button", { name: /Augusta Byronic/ });
    await result.getByText(/born 3 Apr 1990/).waitFor();
    expect(await result.textContent()).not.toContain("4/3/1990");

    // Registering: the field asks for day/month/year and reads back what it understood.
    await page.getByRole("button", { name: "Register a new patient" }).click();
    const dob = page.getByLabel("Date of birth");
    expect(await dob.getAttribute("placeholder")).toBe("DD/MM/YYYY");
    await dob.fill("03/04/1990");
    await page.getByText("3 Apr 1990", { exact: true }).waitFor();
    await dob.fill("31/02/1990");
    expect(await dob.getAttribute("aria-invalid")).toBe("true");

    // The board's clock: 24-hour London time, whatever the TV's own zone and language.
    const deptID = facility.me.facility.departments.edges[0]!.node.id;
    const before = Date.now();
    await page.goto(`/board/${deptID}`);
    await page.getByText("Now calling").first().waitFor();
    const timer = page.getByRole("timer");
    // Until the board's data arrives the clock has no facility to follow; then it must be London's.
    await expect.poll(async () => (await timer.textContent())?.trim(), { timeout: 20_000 }).toMatch(/^\d{2}:\d{2}$/);
    const clock = (await timer.textContent())?.trim() ?? "";
    expect([londonClock(before), londonClock(Date.now())]).toContain(clock);
    expect(problems).toEqual([]);
  });
});
