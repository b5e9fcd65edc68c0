// Starts the real CareQueue server for the browser test: the embedded default (SQLite in a temp
// directory, in-process pub/sub, log SMS sender) with the demo hospital, on a free loopback port.
// CAREQUEUE_BIN points at a prebuilt binary; otherwise the test builds one from this checkout.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../..");

export interface RunningServer {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
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

export async function startServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "carequeue-e2e-"));
  const bin = process.env.CAREQUEUE_BIN ? resolve(process.env.CAREQUEUE_BIN) : buildBinary(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(bin, ["serve", "--migrate", "--demo"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      APP_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      SQLITE_PATH: join(dir, "carequeue.db"),
      LOG_FORMAT: "text",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`carequeue exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`carequeue did not become ready in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
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
