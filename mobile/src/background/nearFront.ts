// When to raise a local "you're nearly up" notification from the background refresh (for phones where
// push is unavailable). Pure; nearFront.test.ts.
import type { PatientWait } from "@carequeue/graphql";

import { isOpen } from "../wait";

export interface TicketState {
  id: string;
  code: string;
  status: Parameters<typeof isOpen>[0];
  position: number | null;
  /** The wait as the patient is told it; absent when unknown. */
  wait?: PatientWait;
}

/** The smallest position each ticket was already told about (0: told it was called). */
export type Notified = Record<string, number>;

export interface Alert {
  ticketID: string;
  code: string;
  /** Position in line, or 0 when the ticket was called. */
  position: number;
  /** The wait's range, for a waiting ticket whose range is known. */
  wait?: PatientWait;
}

/**
 * The alerts to raise now: a waiting ticket at position ≤ threshold, or a called one, told once per
 * step closer (3 → 2 → 1 → called), never twice for the same step. Also returns the new "notified"
 * record, with tickets that are no longer open dropped.
 */
export function nearFrontAlerts(tickets: TicketState[], notified: Notified, threshold = 3): { alerts: Alert[]; notified: Notified } {
  const alerts: Alert[] = [];
  const next: Notified = {};
  for (const t of tickets) {
    if (!isOpen(t.status)) continue;
    const prev = notified[t.id];
    if (prev !== undefined) next[t.id] = prev;
    let step: number | null = null;
    if (t.status === "CALLED") step = 0;
    else if (t.status === "WAITING" && t.position !== null && t.position >= 1 && t.position <= threshold) step = t.position;
    if (step === null) continue;
    if (prev === undefined || step < prev) {
      const wait = step > 0 && t.wait && t.wait.kind !== "unknown" ? t.wait : undefined;
      alerts.push({ ticketID: t.id, code: t.code, position: step, ...(wait ? { wait } : {}) });
      next[t.id] = step;
    }
  }
  return { alerts, notified: next };
}

/** The stored record read back; anything unreadable (corrupt, "null", old format) counts as empty. */
export function parseNotified(raw: string | null | undefined): Notified {
  try {
    const v: unknown = JSON.parse(raw ?? "{}");
    if (!v || typeof v !== "object" || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === "number"));
  } catch {
    return {};
  }
}
