// The admin namespace: Spanish has every English key (plural forms aside) with the same placeholders.
import { describe, expect, it } from "vitest";

import en from "../../i18n/locales/admin/en.json";
import es from "../../i18n/locales/admin/es.json";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("admin locales", () => {
  const reference = flatten(en as Tree);
  const spanish = flatten(es as Tree);

  it("HasEveryEnglishKey_es", () => {
    const want = new Set([...reference.keys()].map(base));
    const have = new Set([...spanish.keys()].map(base));
    expect([...want].filter((k) => !have.has(k))).toEqual([]);
    expect([...have].filter((k) => !want.has(k))).toEqual([]);
  });

  it("KeepsThePlaceholders_es", () => {
    for (const [key, text] of reference) {
      const translated = spanish.get(key) ?? spanish.get(`${base(key)}_other`);
      if (translated === undefined) continue;
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });
});
