// Every screen at the sizes hospitals use, in a real browser: reception and the clinician at 1024×768
// (nothing scrolls sideways; patients' names are whole, not cut to two letters, in a department with
// two queues; the transfer and service point lists are grouped by department and choose nothing on
// their own); the kiosk in portrait 1080×1920 with touch only (the on-screen keyboard and keypad, no
// key presses: every step works without a physical keyboard); the TV board at 1920×1080 and in
// portrait, naming its department and facility and listing the last calls with their times; every admin
// page at 1024 px, the integration pages (API clients, webhooks, a delivery log) with long rows in them.
// Screenshots: e2e/screenshots/screens-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { expectAccessible } from "./a11y";
import { launch } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");
const DEPARTMENT = "Two Queue Clinic";
/** Long names, the kind a narrow column used to cut to "Ba…". */
const PATIENTS = [
  ["Bartholomew", "Featherstonehaugh-Worthington"],
  ["Maria Fernanda", "Castellanos de la Fuente"],
  ["Oluwaseun", "Adebayo-Johnson"],
] as const;

/** Every admin page: its path and its heading. */
const ADMIN_PAGES = [
  ["analytics", "Analytics"],
  ["facilities", "Facilities"],
  ["departments", "Departments"],
  ["queues", "Queues"],
  ["service-points", "Service points"],
  ["staff", "Staff accounts"],
  ["devices", "Display devices"],
  ["audit", "Audit log"],
  ["notifications", "Notification log"],
  ["tools", "API and jobs"],
  ["api-clients", "API clients"],
  ["webhooks", "Webhooks"],
] as const;

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
let clinic: { departmentID: string; servicePointID: string; queueIDs: string[]; facilityName: string };

async function open(name: string, options: Parameters<Browser["newContext"]>[0]): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, locale: "en-GB", timezoneId: "Europe/London", ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`);
  });
  onTestFailed(async () => {
    await page.screenshot({ path: join(SHOTS, `failed-screens-${name}.png`), fullPage: true }).catch(() => undefined);
  });
  return page;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `screens-${name}.png`) });
}

async function signIn(page: Page, email: string, landing: string) {
  await page.goto("/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${landing}**`);
}

/** Nothing on the page needs scrolling sideways. */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${where}: page ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

/**
 * Nothing in the page's main area is cut or scrolls sideways: no element (other than form controls and
 * screen-reader-only text) is wider inside than its box when it hides, clips or scrolls its overflow.
 */
async function cutParts(page: Page, where: string): Promise<string[]> {
  const cut = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main *, [role=dialog] *"))) {
      if (el.matches("input, select, textarea, option, .sr-only, .sr-only *") || el.clientWidth <= 1) continue;
      const style = getComputedStyle(el);
      if (style.overflowX === "visible" || el.scrollWidth <= el.clientWidth + 1) continue;
      const text = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
      out.push(`<${el.tagName.toLowerCase()}> ${el.scrollWidth}px in ${el.clientWidth}px (overflow ${style.overflowX}): "${text}"`);
    }
    return out;
  });
  return cut.map((c) => `${where}: ${c}`);
}

/**
 * Each name is shown whole: its text is the full name, nothing of it is clipped (by the element or an
 * ancestor that hides overflow), and its box leaves room for more than a couple of letters per line.
 */
async function expectWholeNames(names: Locator, expected: readonly string[], where: string) {
  await expect.poll(() => names.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(expected.length);
  const seen = await names.evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      let clipped = el.scrollWidth > el.clientWidth + 1;
      for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === "visible") continue;
        const outer = a.getBoundingClientRect();
        clipped = text.left < outer.left - 1 || text.right > outer.right + 1;
      }
      return { text: el.textContent?.replace(/\s+/g, " ").trim() ?? "", width: box.width, clipped };
    }),
  );
  for (const name of expected) {
    const s = seen.find((x) => x.text === name);
    expect(s, `${where}: "${name}" shown whole (saw ${JSON.stringify(seen.map((x) => x.text))})`).toBeDefined();
    expect(s!.clipped, `${where}: "${name}" clipped`).toBe(false);
    expect(s!.width, `${where}: "${name}" squeezed to ${s!.width}px`).toBeGreaterThanOrEqual(120);
  }
}

