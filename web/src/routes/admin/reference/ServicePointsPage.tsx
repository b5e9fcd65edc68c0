// /admin/service-points: every department's rooms and counters and the queues each one serves.
import { nodes, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import {
  AdminServicePointsPageDocument,
  ServicePointTable_ServicePointFragmentDoc,
  type AdminServicePointsPageQuery,
} from "../../../generated/graphql";
import type { NodeOf } from "../connection";
import { ActiveBadge } from "../layout";
import { departmentTitle, ReferenceGroups, ReferencePage } from "./ReferencePage";
import { ReferenceTable } from "./ReferenceTable";
import { ServicePointForm } from "./ServicePointForm";

type Department = NodeOf<AdminServicePointsPageQuery["departments"]>;
type Queue = NodeOf<AdminServicePointsPageQuery["queues"]>;

/** Service points are edited with their department at hand: the form offers its queues. */
type Target = { department: Department; queues: Queue[]; record?: NodeOf<AdminServicePointsPageQuery["servicePoints"]> };

export default function ServicePointsPage() {
  const query = useQuery(AdminServicePointsPageDocument);
  const form = ({ department, queues, record }: Target, done: () => void) => (
    <ServicePointForm departmentID={department.id} queues={queues} servicePoint={record} onDone={done} />
  );
  return (
    <ReferencePage<AdminServicePointsPageQuery, Target> section="servicePoints" query={query} pageInfo={(data) => data.servicePoints?.pageInfo} form={form}>
      {(data, edit) => {
        const departments = nodes(data.departments);
        const queuesOf = (d: Department) => nodes(data.queues).filter((q) => q.departmentID === d.id);
        const servicePoints = nodes(data.servicePoints);
        return (
          <ReferenceGroups
            section="servicePoints"
            parent="department"
            groups={departments}
            title={departmentTitle(departments)}
            onNew={(department) => edit({ department, queues: queuesOf(department) })}
          >
            {(d, caption) => (
              <ServicePointTable
                caption={caption}
                rows={servicePoints.filter((sp) => sp.departmentID === d.id)}
                onEdit={(record) => edit({ department: d, queues: queuesOf(d), record })}
              />
            )}
          </ReferenceGroups>
        );
      }}
    </ReferencePage>
  );
}

function ServicePointTable<R extends FragmentType<typeof ServicePointTable_ServicePointFragmentDoc>>(props: { caption: string; rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  const staffed = (open: boolean) => <ActiveBadge active={open} activeLabel={t("servicePoints.isOpen")} inactiveLabel={t("servicePoints.isClosed")} />;
  return (
    <ReferenceTable
      section="servicePoints"
      fragment={ServicePointTable_ServicePointFragmentDoc}
      columns={[
        { header: t("servicePoints.queues"), cell: (sp) => (sp.queues ?? []).map((q) => q.name).join(", ") || t("common.none") },
        { header: t("servicePoints.staffed"), cell: (sp) => staffed(sp.open) },
        { header: t("common.status"), cell: (sp) => <ActiveBadge active={sp.active} /> },
      ]}
      {...props}
    />
  );
}
