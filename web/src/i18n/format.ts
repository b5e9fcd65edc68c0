// The one place the web app turns dates, times, numbers and durations into text (a test fails on any
// toLocale*/Intl formatting elsewhere in src/). Formats follow the facility's locale (24-hour clock or
// not, day before month or not) in the facility's time zone; words (month names) follow the UI
// language when the user chose another one: a Spanish-speaking receptionist in an en-GB hospital reads
// "3 abr 1990, 14:05". A date of birth is an identity check, so it always has its month in letters.

import { canonicalLocale, displayLocale, uses24HourClock, validTimeZone } from "@carequeue/graphql";

export { displayLocale, uses24HourClock };

/** The locales a facility may have (the server's internal/locale.Supported; locales.test.ts compares). */
export const LOCALES = ["en-AU", "en-GB", "en-IE", "en-US", "es-ES", "es-MX", "es-US", "fr-BE", "fr-CA", "fr-CH", "fr-FR"] as const;
export type Locale = (typeof LOCALES)[number];

export interface FormatSettings {
  /** The UI language (i18next's), e.g. "es". */
  language: string;
  /** The facility's locale (BCP 47), e.g. "en-GB"; unknown: the language's browser default. */
  locale?: string | null;
  /** The facility's IANA time zone; unknown: the browser's. */
  timeZone?: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

export type DobField = "day" | "month" | "year";

/** The order a locale writes day, month and year in (en-GB: day month year; en-US: month day year). */
export function dateFieldOrder(locale: string): DobField[] {
  const parts = new Intl.DateTimeFormat(canonicalLocale(locale) ?? "en", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" })
    .formatToParts(new Date(Date.UTC(2000, 10, 22)))
    .map((p) => p.type)
    .filter((t): t is DobField => t === "day" || t === "month" || t === "year");
  return parts.length === 3 ? parts : ["day", "month", "year"];
}

/** The pattern a person types a date in, for hints: "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY". */
export function datePattern(locale: string): string {
  const parts = new Intl.DateTimeFormat(canonicalLocale(locale) ?? "en", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).formatToParts(
    new Date(Date.UTC(2000, 10, 22)),
  );
  const letters: Record<string, string> = { day: "DD", month: "MM", year: "YYYY" };
  return parts.map((p) => letters[p.type] ?? p.value).join("");
}

/** A calendar day (YYYY-MM-DD) as a person types it in the locale: "03/04/1990" (en-GB), "04/03/1990" (en-US); "" for no day. */
export function typedDate(day: string, locale: string): string {
  const m = DAY.exec(day);
  if (!m) return "";
  return datePattern(locale).replace("YYYY", m[1]!).replace("MM", m[2]!).replace("DD", m[3]!);
}

/**
 * A date typed in the locale's order ("03/04/1990" in en-GB, "4/3/1990" in en-US; any separators; a
 * four-digit year first is always read as year-month-day) as "YYYY-MM-DD", or null when it is not a
 * real calendar date.
 */
export function parseTypedDate(text: string, locale: string): string | null {
  if (!/^[\d\s./-]*$/.test(text)) return null;
  const nums = text.trim().split(/[\s./-]+/).filter(Boolean);
  if (nums.length !== 3 || nums.some((n) => n.length > 4)) return null;
  const order: DobField[] = nums[0]!.length === 4 ? ["year", "month", "day"] : dateFieldOrder(locale);
  const v: Record<DobField, number> = { day: 0, month: 0, year: 0 };
  order.forEach((f, i) => (v[f] = Number(nums[i])));
  if (String(v.year).length !== 4) return null;
  const d = new Date(Date.UTC(v.year, v.month - 1, v.day));
  if (d.getUTCFullYear() !== v.year || d.getUTCMonth() !== v.month - 1 || d.getUTCDate() !== v.day) return null;
  return `${String(v.year).padStart(4, "0")}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
}

/** A locale's name in the UI language: "English (United Kingdom)", "español (España)". */
export function localeName(tag: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** A country's name in the UI language: "United Kingdom", "Reino Unido"; the code when it has none. */
export function regionName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "region" }).of(code) ?? code;
  } catch {
    return code; // not a region code at all ("Z", "1234"): the server says what is wrong
  }
}

/** The browser's IANA time zone (a new facility's suggestion), or UTC. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every IANA time zone the browser knows, or null when it cannot list them. */
export function timeZones(): string[] | null {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return null;
  }
}

/** Today's date (YYYY-MM-DD) in a time zone; an unknown zone: UTC. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone: validTimeZone(timeZone) ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" });
  return f.format(now);
}

/** How far a time zone is ahead of UTC at an instant, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - (at - (at % 1000));
}

/**
 * The instant a calendar day (YYYY-MM-DD, plus plusDays) starts in a time zone (unknown: UTC), as
 * RFC 3339; undefined for a malformed day. Right across clock changes: the offset is taken at the
 * resulting instant, not at UTC midnight.
 */
export function dayStartIn(day: string, timeZone: string | null | undefined, plusDays = 0): string | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  if (Number.isNaN(utc)) return undefined;
  const zone = validTimeZone(timeZone) ?? "UTC";
  let at = utc - zoneOffset(utc, zone);
  at = utc - zoneOffset(at, zone);
  return new Date(at).toISOString();
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value == null || value === "") return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export interface Formatter {
  /** Clock time of an instant: "09:05" (en-GB), "9:05 AM" (en-US). */
  time(value: string | number | Date | null | undefined): string;
  /** Date and time of an instant, to the minute or the second: "29 Mar 2026, 14:05". */
  dateTime(value: string | number | Date | null | undefined, seconds?: boolean): string;
  /** A calendar day "YYYY-MM-DD" (or a date of birth stored at midnight UTC), never shifted by a zone. */
  day(value: string | null | undefined, style?: "short" | "medium"): string;
  /** A date of birth, month in letters: "3 Apr 1990" (en-GB), "Apr 3, 1990" (en-US). */
  dateOfBirth(value: string | null | undefined): string;
  /** A number with the locale's separators. */
  number(n: number, maximumFractionDigits?: number): string;
  /** A share (0.42) as a percentage: "42%", "42 %". */
  percent(share: number): string;
  /** Minutes as a duration with the unit in words: "1 minute", "5 minutos", "1 h 5 min". */
  duration(minutes: number): string;
}

const NONE = "—";

/** The formatter for one language, locale and time zone. */
export function formatter({ language, locale, timeZone }: FormatSettings): Formatter {
  const tag = displayLocale(language, locale);
  const hour24 = uses24HourClock(canonicalLocale(locale) ?? tag);
  const zone = validTimeZone(timeZone);
  const clock: Intl.DateTimeFormatOptions = hour24
    ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
    : { hour: "numeric", minute: "2-digit", hourCycle: "h12" };
  const timeF = new Intl.DateTimeFormat(tag, { ...clock, timeZone: zone });
  const dateTimeF = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", ...clock, timeZone: zone });
  const dateTimeSecondsF = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", ...clock, second: "2-digit", timeZone: zone });
  // Calendar days carry no zone: format their UTC midnight in UTC.
  const dayF = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const shortDayF = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" });
  const percentF = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  const minutesF = new Intl.NumberFormat(tag, { style: "unit", unit: "minute", unitDisplay: "long" });
  const hoursF = new Intl.NumberFormat(tag, { style: "unit", unit: "hour", unitDisplay: "narrow" });
  const shortMinutesF = new Intl.NumberFormat(tag, { style: "unit", unit: "minute", unitDisplay: "short" });

  const calendarDay = (value: string | null | undefined): Date | null => {
    const m = value ? DAY.exec(value) : null;
    if (!m) return null;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return Number.isNaN(d.getTime()) ? null : d;
  };

  return {
    time: (value) => {
      const d = toDate(value);
      return d ? timeF.format(d) : NONE;
    },
    dateTime: (value, seconds = false) => {
      const d = toDate(value);
      return d ? (seconds ? dateTimeSecondsF : dateTimeF).format(d) : NONE;
    },
    day: (value, style = "medium") => {
      const d = calendarDay(value);
      if (!d) return value || NONE;
      return (style === "short" ? shortDayF : dayF).format(d);
    },
    dateOfBirth: (value) => {
      const d = calendarDay(value);
      return d ? dayF.format(d) : NONE;
    },
    number: (n, maximumFractionDigits = 0) => new Intl.NumberFormat(tag, { maximumFractionDigits }).format(n),
    percent: (share) => percentF.format(share),
    duration: (minutes) => {
      const m = Math.max(0, Math.round(minutes));
      if (m < 60) return minutesF.format(m);
      const h = Math.floor(m / 60);
      return m % 60 === 0 ? hoursF.format(h) : `${hoursF.format(h)} ${shortMinutesF.format(m % 60)}`;
    },
  };
}
