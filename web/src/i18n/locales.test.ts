// Every offered language is complete: the same keys as English in every namespace (the main file and
// locales/<namespace>/), every plural form its language's plural rules ask for, and the same
// {{placeholders}} in each string. Then the counted phrases patients read, per language.
import i18next from "i18next";
import { describe, expect, it } from "vitest";

import { LANGUAGES } from ".";

type Tree = { [key: string]: string | Tree };
const files = import.meta.glob<{ default: Tree }>(["./locales/*.json", "./locales/*/*.json"], { eager: true });

/** The namespaces, each with its files by language: "translation" is locales/<language>.json. */
const namespaces = new Map<string, Map<string, Tree>>();
for (const [path, mod] of Object.entries(files)) {
  const m = /^\.\/locales\/(?:(\w+)\/)?(\w+)\.json$/.exec(path);
  if (!m) throw new Error(`unexpected locale file ${path}`);
  const ns = m[1] ?? "translation";
  if (!namespaces.has(ns)) namespaces.set(ns, new Map());
  namespaces.get(ns)!.set(m[2]!, mod.default);
}

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const SUFFIX = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(SUFFIX, "");
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
/** The plural forms i18next looks up for a language: one per CLDR category (Intl.PluralRules). */
const categories = (code: string) => new Intl.PluralRules(code).resolvedOptions().pluralCategories.slice().sort();

describe("locales", () => {
  it("OffersEveryNamespaceInEveryLanguage", () => {
    expect(namespaces.get("translation")).toBeDefined();
    for (const [ns, byLanguage] of namespaces) {
      expect([...byLanguage.keys()].sort(), ns).toEqual(LANGUAGES.map((l) => l.code).sort());
    }
  });

  it("OffersTheServerLanguages", () => {
    // The server's SMS and push templates (internal/notify) speak these; a language offered here but
    // not there would send the patient English messages.
    expect(LANGUAGES.map((l) => l.code)).toEqual(["en", "es", "fr"]);
  });

  for (const [ns, byLanguage] of namespaces) {
    const reference = flatten(byLanguage.get("en")!);
    const counted = new Set([...reference.keys()].filter((k) => SUFFIX.test(k)).map(base));

    for (const { code } of LANGUAGES) {
      const other = flatten(byLanguage.get(code) ?? {});

      it(`HasEveryEnglishKey_${ns}_${code}`, () => {
        const want = new Set([...reference.keys()].map(base));
        const have = new Set([...other.keys()].map(base));
        expect([...want].filter((k) => !have.has(k))).toEqual([]);
        expect([...have].filter((k) => !want.has(k))).toEqual([]);
      });

      it(`HasEveryPluralForm_${ns}_${code}`, () => {
        // i18next shows the bare key when the form a count needs is missing (es/fr "many" is 1 000 000).
        const want = categories(code);
        for (const key of counted) {
          const forms = want.filter((c) => other.has(`${key}_${c}`));
          expect(forms, `${code}: ${key}`).toEqual(want);
          expect(other.has(key), `${code}: ${key} is counted, so it has no plain form`).toBe(false);
        }
      });

      it(`KeepsThePlaceholders_${ns}_${code}`, () => {
        for (const [key, text] of other) {
          const english = reference.get(key) ?? reference.get(`${base(key)}_other`);
          if (english === undefined) continue; // reported by HasEveryEnglishKey
          expect(placeholders(text), `${code}: ${key}`).toEqual(placeholders(english));
        }
      });
    }
  }
});

describe("plurals", () => {
  const translation = namespaces.get("translation")!;

  async function translator(code: string) {
    const t = i18next.createInstance();
    await t.init({
      lng: code,
      resources: { [code]: { translation: translation.get(code)! } },
      interpolation: { escapeValue: false },
    });
    return t;
  }

  // The counted phrases patients read on the status page and the kiosk. French counts 0 and 1 as
  // singular, English and Spanish only 1; 1 000 000 is "many" in Spanish and French.
  const cases: [code: string, key: "wait.about" | "kiosk.ticket.resetIn" | "board.waiting", count: number, want: string][] = [
    ["en", "wait.about", 0, "About 0 minutes to wait."],
    ["en", "wait.about", 1, "About 1 minute to wait."],
    ["en", "wait.about", 2, "About 2 minutes to wait."],
    ["es", "wait.about", 0, "Unos 0 minutos de espera."],
    ["es", "wait.about", 1, "Unos 1 minuto de espera."],
    ["es", "wait.about", 2, "Unos 2 minutos de espera."],
    ["es", "wait.about", 1_000_000, "Unos 1000000 minutos de espera."],
    ["fr", "wait.about", 0, "Environ 0 minute d'attente."],
    ["fr", "wait.about", 1, "Environ 1 minute d'attente."],
    ["fr", "wait.about", 2, "Environ 2 minutes d'attente."],
    ["fr", "wait.about", 1_000_000, "Environ 1000000 minutes d'attente."],
    ["en", "kiosk.ticket.resetIn", 1, "This screen clears in 1 second."],
    ["es", "kiosk.ticket.resetIn", 1, "Esta pantalla se borrará en 1 segundo."],
    ["es", "kiosk.ticket.resetIn", 5, "Esta pantalla se borrará en 5 segundos."],
    ["fr", "kiosk.ticket.resetIn", 1, "Cet écran s'efface dans 1 seconde."],
    ["fr", "kiosk.ticket.resetIn", 5, "Cet écran s'efface dans 5 secondes."],
    ["en", "board.waiting", 1, "1 patient waiting"],
    ["es", "board.waiting", 1, "1 paciente en espera"],
    ["es", "board.waiting", 3, "3 pacientes en espera"],
    ["fr", "board.waiting", 0, "0 patient en attente"],
    ["fr", "board.waiting", 3, "3 patients en attente"],
  ];
  for (const [code, key, count, want] of cases) {
    it(`Counts_${code}_${key}_${count}`, async () => {
      const t = await translator(code);
      expect(t.t(key, { count })).toBe(want);
    });
  }
});
