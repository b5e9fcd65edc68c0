// /admin/queues: every department's queues with their policy, targets and maximum wait, and any
// warning about a queue (the urgent group taking too much of its service time).
import { TRIAGE_LEVELS, nodes, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import {
  AdminQueuesPageDocument,
  QueueTable_QueueFragmentDoc,
  type AdminQueuesPageQuery,
  type QueueTable_QueueFragment,
} from "../../../generated/graphql";
import { QueueWarnings } from "../../../tickets/QueueWarnings";
import type { NodeOf } from "../connection";
import { ActiveBadge } from "../layout";
import { QueueForm, TARGET_FIELDS } from "./QueueForm";
import { departmentTitle, ReferenceGroups, ReferencePage } from "./ReferencePage";
import { ReferenceTable } from "./ReferenceTable";

type Row = NodeOf<AdminQueuesPageQuery["queues"]>;

export default function QueuesPage() {
  const query = useQuery(AdminQueuesPageDocument);
  return (
    <ReferencePage<AdminQueuesPageQuery, { departmentID: string; record?: Row }>
      section="queues"
      query={query}
      pageInfo={(data) => data.queues?.pageInfo}
      form={(e, done) => <QueueForm departmentID={e.departmentID} queue={e.record} onDone={done} />}
    >
      {(data, edit) => {
        const departments = nodes(data.departments);
        const queues = nodes(data.queues);
        return (
          <ReferenceGroups section="queues" parent="department" groups={departments} title={departmentTitle(departments)} onNew={(d) => edit({ departmentID: d.id })}>
            {(d, caption) => <QueueTable caption={caption} rows={queues.filter((q) => q.departmentID === d.id)} onEdit={(record) => edit({ departmentID: d.id, record })} />}
          </ReferenceGroups>
        );
      }}
    </ReferencePage>
  );
}

function QueueTable<R extends FragmentType<typeof QueueTable_QueueFragmentDoc>>(props: { caption: string; rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const minutes = (count: number) => t("common.minutes", { count });
  const targets = (q: QueueTable_QueueFragment) => (
    <dl className="grid grid-cols-[auto_auto] gap-x-2 text-xs">
      {TRIAGE_LEVELS.map((l) => (
        <div key={l} className="contents">
          <dt className="text-slate-700">{tc(`triage.${l}`)}</dt>
          <dd className="text-right tabular-nums">{minutes(q[TARGET_FIELDS[l]])}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <ReferenceTable
      section="queues"
      fragment={QueueTable_QueueFragmentDoc}
      columns={[
        { header: t("queues.prefix"), cell: (q) => q.prefix, className: "font-mono" },
        { header: t("queues.ordering"), cell: (q) => t(`queues.policy.${q.ordering}`) },
        { header: t("queues.notifyAheadShort"), cell: (q) => q.notifyAhead },
        { header: t("queues.defaultServiceShort"), cell: (q) => minutes(q.defaultServiceMinutes) },
        { header: t("queues.targetsShort"), cell: targets },
        { header: t("queues.maxWaitShort"), cell: (q) => minutes(q.maxWaitMinutes) },
        {
          header: t("common.status"),
          cell: (q) => (
            <>
              <ActiveBadge active={q.active} />
              <QueueWarnings warnings={q.warnings} className="mt-1 max-w-xs" />
            </>
          ),
        },
      ]}
      {...props}
    />
  );
}
