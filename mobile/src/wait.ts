// What a patient is told about their wait. Staff figures (minutes to target, triage level) stay out:
// the patient sees "you're next", "number N in line" and a rounded "about N min". Pure; wait.test.ts.
import type { TicketStatus } from "@carequeue/graphql";

export type WaitLine =
  | { key: "called"; room: string | null }
  | { key: "inService" }
  | { key: "next" }
  | { key: "about"; minutes: number; position: number | null }
  | { key: "position"; position: number }
  | { key: "waiting" }
  | { key: "ended"; status: TicketStatus };

/** Rounds an estimate the way people say it: 1–10 as is, then to 5 minutes. */
export function roundMinutes(m: number): number {
  if (m <= 1) return 1;
  if (m <= 10) return Math.round(m);
  return Math.round(m / 5) * 5;
}

export function waitLine(t: {
  status: TicketStatus;
  position?: number | null;
  estimatedWaitMinutes?: number | null;
  servicePoint?: { name: string } | null;
}): WaitLine {
  switch (t.status) {
    case "CALLED":
      return { key: "called", room: t.servicePoint?.name ?? null };
    case "IN_SERVICE":
      return { key: "inService" };
    case "WAITING": {
      const position = t.position ?? null;
      if (position === 1) return { key: "next" };
      const est = t.estimatedWaitMinutes;
      if (typeof est === "number" && est >= 0) return { key: "about", minutes: roundMinutes(est), position };
      return position !== null ? { key: "position", position } : { key: "waiting" };
    }
    default:
      return { key: "ended", status: t.status };
  }
}

/** Open tickets are the ones still in a queue. */
export function isOpen(status: TicketStatus): boolean {
  return status === "WAITING" || status === "CALLED" || status === "IN_SERVICE";
}
