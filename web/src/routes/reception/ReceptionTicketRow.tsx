// One ticket of a reception queue column: who, level (or "awaiting triage"), wait so far and the
// estimate, a breach warning when the estimator forecasts one, and the row's actions (triage or
// re-triage, transfer, cancel).
import { getFragmentData, minutesSince, type FragmentType } from "@carequeue/graphql";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ReceptionTicketRow_TicketFragmentDoc } from "../../generated/graphql";
import { AwaitingTriageNote } from "../../tickets/AwaitingTriageNote";
import { BreachWarning, breachRowClass } from "../../tickets/BreachWarning";
import { CancelDialog } from "../../tickets/CancelDialog";
import { RetriageButton, RetriageDialog } from "../../tickets/RetriageDialog";
import { TransferDialog, type QueueOption } from "../../tickets/TransferDialog";
import { WaitEstimate } from "../../tickets/WaitEstimate";
import { StatusBadge, TriageBadge } from "../../ui/Badges";
import { Button } from "../../ui/Button";

export function ReceptionTicketRow({
  ticket,
  queueID,
  now,
  transferTargets,
}: {
  ticket: FragmentType<typeof ReceptionTicketRow_TicketFragmentDoc>;
  queueID: string;
  now: number;
  transferTargets: readonly QueueOption[];
}) {
  const { t } = useTranslation();
  const tk = getFragmentData(ReceptionTicketRow_TicketFragmentDoc, ticket);
  const [dialog, setDialog] = useState<"retriage" | "transfer" | "cancel" | null>(null);
  const waiting = tk.status === "WAITING";
  const active = waiting || tk.status === "CALLED";
  const overdue = waiting && Date.parse(tk.targetAt) < now;
  const forecast = waiting ? tk.breachForecast : null;

  return (
    <li
      className={`flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-1 py-2 last:border-0 ${breachRowClass(forecast, now)}`}
      aria-label={t("reception.queue.rowLabel", { code: tk.code })}
    >
      <span className="min-w-16 shrink-0 font-mono text-base font-bold tabular">{tk.code}</span>
      {/* At least 10rem for the name: in a narrow column the actions wrap onto their own line
          instead of squeezing the name to two letters; a long name wraps, never cut. */}
      <span className="min-w-40 flex-1">
        <span className="block text-sm font-medium break-words" data-testid="patient-name">
          {tk.patient.givenName} {tk.patient.familyName}
        </span>
        <span className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
          <TriageBadge level={tk.triageLevel} />
          {tk.awaitingTriage && <AwaitingTriageNote level={tk.triageLevel} />}
          {waiting ? (
            <>
              {tk.position != null && <span>{t("reception.queue.position", { position: tk.position })}</span>}
              <span className={overdue ? "font-semibold text-red-800" : ""}>
                {t("reception.queue.waited", { count: minutesSince(tk.arrivedAt, now) })}
              </span>
              <span>
                {t("reception.queue.estimate")} <WaitEstimate minutes={tk.estimatedWaitMinutes} range={tk.estimatedWait} />
              </span>
              {tk.escalatedAt && <span className="font-semibold text-red-800">{t("tickets.pastMaxWait")}</span>}
            </>
          ) : (
            <>
              <StatusBadge status={tk.status} />
              {tk.servicePoint && <span>{tk.servicePoint.name}</span>}
            </>
          )}
        </span>
        {forecast && <BreachWarning code={tk.code} forecast={forecast} now={now} className="block text-xs" />}
      </span>
      <span className="ml-auto flex flex-wrap justify-end gap-1">
        {active && <RetriageButton ticket={tk} onClick={() => setDialog("retriage")} />}
        <Button variant="secondary" size="sm" onClick={() => setDialog("transfer")} aria-label={t("tickets.transfer.action", { code: tk.code })}>
          {t("tickets.transfer.short")}
        </Button>
        {active && (
          <Button variant="ghost" size="sm" onClick={() => setDialog("cancel")} aria-label={t("tickets.cancel.action", { code: tk.code })}>
            {t("tickets.cancel.short")}
          </Button>
        )}
      </span>
      {dialog === "retriage" && <RetriageDialog ticket={tk} onClose={() => setDialog(null)} />}
      {dialog === "transfer" && (
        <TransferDialog ticket={{ id: tk.id, code: tk.code, queueID }} queues={transferTargets} onClose={() => setDialog(null)} />
      )}
      {dialog === "cancel" && <CancelDialog ticket={tk} onClose={() => setDialog(null)} />}
    </li>
  );
}
