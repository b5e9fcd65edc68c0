import en from "./en";
import es from "./es";
import fr from "./fr";
import { LANGUAGES, i18n, initI18n, pickLanguage, supportedLanguage } from "./index";

type Tree = { [k: string]: string | Tree };

/** Every leaf as "a.b.c" → text. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => new Set([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]));
const source = flatten(en);
// Counted keys carry one form per plural category of their language ("about_one", "about_many"...).
const SUFFIX = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(SUFFIX, "");
const counted = new Set([...source.keys()].filter((k) => SUFFIX.test(k)).map(base));
/** The forms i18next looks up for a language: one per CLDR plural category. */
const categories = (lng: string) => new Intl.PluralRules(lng).resolvedOptions().pluralCategories.slice().sort();

describe.each([
  ["es", es],
  ["fr", fr],
])("%s translations", (_lng, messages) => {
  const tr = flatten(messages as Tree);

  it("have exactly the keys of English", () => {
    const keys = (m: Map<string, string>) => [...new Set([...m.keys()].map(base))].sort();
    expect(keys(tr)).toEqual(keys(source));
  });

  it("keep every {{placeholder}} of English", () => {
    const missing: string[] = [];
    for (const [key, text] of tr) {
      const english = source.get(key) ?? source.get(`${base(key)}_other`) ?? "";
      const theirs = placeholders(text);
      for (const p of placeholders(english)) if (!theirs.has(p)) missing.push(`${key}: {{${p}}}`);
    }
    expect(missing).toEqual([]);
  });

  it("have no empty text", () => {
    expect([...tr].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });
});

describe.each(LANGUAGES.map((l) => [l.code, { en, es, fr }[l.code]] as const))("%s plurals", (lng, messages) => {
  const tr = flatten(messages as Tree);

  it("have every form the language's plural rules ask for", () => {
    // i18next shows the bare key when a count's form is missing (es/fr use "many" for 1 000 000).
    const want = categories(lng);
    const missing = [...counted].flatMap((key) => want.filter((c) => !tr.has(`${key}_${c}`)).map((c) => `${key}_${c}`));
    expect(missing).toEqual([]);
  });
});

describe("counted phrases", () => {
  beforeAll(() => initI18n("en"));
  // French counts 0 and 1 as singular; English and Spanish only 1.
  it.each([
    ["en", 0, "About 0 minutes"],
    ["en", 1, "About 1 minute"],
    ["en", 2, "About 2 minutes"],
    ["es", 0, "Unos 0 minutos"],
    ["es", 1, "Unos 1 minuto"],
    ["es", 2, "Unos 2 minutos"],
    ["es", 1_000_000, "Unos 1000000 minutos"],
    ["fr", 0, "Environ 0 minute"],
    ["fr", 1, "Environ 1 minute"],
    ["fr", 2, "Environ 2 minutes"],
    ["fr", 1_000_000, "Environ 1000000 minutes"],
  ] as const)("%s %p → %p", (lng, count, want) => {
    expect(i18n.getFixedT(lng)("visits.about", { count })).toBe(want);
  });
});

it("English has no empty text", () => {
  expect([...source].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
});

describe("supportedLanguage", () => {
  it.each([
    ["es", "es"],
    ["es-MX", "es"],
    ["fr_CA", "fr"],
    ["EN-gb", "en"],
    [" fr ", "fr"],
    ["de", null],
    ["", null],
    [null, null],
    [undefined, null],
    ["esperanto", null],
  ])("%p → %p", (tag, want) => {
    expect(supportedLanguage(tag)).toBe(want);
  });
});

describe("pickLanguage", () => {
  it("takes the first supported candidate", () => {
    expect(pickLanguage("fr", "es", "en-US")).toBe("fr");
    expect(pickLanguage(null, "es-ES", "fr-FR")).toBe("es");
    expect(pickLanguage(null, "de", "fr-FR")).toBe("fr");
    expect(pickLanguage(undefined, null, "it-IT")).toBe("en");
    expect(pickLanguage()).toBe("en");
  });

  it("offers every language it knows", () => {
    expect(LANGUAGES.map((l) => pickLanguage(l.code))).toEqual(["en", "es", "fr"]);
  });
});

describe("initI18n", () => {
  it("translates with plurals and switches language", async () => {
    const i18n = initI18n("en");
    expect(i18n.t("visits.about", { count: 1 })).toBe("About 1 minute");
    expect(i18n.t("visits.about", { count: 5 })).toBe("About 5 minutes");
    await i18n.changeLanguage("es");
    expect(i18n.t("visits.next")).toBe(es.visits.next);
    initI18n("en");
    expect(i18n.language).toBe("en");
  });
});
