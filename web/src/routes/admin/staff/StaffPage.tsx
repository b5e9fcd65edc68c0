// /admin/staff: every account but patients', searchable and paged; create, edit, set passwords.
import { nodes, type Role } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminStaffPageDocument, type UserWhereInput } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { InputField, SelectInput } from "../forms/Fields";
import { PageHeader } from "../layout";
import { Pager, useCursorPages } from "../Pager";
import { Accounts } from "./Accounts";
import { ACCOUNT_ROLES } from "./roles";

const PAGE_SIZE = 25;

export default function StaffPage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const pages = useCursorPages();
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState<{ text: string; role: Role | "" }>({ text: "", role: "" });
  const [creating, setCreating] = useState(false);
  const where = useMemo<UserWhereInput>(() => {
    const w: UserWhereInput = { roleNotIn: ["PATIENT"] };
    if (filter.role) w.role = filter.role;
    if (filter.text) w.or = [{ nameContainsFold: filter.text }, { emailContainsFold: filter.text }];
    return w;
  }, [filter]);
  const { data, previousData, loading, error, refetch } = useQuery(AdminStaffPageDocument, {
    variables: { first: PAGE_SIZE, after: pages.after, where },
  });
  const shown = data ?? previousData;
  const facilities = nodes(shown?.facilities);

  function applySearch(e: FormEvent) {
    e.preventDefault();
    setFilter({ ...filter, text: search.trim() });
    pages.reset();
  }

  return (
    <>
      <PageHeader title={t("staff.title")} description={t("staff.description")} actions={<Button onClick={() => setCreating(true)}>{t("staff.new")}</Button>} />
      <form onSubmit={applySearch} role="search" aria-label={t("staff.filters")} className="mb-3 flex flex-wrap items-end gap-3">
        <InputField className="w-64" label={t("staff.search")} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectInput
          className="w-48"
          label={t("staff.role")}
          value={filter.role}
          onChange={(e) => {
            setFilter({ ...filter, role: e.target.value as Role | "" });
            pages.reset();
          }}
        >
          <option value="">{t("common.all")}</option>
          {ACCOUNT_ROLES.map((r) => (
            <option key={r} value={r}>
              {tc(`shell.role.${r}`)}
            </option>
          ))}
        </SelectInput>
        <Button type="submit" variant="secondary">
          {t("common.search")}
        </Button>
      </form>
      {loading && !shown ? (
        <Loading />
      ) : error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : (
        <div aria-busy={loading || undefined}>
          {error && <ErrorNotice error={error} onRetry={() => void refetch()} className="mb-3" />}
          <Accounts
            caption={t("staff.title")}
            accounts={nodes(shown?.users)}
            facilities={facilities}
            refetch={AdminStaffPageDocument}
            creating={creating}
            onCreatingChange={setCreating}
          />
          <Pager
            pages={pages}
            totalCount={shown?.users.totalCount ?? 0}
            hasNextPage={shown?.users.pageInfo.hasNextPage ?? false}
            endCursor={shown?.users.pageInfo.endCursor}
            loading={loading}
          />
        </div>
      )}
    </>
  );
}
