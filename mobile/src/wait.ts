// What a patient is told about their wait. Staff figures (minutes to target, triage level, the median
// estimate) stay out: the patient sees "you're next" or "number N in line" and the estimate's range,
// "about 40–70 minutes" (patientWait, shared with the web status page and kiosk), or "not enough data
// yet" rather than a made-up number. Pure; wait.test.ts.
import { patientWait, type PatientWait, type TicketStatus } from "@carequeue/graphql";

export type WaitLine =
  | { key: "called"; room: string | null }
  | { key: "inService" }
  | { key: "waiting"; position: number | null; wait: PatientWait }
  | { key: "ended"; status: TicketStatus };

export function waitLine(t: {
  status: TicketStatus;
  position?: number | null;
  estimatedWait?: { lowMinutes: number; highMinutes: number } | null;
  servicePoint?: { name: string } | null;
}): WaitLine {
  switch (t.status) {
    case "CALLED":
      return { key: "called", room: t.servicePoint?.name ?? null };
    case "IN_SERVICE":
      return { key: "inService" };
    case "WAITING": {
      const position = typeof t.position === "number" && t.position >= 1 ? t.position : null;
      return { key: "waiting", position, wait: patientWait(t.estimatedWait) };
    }
    default:
      return { key: "ended", status: t.status };
  }
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The wait in words ("About 40–70 minutes"), for the ticket card and the local notifications. */
export function waitText(t: Translate, w: PatientWait): string {
  switch (w.kind) {
    case "unknown":
      return t("visits.unknown");
    case "soon":
      return t("visits.soon");
    case "about":
      return t("visits.about", { count: w.minutes });
    case "range":
      return t("visits.range", { low: w.low, high: w.high });
  }
}

/** A waiting ticket in words: where in line, then the wait ("Number 4 in line · About 40–70 minutes"). */
export function waitingText(t: Translate, position: number | null, wait: PatientWait): string {
  const parts: string[] = [];
  if (position === 1) parts.push(t("visits.next"));
  else if (position !== null) parts.push(t("visits.position", { position }));
  parts.push(waitText(t, wait));
  return parts.join(" · ");
}

/** Open tickets are the ones still in a queue. */
export function isOpen(status: TicketStatus): boolean {
  return status === "WAITING" || status === "CALLED" || status === "IN_SERVICE";
}
