// What the patient app's browser test stands on: a fake Twilio (the server sends the sign-in code by
// SMS to it, as it would to Twilio), the real CareQueue server (embedded SQLite, demo hospital), the
// web export served on one origin with the API (serve.mjs), and Debian's Chromium.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { serve } from "./serve.mjs";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

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
    /** The next SMS to `to` after `since` messages, within 15 s. */
    async waitForSMS(to, since) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const m = messages.slice(since).find((x) => x.To === to);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no SMS to ${to}; got ${JSON.stringify(messages)}`);
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
  const bin = process.env.CAREQUEUE_BIN ? path.resolve(here, "..", process.env.CAREQUEUE_BIN) : null;
  if (!bin) throw new Error("set CAREQUEUE_BIN to a carequeue binary (make test-mobile builds one)");
  const dir = mkdtempSync(path.join(tmpdir(), "carequeue-mobile-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(bin, ["serve", "--migrate", "--demo"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      APP_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      SQLITE_PATH: path.join(dir, "carequeue.db"),
      LOG_FORMAT: "text",
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(31)}1`,
      TWILIO_AUTH_TOKEN: "0123456789abcdef0123456789abcdef",
      TWILIO_FROM: "+15005550006",
      TWILIO_API_URL: twilioURL,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (b) => (output += b));
  child.stderr.on("data", (b) => (output += b));
  const exited = new Promise((r) => child.once("exit", r));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`carequeue exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`carequeue not ready in 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function serveApp(api) {
  return serve({ dir: path.join(here, "..", "dist", "web"), api });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
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
