import type { TicketStatus, TriageLevel } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

// Colours follow the Manchester Triage System (red, orange, yellow, green, blue), each with its name
// written out: colour is never the only signal.
const triageColours: Record<TriageLevel, string> = {
  IMMEDIATE: "bg-red-700 text-white",
  VERY_URGENT: "bg-orange-700 text-white", // orange-600 fails WCAG AA contrast with white at this size
  URGENT: "bg-yellow-300 text-yellow-950",
  STANDARD: "bg-green-700 text-white",
  NON_URGENT: "bg-sky-700 text-white",
};

export function TriageBadge({ level }: { level: TriageLevel }) {
  const { t } = useTranslation();
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${triageColours[level]}`}>
      {t(`triage.${level}`)}
    </span>
  );
}

const statusColours: Record<TicketStatus, string> = {
  WAITING: "bg-slate-200 text-slate-900",
  CALLED: "bg-amber-200 text-amber-950",
  IN_SERVICE: "bg-teal-200 text-teal-950",
  COMPLETED: "bg-green-200 text-green-950",
  NO_SHOW: "bg-red-200 text-red-950",
  CANCELLED: "bg-slate-300 text-slate-900",
  TRANSFERRED: "bg-indigo-200 text-indigo-950",
};

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${statusColours[status]}`}>
      {t(`ticketStatus.${status}`)}
    </span>
  );
}
