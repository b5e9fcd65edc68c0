// /admin/service-points: every department's rooms and counters and the queues each one serves.
import {
  AdminServicePointsPageDocument,
  ServicePointTable_ServicePointFragmentDoc,
  getFragmentData,
  nodes,
  type AdminServicePointsPageQuery,
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
import { ServicePointForm } from "./ServicePointForm";

type Department = NodeOf<AdminServicePointsPageQuery["departments"]>;
type Row = NodeOf<Department["servicePoints"]>;

export default function ServicePointsPage() {
  const { t } = useTranslation("admin");
  const { data, loading, error, refetch } = useQuery(AdminServicePointsPageDocument);
  const [editing, setEditing] = useState<{ department: Department; servicePoint?: Row } | null>(null);
  const departments = nodes(data?.departments);
  const manyFacilities = new Set(departments.map((d) => d.facility.id)).size > 1;

  return (
    <>
      <PageHeader title={t("servicePoints.title")} description={t("servicePoints.description")} />
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
              <section key={d.id} aria-labelledby={`sp-${d.id}`} className="space-y-2">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h2 id={`sp-${d.id}`} className="text-lg font-semibold">
                    {title}
                  </h2>
                  <Button size="sm" onClick={() => setEditing({ department: d })} aria-label={t("servicePoints.newIn", { department: d.name })}>
                    {t("servicePoints.new")}
                  </Button>
                </div>
                <ServicePointTable caption={title} rows={nodes(d.servicePoints)} onEdit={(sp) => setEditing({ department: d, servicePoint: sp })} />
              </section>
            );
          })}
        </div>
      )}
      {editing && (
        <Dialog title={editing.servicePoint ? t("servicePoints.edit") : t("servicePoints.new")} onClose={() => setEditing(null)}>
          <ServicePointForm
            departmentID={editing.department.id}
            queues={nodes(editing.department.queues)}
            servicePoint={editing.servicePoint}
            onDone={() => setEditing(null)}
          />
        </Dialog>
      )}
    </>
  );
}

function ServicePointTable<R extends FragmentType<typeof ServicePointTable_ServicePointFragmentDoc>>({
  caption,
  rows,
  onEdit,
}: {
  caption: string;
  rows: R[];
  onEdit: (row: R) => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className={table.caption}>{t("servicePoints.caption", { department: caption })}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={table.th}>{t("servicePoints.name")}</th>
            <th scope="col" className={table.th}>{t("servicePoints.queues")}</th>
            <th scope="col" className={table.th}>{t("servicePoints.staffed")}</th>
            <th scope="col" className={table.th}>{t("common.status")}</th>
            <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && <EmptyRow colSpan={5}>{t("servicePoints.empty")}</EmptyRow>}
          {rows.map((row) => {
            const sp = getFragmentData(ServicePointTable_ServicePointFragmentDoc, row);
            return (
              <tr key={sp.id}>
                <th scope="row" className={`${table.td} font-medium`}>{sp.name}</th>
                <td className={table.td}>{(sp.queues ?? []).map((q) => q.name).join(", ") || t("common.none")}</td>
                <td className={table.td}>
                  <ActiveBadge active={sp.open} activeLabel={t("servicePoints.isOpen")} inactiveLabel={t("servicePoints.isClosed")} />
                </td>
                <td className={table.td}><ActiveBadge active={sp.active} /></td>
                <td className={`${table.td} text-right`}>
                  <Button variant="secondary" size="sm" onClick={() => onEdit(row)} aria-label={t("common.editNamed", { name: sp.name })}>
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
