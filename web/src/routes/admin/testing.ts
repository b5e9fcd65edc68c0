// Test set-up for the admin screens: the "admin" namespace loaded synchronously into the i18next
// instance src/test/setup.ts starts (English).
import i18n from "i18next";

import en from "../../i18n/locales/admin/en.json";

export function loadAdminStrings(): void {
  if (!i18n.hasResourceBundle("en", "admin")) i18n.addResourceBundle("en", "admin", en);
}
