// The patient app's web build in Chromium against the real server: sign in with the code the server
// texts (to a fake Twilio), see the ticket live, a clinician's callNext turns the screen into "Go to
// Room 3" without a reload, and a status link works signed out. Screenshots go to docs/screenshots.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";

import { fakeTwilio, gql, launch, screenshots, serveApp, staffToken, startServer } from "./harness.mjs";

const PHONE = "+447700900999"; // the demo's booked patient (internal/demo)
let twilio, server, app, browser, setup;

before(async () => {
  twilio = await fakeTwilio();
  server = await startServer(twilio.url);
  app = await serveApp(server.url);
  browser = await launch();
  // Reception checks the demo patient in to Cardiology (Room 3) as IMMEDIATE, so the next call is theirs.
  const reception = await staffToken(server.url, "reception@demo.carequeue.org");
  const d = await gql(
    server.url,
    `query($p: String!) {
      queues(first: 50) { edges { node { id name servicePoints { id name } } } }
      patients(first: 1, where: { phone: $p }) { edges { node { id } } }
    }`,
    { p: PHONE },
    reception,
  );
  const queue = d.queues.edges.map((e) => e.node).find((q) => q.name === "Cardiology");
  const patientID = d.patients.edges[0].node.id;
  const t = await gql(
    server.url,
    `mutation($in: CheckInInput!) { checkIn(input: $in) { id code statusToken } }`,
    { in: { queueID: queue.id, patientID, triageLevel: "IMMEDIATE" } },
    reception,
  );
  setup = { queue, room: queue.servicePoints[0], ticket: t.checkIn };
});

after(async () => {
  await browser?.close();
  await app?.close();
  await server?.stop();
  await twilio?.close();
});

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

  // A national number is refused where it is typed, with help, before anything is sent.
  await page.getByTestId("phone").fill("07700 900999");
  await page.getByTestId("send-code").click();
  await page.getByTestId("phone-error").waitFor();
  assert.equal(twilio.messages.length, 0);

  const sent = twilio.messages.length;
  await page.getByTestId("phone").fill("+44 7700 900999");
  await page.getByTestId("send-code").click();
  await page.getByTestId("code-sent").waitFor();
  const sms = await twilio.waitForSMS(PHONE, sent);
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
  await page.getByTestId(`ticket-${setup.ticket.code}-wait`).getByText(/You're next/).waitFor();
  await page.screenshot({ path: path.join(screenshots, "mobile-visits.png") });

  // A clinician calls from another client: the phone turns into "Go to Room 3" by itself.
  const doctor = await staffToken(server.url, "doctor@demo.carequeue.org");
  const called = await gql(
    server.url,
    `mutation($q: ID!, $sp: ID!) { callNext(queueID: $q, servicePointID: $sp) { id code } }`,
    { q: setup.queue.id, sp: setup.room.id },
    doctor,
  );
  assert.equal(called.callNext.id, setup.ticket.id);
  await page.getByTestId("called-room").getByText(setup.room.name).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(screenshots, "mobile-called.png") });

  // Another patient's ticket is not shown: a calm message, nothing of theirs.
  const reception = await staffToken(server.url, "reception@demo.carequeue.org");
  const others = await gql(
    server.url,
    `query($q: ID!) { tickets(first: 5, where: { queueID: $q, statusIn: [WAITING] }) { edges { node { id patient { phone } } } } }`,
    { q: setup.queue.id },
    reception,
  );
  const other = others.tickets.edges.map((e) => e.node).find((t) => t.patient.phone !== PHONE);
  if (other) {
    await page.goto(`${app.url}/ticket/${other.id}`);
    await page.getByTestId("ticket-error").waitFor();
    const text = await page.getByTestId("ticket-error").innerText();
    assert.match(text, /couldn't find this ticket|not your ticket/);
  }
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
  await page.getByTestId("called-room").getByText(setup.room.name).waitFor();
  await page.screenshot({ path: path.join(screenshots, "mobile-follow.png") });

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
