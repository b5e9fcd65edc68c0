// Automatic logoff on a shared workstation, with the server's staff idle timeout cut to 20 s: a
// reception page nobody touches warns at 10 s; "Stay signed in" keeps the session; left alone again it
// signs out, lands on the sign-in page saying why, and leaves no session, cache or offline store behind
// (the open dashboard's own live traffic does not keep it alive). A kiosk page left alone as long stays
// signed in. Over the API, as a hostile client: a staff refresh token left idle is refused with
// SESSION_IDLE, a kiosk's is not (kiosk sessions have no idle timeout or lifetime).
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");
const IDLE_SECONDS = 20;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ STAFF_IDLE_TIMEOUT: `${IDLE_SECONDS}s` });
  browser = await launch();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

interface Answer {
  data?: Record<string, { refreshToken?: string; idleTimeoutSeconds?: number | null; sessionExpiresAt?: string | null } | null> | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

async function call(query: string, variables: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

const login = (email: string) =>
  call(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken idleTimeoutSeconds sessionExpiresAt } }`, {
    e: email,
    p: DEMO_PASSWORD,
  });
const refresh = (token: string) =>
  call(`mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken idleTimeoutSeconds } }`, { t: token });

/** The page's stored session and the names of its IndexedDB databases. */
async function leftovers(page: Page) {
  return page.evaluate(async () => ({
    session: localStorage.getItem("carequeue.session"),
    databases: (await indexedDB.databases()).map((d) => d.name ?? ""),
  }));
}

describe("automatic logoff", () => {
  it("SignsAnUntouchedReceptionPageOutAndLeavesNothingBehind", async () => {
    const opened = await openPage(browser, server.url, problems, "reception");
    context = opened.context;
    const page = opened.page;
    onTestFailed(async () => {
      await page.screenshot({ path: join(SHOTS, "failed-idle.png"), fullPage: true }).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-4000)}`);
    });

    // Meanwhile, over the API: a staff token left idle past the timeout is refused with the reason;
    // the kiosk in the lobby is not a staff session (no idle timeout, no lifetime) and refreshes.
    const hostile = (async () => {
      const staff = await login("reception@demo.carequeue.org");
      expect(staff.data?.login?.idleTimeoutSeconds).toBe(IDLE_SECONDS);
      const kiosk = await login("kiosk@demo.carequeue.org");
      expect(kiosk.data?.login).toMatchObject({ idleTimeoutSeconds: null, sessionExpiresAt: null });
      await new Promise((r) => setTimeout(r, (IDLE_SECONDS + 2) * 1000));
      const late = await refresh(staff.data!.login!.refreshToken!);
      expect(late.data).toBeNull();
      expect(late.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "SESSION_IDLE" });
      expect(late.errors?.[0]?.message).toBe(`signed out after ${IDLE_SECONDS} seconds of inactivity, sign in again`);
      const kioskLater = await refresh(kiosk.data!.login!.refreshToken!);
      expect(kioskLater.errors).toBeUndefined();
      expect(kioskLater.data?.refreshSession?.refreshToken).toBeTruthy();
    })();

    // And a kiosk page, untouched all along, stays signed in (checked at the end).
    const kioskPage = (await openPage(browser, server.url, problems, "kiosk")).page;
    await kioskPage.goto("/");
    await kioskPage.getByLabel("Email").fill("kiosk@demo.carequeue.org");
    await kioskPage.getByLabel("Password").fill(DEMO_PASSWORD);
    await kioskPage.getByRole("button", { name: "Sign in" }).click();
    await kioskPage.waitForURL("**/kiosk");
    await kioskPage.getByRole("heading", { name: "Welcome" }).waitFor();
    const kioskSince = Date.now();

    await page.goto("/");
    await page.getByLabel("Email").fill("reception@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/reception**");
    // The account's offline store exists once the dashboard is up.
    await page.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name?.startsWith("carequeue.offline.")));
    const signedIn = (await leftovers(page)).session;
    expect(signedIn).not.toBeNull();

    // Untouched: the warning comes at half of a timeout this short, then "Stay signed in" refreshes.
    const warning = page.getByRole("dialog", { name: "Are you still there?" });
    await warning.waitFor({ timeout: IDLE_SECONDS * 1000 });
    await expect(warning.getByRole("alert").textContent()).resolves.toMatch(/You will be signed out in \d+ s\./);
    await page.screenshot({ path: join(SHOTS, "idle-warning.png") });
    await warning.getByRole("button", { name: "Stay signed in" }).click();
    await warning.waitFor({ state: "detached" });
    const stayed = (await leftovers(page)).session;
    expect(JSON.parse(stayed!).refreshToken).not.toBe(JSON.parse(signedIn!).refreshToken);
    const stayedAt = Date.now();

    // Left alone again: signed out at the deadline, with the reason, and nothing left behind.
    await page.waitForURL("**/login**", { timeout: (IDLE_SECONDS + 5) * 1000 });
    const after = (Date.now() - stayedAt) / 1000;
    expect(after).toBeGreaterThan(IDLE_SECONDS - 3);
    await page.getByText(`You were signed out after ${IDLE_SECONDS} seconds of inactivity.`).waitFor();
    await page.screenshot({ path: join(SHOTS, "idle-signed-out.png") });
    await expect.poll(async () => leftovers(page), { timeout: 5_000 }).toMatchObject({ session: null });
    await expect
      .poll(async () => (await leftovers(page)).databases.filter((n) => n.startsWith("carequeue.offline.")), { timeout: 5_000 })
      .toEqual([]);
    // The session is over on the server too (the app signed out there): its refresh token is dead.
    const replay = await refresh(JSON.parse(stayed!).refreshToken);
    expect(replay.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    await hostile;
    expect(Date.now() - kioskSince).toBeGreaterThan(IDLE_SECONDS * 1000);
    await kioskPage.getByRole("heading", { name: "Welcome" }).waitFor({ timeout: 1_000 });
    expect(await kioskPage.getByRole("dialog").count()).toBe(0);
    expect((await leftovers(kioskPage)).session).not.toBeNull();
    await kioskPage.context().close();
    expect(problems).toEqual([]);
  }, 120_000);
});
