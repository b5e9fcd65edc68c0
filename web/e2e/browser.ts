// Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers here).
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      // The board chimes and speaks without a click, as a TV in kiosk mode is set up to.
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}
