// The patient app on a simulator or emulator against `make run` on the laptop (demo hospital).
// Not run in CI (no emulator there): see README.md. The sign-in code comes from the server the way the
// browser test takes it — a fake Twilio (TWILIO_API_URL) — or, by hand, from the admin screen's SMS log.
/* global describe, beforeAll, it, expect, device, element, by, waitFor */
describe("patient app", () => {
  beforeAll(async () => {
    await device.launchApp({ newInstance: true, permissions: { notifications: "YES", camera: "YES" } });
  });

  it("refuses a national number with help, before sending anything", async () => {
    await element(by.id("phone")).typeText("07700 900999");
    await element(by.id("send-code")).tap();
    await expect(element(by.id("phone-error"))).toBeVisible();
  });

  it("asks for the code after a valid number", async () => {
    await element(by.id("phone")).replaceText("+44 7700 900999");
    await element(by.id("send-code")).tap();
    await waitFor(element(by.id("code-sent"))).toBeVisible().withTimeout(10000);
  });

  it("opens a status link without signing in", async () => {
    await device.openURL({ url: "carequeue://t/AAAAAAAAAAAAAAAAAAAAAAAA" });
    await waitFor(element(by.id("follow-missing"))).toBeVisible().withTimeout(10000);
  });
});
