// The patient app writes times as the facility does (its locale's clock, its zone), never as the phone
// does, and formats them only in format.ts: a source scan fails on any other toLocale*String, Intl date
// or number formatter or hand-made clock (like web/src/i18n/noAdHocFormatting.test.ts).
import { displayLocale, formatter } from "./format";

// Node's fs and path, typed for what the scan uses (the app's types are React Native's, not Node's).
interface Fs {
  readFileSync(path: string, encoding: "utf8"): string;
  readdirSync(path: string): string[];
  statSync(path: string): { isDirectory(): boolean };
}
interface Path {
  join(...parts: string[]): string;
  relative(from: string, to: string): string;
}
declare const __dirname: string;
const { readFileSync, readdirSync, statSync } = jest.requireActual<Fs>("fs");
const { join, relative } = jest.requireActual<Path>("path");

const root = join(__dirname, "..", "..");

/** Every .ts/.tsx source of the app (app/ and src/), as a path relative to mobile/. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [relative(root, path)] : [];
  });
}

const ALLOWED = new Set(["src/i18n/format.ts"]);
const skipped = (path: string) => ALLOWED.has(path) || /\.test\.tsx?$|^src\/test\//.test(path);

const RULES: [RegExp, string][] = [
  [/\.toLocale(Date|Time)?String\s*\(/, "toLocale*String"],
  [/\bIntl\s*\.\s*(DateTimeFormat|NumberFormat|RelativeTimeFormat|DurationFormat|ListFormat)\b/, "Intl formatter"],
  [/\.get(UTC)?(Hours|Minutes)\s*\(\s*\)/, "hand-made clock"],
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

describe("date and time formatting", () => {
  const at = "2026-07-01T09:42:00Z"; // 10:42 in London (summer time), 02:42 in Los Angeles

  it("ShowsALondonFacilitysTimeOnALosAngelesPhone", () => {
    // jest.config.js puts every test's phone in Los Angeles.
    expect(new Date(at).getTimezoneOffset()).toBe(7 * 60); // the phone really is in Los Angeles
    const london = formatter({ language: "en", locale: "en-GB", timeZone: "Europe/London" });
    expect(london.time(at)).toBe("10:42");
    expect(london.date(at)).toBe("1 July 2026");
    // What the phone alone would have said: the wrong hour on a 12-hour clock.
    expect(formatter({ language: "en-US" }).time(at)).toMatch(/^2:42\sAM$/);
  });

  it("FollowsTheFacilitysLocaleWithTheAppsWords", () => {
    const ny = { locale: "en-US", timeZone: "America/New_York" };
    expect(formatter({ language: "en", ...ny }).time(at)).toMatch(/^5:42\sAM$/);
    expect(formatter({ language: "en", ...ny }).date(at)).toBe("July 1, 2026");
    expect(formatter({ language: "fr", locale: "fr-FR", timeZone: "Europe/Paris" }).time(at)).toBe("11:42");
    expect(formatter({ language: "es", locale: "en-GB", timeZone: "Europe/London" }).date(at)).toBe("1 de julio de 2026");
    expect(displayLocale("es", "en-GB")).toBe("es-GB");
    expect(displayLocale("en", "en-US")).toBe("en-US");
    expect(displayLocale("fr", null)).toBe("fr");
  });

  it("SurvivesCarelessInput", () => {
    const f = formatter({ language: "en", locale: "not a locale!", timeZone: "Mars/Olympus" });
    expect(f.time("not a date")).toBe("");
    expect(f.time(null)).toBe("");
    expect(f.time("")).toBe("");
    expect(f.date(undefined)).toBe("");
    expect(f.time(at)).toMatch(/\d:42/); // an unknown zone or locale still gives a time, not a crash
  });

  it("CatchesEachKindOfAdHocFormatting", () => {
    expect(offences(`const s = new Date(x).toLocaleDateString("en");`)).toEqual(["1: toLocale*String"]);
    expect(offences(`  {d.toLocaleTimeString(i18n.language, { hour: "2-digit" })}`)).toEqual(["1: toLocale*String"]);
    expect(offences(`const f = new Intl.DateTimeFormat(lang);`)).toEqual(["1: Intl formatter"]);
    expect(offences(`const h = String(d.getHours()).padStart(2, "0");`)).toEqual(["1: hand-made clock"]);
    expect(offences(`// never toLocaleString()`)).toEqual([]);
  });

  it("HappensOnlyInTheFormatter", () => {
    const all = [...sources(join(root, "app")), ...sources(join(root, "src"))];
    expect(all.length).toBeGreaterThan(30);
    expect(all).toContain("src/i18n/format.ts");
    expect(all).toContain("app/history.tsx");
    const found = all.filter((p) => !skipped(p)).flatMap((p) => offences(readFileSync(join(root, p), "utf8")).map((o) => `${p}:${o}`));
    expect(found).toEqual([]);
  });
});
