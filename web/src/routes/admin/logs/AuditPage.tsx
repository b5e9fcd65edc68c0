// /admin/audit: every change, newest first, with filters by action, entity type, actor and date.
// The accounts list names the actors ("who").
import { nodes } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminAuditPageDocument } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { DateField } from "../../../ui/DateField";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { InputField, SelectInput } from "../forms/Fields";
import { PageHeader } from "../layout";
import { AuditList } from "./AuditList";
import { NO_FILTERS, type AuditFilters } from "./auditWhere";

/** Entity types the server records (free text is accepted too). */
const ENTITY_TYPES = ["Ticket", "Patient", "Appointment", "Queue", "ServicePoint", "Department", "Facility", "User", "Session", "LoginCode", "Device", "DailyReport"];

export default function AuditPage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const { data, loading, error, refetch } = useQuery(AdminAuditPageDocument);
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  // A day typed that is not one (31/02) keeps Apply off rather than being dropped from the filter.
  const [badDays, setBadDays] = useState<{ from: boolean; to: boolean }>({ from: false, to: false });
  const users = nodes(data?.users);
  const actors = useMemo(() => new Map(users.map((u) => [u.id, u])), [users]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const setDay = (k: "from" | "to") => (day: string | null) => {
    setBadDays((b) => ({ ...b, [k]: day === null }));
    setDraft((d) => ({ ...d, [k]: day ?? "" }));
  };

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")} />
      <form onSubmit={apply} role="search" aria-label={t("audit.filters")} className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-6">
        <InputField label={t("audit.action")} hint={t("audit.actionHint")} value={draft.action} onChange={set("action")} autoComplete="off" className="lg:col-span-2" />
        <InputField label={t("audit.entityType")} value={draft.entityType} onChange={set("entityType")} list="audit-entity-types" autoComplete="off" />
        <datalist id="audit-entity-types">
          {ENTITY_TYPES.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
        <SelectInput label={t("audit.actor")} value={draft.actor} onChange={set("actor")} disabled={loading && !data}>
          <option value="">{t("audit.anyone")}</option>
          <option value="system">{t("audit.system")}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({tc(`shell.role.${u.role}`)})
            </option>
          ))}
        </SelectInput>
        <DateField label={t("audit.from")} value={draft.from} onChange={setDay("from")} />
        <DateField label={t("audit.to")} value={draft.to} onChange={setDay("to")} />
        <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-6">
          <Button type="submit" disabled={badDays.from || badDays.to}>
            {t("common.apply")}
          </Button>
          <Button
            variant="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
              setBadDays({ from: false, to: false });
            }}
          >
            {t("common.clearFilters")}
          </Button>
          <span className="text-xs text-slate-600">{t("audit.datesNote")}</span>
        </div>
      </form>
      {error && !data && <ErrorNotice error={error} onRetry={() => void refetch()} className="mb-3" />}
      {loading && !data ? <Loading /> : <AuditList key={JSON.stringify(filters)} filters={filters} actors={actors} />}
    </>
  );
}
