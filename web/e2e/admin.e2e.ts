// The admin area in a real browser against the real server (demo data): an admin signs in, reads the
// analytics of today, downloads the CSV, sees a server validation error next to the field it is about,
// and finds the change it then makes in the audit log; a list longer than a page loads the rest with
// "Load more". Screenshots go to e2e/screenshots/admin-*.png.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch } from "./browser";
import { demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
  context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1366, height: 900 },
    locale: "en-GB",
    timezoneId: "Europe/London",
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("admin area in a real browser", () => {
  it("ShowsAnalyticsValidatesInputAndAuditsTheChange", async () => {
    onTestFailed(async () => {
      await shot("failed-admin").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Sign in: an admin lands on the analytics.
    await page.goto("/");
    await page.getByLabel("Email").fill("admin@demo.carequeue.org");
    await page.getByLabel("Password").fill("carequeue-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/analytics");

    // Today's live figures of the first department (the demo checks patients in today).
    await page.getByRole("heading", { name: /^Today so far/ }).waitFor();
    await page.getByRole("table", { name: "Arrivals, served and no-shows per day" }).waitFor({ state: "attached" });
    const arrivals = page.getByRole("region", { name: /^Today so far/ }).getByRole("definition").first();
    expect(Number(await arrivals.textContent())).toBeGreaterThan(0);
    await shot("admin-analytics");
    await expectAccessible(page, "admin analytics");

    // The CSV comes with the access token and holds the same days.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^carequeue-DP\w+-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toMatch(/^day,department_id,/);

    // A queue with a prefix the server refuses: the message sits under the prefix field.
    await page.getByRole("link", { name: "Queues" }).click();
    await page.getByRole("button", { name: "New queue in Emergency" }).click();
    const dialog = page.getByRole("dialog", { name: "New queue" });
    await dialog.getByLabel("Name").fill("Minor injuries");
    await dialog.getByLabel("Ticket prefix").fill("m1");
    await dialog.getByRole("button", { name: "Create queue" }).click();
    await dialog.getByText(/must be 1 to 3 capital letters/).waitFor();
    await expect.poll(() => dialog.getByLabel("Ticket prefix").getAttribute("aria-invalid")).toBe("true");
    await shot("admin-queue-error");
    await dialog.getByLabel("Ticket prefix").fill("MI");
    await dialog.getByRole("button", { name: "Create queue" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("table", { name: "Queues of Emergency" }).getByRole("rowheader", { name: "Minor injuries" }).waitFor();

    // The audit log names who created it.
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByLabel("Action starts with").fill("queue.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.getByRole("row", { name: /queue\.create/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Morgan Ellis");
    // …and what it set: the fields of the new queue, folded away.
    await row.getByText(/fields changed/).click();
    await row.getByRole("rowheader", { name: "prefix" }).waitFor();
    expect(await row.getByRole("row", { name: /^prefix/ }).textContent()).toContain('"MI"');
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByRole("button", { name: "Next page" }).click();
    await page.getByText(/^Page 2 ·/).waitFor();
    await shot("admin-audit");
    await expectAccessible(page, "admin audit log");

    expect(problems).toEqual([]);
  });

  it("ListsMoreThanAPageWithLoadMore", async () => {
    onTestFailed(async () => {
      await shot("failed-admin-load-more").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    // More departments than a page (100) holds, created through the API; by name they sort after the
    // demo's, so the last one is on the second page.
    const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
    const wards = Array.from({ length: 105 }, (_, i) => `Zeta ward ${String(i + 1).padStart(3, "0")}`);
    for (const name of wards) {
      await gql(server.url, `mutation($n: String!, $f: ID!) { createDepartment(input: { name: $n, facilityID: $f }) { id } }`, { n: name, f: admin.facilityID }, admin.token);
    }
    const last = wards[wards.length - 1];

    await page.getByRole("link", { name: "Departments" }).click();
    await page.getByRole("rowheader", { name: "Emergency", exact: true }).waitFor();
    expect(await page.getByRole("rowheader", { name: last }).count()).toBe(0);
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByRole("rowheader", { name: last }).waitFor();
    expect(await page.getByRole("rowheader", { name: /^Zeta ward / }).count()).toBe(wards.length); // each once
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0); // nothing more
    await shot("admin-load-more");
    expect(problems).toEqual([]);
  });
});
