// What the patient app's browser test stands on: a fake Twilio (the server sends the sign-in code by
// SMS to it, as it would to Twilio), the real CareQueue server (embedded SQLite, demo hospital), the
// web export served on one origin with the API (serve.mjs), and Debian's Chromium.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

// One way to start the server and the browser for both apps' browser tests.
import { CHROMIUM, CHROMIUM_ARGS, startCareQueue } from "../../web/e2e/carequeue.mjs";
import { serve } from "./serve.mjs";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");

/** A Twilio Messages API that keeps what it is sent. waitForSMS(to) resolves with the next body. */
export async function fakeTwilio() {
  const messages = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const ok = req.method === "POST" && /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/.test(req.url ?? "");
      if (!ok) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 20404, message: "not found", status: 404 }));
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      messages.push(form);
      for (const w of waiters.splice(0)) w();
      const sid = `SM${String(messages.length).padStart(32, "0")}`;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid, status: "queued", to: form.To, from: form.From, body: form.Body }));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    messages,
    /** The first SMS after the first `since` messages that `matches`, within 15 s. */
    async waitForSMS(matches, since) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const m = messages.slice(since).find(matches);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no matching SMS; got ${JSON.stringify(messages.slice(since))}`);
        await new Promise((r) => {
          waiters.push(r);
          setTimeout(r, 250);
        });
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/** The real server: CAREQUEUE_BIN (built by `make test-mobile`), demo data, SMS through the fake. */
export async function startServer(twilioURL) {
  if (!process.env.CAREQUEUE_BIN) throw new Error("set CAREQUEUE_BIN to a carequeue binary (make test-mobile builds one)");
  const dir = mkdtempSync(path.join(tmpdir(), "carequeue-mobile-e2e-"));
  const server = await startCareQueue({
    bin: path.resolve(here, "..", process.env.CAREQUEUE_BIN),
    dir,
    env: {
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(31)}1`,
      TWILIO_AUTH_TOKEN: "0123456789abcdef0123456789abcdef",
      TWILIO_FROM: "+15005550006",
      TWILIO_API_URL: twilioURL,
    },
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function serveApp(api) {
  return serve({ dir: path.join(here, "..", "dist", "web"), api });
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** GraphQL for test set-up (staff actions that are not what the test is about). */
export async function gql(url, query, variables = {}, token) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function staffToken(url, email) {
  const d = await gql(url, `mutation($e: String!) { login(email: $e, password: "carequeue-demo") { accessToken } }`, { e: email });
  return d.login.accessToken;
}

export const screenshots = path.join(repo, "docs", "screenshots");
mkdirSync(screenshots, { recursive: true });
