// Reception back from an outage (issue 14): offline, a check-in and two cancellations are kept on the
// device while, elsewhere, one of those tickets is cancelled first and another patient checks in.
// Back online, what waited reaches the server as one syncPush batch (no action goes alone), in
// order: the check-in and the first cancellation are applied once each, the second is refused and
// listed with the server's reason; then the change feed (syncPull) is read, and the screen shows the
// server's state, including the ticket others created meanwhile, without a reload (and the note that
// the check-in waits for the connection is gone): reception is told "Ada Batchley checked in: S-004"
// with the ticket's status link, as after an online check-in. The change feed is read at most once
// while online before the outage, and once after it.
// Screenshots go to e2e/screenshots/sync-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

interface Ticket {
  id: string;
  code: string;
  status: string;
  cancelReason: string | null;
  statusToken: string;
  patient: { givenName: string };
}

/** A department and queue of the test's own; Ada to check in offline; Ben and Cy already waiting. */
async function setUp() {
  const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
  const call = <T>(query: string, variables: Record<string, unknown>) => gql<T>(server.url, query, variables, admin.token);
  const dept = await call<{ createDepartment: { id: string } }>(
    `mutation($f: ID!) { createDepartment(input: { name: "Sync Clinic", facilityID: $f }) { id } }`,
    { f: admin.facilityID },
  );
  const queue = await call<{ createQueue: { id: string } }>(
    `mutation($d: ID!) { createQueue(input: { name: "Sync walk-in", prefix: "S", ordering: FIFO, departmentID: $d }) { id } }`,
    { d: dept.createDepartment.id },
  );
  const queueID = queue.createQueue.id;
  await call(`mutation($f: ID!) { createPatient(input: { facilityID: $f, givenName: "Ada", familyName: "Batchley" }) { id } }`, { f: admin.facilityID });
  const checkIn = (givenName: string) =>
    call(`mutation($in: CheckInInput!) { checkIn(input: $in) { id } }`, { in: { queueID, patient: { facilityID: admin.facilityID, givenName, familyName: "Batchley" } } });
  await checkIn("Ben"); // S-001
  await checkIn("Cy"); // S-002
  return { adminToken: admin.token, queueID, checkIn };
}

async function ticketsOf(adminToken: string, queueID: string): Promise<Ticket[]> {
  const r = await gql<{ tickets: { edges: { node: Ticket }[] } }>(
    server.url,
    `query($q: ID!) { tickets(first: 50, where: { queueID: $q }) { edges { node { id code status cancelReason statusToken patient { givenName } } } } }`,
    { q: queueID },
    adminToken,
  );
  return r.tickets.edges.map((e) => e.node).sort((a, b) => a.code.localeCompare(b.code));
}

const summary = (ts: Ticket[]) => ts.map((t) => `${t.code} ${t.patient.givenName} ${t.status}`);

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

