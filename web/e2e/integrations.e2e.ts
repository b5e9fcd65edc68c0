// The integrations pages in a real browser against the real server (demo data) at 1024 px: an admin
// creates an API client and sees its secret once (and it works at /oauth/token), rotates it (the old
// one stops working), revokes it; registers a webhook endpoint on a receiver in this test process
// (refused first for a URL the server rejects, shown at the field), sees its secret once, gets a
// check-in delivered and signed, and replays it from the delivery log (same webhook-id). Every page
// is checked with axe. Screenshots go to e2e/screenshots/integrations-*.png.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
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
let receiver: Server;
let receiverURL = "";
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const problems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `integrations-${name}.png`), fullPage: true });
}

/** POST /oauth/token with the client credentials: the HTTP status. */
async function token(clientID: string, secret: string): Promise<number> {
  const res = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientID}:${secret}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  await res.body?.cancel();
  return res.status;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The webhook receiver: records each delivery, answers 200. The server runs in development, where
  // loopback receivers are allowed (production refuses internal addresses).
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverURL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  server = await startServer();
  browser = await launch();
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 }, locale: "en-GB", timezoneId: "Europe/London" });
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  await page.goto("/");
  await page.getByLabel("Email").fill("admin@demo.carequeue.org");
  await page.getByLabel("Password").fill("carequeue-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/admin/analytics");
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

describe("integrations in a real browser", () => {
  it("ApiClientSecretShownOnceRotatedAndRevoked", async () => {
    onTestFailed(async () => {
      await shot("failed-api-clients").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    await page.getByRole("link", { name: "API clients" }).click();
    await page.getByRole("heading", { level: 1, name: "API clients" }).waitFor();
    await page.getByRole("button", { name: "New API client" }).click();
    const form = page.getByRole("dialog", { name: "New API client" });
    await form.getByLabel("Name").fill("Lab system");
    await form.getByLabel("queues:read").check();
    await shot("api-client-form");
    await expectAccessible(page, "new API client form");
    await form.getByRole("button", { name: "Create client" }).click();

    let shown = page.getByRole("dialog", { name: "Secret of Lab system" });
    await shown.getByText(/you will not see it again/).waitFor();
    const secret = await shown.getByRole("textbox", { name: "Client secret" }).inputValue();
    expect(secret).toMatch(/^cqs_/);
    const clientID = ((await shown.getByText(/^Client ID: /).textContent()) ?? "").replace("Client ID: ", "");
    await shot("api-client-secret");
    await expectAccessible(page, "API client secret");
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(secret);
    expect(await token(clientID, secret)).toBe(200);

    const row = page.getByRole("row", { name: /Lab system/ });
    expect(await row.textContent()).toContain("queues:read");

    await page.getByRole("button", { name: "Rotate the secret of Lab system" }).click();
    await page.getByRole("dialog", { name: "Rotate the secret of Lab system?" }).getByRole("button", { name: "Rotate secret" }).click();
    shown = page.getByRole("dialog", { name: "Secret of Lab system" });
    const rotated = await shown.getByRole("textbox", { name: "Client secret" }).inputValue();
    expect(rotated).toMatch(/^cqs_/);
    expect(rotated).not.toBe(secret);
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "detached" });
    expect(await token(clientID, secret)).toBe(401);
    expect(await token(clientID, rotated)).toBe(200);

    await page.getByRole("button", { name: "Revoke Lab system" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke Lab system?" });
    await expectAccessible(page, "revoke confirmation");
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("Lab system is revoked.").waitFor();
    await expect.poll(() => row.textContent()).toContain("Revoked");
    expect(await token(clientID, rotated)).toBe(401);
    await shot("api-clients");
    await expectAccessible(page, "API clients");
    expect(problems).toEqual([]);
  });

  it("WebhookEndpointSecretOnceDeliveryAndReplay", async () => {
    onTestFailed(async () => {
      await shot("failed-webhooks").catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nreceived: ${received.length}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByRole("dialog", { name: "New endpoint" });
    await form.getByLabel("URL").fill("ftp://ehr.example.org/hooks");
    await form.getByLabel("Checked in").check();
    // The form does not validate the URL itself (noValidate): what shows at the field is the server's answer.
    const answer = page.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("CreateWebhookEndpoint"));
    await form.getByRole("button", { name: "Create endpoint" }).click();
    const refused = (await (await answer).json()) as { errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
    const urlError = refused.errors?.[0];
    expect(urlError?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.url" });
    const urlInput = form.getByRole("textbox", { name: "URL" });
    await expect.poll(() => urlInput.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await urlInput.getAttribute("aria-describedby")) ?? "";
    const description = await page.evaluate((ids) => ids.split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" "), describedBy);
    expect(description).toContain(urlError?.message);
    await shot("webhook-url-error");
    await expectAccessible(page, "webhook form with an error");
    await urlInput.fill(receiverURL);
    await form.getByRole("button", { name: "Create endpoint" }).click();

    const shown = page.getByRole("dialog", { name: "Signing secret" });
    const secret = await shown.getByRole("textbox", { name: /^Signing secret/ }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "detached" });
    expect(await page.content()).not.toContain(secret);
    await page.getByRole("rowheader", { name: receiverURL }).waitFor();

    // A check-in at reception reaches the receiver.
    const reception = await demoLogin(server.url, "reception@demo.carequeue.org");
    const q = await gql<{ queues: { edges: { node: { id: string } }[] } }>(server.url, `{ queues(first: 1, where: { active: true }) { edges { node { id } } } }`, {}, reception.token);
    await gql(
      server.url,
      `mutation($q: ID!, $f: ID!) { checkIn(input: { queueID: $q, patient: { givenName: "Webhook", familyName: "Test", facilityID: $f } }) { id } }`,
      { q: q.queues.edges[0]!.node.id, f: reception.facilityID },
      reception.token,
    );
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    const first = received[0]!;
    expect(JSON.parse(first.body).type).toBe("ticket.checkedIn");
    expect(first.headers["webhook-signature"]).toMatch(/^v1,/);

    // The delivery log shows it; replaying (after confirming) sends it again with the same webhook-id.
    await page.reload();
    await page.getByRole("link", { name: `Delivery log of ${receiverURL}` }).click();
    await page.getByRole("heading", { level: 1, name: "Delivery log" }).waitFor();
    const row = page.getByRole("row", { name: /Checked in/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Delivered");
    expect(await row.textContent()).toContain("200");
    await expectAccessible(page, "delivery log");
    await row.getByRole("button", { name: /^Replay Checked in/ }).click();
    await page.getByRole("dialog", { name: "Send this event again?" }).getByRole("button", { name: "Replay" }).click();
    await page.getByText(/is sent again/).waitFor();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]!.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    await expect.poll(async () => page.getByRole("row", { name: /Checked in/ }).count(), { timeout: 15_000 }).toBe(2);
    await shot("webhook-log");
    expect(problems).toEqual([]);
  });
});
