// /admin/queues: every department's queues with their policy and targets.
import {
  AdminQueuesPageDocument,
  QueueTable_QueueFragmentDoc,
  TRIAGE_LEVELS,
  getFragmentData,
  nodes,
  type AdminQueuesPageQuery,
  type FragmentType,
} from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import type { NodeOf } from "../connection";
import { ActiveBadge, EmptyRow, PageHeader, table } from "../layout";
import { QueueForm, TARGET_FIELDS } from "./QueueForm";

type Department = NodeOf<AdminQueuesPageQuery["departments"]>;
type Row = NodeOf<Department["queues"]>;

export default function QueuesPage() {
  const { t } = useTranslation("admin");
  const { data, loading, error, refetch } = useQuery(AdminQueuesPageDocument);
  const [editing, setEditing] = useState<{ departmentID: string; queue?: Row } | null>(null);
  const departments = nodes(data?.departments);
  const manyFacilities = new Set(departments.map((d) => d.facility.id)).size > 1;

  return (
    <>
      <PageHeader title={t("queues.title")} description={t("queues.description")} />
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div className="space-y-6">
          {departments.length === 0 && <p className="text-sm text-slate-600">{t("departments.empty")}</p>}
          {departments.map((d) => {
            const title = manyFacilities ? `${d.name} · ${d.facility.name}` : d.name;
            return (
              <section key={d.id} aria-labelledby={`queues-${d.id}`} className="space-y-2">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h2 id={`queues-${d.id}`} className="text-lg font-semibold">
                    {title}
                  </h2>
                  <Button size="sm" onClick={() => setEditing({ departmentID: d.id })} aria-label={t("queues.newIn", { department: d.name })}>
                    {t("queues.new")}
                  </Button>
                </div>
                <QueueTable caption={title} rows={nodes(d.queues)} onEdit={(q) => setEditing({ departmentID: d.id, queue: q })} />
              </section>
            );
          })}
        </div>
      )}
      {editing && (
        <Dialog title={editing.queue ? t("queues.edit") : t("queues.new")} onClose={() => setEditing(null)}>
          <QueueForm departmentID={editing.departmentID} queue={editing.queue} onDone={() => setEditing(null)} />
        </Dialog>
      )}
    </>
  );
}

function QueueTable<R extends FragmentType<typeof QueueTable_QueueFragmentDoc>>({ caption, rows, onEdit }: { caption: string; rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className={table.caption}>{t("queues.caption", { department: caption })}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={table.th}>{t("queues.name")}</th>
            <th scope="col" className={table.th}>{t("queues.prefix")}</th>
            <th scope="col" className={table.th}>{t("queues.ordering")}</th>
            <th scope="col" className={table.th}>{t("queues.notifyAheadShort")}</th>
            <th scope="col" className={table.th}>{t("queues.defaultServiceShort")}</th>
            <th scope="col" className={table.th}>{t("queues.targetsShort")}</th>
            <th scope="col" className={table.th}>{t("common.status")}</th>
            <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && <EmptyRow colSpan={8}>{t("queues.empty")}</EmptyRow>}
          {rows.map((row) => {
            const q = getFragmentData(QueueTable_QueueFragmentDoc, row);
            return (
              <tr key={q.id}>
                <th scope="row" className={`${table.td} font-medium`}>{q.name}</th>
                <td className={`${table.td} font-mono`}>{q.prefix}</td>
                <td className={table.td}>{t(`queues.policy.${q.ordering}`)}</td>
                <td className={table.td}>{q.notifyAhead}</td>
                <td className={table.td}>{t("common.minutes", { count: q.defaultServiceMinutes })}</td>
                <td className={table.td}>
                  <dl className="grid grid-cols-[auto_auto] gap-x-2 text-xs">
                    {TRIAGE_LEVELS.map((l) => (
                      <div key={l} className="contents">
                        <dt className="text-slate-700">{tc(`triage.${l}`)}</dt>
                        <dd className="text-right tabular-nums">{t("common.minutes", { count: q[TARGET_FIELDS[l]] })}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
                <td className={table.td}><ActiveBadge active={q.active} /></td>
                <td className={`${table.td} text-right`}>
                  <Button variant="secondary" size="sm" onClick={() => onEdit(row)} aria-label={t("common.editNamed", { name: q.name })}>
                    {t("common.edit")}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
