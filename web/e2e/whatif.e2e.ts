// The analytics page's what-if in a real browser against the real server (demo data): an admin runs a
// synthetic department with both triage orderings side by side and sees the charts and the table of
// service points needed per hour; a department the points cannot serve is refused with the reason.
// Screenshot: e2e/screenshots/admin-what-if.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch, openPage } from "./browser";
import { startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
  ({ context, page } = await openPage(browser, server.url, problems, "admin"));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("what-if in a real browser", () => {
  it("RunsASyntheticDepartmentAndShowsThePointsNeededPerHour", async () => {
    onTestFailed(async () => {
      await page.screenshot({ path: join(SHOTS, "failed-what-if.png"), fullPage: true }).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    await page.goto("/");
    await page.getByLabel("Email").fill("admin@demo.carequeue.org");
    await page.getByLabel("Password").fill("carequeue-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/analytics");

    const whatIf = page.getByRole("region", { name: "What-if" });
    await whatIf.getByRole("heading", { name: "What-if" }).waitFor();
    const form = whatIf.getByRole("form", { name: "What-if settings" });
    // The department's queues can be replayed too.
    expect(await form.getByLabel("Patients").locator("option").count()).toBeGreaterThan(1);
    await form.getByLabel("Arrivals per day").fill("120");
    await form.getByLabel("Mean service (min)").fill("20");
    await form.getByLabel("Service points").fill("3");
    await form.getByLabel("Days").fill("1");
    expect(await form.getByLabel("Ordering").inputValue()).toBe("COMPARE");
    await form.getByRole("button", { name: "Run what-if" }).click();

    const perHour = whatIf.getByRole("table", { name: "Service points needed to meet the benchmarks, by hour of arrival" });
    await perHour.waitFor();
    expect(await perHour.locator("tbody tr").count()).toBe(24);
    const header = await perHour.locator("thead th").allTextContents();
    expect(header.slice(2)).toEqual(["By triage", "By triage, deadline-aware"]);
    const noon = await perHour.getByRole("row", { name: /^12:00/ }).locator("td").allTextContents();
    expect(Number(noon[0])).toBeGreaterThan(0); // patients arrived at noon
    expect(noon[1]).toMatch(/^\d+$|^more than \d+$/);

    // The charts draw bars, and carry their numbers in tables for screen readers.
    const shares = whatIf.getByRole("table", { name: "Share called within target, by triage level" });
    await shares.waitFor({ state: "attached" });
    expect(await shares.locator("tbody tr").count()).toBeGreaterThanOrEqual(4);
    const pointsFigure = whatIf.locator("figure").filter({ has: page.getByRole("table", { name: "Service points needed, by hour of arrival" }) });
    expect(await pointsFigure.locator("rect[data-series]").count()).toBeGreaterThan(24);
    await whatIf.getByText(/Synthetic department: 120 arrivals a day/).waitFor();
    await whatIf.screenshot({ path: join(SHOTS, "admin-what-if.png") });
    await expectAccessible(page, "admin what-if");

    // Far more patients than three points can serve: refused, with the reason, never a hang.
    await form.getByLabel("Arrivals per day").fill("1500");
    await form.getByRole("button", { name: "Run what-if" }).click();
    const alert = whatIf.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/give at least \d+/);
    expect(await perHour.count()).toBe(0);

    expect(problems).toEqual([]);
  });
});
