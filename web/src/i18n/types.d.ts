// Type-checks translation keys: t("reception.nope") is a compile error.
import "i18next";

import type adminEn from "./locales/admin/en.json";
import type en from "./locales/en.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en; admin: typeof adminEn };
  }
}
