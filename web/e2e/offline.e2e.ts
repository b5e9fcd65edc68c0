// Reception keeps working through a network outage: offline, a check-in is kept on the device (the
// banner counts it); a reload while still offline opens the app from the service worker's shell and
// still shows it; back online, it is sent once, with its idempotency key, and exactly one ticket
// exists. An action the server refuses on replay is listed for the receptionist, not dropped.
// Screenshots go to e2e/screenshots/ (offline-*.png).
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const token = (email: string) => demoLogin(server.url, email);

/** A department, a queue and a patient of the test's own. */
async function setUp() {
  const admin = await token("admin@demo.carequeue.org");
  const dept = await gql<{ createDepartment: { id: string } }>(
    server.url,
    `mutation($f: ID!) { createDepartment(input: { name: "Offline Clinic", facilityID: $f }) { id } }`,
    { f: admin.facilityID },
    admin.token,
  );
  const queue = await gql<{ createQueue: { id: string } }>(
    server.url,
    `mutation($d: ID!) { createQueue(input: { name: "Walk-in", prefix: "W", ordering: FIFO, departmentID: $d }) { id } }`,
    { d: dept.createDepartment.id },
    admin.token,
  );
  const patient = await gql<{ createPatient: { id: string } }>(
    server.url,
    `mutation($f: ID!) { createPatient(input: { facilityID: $f, givenName: "Olive", familyName: "Offline", phone: "+447700900123" }) { id } }`,
    { f: admin.facilityID },
    admin.token,
  );
  return { adminToken: admin.token, queueID: queue.createQueue.id, patientID: patient.createPatient.id };
}

async function ticketsOf(adminToken: string, queueID: string) {
  const r = await gql<{ tickets: { edges: { node: { id: string; code: string; status: string; patient: { id: string } } }[] } }>(
    server.url,
    `query($q: ID!) { tickets(first: 50, where: { queueID: $q }) { edges { node { id code status patient { id } } } } }`,
    { q: queueID },
    adminToken,
  );
  return r.tickets.edges.map((e) => e.node);
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

describe("offline reception in a real browser", () => {
  it("KeepsACheckInThroughAnOutageAndAReloadAndSendsItOnce", async () => {
    const { adminToken, queueID, patientID } = await setUp();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 }, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    onTestFailed(async () => {
      await shot(page, "failed-offline").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Reception signs in, opens the department and picks the patient while the network works.
    await page.goto("/");
    await page.getByLabel("Email").fill("reception@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/reception**");
    await page.getByLabel("Department").selectOption({ label: "Offline Clinic" });
    await page.getByRole("region", { name: "Queues" }).getByText("Walk-in").first().waitFor();
    // The service worker has taken over and stored the shell and what the page loaded.
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 20_000 });
    await page.getByLabel("Name, phone or MRN").fill("Offline");
    await page.getByRole("button", { name: /Olive Offline/ }).click();
    const form = page.getByRole("form", { name: "Check in" });
    await form.getByText("Olive Offline").waitFor();

    // The network drops; the check-in is kept on the device.
    await context.setOffline(true);
    await page.getByText("You are offline.", { exact: false }).waitFor();
    await form.getByRole("button", { name: "Check in", exact: true }).click();
    await page.getByText("Olive Offline will be checked in when the connection returns.").waitFor();
    await page.getByText("1 action waiting to be sent.").waitFor();
    await page.getByText("Show the waiting actions").click();
    await page.getByRole("list", { name: "Actions waiting to be sent" }).getByText("Check in · Olive Offline · Walk-in").waitFor();
    await shot(page, "offline-queued");
    await expectAccessible(page, "offline banner");
    expect(await ticketsOf(adminToken, queueID)).toEqual([]);

    // A reload while still offline: the app opens from the shell and still has the check-in.
    await page.reload();
    await page.getByText("1 action waiting to be sent.").waitFor({ timeout: 20_000 });
    await page.getByText("You are offline.", { exact: false }).waitFor();
    await shot(page, "offline-reloaded");
    expect(await ticketsOf(adminToken, queueID)).toEqual([]);

    // Back online: the check-in is sent by itself, once.
    await context.setOffline(false);
    // The banner's text changes while the action is being sent, so wait for the ticket itself, then
    // for the queue to be empty, and only then count.
    await expect.poll(async () => (await ticketsOf(adminToken, queueID)).length, { timeout: 30_000, interval: 250 }).toBe(1);
    await page.getByText(/waiting to be sent/).waitFor({ state: "detached", timeout: 30_000 });
    let tickets = await ticketsOf(adminToken, queueID);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ code: "W-001", status: "WAITING", patient: { id: patientID } });
    // The page's own queries came back too once reloaded with the network.
    await page.reload();
    await page.getByLabel("Department").selectOption({ label: "Offline Clinic" });
    const waiting = page.getByRole("list", { name: "Waiting in Walk-in" });
    await waiting.getByText("W-001").waitFor();
    await shot(page, "offline-synced");

    // Offline again, the receptionist cancels W-001; meanwhile someone else cancels it first, so
    // the replay is refused: it is listed, with the server's reason, until dismissed.
    await waiting.getByRole("button", { name: "Cancel W-001" }).click();
    await page.getByLabel("Reason").fill("patient left");
    await context.setOffline(true);
    await page.getByRole("button", { name: "Cancel ticket" }).click();
    await page.getByText("1 action waiting to be sent.").waitFor();
    await gql(server.url, `mutation($t: ID!) { cancelTicket(ticketID: $t, reason: "duplicate") { id } }`, { t: tickets[0]!.id }, adminToken);
    await context.setOffline(false);
    const refused = page.getByRole("alert").filter({ hasText: "refused by the server" });
    await refused.getByText("Cancel ticket · W-001").waitFor({ timeout: 30_000 });
    await shot(page, "offline-refused");
    await refused.getByRole("button", { name: "Dismiss: Cancel ticket · W-001" }).click();
    await refused.waitFor({ state: "detached" });

    tickets = await ticketsOf(adminToken, queueID);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.status).toBe("CANCELLED");
    expect(problems).toEqual([]);
  });
});
