// /admin/facilities: every facility the admin can see; global admins create new ones.
import {
  AdminFacilitiesPageDocument,
  FacilityTable_FacilityFragmentDoc,
  getFragmentData,
  nodes,
  useSession,
  type AdminFacilitiesPageQuery,
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
import { FacilityForm } from "./FacilityForm";
import { FACILITY_LANGUAGES } from "./options";

type Row = NodeOf<AdminFacilitiesPageQuery["facilities"]>;

export default function FacilitiesPage() {
  const { t } = useTranslation("admin");
  const { session } = useSession();
  const { data, loading, error, refetch } = useQuery(AdminFacilitiesPageDocument);
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const global = !session?.user.facilityID; // a global admin has no facility (null or "")
  const facilities = nodes(data?.facilities);

  return (
    <>
      <PageHeader
        title={t("facilities.title")}
        description={global ? t("facilities.description") : t("facilities.descriptionFacilityAdmin")}
        actions={global && <Button onClick={() => setEditing("new")}>{t("facilities.new")}</Button>}
      />
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <FacilityTable rows={facilities} onEdit={(f) => setEditing(f)} />
      )}
      {editing && (
        <Dialog title={editing === "new" ? t("facilities.new") : t("facilities.edit")} onClose={() => setEditing(null)}>
          <FacilityForm facility={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />
        </Dialog>
      )}
    </>
  );
}

function FacilityTable<R extends { id: string } & FragmentType<typeof FacilityTable_FacilityFragmentDoc>>({ rows, onEdit }: { rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className={table.caption}>{t("facilities.title")}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={table.th}>{t("facilities.name")}</th>
            <th scope="col" className={table.th}>{t("facilities.timezone")}</th>
            <th scope="col" className={table.th}>{t("facilities.language")}</th>
            <th scope="col" className={table.th}>{t("common.status")}</th>
            <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 && <EmptyRow colSpan={5}>{t("facilities.empty")}</EmptyRow>}
          {rows.map((row) => {
            const f = getFragmentData(FacilityTable_FacilityFragmentDoc, row);
            return (
              <tr key={f.id}>
                <th scope="row" className={`${table.td} font-medium`}>{f.name}</th>
                <td className={table.td}>{f.timezone}</td>
                <td className={table.td}>{FACILITY_LANGUAGES.find((l) => l.code === f.language)?.name ?? f.language}</td>
                <td className={table.td}><ActiveBadge active={f.active} /></td>
                <td className={`${table.td} text-right`}>
                  <Button variant="secondary" size="sm" onClick={() => onEdit(row)} aria-label={t("common.editNamed", { name: f.name })}>
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
