// The i18n layer: every string a person reads comes from locales/<language>.json through i18next
// (`const { t } = useTranslation()`; t("reception.checkIn.submit")). English is the reference; every
// offered language has every key and every plural form its language needs (locales.test.ts), so the
// fallback to English key by key is only a safety net. Language files load on demand, so adding one costs the initial bundle nothing.
import i18n, { type BackendModule, type ReadCallback } from "i18next";
import { useEffect } from "react";
import { initReactI18next } from "react-i18next";

import type en from "./locales/en.json";

/**
 * The languages the app offers, in the order the language switch lists them, named in their own
 * language. They are also the languages a patient or facility can be given (the server's SMS and push
 * templates speak the same ones): each must be complete in every namespace (locales.test.ts).
 */
export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "carequeue.language";
const loaders = import.meta.glob<{ default: typeof en }>("./locales/*.json");
// Areas with many strings of their own keep them in a namespace, locales/<namespace>/<language>.json
// (useTranslation("admin")), loaded with the area's first screen.
const namespaceLoaders = import.meta.glob<{ default: object }>("./locales/*/*.json");

/** Whether code is one of LANGUAGES. */
export function isLanguage(code: string | null | undefined): code is Language {
  return LANGUAGES.some((l) => l.code === code);
}

/** The best supported language among the candidates (BCP 47 tags: "es-MX" matches "es"). */
export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const c of candidates) {
    const base = c?.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

const lazyLocales: BackendModule = {
  type: "backend",
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const load =
      namespace === "translation"
        ? loaders[`./locales/${language}.json`]
        : namespaceLoaders[`./locales/${namespace}/${language}.json`];
    if (!load) {
      callback(null, {}); // unknown language: everything falls back to English
      return;
    }
    load().then(
      (m) => callback(null, m.default),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), false),
    );
  },
};

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Switches the UI language and remembers the choice on this device. */
export async function changeLanguage(language: Language, remember = true): Promise<void> {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }
  await i18n.changeLanguage(language);
}

/**
 * Starts i18next. The language is `?lang=` (display boards and SMS links set it), else the one
 * chosen on this device, else the browser's, else English.
 */
export function initI18n(search: string = location.search): typeof i18n {
  const requested = new URLSearchParams(search).get("lang");
  const lng = pickLanguage(requested, storedLanguage(), ...(navigator.languages ?? []), navigator.language);
  void i18n
    .use(lazyLocales)
    .use(initReactI18next)
    .init({
      lng,
      fallbackLng: "en",
      supportedLngs: LANGUAGES.map((l) => l.code),
      load: "languageOnly",
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
      react: { useSuspense: true },
    });
  i18n.on("languageChanged", (l) => {
    document.documentElement.lang = l;
  });
  document.documentElement.lang = lng;
  return i18n;
}

export default i18n;

/**
 * Follows a language the server chose (the facility's on a display board, the patient's on the
 * status page) unless the address has ?lang= or, when respectChoice is set, this device has a chosen
 * language. Unsupported languages leave the current one.
 */
export function useFollowLanguage(language: string | null | undefined, respectChoice: boolean): void {
  useEffect(() => {
    if (!language || new URLSearchParams(location.search).get("lang")) return;
    if (respectChoice && storedLanguage()) return;
    const base = language.toLowerCase().split("-")[0];
    if (isLanguage(base) && base !== i18n.resolvedLanguage) void changeLanguage(base, false);
  }, [language, respectChoice]);
}
