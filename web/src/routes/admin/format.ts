// Durations as the admin screens count them. Dates and times: useFormat (i18n/useFormat).
import { useMemo } from "react";

import { useFormat } from "../../i18n/useFormat";

/** Formats instants (RFC 3339) as a date and time in the facility's locale and zone (to the second for logs). */
export function useDateTime(seconds = false): (iso: string | null | undefined) => string {
  const fmt = useFormat();
  return useMemo(() => (iso) => fmt.dateTime(iso, seconds), [fmt, seconds]);
}

/** Seconds as whole minutes (rounded), or null. */
export function minutes(seconds: number | null | undefined): number | null {
  return seconds == null ? null : Math.round(seconds / 60);
}
