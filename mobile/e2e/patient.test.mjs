// The patient app's web build in Chromium against the real server: sign in with the code the server
// texts (to a fake Twilio), see the ticket live, a clinician's callNext turns the screen into "Go to
// Room 7" without a reload, and a status link works signed out. Screenshots go to docs/screenshots.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";

import { assertAccessible } from "./axe.mjs";
import { fakeTwilio, gql, launch, screenshots, serveApp, staffToken, startServer } from "./harness.mjs";

const PHONE = "+447700900999"; // the demo's booked patient (internal/demo)
let twilio, server, app, browser, setup;

before(async () => {
  twilio = await fakeTwilio();
  server = await startServer(twilio.url);
  app = await serveApp(server.url);
  browser = await launch();
  // A queue of its own (so positions are known): another patient first, then the demo patient.
  const admin = await staffToken(server.url, "admin@demo.carequeue.org");
  const reception = await staffToken(server.url, "reception@demo.carequeue.org");
  const d = await gql(
    server.url,
    `query($p: String!) {
      queues(first: 50) { edges { node { name department { id facilityID } } } }
      patients(first: 1, where: { phone: $p }) { edges { node { id } } }
    }`,
    { p: PHONE },
    reception,
  );
  const department = d.queues.edges.map((e) => e.node).find((q) => q.name === "Cardiology").department;
  const patientID = d.patients.edges[0].node.id;
  const q = await gql(
    server.url,
    `mutation($in: CreateQueueInput!) { createQueue(input: $in) { id name } }`,
    { in: { name: "Dermatology", prefix: "D", ordering: "FIFO", departmentID: department.id, defaultServiceMinutes: 15 } },
    admin,
  );
  const sp = await gql(
    server.url,
    `mutation($in: CreateServicePointInput!) { createServicePoint(input: $in) { id name } }`,
    { in: { name: "Room 7", departmentID: department.id, queueIDs: [q.createQueue.id], open: true } },
    admin,
  );
  const checkIn = (input) =>
    gql(server.url, `mutation($in: CheckInInput!) { checkIn(input: $in) { id code statusToken } }`, { in: input }, reception);
  const first = await checkIn({
    queueID: q.createQueue.id,
    patient: { givenName: "Alex", familyName: "Before", facilityID: department.facilityID, language: "en" },
  });
  const mine = await checkIn({ queueID: q.createQueue.id, patientID });
  setup = { queue: q.createQueue, room: sp.createServicePoint, first: first.checkIn, ticket: mine.checkIn };
});

after(async () => {
  await browser?.close();
  await app?.close();
  await server?.stop();
  await twilio?.close();
});

/** Text at 200 % (browser zoom, as a person with low vision sets it): nothing may need sideways scrolling. */
async function assertReflowsAt200(page, screen) {
  const overflow = await page.evaluate(async () => {
    document.documentElement.style.zoom = "2";
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const el = document.scrollingElement;
    const wide = [...document.querySelectorAll("[data-testid]")]
      .filter((n) => n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).overflowX !== "auto")
      .map((n) => n.getAttribute("data-testid"));
    const result = { page: el.scrollWidth - el.clientWidth, wide };
    document.documentElement.style.zoom = "";
    return result;
  });
  assert.ok(overflow.page <= 1 && overflow.wide.length === 0, `${screen} at 200 %: ${JSON.stringify(overflow)}`);
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "en-GB" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

