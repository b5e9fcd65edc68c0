// Starts the real CareQueue server for the browser test: the embedded default (SQLite in a temp
// directory, in-process pub/sub, log SMS sender) with the demo hospital, on a free loopback port.
// CAREQUEUE_BIN points at a prebuilt binary; otherwise the test builds one from this checkout.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { startCareQueue } from "./carequeue.mjs";

const repo = resolve(import.meta.dirname, "../..");

export interface RunningServer {
  url: string;
  /** The server's SQLite file, for set-up no API offers (backdating an arrival). */
  dbPath: string;
  log: () => string;
  stop: () => Promise<void>;
}

function buildBinary(dir: string): string {
  if (!existsSync(join(repo, "web/site/app/index.html"))) {
    throw new Error("web/site/app/index.html is missing: run `make web` first (the server embeds the built app)");
  }
  const bin = join(dir, "carequeue");
  const r = spawnSync("go", ["build", "-o", bin, "./cmd/carequeue"], {
    cwd: repo,
    env: { ...process.env, CGO_ENABLED: "0" },
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error(`go build failed (exit ${r.status})`);
  return bin;
}

/** Starts the server; env adds to (or overrides) its environment, e.g. a short STAFF_IDLE_TIMEOUT. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "carequeue-e2e-"));
  const bin = process.env.CAREQUEUE_BIN ? resolve(process.env.CAREQUEUE_BIN) : buildBinary(dir);
  const server = await startCareQueue({ bin, dir, env });
  return {
    url: server.url,
    dbPath: join(dir, "carequeue.db"),
    log: server.log,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL call as a signed-in user (for test set-up that is not what the test is about). */
export async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The demo accounts' password (demo data). */
export const DEMO_PASSWORD = "carequeue-demo";

/** Signs a demo account in over the API: its access token and facility, for test set-up. */
export async function demoLogin(url: string, email: string): Promise<{ token: string; facilityID: string }> {
  const r = await gql<{ login: { accessToken: string; user: { facilityID: string } } }>(
    url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { facilityID } } }`,
    { e: email, p: DEMO_PASSWORD },
  );
  return { token: r.login.accessToken, facilityID: r.login.user.facilityID };
}
