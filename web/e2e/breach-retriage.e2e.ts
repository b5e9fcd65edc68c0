// Breach warnings and re-triage in a real browser against the real server (issue 11): a patient is
// waiting past their target in a queue whose targets are all zero (so the breach is certain, not a
// guess about the estimator), reception sees the breach warning on the row and in "Needs attention",
// re-triages the patient from the row with a reason, and the row's level changes live (pushed by
// queueChanged, no reload); the server records who re-triaged, why and the old level. Then a kiosk
// check-in shows as awaiting triage until reception confirms its level.
// Screenshots go to e2e/screenshots/breach-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// One sign-in per account: the server rate-limits sign-ins.
const tokens = new Map<string, ReturnType<typeof demoLogin>>();
function token(email: string) {
  if (!tokens.has(email)) tokens.set(email, demoLogin(server.url, email));
  return tokens.get(email)!;
}

/** A department of its own whose queue's targets are all zero: anyone waiting is past their target. */
async function seed(): Promise<{ ticketID: string; code: string; queueID: string; facilityID: string }> {
  const admin = await token("admin@demo.carequeue.org");
  const dept = await gql<{ createDepartment: { id: string } }>(
    server.url,
    `mutation($f: ID!) { createDepartment(input: { name: "Breach Clinic", facilityID: $f }) { id } }`,
    { f: admin.facilityID },
    admin.token,
  );
  const queue = await gql<{ createQueue: { id: string } }>(
    server.url,
    `mutation($d: ID!) { createQueue(input: { name: "Walk-in", prefix: "B", ordering: TRIAGE, departmentID: $d,
       targetImmediateMinutes: 0, targetVeryUrgentMinutes: 0, targetUrgentMinutes: 0, targetStandardMinutes: 0, targetNonUrgentMinutes: 0 }) { id } }`,
    { d: dept.createDepartment.id },
    admin.token,
  );
  await gql(
    server.url,
    `mutation($d: ID!, $q: ID!) { createServicePoint(input: { name: "Bay 1", open: true, departmentID: $d, queueIDs: [$q] }) { id } }`,
    { d: dept.createDepartment.id, q: queue.createQueue.id },
    admin.token,
  );
  const reception = await token("reception@demo.carequeue.org");
  const ticket = await gql<{ checkIn: { id: string; code: string } }>(
    server.url,
    `mutation($q: ID!, $f: ID!) { checkIn(input: { queueID: $q, triageLevel: STANDARD,
       patient: { givenName: "Grace", familyName: "Hopper", facilityID: $f } }) { id code } }`,
    { q: queue.createQueue.id, f: reception.facilityID },
    reception.token,
  );
  return { ticketID: ticket.checkIn.id, code: ticket.checkIn.code, queueID: queue.createQueue.id, facilityID: reception.facilityID };
}

