// Calendar days as the analytics API speaks them: "YYYY-MM-DD" in the facility's time zone. Day
// arithmetic runs on UTC midnights, so no local clock change can skip or repeat a day.

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The maximum range the server accepts (dailyFigures, the CSV, recomputeDailyReports). */
export const MAX_RANGE_DAYS = 366;

/**
 * The widest range the page shows as figures: a day of a department is up to 11 rows, and the server
 * prices dailyFigures by them (its complexity limit; graph/bounds_test.go checks this value). The CSV
 * takes the whole range.
 */
export const MAX_SCREEN_DAYS = 31;

function parse(day: string): number {
  return DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
}

export function isDay(day: string): boolean {
  return !Number.isNaN(parse(day));
}

/** Today's date in a time zone (the facility's), e.g. "2026-11-26". */
export { todayIn } from "../../../i18n/format";

export function addDays(day: string, n: number): string {
  return new Date(parse(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Number of days from `from` to `to`, both included (0 when to is before from). */
export function dayCount(from: string, to: string): number {
  const n = Math.round((parse(to) - parse(from)) / DAY_MS) + 1;
  return Number.isNaN(n) ? 0 : Math.max(0, n);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const n = Math.min(dayCount(from, to), MAX_RANGE_DAYS);
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

export type RangeProblem = "invalid" | "reversed" | "tooLong";

/** What is wrong with a range, or null when the server will accept it. */
export function rangeProblem(from: string, to: string): RangeProblem | null {
  if (!isDay(from) || !isDay(to)) return "invalid";
  if (from > to) return "reversed";
  if (dayCount(from, to) > MAX_RANGE_DAYS) return "tooLong";
  return null;
}
