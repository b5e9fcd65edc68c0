// Triage levels and the time arithmetic every queue screen shows.
import type { TicketStatus, TriageLevel } from "./generated/graphql";

/** The Manchester Triage System levels, most urgent first. */
export const TRIAGE_LEVELS: readonly TriageLevel[] = ["IMMEDIATE", "VERY_URGENT", "URGENT", "STANDARD", "NON_URGENT"];

/** Every ticket status in life order. */
export const TICKET_STATUSES: readonly TicketStatus[] = [
  "WAITING",
  "CALLED",
  "IN_SERVICE",
  "COMPLETED",
  "NO_SHOW",
  "CANCELLED",
  "TRANSFERRED",
];

const MINUTE = 60_000;

/** Whole minutes from `since` (RFC 3339) to now, never negative. */
export function minutesSince(since: string, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / MINUTE));
}

/**
 * Minutes until `deadline` (RFC 3339), rounded down; negative once it has passed (the target wait is
 * breached).
 */
export function minutesUntil(deadline: string, now: number = Date.now()): number {
  return Math.floor((Date.parse(deadline) - now) / MINUTE);
}
