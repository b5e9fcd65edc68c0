// The one place the patient app turns dates and times into text (format.test.ts fails on any
// toLocale*String, Intl date formatter or hand-made clock elsewhere). Times follow the facility's locale
// (its 24-hour clock or not) in the facility's time zone, not the phone's: a patient whose phone is
// set to Los Angeles and en-US, visiting a London hospital, reads "10:42" as the hospital's clocks and
// letters say it. Words (month names) follow the app's language, as in the web app
// (web/src/i18n/format.ts), so a Spanish reader in an en-GB hospital reads "3 de abril de 2026, 10:42".
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { canonicalLocale, displayLocale, uses24HourClock, validTimeZone } from "@carequeue/graphql";

export { displayLocale, uses24HourClock };

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

/** The formatter for one language, facility locale and time zone. */
export function formatter({ language, locale, timeZone }: FormatSettings): Formatter {
  const tag = displayLocale(language, locale);
  const hour24 = uses24HourClock(canonicalLocale(locale) ?? tag);
  const timeZoneOption = validTimeZone(timeZone);
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
