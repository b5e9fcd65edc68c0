// Shared by the browser tests of the web app (web/e2e) and of the patient app (mobile/e2e), which run in
// different test runners: starting the real CareQueue binary and Debian's Chromium flags. Plain ES
// module with no dependencies, so both can import it (types in carequeue.d.mts).
import { spawn } from "node:child_process";
import { createServer } from "node:net";

/** Debian's Chromium (`npx playwright install` cannot download a browser here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless, no sandbox (root in CI), and none of the background traffic this closed network refuses. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  // The board chimes and speaks without a click, as a TV in kiosk mode is set up to; the phone chimes.
  "--autoplay-policy=no-user-gesture-required",
];

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Runs `bin serve --migrate --demo` in dir on a free loopback port (APP_ENV=development, SQLite in dir,
 * plus `env`) and waits for /readyz. Resolves with { url, log(), stop() }; stop() does not remove dir.
 */
export async function startCareQueue({ bin, dir, env = {}, readyWithinMs = 90_000 }) {
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
      SQLITE_PATH: `${dir}/carequeue.db`,
      LOG_FORMAT: "text",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (b) => (output += b.toString()));
  child.stderr.on("data", (b) => (output += b.toString()));
  const exited = new Promise((ok) => child.once("exit", () => ok()));

  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`carequeue exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`carequeue did not become ready in ${readyWithinMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
