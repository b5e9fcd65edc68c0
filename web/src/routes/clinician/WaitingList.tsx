// A queue's waiting list for the clinician: position, code, patient, triage (or "awaiting triage"),
// wait so far, estimated wait, the minutes left before the triage target is breached, a breach
// warning when the estimator forecasts one, and triage / re-triage in one step.
import { getFragmentData, minutesSince, minutesUntil, type FragmentType } from "@carequeue/graphql";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { WaitingListRow_TicketFragmentDoc } from "../../generated/graphql";
import { AwaitingTriageNote } from "../../tickets/AwaitingTriageNote";
import { BreachWarning, breachRowClass } from "../../tickets/BreachWarning";
import { RetriageButton, RetriageDialog } from "../../tickets/RetriageDialog";
import { WaitEstimate } from "../../tickets/WaitEstimate";
import { TriageBadge } from "../../ui/Badges";

export function WaitingList({ queueName, tickets, now }: { queueName: string; tickets: readonly FragmentType<typeof WaitingListRow_TicketFragmentDoc>[]; now: number }) {
  const { t } = useTranslation();
  if (tickets.length === 0) return <p className="p-3 text-sm text-slate-600">{t("clinician.waiting.empty")}</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{t("clinician.waiting.caption", { queue: queueName })}</caption>
      <thead className="text-xs text-slate-600 uppercase">
        <tr>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.position")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.code")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.patient")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.triage")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.waited")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.estimate")}</th>
          <th scope="col" className="px-2 py-1">{t("clinician.waiting.target")}</th>
          <th scope="col" className="px-2 py-1">
            <span className="sr-only">{t("clinician.waiting.actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tickets.map((ticket) => (
          <WaitingListRow key={getFragmentData(WaitingListRow_TicketFragmentDoc, ticket).id} ticket={ticket} now={now} />
        ))}
      </tbody>
    </table>
  );
}

function WaitingListRow({ ticket, now }: { ticket: FragmentType<typeof WaitingListRow_TicketFragmentDoc>; now: number }) {
  const { t } = useTranslation();
  const tk = getFragmentData(WaitingListRow_TicketFragmentDoc, ticket);
  const left = minutesUntil(tk.targetAt, now);
  const [retriaging, setRetriaging] = useState(false);
  return (
    <tr className={`border-t border-slate-100 ${breachRowClass(tk.breachForecast, now)}`} aria-label={t("clinician.waiting.rowLabel", { code: tk.code })}>
      <td className="px-2 py-1.5 tabular">{tk.position}</td>
      <td className="px-2 py-1.5 font-mono font-bold">{tk.code}</td>
      <td className="min-w-40 px-2 py-1.5 break-words">
        <span data-testid="patient-name">
          {tk.patient.givenName} {tk.patient.familyName}
        </span>
        {tk.breachForecast && <BreachWarning code={tk.code} forecast={tk.breachForecast} now={now} className="block text-xs" />}
      </td>
      <td className="space-x-1 px-2 py-1.5">
        <TriageBadge level={tk.triageLevel} />
        {tk.awaitingTriage && <AwaitingTriageNote level={tk.triageLevel} />}
      </td>
      <td className="px-2 py-1.5 tabular">
        {t("common.minutes", { count: minutesSince(tk.arrivedAt, now) })}
        {tk.escalatedAt && <span className="block text-xs font-semibold text-red-800">{t("tickets.pastMaxWait")}</span>}
      </td>
      <td className="px-2 py-1.5">
        <WaitEstimate minutes={tk.estimatedWaitMinutes} range={tk.estimatedWait} />
      </td>
      <td className={`px-2 py-1.5 tabular ${left < 0 ? "font-semibold text-red-800" : left <= 10 ? "font-semibold text-amber-800" : ""}`}>
        {left < 0 ? t("clinician.waiting.breached", { count: -left }) : t("clinician.waiting.toBreach", { count: left })}
      </td>
      <td className="px-2 py-1 text-right">
        <RetriageButton ticket={tk} onClick={() => setRetriaging(true)} />
        {retriaging && <RetriageDialog ticket={tk} onClose={() => setRetriaging(false)} />}
      </td>
    </tr>
  );
}
