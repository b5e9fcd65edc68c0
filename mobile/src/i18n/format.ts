// The one place the patient app turns dates and times into text (format.test.ts fails on any
// toLocale*String, Intl date formatter or hand-made clock elsewhere). Times follow the facility's locale
// (its 24-hour clock or not) in the facility's time zone, not the phone's: a patient whose phone is
// set to Los Angeles and en-US, visiting a London hospital, reads "10:42" as the hospital's clocks and
// letters say it. Words (month names) follow the app's language, as in the web app
// (web/src/i18n/format.ts), so a Spanish reader in an en-GB hospital reads "3 de abril de 2026, 10:42".
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

export interface FormatSettings {
  /** The app's language (i18next's), e.g. "es". */
  language: string;
  /** The facility's locale (BCP 47), e.g. "en-GB"; unknown: the language's default. */
  locale?: string | null;
  /** The facility's IANA time zone; unknown: the phone's. */
  timeZone?: string | null;
}

/** The facility fields a screen passes: what the patient's tickets and appointments carry. */
export interface FacilityFormat {
  locale?: string | null;
  timezone?: string | null;
}

export interface Formatter {
  /** A clock time: "10:42" (en-GB, fr-FR), "10:42 AM" (en-US); "" for no or a bad value. */
  time(value: string | number | Date | null | undefined): string;
  /** A day with the month in words: "3 April 2026" (en-GB), "April 3, 2026" (en-US). */
  date(value: string | number | Date | null | undefined): string;
}

function canonical(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

function validZone(timeZone: string | null | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return undefined; // an unknown zone must not blank the screen: the phone's
  }
}

/** The tag to format with: the locale, with the app language's words when the patient reads another one. */
export function displayLocale(language: string, locale?: string | null): string {
  const loc = canonical(locale);
  const lang = canonical(language) ?? "en";
  if (!loc) return lang;
  const l = new Intl.Locale(loc);
  const base = new Intl.Locale(lang).language;
  return base === l.language || !l.region ? loc : `${base}-${l.region}`;
}

/** Whether the locale's clock is a 24-hour one (en-GB, es-ES, fr-FR: yes; en-US, es-MX: no). */
export function uses24HourClock(locale: string): boolean {
  const cycle = new Intl.DateTimeFormat(canonical(locale) ?? "en", { hour: "numeric" }).resolvedOptions().hourCycle;
  return cycle === "h23" || cycle === "h24";
}

/** The formatter for one language, facility locale and time zone. */
export function formatter({ language, locale, timeZone }: FormatSettings): Formatter {
  const tag = displayLocale(language, locale);
  const hour24 = uses24HourClock(canonical(locale) ?? tag);
  const timeZoneOption = validZone(timeZone);
  const clock: Intl.DateTimeFormatOptions = hour24
    ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
    : { hour: "numeric", minute: "2-digit", hourCycle: "h12" };
  const timeF = new Intl.DateTimeFormat(tag, { ...clock, timeZone: timeZoneOption });
  const dateF = new Intl.DateTimeFormat(tag, { day: "numeric", month: "long", year: "numeric", timeZone: timeZoneOption });
  const at = (value: string | number | Date | null | undefined): Date | null => {
    if (value === null || value === undefined || value === "") return null;
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    time: (value) => {
      const d = at(value);
      return d ? timeF.format(d) : "";
    },
    date: (value) => {
      const d = at(value);
      return d ? dateF.format(d) : "";
    },
  };
}

/** The formatter for the app's current language and a facility (none: the phone's zone and the language's clock). */
export function useFormat(facility?: FacilityFormat | null): Formatter {
  const { i18n } = useTranslation();
  const locale = facility?.locale, timeZone = facility?.timezone;
  return useMemo(() => formatter({ language: i18n.language, locale, timeZone }), [i18n.language, locale, timeZone]);
}
