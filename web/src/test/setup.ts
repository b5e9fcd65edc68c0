// Vitest set-up for the web app: English loaded synchronously (no lazy chunks in tests), and the DOM
// cleaned between tests.
import { cleanup } from "@testing-library/react";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { afterEach } from "vitest";

import en from "../i18n/locales/en.json";

await i18n.use(initReactI18next).init({
  lng: "en",
  fallbackLng: "en",
  resources: { en: { translation: en } },
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});

afterEach(() => cleanup());
