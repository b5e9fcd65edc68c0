// The app's languages (English, Spanish, French). The language is, in order: the one the patient chose
// in Settings, the one on their hospital record, the phone's, English.
import { getLocales } from "expo-localization";
import { createInstance } from "i18next";
import { initReactI18next } from "react-i18next";

import en from "./en";
import es from "./es";
import fr from "./fr";

export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

/** The supported language for a BCP 47 tag ("es-MX" → "es"), or null. */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  const base = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l.code === base)?.code ?? null;
}

/** The first supported language among the candidates, else English. */
export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const c of candidates) {
    const l = supportedLanguage(c);
    if (l) return l;
  }
  return "en";
}

export function deviceLanguage(): string | null {
  try {
    return getLocales()[0]?.languageTag ?? null;
  } catch {
    return null;
  }
}

export const i18n = createInstance();

/** Initialises translations synchronously (the resources are bundled). */
export function initI18n(lng: Language = pickLanguage(deviceLanguage())) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      lng,
      fallbackLng: "en",
      resources: { en: { translation: en }, es: { translation: es }, fr: { translation: fr } },
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
      initAsync: false,
    });
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  return i18n;
}