describe("offline sync in a real browser", () => {
  it("SendsWhatWaitedAsOneBatchAppliesItOnceAndShowsTheRefusal", async () => {
    const { adminToken, queueID, checkIn } = await setUp();
    const byCode = async () => Object.fromEntries((await ticketsOf(adminToken, queueID)).map((t) => [t.code, t]));
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 }, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // Every GraphQL operation the page sends over HTTP, a syncPush with its number of operations.
    const operations: string[] = [];
    // Each read of the change feed: a SyncPull that does not go on from a page that said hasMore (a
    // catch-up pages through what happened, the demo data's events included).
    const pulls: (string | null)[] = [];
    const morePages = new Set<string>();
    page.on("request", (r) => {
      if (!r.url().endsWith("/graphql") || r.method() !== "POST") return;
      const body = JSON.parse(r.postData() ?? "{}") as { operationName?: string; variables?: { operations?: unknown[]; since?: string | null } };
      const n = body.variables?.operations?.length;
      operations.push(n === undefined ? (body.operationName ?? "?") : `${body.operationName}(${n})`);
      if (body.operationName === "SyncPull") pulls.push(body.variables?.since ?? null);
    });
    page.on("response", async (r) => {
      if (!r.url().endsWith("/graphql") || !(r.request().postData() ?? "").includes('"SyncPull"')) return;
      const answer = (await r.json()) as { data?: { syncPull?: { cursor: string; hasMore: boolean } } };
      if (answer.data?.syncPull?.hasMore) morePages.add(answer.data.syncPull.cursor);
    });
    const reads = () => pulls.filter((since) => since === null || !morePages.has(since));
    onTestFailed(async () => {
      await page.screenshot({ path: join(SHOTS, "failed-sync.png"), fullPage: true }).catch(() => undefined);
      console.log(`reads of the feed: ${JSON.stringify(reads())}\noperations: ${JSON.stringify(operations)}\nproblems: ${JSON.stringify(problems)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Online: reception opens the department (the service worker takes over) and picks Ada.
    await page.goto("/");
    await page.getByLabel("Email").fill("reception@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/reception**");
    await page.getByLabel("Department").selectOption({ label: "Sync Clinic" });
    const waiting = page.getByRole("list", { name: "Waiting in Sync walk-in" });
    await waiting.getByText("S-002").waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 20_000 });
    await page.getByLabel("Name, phone or MRN").fill("Ada Batchley");
    await page.getByRole("button", { name: /Ada Batchley/ }).click();
    const form = page.getByRole("form", { name: "Check in" });
    await form.getByText("Ada Batchley").waitFor();

    // Online use so far (sign-in, the department's queues) read the change feed at most once: for its cursor.
    expect(reads().length).toBeLessThanOrEqual(1);

    // Offline: three actions are kept on the device, none reaches the server.
    await context.setOffline(true);
    await page.getByText("You are offline.", { exact: false }).waitFor();
    await form.getByRole("button", { name: "Check in", exact: true }).click();
    await page.getByText("Ada Batchley will be checked in when the connection returns.").waitFor();
    for (const code of ["S-001", "S-002"]) {
      await waiting.getByRole("button", { name: `Cancel ${code}` }).click();
      await page.getByLabel("Reason").fill("left before being seen");
      await page.getByRole("button", { name: "Cancel ticket" }).click();
    }
    await page.getByText("3 actions waiting to be sent.").waitFor();
    await page.getByText("Show the waiting actions").click();
    const kept = page.getByRole("list", { name: "Actions waiting to be sent" });
    await kept.getByText("Check in · Ada Batchley · Sync walk-in").waitFor();
    await kept.getByText("Cancel ticket · S-001").waitFor();
    await kept.getByText("Cancel ticket · S-002").waitFor();
    await page.screenshot({ path: join(SHOTS, "sync-offline.png"), fullPage: true });
    expect(summary(await ticketsOf(adminToken, queueID))).toEqual(["S-001 Ben WAITING", "S-002 Cy WAITING"]);

    // Meanwhile, elsewhere: S-002 is cancelled first, and Dee checks in (S-003).
    const s002 = (await byCode())["S-002"]!;
    await gql(server.url, `mutation($t: ID!) { cancelTicket(ticketID: $t, reason: "duplicate") { id } }`, { t: s002.id }, adminToken);
    await checkIn("Dee");

    // Back online: one syncPush of three, then the change feed.
    const before = operations.length;
    const readsBefore = reads().length;
    await context.setOffline(false);
    const refused = page.getByRole("alert").filter({ hasText: "refused by the server" });
    await refused.getByText("Cancel ticket · S-002").waitFor({ timeout: 30_000 });
    await page.getByText(/waiting to be sent/).waitFor({ state: "detached", timeout: 30_000 });
    await expect.poll(() => operations.slice(before).includes("SyncPull"), { timeout: 15_000 }).toBe(true);
    const sent = operations.slice(before);
    expect(sent.filter((o) => o.startsWith("SyncPush"))).toEqual(["SyncPush(3)"]);
    expect(sent.filter((o) => o === "CheckIn" || o === "CancelTicket")).toEqual([]); // no action went alone
    expect(sent.indexOf("SyncPull")).toBeGreaterThan(sent.indexOf("SyncPush(3)"));

    // The server applied the check-in and the first cancellation once each; the second was refused.
    const tickets = await byCode();
    expect(summary(Object.values(tickets))).toEqual(["S-001 Ben CANCELLED", "S-002 Cy CANCELLED", "S-003 Dee WAITING", "S-004 Ada WAITING"]);
    expect(tickets["S-001"]!.cancelReason).toBe("left before being seen");
    expect(tickets["S-002"]!.cancelReason).toBe("duplicate");

    // The screen shows the server's state without a reload: Dee and Ada waiting, Ben and Cy gone.
    await waiting.getByText("S-004").waitFor();
    await waiting.getByText("S-003").waitFor();
    await expect.poll(() => waiting.getByText(/^S-00[12]$/).count()).toBe(0);
    // Nothing says the check-in still waits for the connection; reception has Ada's ticket to give her.
    await page.getByText("Ada Batchley will be checked in when the connection returns.").waitFor({ state: "detached" });
    const receipt = page.getByRole("status").filter({ hasText: "Ada Batchley checked in: S-004." });
    await receipt.waitFor();
    expect(await receipt.getByRole("link").getAttribute("href")).toBe(`/t/${tickets["S-004"]!.statusToken}`);
    // One outage, one replay: one read of the change feed. Polled: a page that said hasMore is known
    // once the test's response handler has read its body, which may come after the next page's request
    // (a CI run counted a page as a read). Pages only drop out of the count; a second read would stay.
    await expect.poll(() => reads().slice(readsBefore)).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, "sync-back-online.png"), fullPage: true });
    await refused.getByRole("button", { name: "Dismiss: Cancel ticket · S-002" }).click();
    await refused.waitFor({ state: "detached" });
    await receipt.getByRole("button", { name: "Dismiss: Ada Batchley checked in: S-004." }).click();
    await receipt.waitFor({ state: "detached" });
    expect(problems).toEqual([]);
  });
});
