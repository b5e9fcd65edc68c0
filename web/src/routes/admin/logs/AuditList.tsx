// One page of audit entries for the filters, with Relay cursor paging.
import { getFragmentData, nodes, type FragmentType, type Role } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { AdminAuditEntriesDocument, AuditRow_EntryFragmentDoc } from "../../../generated/graphql";
import { useFacilityFormat } from "../../../i18n/useFormat";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useDateTime } from "../format";
import { EmptyRow, table } from "../layout";
import { Pager, useCursorPages } from "../Pager";
import { auditWhere, type AuditFilters } from "./auditWhere";

const PAGE_SIZE = 50;

type Actor = { id: string; name: string; role: Role };

export function AuditList({ filters, actors }: { filters: AuditFilters; actors: ReadonlyMap<string, Actor> }) {
  const { t } = useTranslation("admin");
  const pages = useCursorPages();
  const { timeZone } = useFacilityFormat();
  const where = useMemo(() => auditWhere(filters, timeZone), [filters, timeZone]);
  const { data, previousData, loading, error, refetch } = useQuery(AdminAuditEntriesDocument, {
    variables: { first: PAGE_SIZE, after: pages.after, where },
  });
  const shown = data ?? previousData;

  if (loading && !shown) return <Loading />;
  if (error && !shown) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  const entries = nodes(shown?.auditEntries);

  return (
    <div aria-busy={loading || undefined}>
      {error && <ErrorNotice error={error} onRetry={() => void refetch()} className="mb-3" />}
      <div className={table.wrap}>
        <table className={table.table}>
          <caption className={table.caption}>{t("audit.title")}</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={table.th}>{t("audit.when")}</th>
              <th scope="col" className={table.th}>{t("audit.who")}</th>
              <th scope="col" className={table.th}>{t("audit.what")}</th>
              <th scope="col" className={table.th}>{t("audit.entity")}</th>
              <th scope="col" className={table.th}>{t("audit.where")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {entries.length === 0 && <EmptyRow colSpan={5}>{t("audit.empty")}</EmptyRow>}
            {entries.map((e) => (
              <AuditRow key={e.id} entry={e} actors={actors} />
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        pages={pages}
        totalCount={shown?.auditEntries.totalCount ?? 0}
        hasNextPage={shown?.auditEntries.pageInfo.hasNextPage ?? false}
        endCursor={shown?.auditEntries.pageInfo.endCursor}
        loading={loading}
      />
    </div>
  );
}

function AuditRow({ entry, actors }: { entry: FragmentType<typeof AuditRow_EntryFragmentDoc>; actors: ReadonlyMap<string, Actor> }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const dateTime = useDateTime(true);
  const e = getFragmentData(AuditRow_EntryFragmentDoc, entry);
  const actor = e.actorID ? actors.get(e.actorID) : undefined;
  const role = e.actorRole ? tc(`shell.role.${e.actorRole as Role}`, { defaultValue: e.actorRole }) : "";
  return (
    <tr>
      <td className={`${table.td} whitespace-nowrap`}>
        <time dateTime={e.at}>{dateTime(e.at)}</time>
      </td>
      <td className={table.td}>
        {!e.actorID ? (
          <span className="text-slate-700">{t("audit.system")}</span>
        ) : (
          <>
            <span className="font-medium">{actor?.name ?? t("audit.unknownActor")}</span>
            <span className="block text-xs text-slate-600">
              {role}
              {!actor && <span className="ml-1 font-mono">{e.actorID}</span>}
            </span>
          </>
        )}
      </td>
      <td className={`${table.td} font-mono text-xs`}>
        {e.action}
        <Changes changes={e.changes} />
      </td>
      <td className={table.td}>
        {e.entityType}
        {e.entityID && <span className="block font-mono text-xs text-slate-600">{e.entityID}</span>}
      </td>
      <td className={`${table.td} text-xs text-slate-700`}>
        {e.address || t("common.none")}
        {e.requestID && <span className="block font-mono" title={t("audit.requestID")}>{e.requestID}</span>}
      </td>
    </tr>
  );
}

type Change = { field: string; before: string | null; after: string | null };

/** The fields the change touched, folded away: the server sends only what differs. */
function Changes({ changes }: { changes: readonly Change[] }) {
  const { t } = useTranslation("admin");
  if (changes.length === 0) return null;
  return (
    <details className="mt-1 font-sans">
      <summary className="cursor-pointer text-slate-700">{t("audit.changes", { count: changes.length })}</summary>
      <table className="mt-1 text-xs">
        <thead>
          <tr>
            <th scope="col" className="pr-2 text-left font-medium text-slate-600">{t("audit.field")}</th>
            <th scope="col" className="pr-2 text-left font-medium text-slate-600">{t("audit.before")}</th>
            <th scope="col" className="text-left font-medium text-slate-600">{t("audit.after")}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.field}>
              <th scope="row" className="pr-2 text-left align-top font-mono font-normal">{c.field}</th>
              <td className="max-w-xs break-all pr-2 align-top font-mono text-red-800">{c.before ?? "—"}</td>
              <td className="max-w-xs break-all align-top font-mono text-green-800">{c.after ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
