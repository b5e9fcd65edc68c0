// Dates and durations as the admin screens print them, in the UI language.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** Formats instants (RFC 3339) as a date and time in the browser's time zone (to the second for logs). */
export function useDateTime(seconds = false): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: seconds ? "medium" : "short" });
    return (iso) => (iso ? f.format(new Date(iso)) : "—");
  }, [i18n.language, seconds]);
}

/** Formats a facility-local day (YYYY-MM-DD) without moving it through a time zone. */
export function formatDay(day: string, language: string, style: "short" | "medium" = "medium"): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const opts: Intl.DateTimeFormatOptions =
    style === "short" ? { month: "short", day: "numeric", timeZone: "UTC" } : { dateStyle: "medium", timeZone: "UTC" };
  return new Intl.DateTimeFormat(language, opts).format(d);
}

/** Seconds as whole minutes (rounded), or null. */
export function minutes(seconds: number | null | undefined): number | null {
  return seconds == null ? null : Math.round(seconds / 60);
}
