// A clinician through a network outage (issue 14's leftover): offline, the action on the called
// patient is kept on the device (the panel and the banner say so) and the server is untouched; back
// online it is sent once, and the panel shows the server's new state without a reload.
// An action the server refuses on replay (the patient was cancelled meanwhile, at reception) is listed
// with its reason, not dropped, and the panel shows that nobody is being seen.
// Screenshots go to e2e/screenshots/clinician-offline-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

/** A department with one queue and one room of the test's own; Ben and Cy waiting in it. */
async function setUp() {
  const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
  const call = <T>(query: string, variables: Record<string, unknown>) => gql<T>(server.url, query, variables, admin.token);
  const dept = await call<{ createDepartment: { id: string } }>(
    `mutation($f: ID!) { createDepartment(input: { name: "Outage Clinic", facilityID: $f }) { id } }`,
    { f: admin.facilityID },
  );
  const queue = await call<{ createQueue: { id: string } }>(
    `mutation($d: ID!) { createQueue(input: { name: "Outage walk-in", prefix: "O", ordering: FIFO, departmentID: $d }) { id } }`,
    { d: dept.createDepartment.id },
  );
  const queueID = queue.createQueue.id;
  await call(`mutation($d: ID!, $q: ID!) { createServicePoint(input: { name: "Room 4", open: true, departmentID: $d, queueIDs: [$q] }) { id } }`, {
    d: dept.createDepartment.id,
    q: queueID,
  });
  for (const givenName of ["Ben", "Cy"]) {
    await call(`mutation($in: CheckInInput!) { checkIn(input: $in) { id } }`, {
      in: { queueID, patient: { facilityID: admin.facilityID, givenName, familyName: "Outage" } },
    });
  }
  return { adminToken: admin.token, queueID };
}

async function statuses(adminToken: string, queueID: string): Promise<Record<string, { id: string; status: string }>> {
  const r = await gql<{ tickets: { edges: { node: { id: string; code: string; status: string } }[] } }>(
    server.url,
    `query($q: ID!) { tickets(first: 50, where: { queueID: $q }) { edges { node { id code status } } } }`,
    { q: queueID },
    adminToken,
  );
  return Object.fromEntries(r.tickets.edges.map((e) => [e.node.code, { id: e.node.id, status: e.node.status }]));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("a clinician offline in a real browser", () => {
  it("KeepsTheActionOnTheCalledPatientSendsItOnceAndListsARefusal", async () => {
    const { adminToken, queueID } = await setUp();
    const status = async (code: string) => (await statuses(adminToken, queueID))[code]?.status;
    const opened = await openPage(browser, server.url, problems, "clinician");
    context = opened.context;
    const page = opened.page;
    // Every GraphQL operation the server answered, with the phase it was answered in: an action is
    // sent once, after the connection returns (one action goes as its own mutation, several as a syncPush).
    let phase = "online";
    const answered: string[] = [];
    page.on("response", (r) => {
      if (!r.url().endsWith("/graphql") || r.request().method() !== "POST") return;
      const body = JSON.parse(r.request().postData() ?? "{}") as { operationName?: string };
      answered.push(`${phase}:${body.operationName ?? "?"}`);
    });
    const workflow = (name: string) => answered.filter((o) => o.endsWith(`:${name}`) || o.endsWith(":SyncPush"));
    onTestFailed(async () => {
      await page.screenshot({ path: join(SHOTS, "failed-clinician-offline.png"), fullPage: true }).catch(() => undefined);
      console.log(`answered: ${JSON.stringify(answered)}\nproblems: ${JSON.stringify(problems)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Online: the clinician takes Room 4 (the service worker takes over) and calls Ben.
    await page.goto("/");
    await page.getByLabel("Email").fill("doctor@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/clinician**");
    await page.getByLabel("Service point").selectOption({ label: "Room 4" });
    await page.getByRole("table", { name: "Waiting in Outage walk-in" }).getByText("O-001").waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 20_000 });
    await page.getByRole("button", { name: "Call next" }).click();
    const ben = page.getByRole("region", { name: "Current patient O-001" });
    await ben.getByText("Ben Outage").waitFor();

    // Offline: starting Ben's visit is kept on the device; the server still has him called.
    phase = "offline";
    await context.setOffline(true);
    await page.getByText("You are offline.", { exact: false }).waitFor();
    await ben.getByRole("button", { name: "Start" }).click();
    await ben.getByText("Saved on this device: it will be sent when the connection returns.").waitFor();
    await page.getByText("1 action waiting to be sent.").waitFor();
    await page.getByText("Show the waiting actions").click();
    await page.getByRole("list", { name: "Actions waiting to be sent" }).getByText("Start · O-001").waitFor();
    await page.screenshot({ path: join(SHOTS, "clinician-offline-start.png"), fullPage: true });
    expect(await status("O-001")).toBe("CALLED");

    // Back online: one syncPush of one action, applied once; the panel shows the visit under way.
    phase = "back";
    await context.setOffline(false);
    await page.getByText(/waiting to be sent/).waitFor({ state: "detached", timeout: 30_000 });
    await expect.poll(() => status("O-001"), { timeout: 15_000 }).toBe("IN_SERVICE");
    await ben.getByRole("button", { name: "Complete" }).waitFor(); // IN_SERVICE on screen, no reload
    expect(workflow("StartService")).toEqual(["back:StartService"]);
    await ben.getByRole("button", { name: "Complete" }).click();
    await page.getByText("No patient called. Call the next one from a queue.").waitFor();
    expect(await status("O-001")).toBe("COMPLETED");

    // Cy is called online; offline, the clinician marks her a no-show while reception cancels her.
    await page.getByRole("button", { name: "Call next" }).click();
    const cy = page.getByRole("region", { name: "Current patient O-002" });
    await cy.getByText("Cy Outage").waitFor();
    phase = "offline again";
    await context.setOffline(true);
    await page.getByText("You are offline.", { exact: false }).waitFor();
    await cy.getByRole("button", { name: "No-show" }).click();
    await page.getByText("1 action waiting to be sent.").waitFor();
    const cyID = (await statuses(adminToken, queueID))["O-002"]!.id;
    await gql(server.url, `mutation($t: ID!) { cancelTicket(ticketID: $t, reason: "went home") { id } }`, { t: cyID }, adminToken);

    // Back online: the no-show is refused, listed with its ticket, and not applied; Cy's panel goes.
    phase = "back again";
    await context.setOffline(false);
    const refused = page.getByRole("alert").filter({ hasText: "refused by the server" });
    await refused.getByText("No-show · O-002").waitFor({ timeout: 30_000 });
    await page.getByText(/waiting to be sent/).waitFor({ state: "detached", timeout: 30_000 });
    await cy.waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText("No patient called. Call the next one from a queue.").waitFor();
    expect(workflow("MarkNoShow")).toEqual(["back again:MarkNoShow"]);
    expect(await status("O-002")).toBe("CANCELLED");
    await page.screenshot({ path: join(SHOTS, "clinician-offline-refused.png"), fullPage: true });
    await refused.getByRole("button", { name: "Dismiss: No-show · O-002" }).click();
    await refused.waitFor({ state: "detached" });
    expect(problems).toEqual([]);
  });
});
