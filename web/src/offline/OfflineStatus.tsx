// The offline part of the connection banner: how many actions wait to be sent (and which), and every
// action the server refused when it was replayed, until the user dismisses it.
import { EXPIRED, isWorkflowKind, useOfflineQueue, useOfflineQueueState, type FailedAction, type QueuedAction } from "@carequeue/graphql";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import { useFormat } from "../i18n/useFormat";
import { Button } from "../ui/Button";

/** "Start · C-012 · General Clinic": what the action was, in the user's language. */
export function describeAction(t: TFunction, action: QueuedAction): string {
  const kind = isWorkflowKind(action.kind) ? t(`offline.kind.${action.kind}`) : t("offline.kind.unknown");
  const m = action.meta ?? {};
  return [kind, m.code, m.patient, m.queue].filter(Boolean).join(" · ");
}

/** Why the server (or the queue) refused it, in the user's language, with the server's detail. */
function reason(t: TFunction, f: FailedAction): string {
  if (f.code === EXPIRED) return t("offline.expired", { hours: 12 });
  const text = t(`errors.${f.code}`, { defaultValue: t("errors.INTERNAL") });
  return f.message ? `${text} ${t("errors.detail", { detail: f.message })}` : text;
}

export function OfflineStatus({ online }: { online: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queue = useOfflineQueue();
  const { pending, failed, sending, retryAt } = useOfflineQueueState();
  if (!queue || (pending.length === 0 && failed.length === 0)) return null;

  return (
    <div className="text-sm">
      {pending.length > 0 && (
        <div className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 bg-amber-50 px-4 py-2 text-amber-950" data-testid="offline-pending">
          <p className="font-medium" role="status">
            {sending && online ? t("offline.sending", { count: pending.length }) : t("offline.pending", { count: pending.length })}
          </p>
          <p>{online && retryAt !== null ? t("offline.retrying") : t("offline.saved")}</p>
          {online && !sending && (
            <Button size="sm" variant="secondary" onClick={() => void queue.flush()}>
              {t("offline.sendNow")}
            </Button>
          )}
          <details className="w-full max-w-3xl">
            <summary className="cursor-pointer text-center underline">{t("offline.showPending")}</summary>
            <ol aria-label={t("offline.pendingList")} className="mt-1 list-decimal space-y-0.5 pl-6 text-left">
              {pending.map((a) => (
                <li key={a.id}>
                  {describeAction(t, a)} <span className="text-amber-900">({t("offline.madeAt", { time: fmt.time(a.createdAt) })})</span>
                </li>
              ))}
            </ol>
          </details>
        </div>
      )}
      {failed.length > 0 && (
        <section aria-labelledby="offline-failed-title" className="border-t border-red-200 bg-red-50 px-4 py-2 text-red-950" role="alert">
          <h2 id="offline-failed-title" className="font-semibold">
            {t("offline.failedTitle", { count: failed.length })}
          </h2>
          <p className="text-red-900">{t("offline.failedHint")}</p>
          <ul aria-label={t("offline.failedList")} className="mt-1 space-y-1">
            {failed.map((f) => {
              const what = describeAction(t, f.action);
              return (
                <li key={f.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded bg-white/70 px-2 py-1">
                  <span className="font-medium">{what}</span>
                  <span className="text-red-900">({t("offline.madeAt", { time: fmt.time(f.action.createdAt) })})</span>
                  <span>{reason(t, f)}</span>
                  <Button size="sm" variant="secondary" className="ml-auto" aria-label={t("offline.dismissLabel", { action: what })} onClick={() => void queue.dismiss(f.id)}>
                    {t("offline.dismiss")}
                  </Button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
