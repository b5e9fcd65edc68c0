// The self check-in kiosk in a real browser against the demo hospital: the kiosk account lands on
// /kiosk; a patient checks in with the appointment reference, another by phone, date of birth and a
// queue; the ticket screen shows the code and a QR code of the status page (which opens and shows
// the same ticket); a stranger is sent to reception. Screenshots: e2e/screenshots/kiosk-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch } from "./browser";
import { startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
const problems: string[] = [];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("kiosk in a real browser", () => {
  it("ChecksPatientsInByReferenceAndByPhone", async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 1366 }, locale: "en-GB", timezoneId: "Europe/London", hasTouch: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    onTestFailed(async () => {
      await shot(page, "failed-kiosk").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Set up once by staff: sign in with the kiosk's account; it lands on the kiosk.
    await page.goto("/");
    await page.getByLabel("Email").fill("kiosk@demo.carequeue.org");
    await page.getByLabel("Password").fill("carequeue-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/kiosk");
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    await shot(page, "kiosk-start");
    await expectAccessible(page, "kiosk start");

    // In Spanish, then back.
    await page.getByRole("button", { name: "Español" }).click();
    await page.getByRole("heading", { name: "Bienvenido" }).waitFor();
    await shot(page, "kiosk-start-es");
    await page.getByRole("button", { name: "English" }).click();

    // The patient with the appointment letter.
    await page.getByRole("button", { name: /I have an appointment/ }).click();
    await page.getByLabel("Appointment reference").fill("EHR-APPT-70100");
    await shot(page, "kiosk-reference");
    await page.getByRole("button", { name: "Check in", exact: true }).click();
    const code = page.getByTestId("kiosk-ticket-code");
    await code.waitFor();
    expect(await code.textContent()).toMatch(/^[A-Z]+-\d{3}$/);
    const link = await page.getByTestId("kiosk-qr").getAttribute("data-value");
    expect(link).toMatch(new RegExp(`^${server.url}/t/[\\w-]+$`));
    await page.getByText("This screen clears in", { exact: false }).waitFor();
    await shot(page, "kiosk-ticket");
    await expectAccessible(page, "kiosk ticket");

    // The QR code's link is the patient's live status page.
    const phone = await context.newPage();
    await phone.goto(link!);
    await phone.getByTestId("status-code").getByText((await code.textContent())!).waitFor();
    await phone.close();

    // Done: the screen starts over, nothing of the patient left.
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    expect(await page.content()).not.toContain(link!);

    // A patient without the letter: phone, date of birth (on the keypad), and where to go.
    await page.getByRole("button", { name: /I don't have a reference/ }).click();
    await page.getByLabel("Mobile phone number").fill("+44 7700 900999");
    await page.getByRole("button", { name: "Next" }).click();
    for (const k of "15061985") await page.getByRole("group", { name: "Number pad" }).getByRole("button", { name: k, exact: true }).click();
    await shot(page, "kiosk-dob");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("heading", { name: "What are you here for?" }).waitFor();
    await shot(page, "kiosk-queues");
    await page.getByRole("button", { name: /Blood Tests/ }).click();
    await code.waitFor();
    expect(await code.textContent()).toMatch(/^B-\d{3}$/);
    await page.getByRole("button", { name: "Done" }).click();

    // Someone the hospital does not know is sent to reception.
    await page.getByRole("button", { name: /I have an appointment/ }).click();
    await page.getByLabel("Appointment reference").fill("NO-SUCH-REF");
    await page.getByRole("button", { name: "Check in", exact: true }).click();
    await page.getByRole("heading", { name: "We could not find your details" }).waitFor();
    await shot(page, "kiosk-not-found");
    await page.getByRole("button", { name: "Start again" }).click();
    await page.getByRole("heading", { name: "Welcome" }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
