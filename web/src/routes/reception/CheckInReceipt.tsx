// What reception reads out to a patient just checked in: the ticket number, the position and the
// status page link. Shown for a check-in done online at once (CheckInReceipt) and for each check-in
// saved offline and sent when the connection returned (ReplayedCheckIns, until dismissed).
import {
  TicketAction_TicketFragmentDoc,
  getFragmentData,
  useOfflineQueue,
  useOfflineQueueState,
  type FragmentType,
  type TicketAction_TicketFragment,
} from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { Button } from "../../ui/Button";

/** The ticket's number, position and status link; replayed: sent from the offline queue (dismissable). */
export function CheckInReceipt({
  ticket,
  patient,
  replayed = false,
  onDismiss,
}: {
  ticket: TicketAction_TicketFragment;
  patient?: string | undefined;
  replayed?: boolean;
  onDismiss?: () => void;
}) {
  const { t } = useTranslation();
  const done = patient ? t("reception.checkIn.replayed", { patient, code: ticket.code }) : t("reception.checkIn.done", { code: ticket.code });
  return (
    <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950">
      <p className="font-semibold">
        {done}
        {ticket.position != null && ` ${t("reception.checkIn.donePosition", { position: ticket.position })}`}
      </p>
      {replayed && <p className="text-green-900">{t("reception.checkIn.replayedHint")}</p>}
      <p className="mt-1">
        {t("reception.checkIn.statusLink")}{" "}
        <a className="font-medium underline" href={`/t/${ticket.statusToken}`} target="_blank" rel="noreferrer">
          /t/{ticket.statusToken}
        </a>
      </p>
      {onDismiss && (
        <Button size="sm" variant="secondary" className="mt-2" aria-label={t("offline.dismissLabel", { action: done })} onClick={onDismiss}>
          {t("offline.dismiss")}
        </Button>
      )}
    </div>
  );
}

/**
 * Every check-in the offline queue sent after the screen stopped waiting for it (saved offline, sent
 * when the connection returned), with its ticket and status link, until reception dismisses it.
 * Refused ones are listed by the connection banner.
 */
export function ReplayedCheckIns() {
  const queue = useOfflineQueue();
  const { replayed } = useOfflineQueueState();
  const checkIns = replayed.filter((r) => r.action.kind === "checkIn" && r.result != null);
  if (!queue || checkIns.length === 0) return null;
  return (
    <div className="space-y-2">
      {checkIns.map((r) => (
        <CheckInReceipt
          key={r.id}
          ticket={getFragmentData(TicketAction_TicketFragmentDoc, r.result as FragmentType<typeof TicketAction_TicketFragmentDoc>)}
          patient={r.action.meta?.patient}
          replayed
          onDismiss={() => queue.acknowledge(r.id)}
        />
      ))}
    </div>
  );
}
