// The web app against a server that runs only trusted documents (GRAPHQL_DOCUMENTS=allow-list). The
// server refuses what is not on its list: a free-form document from an anonymous caller or from a
// receptionist's session (PERSISTED_QUERY_REQUIRED, nothing run) and a hash it does not know
// (PERSISTED_QUERY_NOT_FOUND). The built app works on its generated documents alone: sign-in, the
// reception page, registering and checking in a patient, the clinician's live queue and the public
// board, whose count moves over the WebSocket when the patient checks in. Every request the pages send
// (HTTP and WebSocket) names a listed document by its hash and carries no query text, and no answer
// is a refusal. Screenshots of a failure go to e2e/screenshots/failed-allow-list-*.png.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");

/** The manifests the server trusts: the ones the build generated next to the app (web/embed.go embeds them). */
const TRUSTED: Record<string, string> = Object.assign(
  {},
  ...["../src/generated/persisted-documents.json", "../graphql/src/generated/persisted-documents.json"].map(
    (f) => JSON.parse(readFileSync(join(import.meta.dirname, f), "utf8")) as Record<string, string>,
  ),
);

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pages = new Map<string, Page>();
const problems: string[] = [];
/** What the pages sent that was not a listed document by hash alone, and every refusal they got. */
const untrusted: string[] = [];
/** How many operations the pages sent, per transport. */
const sent = { http: 0, ws: 0 };

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

interface Request {
  query?: string;
  operationName?: string;
  extensions?: { persistedQuery?: { sha256Hash?: string } };
}

/** A request that is not a listed document's hash alone, described; "" when it is. */
function whyUntrusted(r: Request): string {
  const hash = r.extensions?.persistedQuery?.sha256Hash;
  if (r.query) return `${r.operationName ?? "?"} sent its text`;
  if (!hash || !(hash in TRUSTED)) return `${r.operationName ?? "?"} sent hash ${hash ?? "none"}, not on the list`;
  return "";
}

function refusals(errors: GraphQLError[] | undefined): string[] {
  return (errors ?? []).filter((e) => e.extensions?.code?.startsWith("PERSISTED_QUERY")).map((e) => `${e.extensions?.code}: ${e.message}`);
}

async function post(body: unknown, token?: string): Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLError[] }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ GRAPHQL_DOCUMENTS: "allow-list" });
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** A page whose GraphQL traffic (HTTP and WebSocket) is checked against the list. */
async function page(name: string): Promise<Page> {
  const { context, page } = await openPage(browser, server.url, problems, name);
  contexts.push(context);
  pages.set(name, page);
  page.on("request", (r) => {
    if (!r.url().endsWith("/graphql") || r.method() !== "POST") return;
    sent.http++;
    const why = whyUntrusted(JSON.parse(r.postData() ?? "{}") as Request);
    if (why) untrusted.push(`${name} (HTTP): ${why}`);
  });
  page.on("response", async (r) => {
    if (!r.url().endsWith("/graphql") || r.request().method() !== "POST") return;
    const body = (await r.json().catch(() => ({}))) as { errors?: GraphQLError[] };
    for (const e of refusals(body.errors)) untrusted.push(`${name} (HTTP): refused, ${e}`);
  });
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => {
      const m = JSON.parse(String(f.payload)) as { type?: string; payload?: Request };
      if (m.type !== "subscribe") return;
      sent.ws++;
      const why = whyUntrusted(m.payload ?? {});
      if (why) untrusted.push(`${name} (WebSocket): ${why}`);
    });
    ws.on("framereceived", (f) => {
      const m = JSON.parse(String(f.payload)) as { type?: string; payload?: GraphQLError[] };
      if (m.type === "error") for (const e of refusals(m.payload)) untrusted.push(`${name} (WebSocket): refused, ${e}`);
    });
  });
  return page;
}

async function signIn(p: Page, email: string, landing: string) {
  await p.goto("/");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill(DEMO_PASSWORD);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.waitForURL(`**${landing}**`);
}

