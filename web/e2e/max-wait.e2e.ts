// The maximum wait in a real browser against the real server (issue 11): an admin gives a department
// the nurse in charge's phone (a national number is refused under the field) and sets a queue's maximum
// wait and urgent-share limit in the queue form; the escalation job then escalates the patients who
// have waited longer (their arrival backdated in the server's SQLite file: no API can, and no test
// clock exists), reception sees the longest wait at the top of "Needs attention" under the red banner,
// and the nurse in charge's SMS (to the log sender here) lists ticket codes and waits, never the phone.
// Screenshots go to e2e/screenshots/max-wait-*.png.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");
const WARD_PHONE = "+447700900777"; // not a demo patient's number: the demo banner prints theirs

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A department of its own with one queue (default maximum wait, 6 h), a room, and three patients waiting. */
async function seed(): Promise<{ codes: string[]; ids: string[] }> {
  const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
  const dept = await gql<{ createDepartment: { id: string } }>(
    server.url,
    `mutation($f: ID!) { createDepartment(input: { name: "Night Clinic", facilityID: $f }) { id } }`,
    { f: admin.facilityID },
    admin.token,
  );
  const queue = await gql<{ createQueue: { id: string; maxWaitMinutes: number } }>(
    server.url,
    `mutation($d: ID!) { createQueue(input: { name: "Walk-in", prefix: "N", ordering: TRIAGE, departmentID: $d }) { id maxWaitMinutes } }`,
    { d: dept.createDepartment.id },
    admin.token,
  );
  expect(queue.createQueue.maxWaitMinutes).toBe(360);
  await gql(
    server.url,
    `mutation($d: ID!, $q: ID!) { createServicePoint(input: { name: "Bay 1", open: true, departmentID: $d, queueIDs: [$q] }) { id } }`,
    { d: dept.createDepartment.id, q: queue.createQueue.id },
    admin.token,
  );
  const reception = await demoLogin(server.url, "reception@demo.carequeue.org");
  const codes: string[] = [];
  const ids: string[] = [];
  for (const [given, family] of [["Ada", "Lovelace"], ["Alan", "Turing"], ["Edsger", "Dijkstra"]]) {
    const r = await gql<{ checkIn: { id: string; code: string } }>(
      server.url,
      `mutation($q: ID!, $f: ID!, $g: String!, $n: String!) { checkIn(input: { queueID: $q, triageLevel: NON_URGENT,
         patient: { givenName: $g, familyName: $n, facilityID: $f } }) { id code } }`,
      { q: queue.createQueue.id, f: reception.facilityID, g: given, n: family },
      reception.token,
    );
    codes.push(r.checkIn.code);
    ids.push(r.checkIn.id);
  }
  return { codes, ids };
}

