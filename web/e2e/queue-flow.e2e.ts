// One patient's way through the queue, seen live from four browsers at once (each its own context,
// so no shared storage or socket): reception registers and checks the patient in → the clinician's
// waiting list shows it without a reload → the clinician calls next → the waiting-room board shows the
// call and the patient's status page says where to go. Screenshots of every screen go to
// e2e/screenshots/.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch } from "./browser";
import { gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");
const DEMO_PASSWORD = "carequeue-demo";

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pages = new Map<string, Page>();
const problems: string[] = [];

/** A fresh browser context (its own cookies, storage and socket) with a page that records errors. */
async function openPage(name: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport, locale: "en-GB", timezoneId: "Europe/London" });
  contexts.push(context);
  const page = await context.newPage();
  pages.set(name, page);
  page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`);
  });
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, email: string, landing: string, audit = false) {
  await page.goto("/");
  if (audit) {
    await page.getByLabel("Email").waitFor();
    await expectAccessible(page, "login");
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${landing}**`);
}

/** A department of its own, so the test never depends on the demo queues' state. */
async function createClinic(): Promise<{ departmentID: string }> {
  const login = await gql<{ login: { accessToken: string; user: { facilityID: string } } }>(
    server.url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { facilityID } } }`,
    { e: "admin@demo.carequeue.org", p: DEMO_PASSWORD },
  );
  const token = login.login.accessToken;
  const dept = await gql<{ createDepartment: { id: string } }>(
    server.url,
    `mutation($f: ID!) { createDepartment(input: { name: "E2E Clinic", facilityID: $f }) { id } }`,
    { f: login.login.user.facilityID },
    token,
  );
  const departmentID = dept.createDepartment.id;
  const queue = await gql<{ createQueue: { id: string } }>(
    server.url,
    `mutation($d: ID!) { createQueue(input: { name: "Minor injuries", prefix: "M", ordering: TRIAGE, departmentID: $d }) { id } }`,
    { d: departmentID },
    token,
  );
  await gql(
    server.url,
    `mutation($d: ID!, $q: ID!) { createServicePoint(input: { name: "Room 9", open: true, departmentID: $d, queueIDs: [$q] }) { id } }`,
    { d: departmentID, q: queue.createQueue.id },
    token,
  );
  return { departmentID };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (f.startsWith("failed-")) rmSync(join(SHOTS, f));
  server = await startServer();
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("queue flow in a real browser", () => {
  it("ChecksInCallsAndShowsTheCallLiveOnEveryScreen", async () => {
    onTestFailed(async () => {
      // What each browser showed when it failed, and what the server said.
      for (const [name, page] of pages) await shot(page, `failed-${name}`).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    const { departmentID } = await createClinic();

    // The waiting-room TV, open before anything happens (public: no sign-in).
    const board = await openPage("board", { width: 1920, height: 1080 });
    await board.goto(`/board/${departmentID}`);
    await board.getByText("Please wait to be called.").waitFor();
    await board.getByText("0 patients waiting").waitFor();
    await shot(board, "board-idle");
    await expectAccessible(board, "board idle");

    // The clinician at Room 9, watching an empty queue.
    const clinician = await openPage("clinician");
    await signIn(clinician, "doctor@demo.carequeue.org", "/clinician", true);
    await clinician.getByLabel("Service point").selectOption({ label: "Room 9" });
    await clinician.getByRole("region", { name: "Minor injuries" }).getByText("Nobody is waiting.").waitFor();
    await shot(clinician, "clinician-empty");

    // Reception registers a new patient and checks them in as URGENT.
    const reception = await openPage("reception");
    await signIn(reception, "reception@demo.carequeue.org", "/reception");
    await reception.getByLabel("Department").selectOption({ label: "E2E Clinic" });
    await reception.getByRole("button", { name: "Register a new patient" }).click();
    await reception.getByLabel("Given name").fill("Ada");
    await reception.getByLabel("Family name").fill("Lovelace");
    await reception.getByLabel("Mobile phone").fill("+447700900999");
    await shot(reception, "reception-register");
    await reception.getByRole("button", { name: "Register", exact: true }).click();
    await reception.getByRole("form", { name: "Check in" }).getByText("Ada Lovelace").waitFor();
    await reception.getByRole("radio", { name: "Urgent", exact: true }).check();
    await reception.getByRole("button", { name: "Check in", exact: true }).click();
    await reception.getByText("M-001 checked in.").waitFor();
    await reception.getByRole("list", { name: "Waiting in Minor injuries" }).getByText("M-001").waitFor();
    await shot(reception, "reception-checked-in");
    await expectAccessible(reception, "reception with a patient checked in");
    const statusPath = await reception.getByRole("link", { name: /^\/t\// }).getAttribute("href");
    expect(statusPath).toMatch(/^\/t\/[\w-]+$/);

    // The clinician's list shows the new patient live: no reload, no click.
    const waiting = clinician.getByRole("table", { name: "Waiting in Minor injuries" });
    await waiting.getByText("M-001").waitFor();
    await waiting.getByText("Ada Lovelace").waitFor();
    await shot(clinician, "clinician-waiting");

    // The patient opens the link from the SMS.
    const patient = await openPage("patient", { width: 390, height: 844 });
    await patient.goto(statusPath!);
    await patient.getByTestId("status-code").getByText("M-001").waitFor();
    await patient.getByText("You are next.").waitFor();
    await shot(patient, "status-waiting");
    await expectAccessible(patient, "status page waiting");

    // The clinician calls the next patient.
    await clinician.getByRole("button", { name: "Call next" }).click();
    const current = clinician.getByRole("region", { name: "Current patient M-001" });
    await current.getByText("Ada Lovelace").waitFor();
    await shot(clinician, "clinician-called");
    await expectAccessible(clinician, "clinician with a called ticket");

    // The board announces it, and the patient's page says where to go.
    await board.getByTestId("board-latest-code").getByText("M-001").waitFor();
    await board.getByText("Please go to Room 9").waitFor();
    await shot(board, "board-calling");
    await expectAccessible(board, "board calling");
    await patient.getByText("Please go to Room 9 now.").waitFor();
    await shot(patient, "status-called");
    await expectAccessible(patient, "status page called");

    // The patient reads it in Spanish; the clinician sees them and finishes.
    await patient.getByLabel("Language").selectOption({ label: "Español" });
    await patient.getByText("Diríjase ahora a Room 9.").waitFor();
    await current.getByRole("button", { name: "Start" }).click();
    await current.getByRole("button", { name: "Complete" }).click();
    await clinician.getByText("No patient called. Call the next one from a queue.").waitFor();
    await patient.getByText("Su visita ha terminado. Gracias.").waitFor();
    await shot(patient, "status-completed-es");

    expect(problems).toEqual([]);
  });
});
