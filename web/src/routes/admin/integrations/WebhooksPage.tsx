// /admin/webhooks: the endpoints that receive a facility's ticket events. Create, edit, disable or
// enable, rotate the signing secret (shown once), delete, and open an endpoint's delivery log.
import { getFragmentData, nodes } from "@carequeue/graphql";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import {
  AdminDeleteWebhookEndpointDocument,
  AdminRotateWebhookSecretDocument,
  AdminSetWebhookEnabledDocument,
  AdminWebhooksPageDocument,
  WebhookRow_EndpointFragmentDoc,
  type AdminWebhooksPageQuery,
} from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import type { NodeOf } from "../connection";
import { useDateTime } from "../format";
import { ActiveBadge, EmptyRow, PageHeader, table } from "../layout";
import { Pager, useCursorPages } from "../Pager";
import { ConfirmDialog } from "./ConfirmDialog";
import { SecretDialog } from "./SecretDialog";
import { WebhookForm } from "./WebhookForm";

const PAGE_SIZE = 25;

type Row = NodeOf<AdminWebhooksPageQuery["webhookEndpoints"]>;
type Pending = { kind: "rotate" | "delete"; id: string; url: string };

export default function WebhooksPage() {
  const { t } = useTranslation("admin");
  const dateTime = useDateTime();
  const pages = useCursorPages();
  const { data, previousData, loading, error, refetch } = useQuery(AdminWebhooksPageDocument, { variables: { first: PAGE_SIZE, after: pages.after } });
  const shown = data ?? previousData;
  const facilities = nodes(shown?.facilities);
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [notice, setNotice] = useState("");
  const [rotate, rotating] = useMutation(AdminRotateWebhookSecretDocument);
  const [remove, removing] = useMutation(AdminDeleteWebhookEndpointDocument, { refetchQueries: [AdminWebhooksPageDocument] });
  const [setEnabled, toggling] = useMutation(AdminSetWebhookEnabledDocument);

  async function confirm() {
    if (!pending) return;
    try {
      if (pending.kind === "rotate") {
        const res = await rotate({ variables: { id: pending.id } });
        const s = res.data?.rotateWebhookSecret;
        if (s) setSecret({ url: pending.url, secret: s.secret });
      } else {
        await remove({ variables: { id: pending.id } });
        setNotice(t("webhooks.deleted", { url: pending.url }));
      }
      setPending(null);
    } catch {
      // shown in the dialog
    }
  }

  async function toggle(id: string, url: string, enabled: boolean) {
    try {
      await setEnabled({ variables: { id, enabled } });
      setNotice(enabled ? t("webhooks.enabledNotice", { url }) : t("webhooks.disabledNotice", { url }));
    } catch {
      // shown above the table
    }
  }

  function ask(p: Pending) {
    rotating.reset();
    removing.reset();
    setPending(p);
  }

  return (
    <>
      <PageHeader title={t("webhooks.title")} description={t("webhooks.description")} actions={<Button onClick={() => setEditing("new")}>{t("webhooks.new")}</Button>} />
      <p role="status" className={notice ? "mb-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950" : "sr-only"}>
        {notice}
      </p>
      {toggling.error && <ErrorNotice error={toggling.error} className="mb-3" />}
      {loading && !shown ? (
        <Loading />
      ) : error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div aria-busy={loading || undefined}>
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className={table.caption}>{t("webhooks.title")}</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={table.th}>{t("webhooks.url")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.events")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.dataScope")}</th>
                  <th scope="col" className={table.th}>{t("common.status")}</th>
                  <th scope="col" className={table.th}>{t("webhooks.lastDelivery")}</th>
                  <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {nodes(shown?.webhookEndpoints).length === 0 && <EmptyRow colSpan={6}>{t("webhooks.empty")}</EmptyRow>}
                {nodes(shown?.webhookEndpoints).map((row) => {
                  const ep = getFragmentData(WebhookRow_EndpointFragmentDoc, row);
                  const last = ep.lastDelivery;
                  return (
                    <tr key={ep.id}>
                      <th scope="row" className={`${table.td} max-w-xs font-medium break-all`}>
                        {ep.url}
                        {ep.description && <span className="block text-xs font-normal text-slate-700">{ep.description}</span>}
                        {facilities.length > 1 && <span className="block text-xs font-normal text-slate-700">{ep.facility.name}</span>}
                      </th>
                      <td className={table.td}>
                        <ul className="text-xs">
                          {ep.events.map((ev) => (
                            <li key={ev}>{t(`webhooks.event.${ev}.label`)}</li>
                          ))}
                        </ul>
                      </td>
                      <td className={table.td}>{t(`webhooks.scope.${ep.dataScope}.label`)}</td>
                      <td className={table.td}>
                        <ActiveBadge active={ep.enabled} activeLabel={t("webhooks.enabled")} inactiveLabel={t("webhooks.disabled")} />
                      </td>
                      <td className={`${table.td} whitespace-nowrap`}>
                        {last ? (
                          <>
                            {t(`webhooks.status.${last.status}`)}
                            {last.httpStatus != null && ` · HTTP ${last.httpStatus}`}
                            <span className="block text-xs text-slate-700">{dateTime(last.createdAt)}</span>
                          </>
                        ) : (
                          t("webhooks.noDeliveries")
                        )}
                      </td>
                      <td className={`${table.td} text-right`}>
                        <div className="flex flex-wrap justify-end gap-2">
                          <Link to={`/admin/webhooks/${ep.id}`} className="rounded-md px-2.5 py-1 text-sm font-medium text-teal-800 underline" aria-label={t("webhooks.logOf", { url: ep.url })}>
                            {t("webhooks.log")}
                          </Link>
                          <Button variant="secondary" size="sm" onClick={() => setEditing(row)} aria-label={t("common.editNamed", { name: ep.url })}>
                            {t("common.edit")}
                          </Button>
                          <Button
                            variant="secondary"
                            size="sm"
                            disabled={toggling.loading}
                            onClick={() => void toggle(ep.id, ep.url, !ep.enabled)}
                            aria-label={ep.enabled ? t("webhooks.disableNamed", { url: ep.url }) : t("webhooks.enableNamed", { url: ep.url })}
                          >
                            {ep.enabled ? t("webhooks.disable") : t("webhooks.enable")}
                          </Button>
                          <Button variant="secondary" size="sm" onClick={() => ask({ kind: "rotate", id: ep.id, url: ep.url })} aria-label={t("webhooks.rotateNamed", { url: ep.url })}>
                            {t("webhooks.rotate")}
                          </Button>
                          <Button variant="secondary" size="sm" onClick={() => ask({ kind: "delete", id: ep.id, url: ep.url })} aria-label={t("webhooks.deleteNamed", { url: ep.url })}>
                            {t("webhooks.delete")}
                          </Button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} totalCount={shown?.webhookEndpoints.totalCount ?? 0} hasNextPage={shown?.webhookEndpoints.pageInfo.hasNextPage ?? false} endCursor={shown?.webhookEndpoints.pageInfo.endCursor} loading={loading} />
        </div>
      )}
      {editing && (
        <Dialog title={editing === "new" ? t("webhooks.new") : t("webhooks.edit")} onClose={() => setEditing(null)}>
          <WebhookForm
            endpoint={editing === "new" ? undefined : editing}
            facilities={facilities}
            onDone={() => setEditing(null)}
            onCreated={(c) => {
              setEditing(null);
              setSecret(c);
            }}
          />
        </Dialog>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === "rotate" ? t("webhooks.rotateTitle") : t("webhooks.deleteTitle")}
          body={pending.kind === "rotate" ? t("webhooks.rotateBody", { url: pending.url }) : t("webhooks.deleteBody", { url: pending.url })}
          confirmLabel={pending.kind === "rotate" ? t("webhooks.rotate") : t("webhooks.delete")}
          danger={pending.kind === "delete"}
          busy={rotating.loading || removing.loading}
          error={pending.kind === "rotate" ? rotating.error : removing.error}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(null)}
        />
      )}
      {secret && <SecretDialog title={t("webhooks.secretTitle")} label={t("webhooks.secretLabel")} extra={secret.url} secret={secret.secret} onClose={() => setSecret(null)} />}
    </>
  );
}
