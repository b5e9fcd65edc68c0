// Like a lint rule: dates, times and numbers are formatted only by format.ts (facility locale and
// zone), never by a component with toLocale*String or its own Intl formatter, which would follow the
// browser instead of the hospital ("4/3/1990" for 3 April in an en-US browser in a UK hospital).
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "../../graphql/src/**/*.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
});

const ALLOWED = new Set(["./format.ts", "../../graphql/src/locale.ts"]);
const skipped = (path: string) => ALLOWED.has(path) || /\.test\.tsx?$|\/generated\/|\/test\//.test(path);

const RULES: [RegExp, string][] = [
  [/\.toLocale(Date|Time)?String\s*\(/, "toLocale*String"],
  [/\bIntl\s*\.\s*(DateTimeFormat|NumberFormat|RelativeTimeFormat|DurationFormat|DisplayNames|ListFormat|supportedValuesOf)\b/, "Intl formatter"],
  [/\.get(Hours|Minutes)\s*\(\s*\)/, "hand-made clock"],
];

/** The ad-hoc formatting in one source, as "line: rule". */
function offences(source: string): string[] {
  const out: string[] = [];
  source.split("\n").forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return; // comments may name what they avoid
    for (const [re, rule] of RULES) if (re.test(line)) out.push(`${i + 1}: ${rule}`);
  });
  return out;
}

describe("date and number formatting", () => {
  it("ScansTheWholeApp", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(Object.keys(sources)).toContain("./format.ts");
    expect(Object.keys(sources)).toContain("../../graphql/src/locale.ts");
  });

  it("CatchesEachKindOfAdHocFormatting", () => {
    expect(offences(`const s = new Date(x).toLocaleDateString("en");`)).toEqual(["1: toLocale*String"]);
    expect(offences(`  {new Date(now).toLocaleTimeString(i18n.language, { hour: "2-digit" })}`)).toEqual(["1: toLocale*String"]);
    expect(offences(`const f = new Intl.DateTimeFormat(lang);`)).toEqual(["1: Intl formatter"]);
    expect(offences(`const f = new Intl.NumberFormat(lang, { style: "percent" });`)).toEqual(["1: Intl formatter"]);
    expect(offences(`const h = String(d.getHours()).padStart(2, "0");`)).toEqual(["1: hand-made clock"]);
    expect(offences(`// never toLocaleString()`)).toEqual([]);
  });

  it("HappensOnlyInTheFormatter", () => {
    const found = Object.entries(sources)
      .filter(([path]) => !skipped(path))
      .flatMap(([path, source]) => offences(source).map((o) => `${path}:${o}`));
    expect(found, "format with useFormat() from src/i18n/useFormat (or formatter() from src/i18n/format)").toEqual([]);
  });
});
