import en from "./en";
import es from "./es";
import fr from "./fr";
import { LANGUAGES, formatTime, initI18n, pickLanguage, supportedLanguage } from "./index";

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

describe.each([
  ["es", es],
  ["fr", fr],
])("%s translations", (_lng, messages) => {
  const tr = flatten(messages as Tree);

  it("have exactly the keys of English", () => {
    expect([...tr.keys()].sort()).toEqual([...source.keys()].sort());
  });

  it("keep every {{placeholder}} of English", () => {
    const missing: string[] = [];
    for (const [key, text] of source) {
      const theirs = placeholders(tr.get(key) ?? "");
      for (const p of placeholders(text)) if (!theirs.has(p)) missing.push(`${key}: {{${p}}}`);
    }
    expect(missing).toEqual([]);
  });

  it("have no empty text", () => {
    expect([...tr].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
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

describe("formatTime", () => {
  it("gives hours and minutes, and nothing for a bad date", () => {
    expect(formatTime(new Date(2025, 0, 1, 9, 5), "en")).toMatch(/0?9:05/);
    expect(formatTime("not a date", "en")).toBe("");
  });
});
