// The patient the clinician is calling or seeing, with the actions that fit its status.
import {
  getFragmentData,
  minutesSince,
  useCompleteTicket,
  useMarkNoShow,
  useNow,
  useRecallTicket,
  useStartService,
  type FragmentType,
} from "@carequeue/graphql";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { CurrentTicket_TicketFragmentDoc } from "../../generated/graphql";
import { useFormat } from "../../i18n/useFormat";
import { TransferDialog, type QueueOption } from "../../tickets/TransferDialog";
import { StatusBadge, TriageBadge } from "../../ui/Badges";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { TextField } from "../../ui/Field";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../../ui/fieldErrors";

export function CurrentTicket({ ticket, transferTargets }: { ticket: FragmentType<typeof CurrentTicket_TicketFragmentDoc>; transferTargets: readonly QueueOption[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tk = getFragmentData(CurrentTicket_TicketFragmentDoc, ticket);
  const now = useNow(15_000);
  const [recall, recallState] = useRecallTicket();
  const [start, startState] = useStartService();
  const [complete, completeState] = useCompleteTicket();
  const [noShow, noShowState] = useMarkNoShow();
  const [note, setNote] = useState("");
  const [transferring, setTransferring] = useState(false);
  const error: unknown = recallState.error ?? startState.error ?? completeState.error ?? noShowState.error;
  // A completion note the server refuses is shown (and focused) on the note field.
  const noteError = fieldErrors(completeState.error).note;
  const sectionRef = useFocusOnInvalid<HTMLElement>(completeState.error);
  const queued = recallState.queued || startState.queued || completeState.queued || noShowState.queued;
  const meta = { code: tk.code }; // names the action in the offline list
  const ignore = () => undefined; // failures show through the hooks' error state
  const born = tk.patient.dateOfBirth ? fmt.dateOfBirth(tk.patient.dateOfBirth) : null;

  return (
    <section ref={sectionRef} aria-label={t("clinician.current.label", { code: tk.code })} className="rounded-lg border-2 border-teal-700 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <span className="font-mono text-4xl font-bold tabular">{tk.code}</span>
        <span className="text-xl font-semibold">
          {tk.patient.givenName} {tk.patient.familyName}
        </span>
        {born && <span className="text-sm text-slate-600">{t("clinician.current.born", { date: born })}</span>}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <StatusBadge status={tk.status} />
        <TriageBadge level={tk.triageLevel} />
        {tk.status === "CALLED" && tk.calledAt && <span>{t("clinician.current.calledAgo", { count: minutesSince(tk.calledAt, now) })}</span>}
        {tk.status === "IN_SERVICE" && tk.startedAt && <span>{t("clinician.current.inServiceFor", { count: minutesSince(tk.startedAt, now) })}</span>}
        {tk.recallCount > 0 && <span>{t("clinician.current.recalled", { count: tk.recallCount })}</span>}
      </div>
      {tk.note && <p className="mt-2 text-sm text-slate-700">{t("clinician.current.note", { note: tk.note })}</p>}
      {tk.status === "IN_SERVICE" && (
        <TextField className="mt-3" label={t("clinician.current.completionNote")} value={note} onChange={(e) => setNote(e.target.value)} error={noteError} maxLength={500} />
      )}
      <div className="mt-4 flex flex-wrap gap-2">
        {tk.status === "CALLED" && (
          <>
            <Button onClick={() => void start(tk.id, meta).catch(ignore)} busy={startState.loading}>
              {t("clinician.actions.start")}
            </Button>
            <Button variant="secondary" onClick={() => void recall(tk.id, meta).catch(ignore)} busy={recallState.loading}>
              {t("clinician.actions.recall")}
            </Button>
            <Button variant="danger" onClick={() => void noShow(tk.id, meta).catch(ignore)} busy={noShowState.loading}>
              {t("clinician.actions.noShow")}
            </Button>
          </>
        )}
        {tk.status === "IN_SERVICE" && (
          <Button onClick={() => void complete(tk.id, note.trim() || undefined, meta).then(() => setNote(""), ignore)} busy={completeState.loading}>
            {t("clinician.actions.complete")}
          </Button>
        )}
        <Button variant="secondary" onClick={() => setTransferring(true)}>
          {t("clinician.actions.transfer")}
        </Button>
      </div>
      {hasUnplacedError(error, noteError ? ["note"] : []) && <ErrorNotice error={error} className="mt-3" />}
      {queued && (
        <p role="status" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950">
          {t("offline.savedInline")}
        </p>
      )}
      {transferring && (
        <TransferDialog ticket={{ id: tk.id, code: tk.code, queueID: tk.queueID }} queues={transferTargets} onClose={() => setTransferring(false)} />
      )}
    </section>
  );
}
