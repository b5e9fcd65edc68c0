// A queue's waiting list for the clinician: position, code, patient, triage, wait so far, estimated
// wait and the minutes left before the triage target is breached.
import { getFragmentData, minutesSince, minutesUntil, type FragmentType } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { WaitingListRow_TicketFragmentDoc } from "../../generated/graphql";
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
  return (
    <tr className="border-t border-slate-100">
      <td className="px-2 py-1.5 tabular">{tk.position}</td>
      <td className="px-2 py-1.5 font-mono font-bold">{tk.code}</td>
      <td className="px-2 py-1.5">
        {tk.patient.givenName} {tk.patient.familyName}
      </td>
      <td className="px-2 py-1.5">
        <TriageBadge level={tk.triageLevel} />
      </td>
      <td className="px-2 py-1.5 tabular">{t("common.minutes", { count: minutesSince(tk.checkedInAt, now) })}</td>
      <td className="px-2 py-1.5 tabular">{tk.estimatedWaitMinutes != null ? t("common.minutes", { count: tk.estimatedWaitMinutes }) : "—"}</td>
      <td className={`px-2 py-1.5 tabular ${left < 0 ? "font-semibold text-red-800" : left <= 10 ? "font-semibold text-amber-800" : ""}`}>
        {left < 0 ? t("clinician.waiting.breached", { count: -left }) : t("clinician.waiting.toBreach", { count: left })}
      </td>
    </tr>
  );
}
