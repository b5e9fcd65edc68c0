// One queue of the department, live: queueChanged sends the whole snapshot now and after every change.
import { getFragmentData, useNow } from "@carequeue/graphql";
import { useSubscription } from "@apollo/client/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import { QueueColumn_SnapshotFragmentDoc, ReceptionQueueDocument } from "../../generated/graphql";
import { QueueWarnings } from "../../tickets/QueueWarnings";
import type { QueueOption } from "../../tickets/TransferDialog";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { Loading } from "../../ui/Spinner";
import { ReceptionTicketRow } from "./ReceptionTicketRow";

export function QueueColumn({ queue, transferTargets }: { queue: { id: string; name: string }; transferTargets: readonly QueueOption[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  const now = useNow(30_000);
  const { data, error, restart } = useSubscription(ReceptionQueueDocument, { variables: { queueID: queue.id } });
  const snap = data ? getFragmentData(QueueColumn_SnapshotFragmentDoc, data.queueChanged) : undefined;

  return (
    <section aria-labelledby={headingId} className="flex min-w-64 flex-1 flex-col rounded-lg border border-slate-200 bg-white">
      <header className="flex flex-wrap items-baseline justify-between gap-x-2 border-b border-slate-200 px-3 py-2">
        <h2 id={headingId} className="min-w-0 font-semibold break-words">
          {queue.name}
        </h2>
        {snap && <span className="text-sm text-slate-600">{t("reception.queue.waitingCount", { count: snap.waiting.length })}</span>}
      </header>
      {error && <ErrorNotice error={error} onRetry={restart} className="m-2" />}
      {!snap && !error && <Loading />}
      {snap && (
        <div className="flex-1 space-y-3 p-2">
          <QueueWarnings warnings={snap.warnings} />
          {snap.called.length > 0 && (
            <div>
              <h3 className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{t("reception.queue.called")}</h3>
              <ul aria-label={t("reception.queue.calledList", { queue: queue.name })}>
                {snap.called.map((tk) => (
                  <ReceptionTicketRow key={tk.id} ticket={tk} queueID={queue.id} now={now} transferTargets={transferTargets} />
                ))}
              </ul>
            </div>
          )}
          <div>
            <h3 className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{t("reception.queue.waiting")}</h3>
            {snap.waiting.length === 0 ? (
              <p className="px-1 py-2 text-sm text-slate-600">{t("reception.queue.empty")}</p>
            ) : (
              <ol aria-label={t("reception.queue.waitingList", { queue: queue.name })}>
                {snap.waiting.map((tk) => (
                  <ReceptionTicketRow key={tk.id} ticket={tk} queueID={queue.id} now={now} transferTargets={transferTargets} />
                ))}
              </ol>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
