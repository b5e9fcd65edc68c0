// "Needs attention" at the top of the reception and clinician screens, for one department: patients
// past the queue's maximum wait first (announced with a banner, and the chime when sound is on), then
// self check-ins awaiting triage, then forecast breaches. Refetched on every change of the
// department's queues, and each minute (forecasts move with the clock).
import { getFragmentData, minutesSince, useNow } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { AttentionItem_TicketFragmentDoc, NeedsAttentionDocument, type AttentionReason } from "../generated/graphql";
import { AwaitingTriageNote } from "../tickets/AwaitingTriageNote";
import { BreachWarning } from "../tickets/BreachWarning";
import { RetriageButton, RetriageDialog, type RetriageTarget } from "../tickets/RetriageDialog";
import { TriageBadge } from "../ui/Badges";
import { Button } from "../ui/Button";
import { ErrorNotice } from "../ui/ErrorNotice";
import { useAttentionAlerts, type Listed } from "./alerts";
import { SoundToggle } from "./SoundToggle";
import { useStaffSound } from "./sound";
import { useDepartmentChanges } from "./useDepartmentChanges";

const POLL_MS = 60_000;
const REFETCH_DELAY_MS = 300;

const reasonColours: Record<AttentionReason, string> = {
  PAST_MAX_WAIT: "border-l-red-700 bg-red-50",
  AWAITING_TRIAGE: "border-l-purple-700 bg-purple-50",
  BREACH_PREDICTED: "border-l-amber-600 bg-amber-50",
};

export function NeedsAttentionPanel({ departmentID }: { departmentID: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const now = useNow(30_000);
  const [sound, setSound] = useStaffSound();
  const [triaging, setTriaging] = useState<RetriageTarget | null>(null);
  const { data, error, refetch } = useQuery(NeedsAttentionDocument, {
    variables: { departmentID },
    pollInterval: POLL_MS,
    notifyOnNetworkStatusChange: false,
  });
  const changes = useDepartmentChanges(departmentID);
  useEffect(() => {
    if (changes === 0) return;
    // A short pause gathers a burst of changes (several queues, or one action's events) into one request.
    const h = setTimeout(() => void refetch().catch(() => undefined), REFETCH_DELAY_MS); // errors show from `error`
    return () => clearTimeout(h);
  }, [changes, refetch]);

  const items = useMemo(
    () => data?.needsAttention.map((i) => ({ ...i, ticket: getFragmentData(AttentionItem_TicketFragmentDoc, i.ticket) })),
    [data],
  );
  const listed: Listed[] | undefined = useMemo(() => items?.map((i) => ({ reason: i.reason, ticketID: i.ticket.id, code: i.ticket.code })), [items]);
  const { escalated, dismiss } = useAttentionAlerts(listed, sound);
  // 372 → "6 h 12 min"
  const waited = (m: number) =>
    m < 60 ? t("common.minutes", { count: m }) : t("attention.hoursMinutes", { hours: Math.floor(m / 60), minutes: m % 60 });

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2">
        <h2 id={headingId} className="font-semibold">
          {t("attention.title")}
          {items && <span className="ml-2 text-sm font-normal text-slate-600">{t("attention.count", { count: items.length })}</span>}
        </h2>
        <SoundToggle on={sound} onChange={setSound} />
      </header>
      {escalated.length > 0 && (
        <div role="alert" className="m-2 flex items-center justify-between gap-2 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white">
          <span>{t("attention.escalatedBanner", { codes: escalated.join(", "), count: escalated.length })}</span>
          <Button variant="secondary" size="sm" onClick={dismiss}>
            {t("attention.dismiss")}
          </Button>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} onRetry={() => void refetch().catch(() => undefined)} className="m-2" />}
      {items && items.length === 0 && <p className="px-3 py-2 text-sm text-slate-600">{t("attention.none")}</p>}
      {items && items.length > 0 && (
        <ul className="space-y-1 p-2" aria-labelledby={headingId}>
          {items.map(({ reason, ticket: tk }) => (
            <li
              key={`${reason}:${tk.id}`}
              aria-label={t("attention.itemLabel", { code: tk.code })}
              className={`flex flex-wrap items-center gap-x-3 gap-y-1 rounded border-l-4 px-2 py-1.5 text-sm ${reasonColours[reason]}`}
            >
              <span className="w-16 font-mono font-bold">{tk.code}</span>
              <span className="min-w-0 flex-1">
                <span className="font-medium">
                  {tk.patient.givenName} {tk.patient.familyName}
                </span>
                <span className="ml-2 text-xs text-slate-600">{tk.queue.name}</span>
                <span className="flex flex-wrap items-center gap-2 text-xs">
                  <TriageBadge level={tk.triageLevel} />
                  {reason === "PAST_MAX_WAIT" && (
                    <span className="font-semibold text-red-800">{t("attention.pastMaxWait", { duration: waited(minutesSince(tk.arrivedAt, now)) })}</span>
                  )}
                  {reason === "AWAITING_TRIAGE" && <AwaitingTriageNote level={tk.triageLevel} />}
                  {reason === "BREACH_PREDICTED" && tk.breachForecast && <BreachWarning code={tk.code} forecast={tk.breachForecast} now={now} />}
                </span>
              </span>
              <RetriageButton ticket={tk} onClick={() => setTriaging(tk)} />
            </li>
          ))}
        </ul>
      )}
      {triaging && <RetriageDialog ticket={triaging} onClose={() => setTriaging(null)} />}
    </section>
  );
}
