// The frame the reference-data pages (facilities, departments, queues, service points) share: the
// page header, the page query's loading and error states, the list once it has answered, and the
// dialog that creates or edits one record. A page declares what it lists and which form edits it;
// its strings come from its section of the admin strings (<section>.title, .description, .new, .edit,
// and for lists per parent .newIn and .caption).
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { NextStep, PageHeader } from "../layout";
import { LoadMore, type MorePageInfo } from "../Pager";

/** The reference-data pages, by their section of the admin strings. */
export type Section = "facilities" | "departments" | "queues" | "servicePoints";

/** What the edit dialog opens for: an existing `record`, or a new one (no record) and where it goes. */
export type Edit<Target extends { record?: unknown }> = (target: Target) => void;

export function ReferencePage<Data, Target extends { record?: unknown }>({
  section,
  description,
  actions,
  query,
  pageInfo,
  form,
  children,
}: {
  section: Section;
  /** Instead of <section>.description. */
  description?: string;
  /** Buttons in the page header (the page-wide "New …"). */
  actions?: (edit: Edit<Target>) => ReactNode;
  /** The page's one query (useQuery's result); it takes `$after` for the list the page pages. */
  query: {
    data: Data | undefined;
    loading: boolean;
    error?: unknown;
    refetch: () => unknown;
    fetchMore: (options: { variables: { after: string } }) => Promise<unknown>;
  };
  /** The page info of the list the page pages: "Load more" under the list while there is more. */
  pageInfo?: (data: Data) => MorePageInfo | null | undefined;
  /** The form in the edit dialog; `done` closes the dialog (saved or cancelled). */
  form: (target: Target, done: () => void) => ReactNode;
  /** The list, once the query has answered. */
  children: (data: Data, edit: Edit<Target>) => ReactNode;
}) {
  const { t } = useTranslation("admin");
  const [editing, setEditing] = useState<{ target: Target } | null>(null);
  const edit: Edit<Target> = (target) => setEditing({ target });
  const close = () => setEditing(null);
  const { data, loading, error } = query;

  return (
    <>
      <PageHeader title={t(`${section}.title`)} description={description ?? t(`${section}.description`)} actions={actions?.(edit)} />
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorNotice error={error} onRetry={() => void query.refetch()} />
      ) : (
        data !== undefined && (
          <>
            {children(data, edit)}
            <LoadMore pageInfo={pageInfo?.(data)} onMore={(after) => query.fetchMore({ variables: { after } })} />
          </>
        )
      )}
      {editing && (
        <Dialog title={editing.target.record ? t(`${section}.edit`) : t(`${section}.new`)} onClose={close}>
          {form(editing.target, close)}
        </Dialog>
      )}
    </>
  );
}

/**
 * Records listed per parent (a facility's departments, a department's queues): a section each, named
 * by its heading, with its own "New …" button; with no parent at all (a new install), the step that
 * creates one and a link to its page.
 */
export function ReferenceGroups<G extends { id: string; name: string }>({
  section,
  parent,
  groups,
  title = (g) => g.name,
  onNew,
  children,
}: {
  section: Exclude<Section, "facilities">;
  /** What the records belong to: with no parent at all, the page sends the admin to create one first. */
  parent: "facility" | "department";
  groups: readonly G[];
  /** The section's heading (default: the parent's name). */
  title?: (group: G) => string;
  onNew: (group: G) => void;
  /** The group's list, and its table's caption (<section>.caption). */
  children: (group: G, caption: string) => ReactNode;
}) {
  const { t } = useTranslation("admin");
  return (
    <div className="space-y-6">
      {groups.length === 0 &&
        (parent === "facility" ? (
          <NextStep to="/admin/facilities" linkLabel={t("start.goFacilities")}>
            {t("start.needFacility")}
          </NextStep>
        ) : (
          <NextStep to="/admin/departments" linkLabel={t("start.goDepartments")}>
            {t("start.needDepartment")}
          </NextStep>
        ))}
      {groups.map((g) => (
        // The strings name the parent {{facility}} or {{department}}: both are given, one is used.
        <ReferenceGroup
          key={g.id}
          title={title(g)}
          newLabel={t(`${section}.new`)}
          newLabelIn={t(`${section}.newIn`, { facility: g.name, department: g.name })}
          onNew={() => onNew(g)}
        >
          {children(g, t(`${section}.caption`, { facility: title(g), department: title(g) }))}
        </ReferenceGroup>
      ))}
    </div>
  );
}

function ReferenceGroup({ title, newLabel, newLabelIn, onNew, children }: { title: string; newLabel: string; newLabelIn: string; onNew: () => void; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        <Button size="sm" onClick={onNew} aria-label={newLabelIn}>
          {newLabel}
        </Button>
      </div>
      {children}
    </section>
  );
}

/** A department's heading: its name, and its facility's when the list spans several facilities. */
export function departmentTitle(departments: readonly { facility: { id: string } }[]): (d: { name: string; facility: { name: string } }) => string {
  const manyFacilities = new Set(departments.map((d) => d.facility.id)).size > 1;
  return (d) => (manyFacilities ? `${d.name} · ${d.facility.name}` : d.name);
}
