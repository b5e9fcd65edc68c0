// Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers here).
import { chromium, type Browser } from "playwright-core";

import { CHROMIUM, CHROMIUM_ARGS } from "./carequeue.mjs";

export { CHROMIUM };

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