/** A patient checks themselves in at the kiosk (by phone and date of birth): a self check-in awaiting triage. */
async function kioskCheckIn(queueID: string, facilityID: string): Promise<string> {
  const reception = await token("reception@demo.carequeue.org");
  await gql(
    server.url,
    `mutation($f: ID!) { createPatient(input: { facilityID: $f, givenName: "Katherine", familyName: "Johnson",
       phone: "+447700900321", dateOfBirth: "1968-08-26T00:00:00Z" }) { id } }`,
    { f: facilityID },
    reception.token,
  );
  const kiosk = await token("kiosk@demo.carequeue.org");
  const r = await gql<{ kioskCheckIn: { code: string } }>(
    server.url,
    `mutation($q: ID!) { kioskCheckIn(input: { phone: "+447700900321", dateOfBirth: "1968-08-26", queueID: $q }) { code } }`,
    { q: queueID },
    kiosk.token,
  );
  return r.kioskCheckIn.code;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
  ({ context, page } = await openPage(browser, server.url, problems, "reception"));
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("breach warning and re-triage in a real browser", () => {
  it("SeesTheBreachWarningAndReTriagesFromTheRowLive", async () => {
    onTestFailed(async () => {
      await shot("failed-breach").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    const { ticketID, code, queueID, facilityID } = await seed();
    expect(code).toBe("B-001");

    await page.goto("/");
    await page.getByLabel("Email").fill("reception@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/reception**");
    await page.getByLabel("Department").selectOption({ label: "Breach Clinic" });

    // The row: highlighted, with the warning in words.
    const row = page.getByRole("list", { name: "Waiting in Walk-in" }).getByRole("listitem", { name: "Ticket B-001" });
    await row.getByText(/B-001 is past its target by \d+ min$/).waitFor();
    expect(await row.getAttribute("class")).toContain("bg-red-50");
    await row.getByText("Standard", { exact: true }).waitFor();

    // "Needs attention" lists the same patient as a forecast breach.
    const attention = page.getByRole("region", { name: /^Needs attention/ });
    await attention.getByRole("listitem", { name: "Needs attention: B-001" }).getByText(/past its target/).waitFor();
    await shot("breach-reception");
    await expectAccessible(page, "reception with a breach warning");

    // Re-triage in one step from the row.
    await row.getByRole("button", { name: "Re-triage B-001" }).click();
    const dialog = page.getByRole("dialog", { name: "Re-triage B-001" });
    await dialog.getByRole("radio", { name: /Very urgent/ }).check();
    await dialog.getByLabel("Reason (optional)").fill("chest pain worse");
    await shot("breach-retriage-dialog");
    await expectAccessible(page, "re-triage dialog");
    await dialog.getByRole("button", { name: "Re-triage" }).click();
    await dialog.waitFor({ state: "detached" });

    // The row changes level live: pushed by queueChanged, no reload.
    await row.getByText("Very urgent", { exact: true }).waitFor();
    expect(await row.getByText("Standard", { exact: true }).count()).toBe(0);
    await shot("breach-retriaged");

    // The server has the new level, and the RETRIAGE event says who, why and from which level.
    const staff = await token("reception@demo.carequeue.org");
    const after = await gql<{ node: { triageLevel: string; events: { action: string; fromTriageLevel: string; triageLevel: string; reason: string; actorID: string | null }[] } }>(
      server.url,
      `query($id: ID!) { node(id: $id) { ... on Ticket { triageLevel events { action fromTriageLevel triageLevel reason actorID } } } }`,
      { id: ticketID },
      staff.token,
    );
    expect(after.node.triageLevel).toBe("VERY_URGENT");
    const retriage = after.node.events.filter((e) => e.action === "RETRIAGE");
    expect(retriage).toHaveLength(1);
    expect(retriage[0]).toMatchObject({ fromTriageLevel: "STANDARD", triageLevel: "VERY_URGENT", reason: "chest pain worse" });
    expect(retriage[0]!.actorID).toBeTruthy();

    // A kiosk check-in: marked as awaiting triage (ordered as the queue's default level), on the row
    // and in Needs attention, with a Triage button; confirming the level clears the mark live.
    expect(await kioskCheckIn(queueID, facilityID)).toBe("B-002");
    const selfRow = page.getByRole("list", { name: "Waiting in Walk-in" }).getByRole("listitem", { name: "Ticket B-002" });
    await selfRow.getByText("Awaiting triage — ordered as Standard").waitFor();
    await attention.getByRole("listitem", { name: "Needs attention: B-002" }).getByText("Awaiting triage — ordered as Standard").waitFor();
    await shot("breach-awaiting-triage");
    await selfRow.getByRole("button", { name: "Triage B-002" }).click();
    const triage = page.getByRole("dialog", { name: "Re-triage B-002" });
    await triage.getByRole("button", { name: "Confirm this level" }).click();
    await triage.waitFor({ state: "detached" });
    await selfRow.getByRole("button", { name: "Re-triage B-002" }).waitFor();
    expect(await selfRow.getByText("Awaiting triage — ordered as Standard").count()).toBe(0);
    await attention.getByRole("listitem", { name: "Needs attention: B-002" }).getByText(/B-002 is past its target/).waitFor();

    expect(problems).toEqual([]);
  });
});