/** Moves a ticket's arrival minutes into the past, in the server's own database (see the file comment). */
function backdate(ticketID: string, minutes: number) {
  const at = new Date(Date.now() - minutes * 60_000).toISOString().replace("T", " ").replace("Z", "+00:00");
  const r = spawnSync("sqlite3", ["-cmd", ".timeout 10000", server.dbPath, `UPDATE tickets SET arrived_at = '${at}' WHERE id = '${ticketID}'`], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The escalation job every 5 s instead of every minute: the test waits for one of its runs.
  server = await startServer({ ESCALATION_INTERVAL: "5s" });
  browser = await launch();
  ({ context, page } = await openPage(browser, server.url, problems, "max-wait"));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("maximum wait in a real browser", () => {
  it("AdminSetsTheMaximumAndReceptionSeesTheEscalatedPatientFirst", { timeout: 240_000 }, async () => {
    onTestFailed(async () => {
      await shot("failed-max-wait").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    const { codes, ids } = await seed();
    expect(codes).toEqual(["N-001", "N-002", "N-003"]);
    backdate(ids[0]!, 45); // N-001: 45 min
    backdate(ids[1]!, 130); // N-002: 2 h 10 min, the longest
    // N-003 has just arrived.

    await page.goto("/");
    await page.getByLabel("Email").fill("admin@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/**");

    // The nurse in charge's phone: a landline (no text messages) is refused under the field; a national
    // mobile number is read in the facility's region (GB) and kept in E.164.
    await page.getByRole("link", { name: "Departments" }).click();
    await page.getByRole("button", { name: "Edit Night Clinic" }).click();
    const dept = page.getByRole("dialog", { name: "Edit department" });
    const phone = dept.getByLabel("Nurse in charge's phone");
    await phone.fill("020 7946 0018");
    await dept.getByRole("button", { name: "Save" }).click();
    await dept.getByText(/not a mobile number/).waitFor();
    await expect.poll(() => phone.getAttribute("aria-invalid")).toBe("true");
    await shot("max-wait-phone-error");
    await phone.fill("07700 900777");
    await dept.getByRole("button", { name: "Save" }).click();
    await dept.waitFor({ state: "detached" });
    const deptRow = page.getByRole("table", { name: /Departments of / }).getByRole("row", { name: /Night Clinic/ });
    await deptRow.getByText(WARD_PHONE).waitFor();

    // The queue form's safety numbers: the browser refuses what the server would, then saves.
    await page.getByRole("link", { name: "Queues" }).click();
    await page.getByRole("button", { name: "Edit Walk-in" }).click();
    const form = page.getByRole("dialog", { name: "Edit queue" });
    const maxWait = form.getByLabel("Maximum wait (minutes)");
    expect(await maxWait.inputValue()).toBe("360");
    await maxWait.fill("10");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => maxWait.getAttribute("aria-invalid")).toBe("true");
    await maxWait.fill("30");
    await form.getByLabel(/Warn when the very urgent take more than/).fill("40");
    await shot("max-wait-queue-form");
    await expectAccessible(page, "queue form with the safety numbers");

    // Reception has the department open before the maximum is saved: the banner announces what enters
    // the list after the screen's first answer, and the escalation job (every 5 s here) may run at any
    // moment after the save. (Opened after it, a run in between left nothing to announce: a CI run
    // waited 90 s for a banner that could not come.)
    const reception = await openPage(browser, server.url, problems, "max-wait-reception");
    const desk = reception.page;
    await desk.goto("/");
    await desk.getByLabel("Email").fill("reception@demo.carequeue.org");
    await desk.getByLabel("Password").fill(DEMO_PASSWORD);
    await desk.getByRole("button", { name: "Sign in" }).click();
    await desk.waitForURL("**/reception**");
    const department = await desk.getByLabel("Department").locator("option", { hasText: "Night Clinic" }).getAttribute("value");
    const firstAnswer = desk.waitForResponse(
      (r) => r.url().endsWith("/graphql") && /"NeedsAttention"/.test(r.request().postData() ?? "") && (r.request().postData() ?? "").includes(`"${department}"`),
    );
    await desk.getByLabel("Department").selectOption({ label: "Night Clinic" });
    await firstAnswer;

    await form.getByRole("button", { name: "Save" }).click();
    await form.waitFor({ state: "detached" });
    const saved = await gql<{ queues: { edges: { node: { maxWaitMinutes: number; urgentShareLimitPercent: number } }[] } }>(
      server.url,
      `{ queues(first: 1, where: { name: "Walk-in" }) { edges { node { maxWaitMinutes urgentShareLimitPercent } } } }`,
      {},
      (await demoLogin(server.url, "admin@demo.carequeue.org")).token,
    );
    expect(saved.queues.edges[0]!.node).toEqual({ maxWaitMinutes: 30, urgentShareLimitPercent: 40 });

    // Reception: within the escalation job's period both patients past 30 min are escalated, the longest
    // wait first, under the banner; the one who just arrived is not.
    page = desk;
    const attention = page.getByRole("region", { name: /^Needs attention/ });
    await attention.getByRole("alert").getByText("N-002, N-001 have waited longer than the maximum wait: please see them now.").waitFor({ timeout: 30_000 });
    const items = attention.getByRole("listitem");
    expect(await items.first().getAttribute("aria-label")).toBe("Needs attention: N-002");
    await items.first().getByText(/past the maximum wait: waiting 2 h 1\d min/).waitFor();
    await attention.getByRole("listitem", { name: "Needs attention: N-001" }).getByText(/past the maximum wait: waiting 4\d min/).waitFor();
    expect(await attention.getByRole("listitem", { name: "Needs attention: N-003" }).count()).toBe(0);
    await shot("max-wait-needs-attention");
    await expectAccessible(page, "reception with escalated patients");

    // The nurse in charge's one SMS for both (the log sender shows its text outside production), not one
    // per run of the job: ticket codes and waits, no name, and the log never holds the phone.
    const log = server.log();
    expect(log).toMatch(/CareQueue Night Clinic: 2 patients waited past the 30 min maximum: N-002 \(2 h 1\d min\), N-001 \(4\d min\)\. Open the Needs attention list\./);
    expect(log.match(/patients waited past the 30 min maximum/g)).toHaveLength(1);
    expect(log).not.toContain("7700900777");
    expect(log).not.toMatch(/Lovelace|Turing/);
    await reception.context.close();

    expect(problems).toEqual([]);
  });
});