test("sign in with the texted code, see the ticket live, and get called to the room without a reload", async () => {
  const { page, errors, close } = await newPage();
  const started = Date.now();
  await page.goto(`${app.url}/`);
  await page.getByTestId("phone").waitFor();
  console.log(`# time to first screen (sign-in form visible): ${Date.now() - started} ms`);
  await page.screenshot({ path: path.join(screenshots, "mobile-sign-in.png") });
  await assertAccessible(page, "sign-in");
  await assertReflowsAt200(page, "sign-in");

  // A national number is refused where it is typed, with help, before anything is sent. (Patients also
  // get "checked in" and "nearly your turn" texts meanwhile, this one too: count sign-in codes only.)
  const isCode = (m) => m.To === PHONE && /sign-in code/i.test(m.Body ?? "");
  const toPatient = () => twilio.messages.filter(isCode).length;
  const before = toPatient();
  await page.getByTestId("phone").fill("07700 900999");
  await page.getByTestId("send-code").click();
  await page.getByTestId("phone-error").waitFor();
  assert.equal(toPatient(), before);

  const sent = twilio.messages.length;
  await page.getByTestId("phone").fill("+44 7700 900999");
  await page.getByTestId("send-code").click();
  await page.getByTestId("code-sent").waitFor();
  const sms = await twilio.waitForSMS(isCode, sent);
  const code = /\b(\d{6})\b/.exec(sms.Body)?.[1];
  assert.ok(code, `no code in the SMS: ${sms.Body}`);

  // A wrong code gets a message a person understands, and the right one still works afterwards.
  await page.getByTestId("code").fill(code === "000000" ? "111111" : "000000");
  await page.getByTestId("verify").click();
  await page.getByTestId("sign-in-error").getByText(/not right or has expired/).waitFor();

  await page.getByTestId("code").fill(code);
  await page.getByTestId("verify").click();
  const card = page.getByTestId(`ticket-${setup.ticket.code}`);
  await card.waitFor();
  await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/Number 2 in line/).waitFor();
  await page.screenshot({ path: path.join(screenshots, "mobile-visits.png") });
  await assertAccessible(page, "visits");
  await assertReflowsAt200(page, "visits");

  // A clinician calls and sees the patient ahead from another client: the phone moves up by itself...
  const doctor = await staffToken(server.url, "doctor@demo.carequeue.org");
  const act = (m, v) => gql(server.url, m, v, doctor);
  const call = () =>
    act(`mutation($q: ID!, $sp: ID!) { callNext(queueID: $q, servicePointID: $sp) { id } }`, { q: setup.queue.id, sp: setup.room.id });
  // The phone loses its connection just before: the change happens while it is away, the app says it
  // is reconnecting, and once back it shows the current state (nothing is lost).
  app.blockSockets(true);
  await page.getByTestId("reconnecting").waitFor({ timeout: 15_000 });
  assert.equal((await call()).callNext.id, setup.first.id);
  await page.waitForTimeout(1000);
  assert.equal(await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/You're next/).count(), 0);
  app.blockSockets(false);
  await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/You're next/).waitFor({ timeout: 20_000 });
  await page.getByTestId("reconnecting").waitFor({ state: "detached", timeout: 15_000 });
  await act(`mutation($t: ID!) { startService(ticketID: $t) { id } }`, { t: setup.first.id });
  await act(`mutation($t: ID!) { completeTicket(ticketID: $t) { id } }`, { t: setup.first.id });

  // ...and the next call turns the screen into "Go to Room 7" without a reload.
  assert.equal((await call()).callNext.id, setup.ticket.id);
  await page.getByTestId("called-room").getByText(setup.room.name).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(screenshots, "mobile-called.png") });
  await assertAccessible(page, "called");
  await assertReflowsAt200(page, "called");

  // The patient reaches the room and the clinician starts: the full screen closes by itself.
  await act(`mutation($t: ID!) { startService(ticketID: $t) { id } }`, { t: setup.ticket.id });
  await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/You are being seen/).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId("called").count(), 0);

  // Self check-in where the hospital allows it (the demo's Blood Tests): a double tap makes one ticket.
  await page.getByTestId("go-check-in").click();
  const bloodTests = page.getByRole("button", { name: /Check in to Blood Tests/ });
  await bloodTests.waitFor();
  await bloodTests.dblclick();
  await page.getByTestId("check-in-done").waitFor();
  await page.screenshot({ path: path.join(screenshots, "mobile-check-in.png") });
  await assertAccessible(page, "check-in");
  const reception = await staffToken(server.url, "reception@demo.carequeue.org");
  const mine = await gql(
    server.url,
    `query($p: String!) { patients(first: 1, where: { phone: $p }) { edges { node { tickets(first: 20, where: { statusIn: [WAITING] }) { edges { node { source queue { name } } } } } } } }`,
    { p: PHONE },
    reception,
  );
  const selfCheckIns = mine.patients.edges[0].node.tickets.edges.map((e) => e.node).filter((t) => t.queue.name === "Blood Tests");
  assert.equal(selfCheckIns.length, 1);
  assert.equal(selfCheckIns[0].source, "MOBILE");

  // Another patient's ticket (the one seen before) is not shown: a calm message, nothing of theirs.
  await page.goto(`${app.url}/ticket/${setup.first.id}`);
  await page.getByTestId("ticket-error").waitFor();
  assert.match(await page.getByTestId("ticket-error").innerText(), /couldn't find this ticket|not your ticket/);
  assert.doesNotMatch(await page.content(), new RegExp(setup.first.code));
  assert.deepEqual(errors, []);
  await close();
});

test("a status link and the QR code's link work signed out, and a malformed one is refused calmly", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(`${app.url}/follow`);
  await page.getByTestId("status-link").fill("https://example.org/not-a-ticket");
  await page.getByTestId("open-link").click();
  await page.getByTestId("status-link-error").waitFor();

  // The kiosk's QR code carries the same link as the SMS: <PUBLIC_URL>/t/<token>.
  await page.getByTestId("status-link").fill(`${server.url}/t/${setup.ticket.statusToken}`);
  await page.getByTestId("open-link").click();
  await page.getByTestId(`ticket-${setup.ticket.code}`).waitFor();
  // (The first test left the patient in the room.)
  await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/You are being seen/).waitFor();
  await page.screenshot({ path: path.join(screenshots, "mobile-follow.png") });
  await assertAccessible(page, "follow");

  // Opened directly (the SMS link on a phone without the app), and a token that does not exist.
  await page.goto(`${app.url}/t/${setup.ticket.statusToken}`);
  await page.getByTestId(`ticket-${setup.ticket.code}`).waitFor();
  await page.goto(`${app.url}/t/AAAAAAAAAAAAAAAAAAAAAAAA`);
  await page.getByTestId("follow-error").getByText(/couldn't find this ticket/).waitFor();
  await page.goto(`${app.url}/t/%3Cscript%3E`);
  await page.getByTestId("follow-invalid").waitFor();
  assert.deepEqual(errors, []);
  await close();
});
