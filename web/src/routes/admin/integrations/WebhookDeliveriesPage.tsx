// /admin/webhooks/:id: one endpoint's delivery log, newest first: one row per attempt with its status
// code, latency or error, and a Replay button (confirmed) that sends that event again with the same
// webhook-id.
import { nodes } from "@carequeue/graphql";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { AdminReplayWebhookDeliveryDocument, AdminWebhookDeliveriesPageDocument } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useDateTime } from "../format";
import { EmptyRow, PageHeader, table } from "../layout";
import { Pager, useCursorPages } from "../Pager";
import { ConfirmDialog } from "./ConfirmDialog";

const PAGE_SIZE = 50;

export default function WebhookDeliveriesPage() {
  const { t } = useTranslation("admin");
  const { id = "" } = useParams();
  const dateTime = useDateTime(true);
  const pages = useCursorPages();
  const { data, previousData, loading, error, refetch } = useQuery(AdminWebhookDeliveriesPageDocument, { variables: { id, first: PAGE_SIZE, after: pages.after } });
  const shown = data ?? previousData;
  const endpoint = shown?.node?.__typename === "WebhookEndpoint" ? shown.node : null;
  const [replaying, setReplaying] = useState<{ id: string; event: string; at: string } | null>(null);
  const [notice, setNotice] = useState("");
  const [replay, replayed] = useMutation(AdminReplayWebhookDeliveryDocument);

  async function confirm() {
    if (!replaying) return;
    try {
      await replay({ variables: { id: replaying.id } });
      setNotice(t("webhooks.replayed", { event: replaying.event, at: replaying.at }));
      setReplaying(null);
      // The replay is logged when it is sent, a moment later.
      setTimeout(() => void refetch(), 1500);
    } catch {
      // shown in the dialog
    }
  }

  return (
    <>
      <PageHeader title={t("webhooks.logTitle")} description={endpoint ? endpoint.url : undefined} actions={<Link to="/admin/webhooks" className="text-sm font-medium text-teal-800 underline">{t("webhooks.backToList")}</Link>} />
      <p role="status" className={notice ? "mb-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950" : "sr-only"}>
        {notice}
      </p>
      {loading && !shown ? (
        <Loading />
      ) : error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div aria-busy={loading || undefined}>
          <div className="mb-2 flex justify-end">
            <Button variant="secondary" size="sm" onClick={() => void refetch()}>
              {t("webhooks.refresh")}
            </Button>
          </div>
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className={table.caption}>{t("webhooks.logTitle")}</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={table.th}>{t("webhooks.when")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.eventColumn")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.attempt")}</th>
                  <th scope="col" className={table.th}>{t("common.status")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.statusCode")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.latencyOrError")}</th>
                  <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {nodes(shown?.webhookDeliveries).length === 0 && <EmptyRow colSpan={7}>{t("webhooks.noDeliveries")}</EmptyRow>}
                {nodes(shown?.webhookDeliveries).map((d) => {
                  const event = t(`webhooks.event.${d.event}.label`);
                  const at = dateTime(d.createdAt);
                  return (
                    <tr key={d.id}>
                      <th scope="row" className={`${table.td} font-normal whitespace-nowrap`}>{at}</th>
                      <td className={table.td}>
                        {event}
                        {d.replay && <span className="ml-1 rounded bg-slate-200 px-1 text-xs">{t("webhooks.replayBadge")}</span>}
                      </td>
                      <td className={table.td}>{d.attempt}</td>
                      <td className={table.td}>{t(`webhooks.status.${d.status}`)}</td>
                      <td className={table.td}>{d.httpStatus ?? t("common.none")}</td>
                      <td className={`${table.td} max-w-xs break-words`}>
                        {t("webhooks.latency", { ms: d.durationMs })}
                        {d.errorClass && <span className="block text-xs text-red-800">{d.errorClass}</span>}
                        {d.responseSnippet && <span className="block font-mono text-xs text-slate-700">{d.responseSnippet}</span>}
                      </td>
                      <td className={`${table.td} text-right`}>
                        <Button
                          variant="secondary"
                          size="sm"
                          disabled={!endpoint?.enabled}
                          onClick={() => {
                            replayed.reset();
                            setReplaying({ id: d.id, event, at });
                          }}
                          aria-label={t("webhooks.replayNamed", { event, at })}
                        >
                          {t("webhooks.replay")}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {endpoint && !endpoint.enabled && <p className="mt-2 text-sm text-slate-700">{t("webhooks.replayNeedsEnabled")}</p>}
          <Pager pages={pages} totalCount={shown?.webhookDeliveries.totalCount ?? 0} hasNextPage={shown?.webhookDeliveries.pageInfo.hasNextPage ?? false} endCursor={shown?.webhookDeliveries.pageInfo.endCursor} loading={loading} />
        </div>
      )}
      {replaying && (
        <ConfirmDialog
          title={t("webhooks.replayTitle")}
          body={t("webhooks.replayBody", { event: replaying.event, at: replaying.at })}
          confirmLabel={t("webhooks.replay")}
          busy={replayed.loading}
          error={replayed.error}
          onConfirm={() => void confirm()}
          onCancel={() => setReplaying(null)}
        />
      )}
    </>
  );
}
