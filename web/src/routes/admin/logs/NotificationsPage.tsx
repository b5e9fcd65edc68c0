// /admin/notifications: every SMS and push message the server sent or tried to send, newest first,
// filtered by status and channel.
import { getFragmentData, nodes, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminNotificationsPageDocument,
  NotificationRow_NotificationFragmentDoc,
  type NotificationChannel,
  type NotificationStatus,
  type NotificationWhereInput,
} from "../../../generated/graphql";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useDateTime } from "../format";
import { SelectInput } from "../forms/Fields";
import { EmptyRow, PageHeader, table } from "../layout";
import { Pager, useCursorPages } from "../Pager";

const PAGE_SIZE = 50;
const STATUSES: readonly NotificationStatus[] = ["PENDING", "SENT", "DELIVERED", "FAILED", "STALE", "SKIPPED", "LOGGED"];
const CHANNELS: readonly NotificationChannel[] = ["SMS", "PUSH", "LOG"];

const statusColours: Record<NotificationStatus, string> = {
  PENDING: "bg-slate-200 text-slate-900",
  SENT: "bg-sky-100 text-sky-950",
  DELIVERED: "bg-green-100 text-green-950",
  FAILED: "bg-red-100 text-red-950",
  STALE: "bg-amber-100 text-amber-950",
  SKIPPED: "bg-slate-100 text-slate-800",
  LOGGED: "bg-amber-100 text-amber-950",
};

export default function NotificationsPage() {
  const { t } = useTranslation("admin");
  const pages = useCursorPages();
  const [status, setStatus] = useState<NotificationStatus | "">("");
  const [channel, setChannel] = useState<NotificationChannel | "">("");
  const where = useMemo<NotificationWhereInput>(() => ({ ...(status ? { status } : {}), ...(channel ? { channel } : {}) }), [status, channel]);
  const { data, previousData, loading, error, refetch } = useQuery(AdminNotificationsPageDocument, {
    variables: { first: PAGE_SIZE, after: pages.after, where },
  });
  const shown = data ?? previousData;
  const rows = nodes(shown?.notifications);

  return (
    <>
      <PageHeader title={t("notifications.title")} description={t("notifications.description")} />
      {shown?.messagingStatus && <ProviderStatus sms={shown.messagingStatus.smsConfigured} push={shown.messagingStatus.pushConfigured} />}
      <div role="search" aria-label={t("notifications.filters")} className="mb-3 flex flex-wrap gap-3">
        <SelectInput
          className="w-48"
          label={t("notifications.status")}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as NotificationStatus | "");
            pages.reset();
          }}
        >
          <option value="">{t("common.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`notifications.statuses.${s}`)}
            </option>
          ))}
        </SelectInput>
        <SelectInput
          className="w-48"
          label={t("notifications.channel")}
          value={channel}
          onChange={(e) => {
            setChannel(e.target.value as NotificationChannel | "");
            pages.reset();
          }}
        >
          <option value="">{t("common.all")}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`notifications.channels.${c}`)}
            </option>
          ))}
        </SelectInput>
      </div>
      {loading && !shown ? (
        <Loading />
      ) : error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div aria-busy={loading || undefined}>
          {error && <ErrorNotice error={error} onRetry={() => void refetch()} className="mb-3" />}
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className={table.caption}>{t("notifications.title")}</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className={table.th}>{t("notifications.created")}</th>
                  <th scope="col" className={table.th}>{t("notifications.channel")}</th>
                  <th scope="col" className={table.th}>{t("notifications.kind")}</th>
                  <th scope="col" className={table.th}>{t("notifications.status")}</th>
                  <th scope="col" className={table.th}>{t("notifications.attempts")}</th>
                  <th scope="col" className={table.th}>{t("notifications.sentAt")}</th>
                  <th scope="col" className={table.th}>{t("notifications.message")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.length === 0 && <EmptyRow colSpan={7}>{t("notifications.empty")}</EmptyRow>}
                {rows.map((n) => (
                  <NotificationRow key={n.id} notification={n} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            pages={pages}
            totalCount={shown?.notifications.totalCount ?? 0}
            hasNextPage={shown?.notifications.pageInfo.hasNextPage ?? false}
            endCursor={shown?.notifications.pageInfo.endCursor}
            loading={loading}
          />
        </div>
      )}
    </>
  );
}

function NotificationRow({ notification }: { notification: FragmentType<typeof NotificationRow_NotificationFragmentDoc> }) {
  const { t } = useTranslation("admin");
  const dateTime = useDateTime(true);
  const n = getFragmentData(NotificationRow_NotificationFragmentDoc, notification);
  return (
    <tr>
      <td className={`${table.td} whitespace-nowrap`}>
        <time dateTime={n.createdAt}>{dateTime(n.createdAt)}</time>
      </td>
      <td className={table.td}>{t(`notifications.channels.${n.channel}`)}</td>
      <td className={`${table.td} font-mono text-xs`}>{n.kind}</td>
      <td className={table.td}>
        <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${statusColours[n.status]}`}>{t(`notifications.statuses.${n.status}`)}</span>
      </td>
      <td className={`${table.td} tabular-nums`}>{n.attempts}</td>
      <td className={`${table.td} whitespace-nowrap`}>{n.sentAt ? <time dateTime={n.sentAt}>{dateTime(n.sentAt)}</time> : t("common.none")}</td>
      <td className={`${table.td} max-w-md`}>
        {n.body ? <p className="break-words">{n.body}</p> : null}
        {n.error && (
          <p className="mt-1 text-xs text-red-800">
            <span className="font-semibold">{t("notifications.error")}:</span> {n.error}
          </p>
        )}
        {!n.body && !n.error && t("common.none")}
      </td>
    </tr>
  );
}

// ProviderStatus says at a glance whether SMS and push really leave the server: without a provider the
// messages only reach the server log (LOGGED), and an admin should not learn that from a patient.
function ProviderStatus({ sms, push }: { sms: boolean; push: boolean }) {
  const { t } = useTranslation("admin");
  const line = (configured: boolean, channel: "sms" | "push") => (
    <li className={configured ? "text-green-900" : "font-medium text-amber-950"}>
      {t(`notifications.providers.${channel}.${configured ? "on" : "off"}`)}
    </li>
  );
  return (
    <section
      aria-label={t("notifications.providers.title")}
      className={`mb-3 rounded-md border p-3 text-sm ${sms && push ? "border-green-200 bg-green-50" : "border-amber-300 bg-amber-50"}`}
    >
      <ul className="space-y-1">
        {line(sms, "sms")}
        {line(push, "push")}
      </ul>
    </section>
  );
}
