// Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers here).
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

import { CHROMIUM, CHROMIUM_ARGS } from "./carequeue.mjs";

export { CHROMIUM };

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (its own storage and socket) and page at desktop size, in en-GB / London, whose
 * page errors and console errors are pushed to `problems` (a test ends by expecting none).
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  problems: string[],
  name = "page",
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 900 }, locale: "en-GB", timezoneId: "Europe/London", ...options });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`);
  });
  return { context, page };
}
