// /admin/departments: each facility's departments, with a link to their waiting-room board.
import { nodes, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import {
  AdminDepartmentsPageDocument,
  DepartmentTable_DepartmentFragmentDoc,
  type AdminDepartmentsPageQuery,
} from "../../../generated/graphql";
import type { NodeOf } from "../connection";
import { ActiveBadge } from "../layout";
import { DepartmentForm } from "./DepartmentForm";
import { ReferenceGroups, ReferencePage } from "./ReferencePage";
import { ReferenceTable } from "./ReferenceTable";

type Row = NodeOf<AdminDepartmentsPageQuery["departments"]>;

export default function DepartmentsPage() {
  const query = useQuery(AdminDepartmentsPageDocument);
  return (
    <ReferencePage<AdminDepartmentsPageQuery, { facilityID: string; record?: Row }>
      section="departments"
      query={query}
      pageInfo={(data) => data.departments?.pageInfo}
      form={(e, done) => <DepartmentForm facilityID={e.facilityID} department={e.record} onDone={done} />}
    >
      {(data, edit) => (
        <ReferenceGroups section="departments" parent="facility" groups={nodes(data.facilities)} onNew={(f) => edit({ facilityID: f.id })}>
          {(f, caption) => <DepartmentTable caption={caption} rows={nodes(data.departments).filter((d) => d.facilityID === f.id)} onEdit={(record) => edit({ facilityID: f.id, record })} />}
        </ReferenceGroups>
      )}
    </ReferencePage>
  );
}

function DepartmentTable<R extends FragmentType<typeof DepartmentTable_DepartmentFragmentDoc>>(props: { caption: string; rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  const board = (d: { id: string; name: string }) => (
    <a className="font-medium text-teal-800 underline" href={`/board/${d.id}`} target="_blank" rel="noreferrer">
      {t("departments.openBoard", { name: d.name })}
    </a>
  );
  return (
    <ReferenceTable
      section="departments"
      fragment={DepartmentTable_DepartmentFragmentDoc}
      columns={[
        { header: t("common.status"), cell: (d) => <ActiveBadge active={d.active} /> },
        { header: t("departments.escalationPhone"), cell: (d) => d.escalationPhone ?? t("departments.noEscalationPhone") },
        { header: t("departments.board"), cell: board },
      ]}
      {...props}
    />
  );
}
