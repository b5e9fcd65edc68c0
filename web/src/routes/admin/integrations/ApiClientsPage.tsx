// /admin/api-clients: one API client per integrator, scoped to a facility and to named permissions.
// Its secret is shown once, when created or rotated (the server keeps only a hash); revoking is final.
import { getFragmentData, nodes, useSession } from "@carequeue/graphql";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminApiClientsPageDocument,
  AdminRevokeApiClientDocument,
  AdminRotateApiClientSecretDocument,
  ApiClientRow_ClientFragmentDoc,
} from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useDateTime } from "../format";
import { ActiveBadge, EmptyRow, PageHeader, table } from "../layout";
import { Pager, useCursorPages } from "../Pager";
import { ApiClientForm } from "./ApiClientForm";
import { ConfirmDialog } from "./ConfirmDialog";
import { SecretDialog } from "./SecretDialog";

const PAGE_SIZE = 25;

type Pending = { kind: "rotate" | "revoke"; id: string; name: string };

export default function ApiClientsPage() {
  const { t } = useTranslation("admin");
  const { session } = useSession();
  const global = !session?.user.facilityID;
  const dateTime = useDateTime();
  const pages = useCursorPages();
  const { data, previousData, loading, error, refetch } = useQuery(AdminApiClientsPageDocument, { variables: { first: PAGE_SIZE, after: pages.after } });
  const shown = data ?? previousData;
  const facilities = nodes(shown?.facilities);
  const facilityName = (id: string) => facilities.find((f) => f.id === id)?.name ?? t("common.none");
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [secret, setSecret] = useState<{ name: string; id: string; secret: string } | null>(null);
  const [notice, setNotice] = useState("");
  const [rotate, rotating] = useMutation(AdminRotateApiClientSecretDocument);
  const [revoke, revoking] = useMutation(AdminRevokeApiClientDocument);

  function ask(p: Pending) {
    rotating.reset();
    revoking.reset();
    setPending(p);
  }

  async function confirm() {
    if (!pending) return;
    try {
      if (pending.kind === "rotate") {
        const res = await rotate({ variables: { id: pending.id } });
        const s = res.data?.rotateAPIClientSecret;
        if (s) setSecret({ name: pending.name, id: pending.id, secret: s.clientSecret });
      } else {
        await revoke({ variables: { id: pending.id } });
        setNotice(t("apiClients.revoked", { name: pending.name }));
      }
      setPending(null);
    } catch {
      // shown in the dialog
    }
  }

  return (
    <>
      <PageHeader title={t("apiClients.title")} description={t("apiClients.description")} actions={<Button onClick={() => setCreating(true)}>{t("apiClients.new")}</Button>} />
      <p role="status" className={notice ? "mb-3 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950" : "sr-only"}>
        {notice}
      </p>
      {loading && !shown ? (
        <Loading />
      ) : error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div aria-busy={loading || undefined}>
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className={table.caption}>{t("apiClients.title")}</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={table.th}>{t("apiClients.name")}</th>
                  <th scope="col" className={table.th}>{t("apiClients.facility")}</th>
                  <th scope="col" className={table.th}>{t("apiClients.scopes")}</th>
                  <th scope="col" className={table.th}>{t("apiClients.created")}</th>
                  <th scope="col" className={table.th}>{t("apiClients.lastUsed")}</th>
                  <th scope="col" className={table.th}>{t("common.status")}</th>
                  <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {nodes(shown?.apiClients).length === 0 && <EmptyRow colSpan={7}>{t("apiClients.empty")}</EmptyRow>}
                {nodes(shown?.apiClients).map((ref) => {
                  const c = getFragmentData(ApiClientRow_ClientFragmentDoc, ref);
                  const revoked = !!c.revokedAt;
                  return (
                    <tr key={c.id}>
                      <th scope="row" className={`${table.td} font-medium`}>
                        {c.name}
                        <span className="block font-mono text-xs font-normal break-all text-slate-700">{c.id}</span>
                      </th>
                      <td className={table.td}>{facilityName(c.facilityID)}</td>
                      <td className={table.td}>
                        <ul className="font-mono text-xs">
                          {c.scopes.map((s) => (
                            <li key={s}>{s}</li>
                          ))}
                        </ul>
                      </td>
                      <td className={`${table.td} whitespace-nowrap`}>{dateTime(c.createdAt)}</td>
                      <td className={`${table.td} whitespace-nowrap`}>{c.lastUsedAt ? dateTime(c.lastUsedAt) : t("apiClients.neverUsed")}</td>
                      <td className={table.td}>
                        <ActiveBadge active={!revoked} inactiveLabel={t("apiClients.revokedBadge")} />
                        {revoked && <span className="block text-xs whitespace-nowrap text-slate-700">{dateTime(c.revokedAt)}</span>}
                      </td>
                      <td className={`${table.td} text-right whitespace-nowrap`}>
                        {!revoked && (
                          <div className="flex justify-end gap-2">
                            <Button variant="secondary" size="sm" onClick={() => ask({ kind: "rotate", id: c.id, name: c.name })} aria-label={t("apiClients.rotateNamed", { name: c.name })}>
                              {t("apiClients.rotate")}
                            </Button>
                            <Button variant="secondary" size="sm" onClick={() => ask({ kind: "revoke", id: c.id, name: c.name })} aria-label={t("apiClients.revokeNamed", { name: c.name })}>
                              {t("apiClients.revoke")}
                            </Button>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} totalCount={shown?.apiClients.totalCount ?? 0} hasNextPage={shown?.apiClients.pageInfo.hasNextPage ?? false} endCursor={shown?.apiClients.pageInfo.endCursor} loading={loading} />
        </div>
      )}
      {creating && (
        <Dialog title={t("apiClients.new")} onClose={() => setCreating(false)}>
          <ApiClientForm
            facilities={facilities}
            global={global}
            onCancel={() => setCreating(false)}
            onCreated={(c) => {
              setCreating(false);
              setSecret(c);
            }}
          />
        </Dialog>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === "rotate" ? t("apiClients.rotateTitle", { name: pending.name }) : t("apiClients.revokeTitle", { name: pending.name })}
          body={pending.kind === "rotate" ? t("apiClients.rotateBody") : t("apiClients.revokeBody")}
          confirmLabel={pending.kind === "rotate" ? t("apiClients.rotate") : t("apiClients.revoke")}
          danger={pending.kind === "revoke"}
          busy={rotating.loading || revoking.loading}
          error={pending.kind === "rotate" ? rotating.error : revoking.error}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(null)}
        />
      )}
      {secret && (
        <SecretDialog
          title={t("apiClients.secretTitle", { name: secret.name })}
          label={t("apiClients.secretLabel")}
          extra={t("apiClients.clientIdIs", { id: secret.id })}
          secret={secret.secret}
          onClose={() => setSecret(null)}
        />
      )}
    </>
  );
}
