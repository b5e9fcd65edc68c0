// English is the reference; every other language must have the same keys (plural forms aside) and
// use the same {{placeholders}} in each string.
import { describe, expect, it } from "vitest";

import { LANGUAGES } from ".";
import en from "./locales/en.json";

type Tree = { [key: string]: string | Tree };
const locales = import.meta.glob<{ default: Tree }>("./locales/*.json", { eager: true });

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

// Plural suffixes differ by language (Spanish has "many"); compare the base keys.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  const reference = flatten(en as Tree);

  it("OffersAFileForEveryLanguage", () => {
    for (const { code } of LANGUAGES) expect(locales[`./locales/${code}.json`], code).toBeDefined();
  });

  for (const { code } of LANGUAGES.filter((l) => l.code !== "en")) {
    it(`HasEveryEnglishKey_${code}`, () => {
      const other = flatten(locales[`./locales/${code}.json`]!.default);
      const want = new Set([...reference.keys()].map(base));
      const have = new Set([...other.keys()].map(base));
      expect([...want].filter((k) => !have.has(k))).toEqual([]);
      expect([...have].filter((k) => !want.has(k))).toEqual([]);
    });

    it(`KeepsThePlaceholders_${code}`, () => {
      const other = flatten(locales[`./locales/${code}.json`]!.default);
      for (const [key, text] of reference) {
        const translated = other.get(key) ?? other.get(`${base(key)}_other`);
        if (translated === undefined) continue;
        expect(placeholders(translated), `${code}: ${key}`).toEqual(placeholders(text));
      }
    });
  }
});
