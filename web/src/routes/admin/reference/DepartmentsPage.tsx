// /admin/departments: each facility's departments, with a link to their waiting-room board.
import {
  AdminDepartmentsPageDocument,
  DepartmentTable_DepartmentFragmentDoc,
  getFragmentData,
  nodes,
  type AdminDepartmentsPageQuery,
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
import { DepartmentForm } from "./DepartmentForm";

type Facility = NodeOf<AdminDepartmentsPageQuery["facilities"]>;
type Row = NodeOf<Facility["departments"]>;

export default function DepartmentsPage() {
  const { t } = useTranslation("admin");
  const { data, loading, error, refetch } = useQuery(AdminDepartmentsPageDocument);
  const [editing, setEditing] = useState<{ facilityID: string; department?: Row } | null>(null);
  const facilities = nodes(data?.facilities);

  return (
    <>
      <PageHeader title={t("departments.title")} description={t("departments.description")} />
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div className="space-y-6">
          {facilities.length === 0 && <p className="text-sm text-slate-600">{t("facilities.empty")}</p>}
          {facilities.map((f) => (
            <section key={f.id} aria-labelledby={`dept-${f.id}`} className="space-y-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 id={`dept-${f.id}`} className="text-lg font-semibold">
                  {f.name}
                </h2>
                <Button size="sm" onClick={() => setEditing({ facilityID: f.id })} aria-label={t("departments.newIn", { facility: f.name })}>
                  {t("departments.new")}
                </Button>
              </div>
              <DepartmentTable caption={f.name} rows={nodes(f.departments)} onEdit={(d) => setEditing({ facilityID: f.id, department: d })} />
            </section>
          ))}
        </div>
      )}
      {editing && (
        <Dialog title={editing.department ? t("departments.edit") : t("departments.new")} onClose={() => setEditing(null)}>
          <DepartmentForm facilityID={editing.facilityID} department={editing.department} onDone={() => setEditing(null)} />
        </Dialog>
      )}
    </>
  );
}

function DepartmentTable<R extends FragmentType<typeof DepartmentTable_DepartmentFragmentDoc>>({
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
        <caption className={table.caption}>{t("departments.caption", { facility: caption })}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={table.th}>{t("departments.name")}</th>
            <th scope="col" className={table.th}>{t("common.status")}</th>
            <th scope="col" className={table.th}>{t("departments.board")}</th>
            <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && <EmptyRow colSpan={4}>{t("departments.empty")}</EmptyRow>}
          {rows.map((row) => {
            const d = getFragmentData(DepartmentTable_DepartmentFragmentDoc, row);
            return (
              <tr key={d.id}>
                <th scope="row" className={`${table.td} font-medium`}>{d.name}</th>
                <td className={table.td}><ActiveBadge active={d.active} /></td>
                <td className={table.td}>
                  <a className="font-medium text-teal-800 underline" href={`/board/${d.id}`} target="_blank" rel="noreferrer">
                    {t("departments.openBoard", { name: d.name })}
                  </a>
                </td>
                <td className={`${table.td} text-right`}>
                  <Button variant="secondary" size="sm" onClick={() => onEdit(row)} aria-label={t("common.editNamed", { name: d.name })}>
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
