// GraphiQL as the README says to use it, in a real browser against the real server (demo data): the
// headers editor starts empty (an empty pre-filled "Bearer " used to make every request a 401), the
// login mutation run in GraphiQL signs the tab in, and an admin opens GraphiQL signed in from
// Admin → Tools in one click.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "./server";

let server: RunningServer;
let browser: Browser;
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function fresh(name: string): Promise<Page> {
  const { context, page } = await openPage(browser, server.url, problems, name);
  contexts.push(context);
  onTestFailed(() => console.log(`problems: ${JSON.stringify(problems, null, 2)}\nserver log (tail):\n${server.log().slice(-3000)}`));
  return page;
}

// GraphiQL 4's editors are CodeMirror 5 instances; typing would fight its bracket auto-closing.
async function setEditor(page: Page, selector: string, text: string) {
  await page.locator(`${selector} .CodeMirror`).first().waitFor();
  await page.evaluate(
    ([sel, value]) => {
      const el = document.querySelector(`${sel} .CodeMirror`) as (Element & { CodeMirror: { setValue(v: string): void } }) | null;
      el?.CodeMirror.setValue(value);
    },
    [selector, text] as const,
  );
}

type CodeMirrorElement = Element & { CodeMirror: { getValue(): string; setValue(v: string): void } };

async function run(page: Page, query: string): Promise<string> {
  await setEditor(page, ".graphiql-query-editor", query);
  const response = page.locator(".graphiql-response .CodeMirror").first();
  // Clear the last answer, so the poll below waits for this one.
  if (await response.count()) await response.evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.setValue(""));
  await page.getByRole("button", { name: /Execute query/ }).click();
  await expect.poll(async () => response.evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue()), { timeout: 10_000 }).toMatch(/"data"|"errors"/);
  return response.evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue());
}

async function headersText(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Headers" }).click();
  return page.evaluate(() => {
    const el = document.querySelector(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror") as CodeMirrorElement | null;
    return el ? el.CodeMirror.getValue() : "(no headers editor)";
  });
}

describe("GraphiQL in a real browser", () => {
  it("StartsWithNoAuthorizationAndTheLoginMutationSignsTheTabIn", async () => {
    const page = await fresh("graphiql");
    await page.goto("/graphiql");
    await expect.poll(() => page.locator("#session-state").textContent()).toContain("Not signed in");
    expect(await headersText(page)).not.toContain("Bearer");

    // Signed out, a query that needs no sign-in works (nothing pre-filled breaks it).
    expect(await run(page, "{ me { email } }")).toContain('"me": null');

    const login = await run(page, `mutation { login(email: "admin@demo.carequeue.org", password: "${DEMO_PASSWORD}") { accessToken } }`);
    expect(login).toContain("accessToken");
    await expect.poll(() => page.locator("#session-state").textContent(), { timeout: 10_000 }).toContain("admin@demo.carequeue.org");
    expect(await headersText(page)).not.toContain("Bearer"); // the token rides along; the editor stays the person's

    expect(await run(page, "{ me { email role } }")).toContain('"email": "admin@demo.carequeue.org"');

    await page.getByRole("button", { name: "Forget the token" }).click();
    await expect.poll(() => page.locator("#session-state").textContent()).toContain("Not signed in");
    expect(await run(page, "{ me { email } }")).toContain('"me": null');
    expect(problems.filter((p) => p.startsWith("graphiql:"))).toEqual([]);
  });

  it("OpensSignedInFromAdminToolsInOneClick", async () => {
    const page = await fresh("admin");
    await page.goto("/");
    await page.getByLabel("Email").fill("admin@demo.carequeue.org");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/**");
    await page.goto("/admin/tools");

    const [tab] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("button", { name: "Open GraphiQL signed in" }).click()]);
    tab.on("pageerror", (e) => problems.push(`tab: page error: ${e.message}`));
    await tab.waitForLoadState();
    await expect.poll(() => tab.locator("#session-state").textContent(), { timeout: 10_000 }).toContain("admin@demo.carequeue.org");
    expect(await run(tab, "{ me { email role } }")).toContain('"role": "ADMIN"');
    // The token is in GraphiQL's memory only: not in the URL, not in GraphiQL's storage.
    expect(tab.url()).not.toContain("token");
    const stored = await tab.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith("graphiql"))
        .map((k) => localStorage.getItem(k))
        .join("\n"),
    );
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(problems.filter((p) => p.startsWith("tab:") || p.startsWith("admin:"))).toEqual([]);
  });
});