describe("web app against an allow-list server", () => {
  it("RefusesFreeFormDocumentsAndUnknownHashes", async () => {
    const login = `mutation { login(email: "reception@demo.carequeue.org", password: "${DEMO_PASSWORD}") { accessToken } }`;
    const anonymous = await post({ query: login });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(["PERSISTED_QUERY_REQUIRED"]);
    expect(anonymous.data ?? null).toBeNull();

    // The app's own sign-in, by hash, works; a receptionist's free-form query does not.
    const hash = Object.keys(TRUSTED).find((h) => TRUSTED[h]!.includes("mutation Login("));
    expect(hash).toBeDefined();
    const signedIn = await post({
      operationName: "Login",
      variables: { email: "reception@demo.carequeue.org", password: DEMO_PASSWORD },
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });
    expect(signedIn.errors).toBeUndefined();
    const token = (signedIn.data?.login as { accessToken: string }).accessToken;
    expect(token).toBeTruthy();
    const free = await post({ query: "{ me { id email } }" }, token);
    expect(free.errors?.map((e) => e.extensions?.code)).toEqual(["PERSISTED_QUERY_REQUIRED"]);
    expect(free.data ?? null).toBeNull();

    // A hash the server does not hold, even with a valid shape, runs nothing.
    const unknown = createHash("sha256").update("query Unlisted { me { id } }").digest("hex");
    expect(unknown in TRUSTED).toBe(false);
    const notFound = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } }, token);
    expect(notFound.errors?.map((e) => e.extensions?.code)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect(notFound.data ?? null).toBeNull();
  });

  it("WorksOnTrustedDocumentsAlone", async () => {
    onTestFailed(async () => {
      for (const [name, p] of pages) await p.screenshot({ path: join(SHOTS, `failed-allow-list-${name}.png`), fullPage: true }).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nuntrusted: ${JSON.stringify(untrusted, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });
    const reception = await page("reception");
    await signIn(reception, "reception@demo.carequeue.org", "/reception");
    const departmentID = await reception.getByLabel("Department").inputValue();
    expect(departmentID).not.toBe("");
    const department = ((await reception.getByLabel("Department").locator("option:checked").textContent()) ?? "").trim();

    // The public board of that department (anonymous: held to the list like every anonymous caller).
    const board = await page("board");
    await board.goto(`/board/${departmentID}`);
    const count = board.getByText(/^\d+ patients? waiting$/);
    const waiting = async () => Number(((await count.textContent()) ?? "").split(" ")[0]);
    await count.waitFor();
    const before = await waiting();

    await reception.getByRole("button", { name: "Register a new patient" }).click();
    await reception.getByLabel("Given name").fill("Ada");
    await reception.getByLabel("Family name").fill("Lovelace");
    await reception.getByLabel("Mobile phone").fill("+447700900999");
    await reception.getByRole("button", { name: "Register", exact: true }).click();
    await reception.getByRole("form", { name: "Check in" }).getByText("Ada Lovelace").waitFor();
    await reception.getByRole("button", { name: "Check in", exact: true }).click();
    const checkedIn = reception.getByText(/^[A-Z]+-\d+ checked in\./);
    await checkedIn.waitFor();
    const code = ((await checkedIn.textContent()) ?? "").split(" ")[0]!;

    // The board hears of it over its subscription (no reload).
    await expect.poll(waiting, { timeout: 15_000 }).toBe(before + 1);

    const clinician = await page("clinician");
    await signIn(clinician, "doctor@demo.carequeue.org", "/clinician");
    // A service point of reception's department (the page chooses none on its own): its live queue shows the ticket.
    const servicePoint = clinician.getByLabel("Service point");
    const room = await servicePoint.locator(`optgroup[label="${department}"] option`).first().getAttribute("value");
    await servicePoint.selectOption(room ?? "");
    await clinician.getByText(code, { exact: true }).first().waitFor();

    expect(sent.http).toBeGreaterThan(0);
    expect(sent.ws).toBeGreaterThan(0);
    expect(untrusted).toEqual([]);
    expect(problems).toEqual([]);
  });
});