/** Every button is a finger's size (WCAG 2.5.5: 44 px; the kiosk's own keys are 64 px high). */
async function expectTouchTargets(page: Page, where: string) {
  const small = await page.getByRole("button").evaluateAll((els) =>
    els
      .map((el) => ({ name: el.getAttribute("aria-label") ?? el.textContent?.trim() ?? "", box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
      .map(({ name, box }) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  expect(small, `${where}: buttons smaller than 44×44 px`).toEqual([]);
}

/** A department with two queues (one service point calling from both) and long-named patients waiting. */
async function createClinic() {
  const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
  const call = <T>(query: string, variables: Record<string, unknown>) => gql<T>(server.url, query, variables, admin.token);
  const { createDepartment } = await call<{ createDepartment: { id: string } }>(
    `mutation($f: ID!, $n: String!) { createDepartment(input: { name: $n, facilityID: $f }) { id } }`,
    { f: admin.facilityID, n: DEPARTMENT },
  );
  const queueIDs: string[] = [];
  for (const [name, prefix] of [["Walk-in", "W"], ["Dressings", "D"]] as const) {
    const { createQueue } = await call<{ createQueue: { id: string } }>(
      `mutation($d: ID!, $n: String!, $p: String!) { createQueue(input: { name: $n, prefix: $p, ordering: FIFO, departmentID: $d }) { id } }`,
      { d: createDepartment.id, n: name, p: prefix },
    );
    queueIDs.push(createQueue.id);
  }
  const { createServicePoint } = await call<{ createServicePoint: { id: string } }>(
    `mutation($d: ID!, $q: [ID!]) { createServicePoint(input: { name: "Treatment Room 4", open: true, departmentID: $d, queueIDs: $q }) { id } }`,
    { d: createDepartment.id, q: queueIDs },
  );
  for (const [i, [givenName, familyName]] of PATIENTS.entries()) {
    for (const queueID of queueIDs) {
      await call(`mutation($in: CheckInInput!) { checkIn(input: $in) { id } }`, {
        in: { queueID, patient: { facilityID: admin.facilityID, givenName, familyName }, note: `e2e ${i}` },
      });
    }
  }
  const { me } = await call<{ me: { facility: { name: string } } }>(`{ me { facility { name } } }`, {});
  return { departmentID: createDepartment.id, servicePointID: createServicePoint.id, queueIDs, facilityName: me.facility.name };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
  clinic = await createClinic();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe("screens at hospital sizes", () => {
  it("ReceptionAt1024ShowsWholeNamesAndGroupedTransferTargetsWithNoDefault", async () => {
    const page = await open("reception", { viewport: { width: 1024, height: 768 } });
    await signIn(page, "reception@demo.carequeue.org", "/reception");
    await page.getByLabel("Department").selectOption({ label: DEPARTMENT });
    await page.getByRole("list", { name: "Waiting in Walk-in" }).getByText("W-003").waitFor();
    await page.getByRole("list", { name: "Waiting in Dressings" }).getByText("D-003").waitFor();
    await shot(page, "reception-1024");
    await expectNoSidewaysScroll(page, "reception");
    for (const q of ["Walk-in", "Dressings"]) {
      await expectWholeNames(page.getByRole("list", { name: `Waiting in ${q}` }).getByTestId("patient-name"), PATIENTS.map((p) => p.join(" ")), `reception ${q}`);
    }

    // Transfer: every queue of the facility, grouped by department, and none chosen.
    await page.getByRole("button", { name: "Transfer W-001" }).click();
    const dialog = page.getByRole("dialog");
    const target = dialog.getByLabel("To queue");
    expect(await target.inputValue()).toBe("");
    await expect.poll(() => dialog.getByRole("button", { name: "Transfer", exact: true }).isDisabled()).toBe(true);
    const groups = await target.locator("optgroup").evaluateAll((gs) => gs.map((g) => [g.getAttribute("label"), Array.from(g.querySelectorAll("option"), (o) => o.textContent)]));
    expect(groups).toContainEqual([DEPARTMENT, ["Dressings"]]);
    expect(groups).toContainEqual(["Laboratory", ["Blood Tests", "Imaging"]]);
    await shot(page, "reception-transfer-1024");
    await expectNoSidewaysScroll(page, "reception transfer dialog");
    await expectAccessible(page, "reception transfer dialog at 1024");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Checking a patient in where the department has two queues: the queue is chosen on purpose.
    await page.getByLabel("Name, phone or MRN").fill("Adebayo");
    await page.getByRole("button", { name: /Oluwaseun Adebayo-Johnson/ }).first().click();
    const form = page.getByRole("form", { name: "Check in" });
    expect(await form.getByLabel("Queue", { exact: true }).inputValue()).toBe("");
    await expect.poll(() => form.getByRole("button", { name: "Check in", exact: true }).isDisabled()).toBe(true);
    await expectNoSidewaysScroll(page, "reception check-in");
    expect(problems).toEqual([]);
  });

  it("ClinicianAt1024ShowsWholeNamesAndGroupedServicePointsWithNoDefault", async () => {
    const page = await open("clinician", { viewport: { width: 1024, height: 768 } });
    await signIn(page, "doctor@demo.carequeue.org", "/clinician");
    const servicePoint = page.getByLabel("Service point");
    expect(await servicePoint.inputValue()).toBe("");
    const groups = await servicePoint.locator("optgroup").evaluateAll((gs) => gs.map((g) => g.getAttribute("label")));
    expect(groups).toEqual(expect.arrayContaining(["Emergency", "Outpatients", "Laboratory", DEPARTMENT]));
    await servicePoint.selectOption({ label: "Treatment Room 4" });
    await page.getByRole("table", { name: /Walk-in/ }).getByText("W-003").waitFor();
    await page.getByRole("table", { name: /Dressings/ }).getByText("D-003").waitFor();
    await shot(page, "clinician-1024");
    await expectNoSidewaysScroll(page, "clinician");
    await expectWholeNames(page.getByRole("table", { name: /Walk-in/ }).getByTestId("patient-name"), PATIENTS.map((p) => p.join(" ")), "clinician");
    expect(problems).toEqual([]);
  });

  it("EveryAdminPageAt1024HasNothingCutAndNoSidewaysScroll", async () => {
    const page = await open("admin", { viewport: { width: 1024, height: 768 } });
    await signIn(page, "admin@demo.carequeue.org", "/admin/analytics");
    // Every page is looked at before failing, so one run lists everything to fix.
    const cut: string[] = [];
    // The integration pages with rows in them: an API client with every scope and an endpoint with a
    // long URL and every event, whose delivery log has an attempt (to a port that refuses: an error).
    const admin = await demoLogin(server.url, "admin@demo.carequeue.org");
    await gql(
      server.url,
      `mutation { createAPIClient(input: { name: "Regional electronic health record (production)", scopes: ["queues:read", "tickets:checkin", "tickets:write", "appointments:write", "patients:read", "patients:write"] }) { clientSecret } }`,
      {},
      admin.token,
    );
    const { createWebhookEndpoint: hook } = await gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      server.url,
      `mutation($f: ID!) { createWebhookEndpoint(input: { facilityID: $f, url: "http://127.0.0.1:9/integrations/carequeue/webhooks/receive-ticket-events-for-the-outpatients-department", description: "Ticket events for the regional electronic health record", events: [TICKET_CHECKED_IN, TICKET_CALLED, TICKET_STARTED, TICKET_COMPLETED, TICKET_NO_SHOW, TICKET_CANCELLED, TICKET_TRANSFERRED, APPOINTMENT_ARRIVED], dataScope: FULL }) { endpoint { id } } }`,
      { f: admin.facilityID },
      admin.token,
    );
    await gql(
      server.url,
      `mutation($in: CheckInInput!) { checkIn(input: $in) { id } }`,
      { in: { queueID: clinic.queueIDs[0], patient: { facilityID: admin.facilityID, givenName: PATIENTS[0][0], familyName: PATIENTS[0][1] } } },
      admin.token,
    );
    await expect
      .poll(async () => {
        const r = await gql<{ webhookDeliveries: { totalCount: number } }>(server.url, `query($id: ID!) { webhookDeliveries(endpointID: $id, first: 1) { totalCount } }`, { id: hook.endpoint.id }, admin.token);
        return r.webhookDeliveries.totalCount;
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const pages = [...ADMIN_PAGES.map(([path, heading]) => ({ path, heading, name: path })), { path: `webhooks/${hook.endpoint.id}`, heading: "Delivery log", name: "webhook-deliveries" }];
    for (const { path, heading, name } of pages) {
      await page.goto(`/admin/${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page.waitForLoadState("networkidle");
      await shot(page, `admin-${name}-1024`);
      const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth }));
      if (scrollWidth > 1024) cut.push(`admin ${name}: page ${scrollWidth}px wide in a 1024px window`);
      cut.push(...(await cutParts(page, `admin ${name}`)));
    }
    // The forms too: the facility form (the widest choices: locales with samples, the phone region).
    await page.goto("/admin/facilities");
    await page.getByRole("button", { name: /^Edit / }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Phone region").waitFor();
    await shot(page, "admin-facility-form-1024");
    await expectNoSidewaysScroll(page, "admin facility form");
    cut.push(...(await cutParts(page, "admin facility form")));
    expect(cut, "cut or scrolling sideways at 1024 px").toEqual([]);
    expect(problems).toEqual([]);
  });

  it("KioskInPortraitChecksInByTouchAlone", async () => {
    const page = await open("kiosk", { viewport: { width: 1080, height: 1920 }, hasTouch: true, isMobile: false });
    // Set up once by staff (the only typing): the kiosk's own account.
    await signIn(page, "kiosk@demo.carequeue.org", "/kiosk");
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    await expectNoSidewaysScroll(page, "kiosk start");
    await expectTouchTargets(page, "kiosk start");
    await shot(page, "kiosk-portrait-start");

    // The appointment reference, on the on-screen keyboard.
    await page.getByRole("button", { name: /I have an appointment/ }).tap();
    const keyboard = page.getByRole("group", { name: "Keyboard" });
    for (const k of "EHR-APPT-701009") await keyboard.getByRole("button", { name: k, exact: true }).tap();
    await keyboard.getByRole("button", { name: "Delete" }).tap();
    expect(await page.getByLabel("Appointment reference").inputValue()).toBe("EHR-APPT-70100");
    expect(await page.getByLabel("Appointment reference").getAttribute("inputmode")).toBe("none");
    await shot(page, "kiosk-portrait-reference");
    await expectNoSidewaysScroll(page, "kiosk reference");
    await expectTouchTargets(page, "kiosk reference");
    await page.getByRole("button", { name: "Check in", exact: true }).tap();
    const code = page.getByTestId("kiosk-ticket-code");
    await code.waitFor();
    expect(await code.textContent()).toMatch(/^[A-Z]+-\d{3}$/);
    await shot(page, "kiosk-portrait-ticket");
    await expectNoSidewaysScroll(page, "kiosk ticket");
    await page.getByRole("button", { name: "Done" }).tap();

    // Phone and date of birth on the keypad; the date moves on from day to month to year by itself.
    await page.getByRole("button", { name: /I don't have a reference/ }).tap();
    const keypad = page.getByRole("group", { name: "Number pad" });
    for (const k of "+447700900999") await keypad.getByRole("button", { name: k, exact: true }).tap();
    await expectTouchTargets(page, "kiosk phone");
    await page.getByRole("button", { name: "Next" }).tap();
    for (const k of "15061985") await keypad.getByRole("button", { name: k, exact: true }).tap();
    expect([await page.getByLabel("Day").inputValue(), await page.getByLabel("Month").inputValue(), await page.getByLabel("Year").inputValue()]).toEqual(["15", "06", "1985"]);
    await shot(page, "kiosk-portrait-dob");
    await expectNoSidewaysScroll(page, "kiosk date of birth");
    await page.getByRole("button", { name: "Next" }).tap();
    await page.getByRole("heading", { name: "What are you here for?" }).waitFor();
    await expectNoSidewaysScroll(page, "kiosk queues");
    await expectTouchTargets(page, "kiosk queues");
    await page.getByRole("button", { name: /Blood Tests/ }).tap();
    await code.waitFor();
    expect(await code.textContent()).toMatch(/^B-\d{3}$/);
    expect(problems).toEqual([]);
  });

  it("BoardNamesItsDepartmentAndShowsTheLastCallsOnATVAndInPortrait", async () => {
    // Six calls at Treatment Room 4: the board lists the last five, newest first, with their times.
    const doctor = await demoLogin(server.url, "doctor@demo.carequeue.org");
    const called: string[] = [];
    for (let i = 0; i < 6; i++) {
      const queueID = clinic.queueIDs[i % 2]!;
      const r = await gql<{ callNext: { id: string; code: string } }>(
        server.url,
        `mutation($q: ID!, $s: ID!) { callNext(queueID: $q, servicePointID: $s) { id code } }`,
        { q: queueID, s: clinic.servicePointID },
        doctor.token,
      );
      called.push(r.callNext.code);
      if (i < 5) {
        // Served and done: off "now calling", still among the last calls.
        await gql(server.url, `mutation($t: ID!) { startService(ticketID: $t) { id } }`, { t: r.callNext.id }, doctor.token);
        await gql(server.url, `mutation($t: ID!) { completeTicket(ticketID: $t) { id } }`, { t: r.callNext.id }, doctor.token);
      }
    }
    const lastFive = called.slice(1).reverse();

    for (const [name, viewport] of [
      ["tv", { width: 1920, height: 1080 }],
      ["portrait", { width: 1080, height: 1920 }],
    ] as const) {
      const page = await open(`board-${name}`, { viewport });
      await page.goto(`/board/${clinic.departmentID}`);
      await page.getByRole("heading", { level: 1, name: DEPARTMENT }).waitFor();
      await page.getByText(clinic.facilityName, { exact: true }).waitFor();
      expect(await page.getByTestId("board-latest-code").textContent()).toBe(called[5]);
      const rows = page.getByTestId("board-recent-calls").getByRole("listitem");
      await expect.poll(() => rows.count()).toBe(5);
      // ticket → room, time (the time's format is the locale's; its attribute is the exact instant).
      const lines = await rows.evaluateAll((els) => els.map((el) => Array.from(el.children, (c) => c.getAttribute("datetime") ?? c.textContent?.trim())));
      expect(lines).toEqual(lastFive.map((code) => [code, "→", "Treatment Room 4", expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/)]));
      expect(await rows.first().locator("time").textContent()).toMatch(/\d{1,2}[:.]\d{2}/);
      await shot(page, `board-${name}`);
      await expectNoSidewaysScroll(page, `board ${name}`);
      // Readable across the room: the codes of the last calls are at least 36 px tall.
      const size = await rows.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(36);
      await expectAccessible(page, `board ${name}`);
    }
    expect(problems).toEqual([]);
  });
});
