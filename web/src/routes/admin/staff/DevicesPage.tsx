// /admin/devices: the self check-in kiosks (accounts of role KIOSK) and the address of every
// department's waiting-room board, to open on the TV.
import { nodes } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { AdminDevicesPageDocument } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { ActiveBadge, EmptyRow, PageHeader, table } from "../layout";
import { Accounts } from "./Accounts";
import { CopyField } from "./CopyField";

export default function DevicesPage() {
  const { t } = useTranslation("admin");
  const { data, loading, error, refetch } = useQuery(AdminDevicesPageDocument);
  const [creating, setCreating] = useState(false);
  const departments = nodes(data?.departments);
  const manyFacilities = new Set(departments.map((d) => d.facility.id)).size > 1;

  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} />;

  return (
    <>
      <PageHeader title={t("devices.title")} description={t("devices.description")} />
      <section aria-labelledby="kiosks" className="mb-8 space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="kiosks" className="text-lg font-semibold">
            {t("devices.kiosks")}
          </h2>
          <Button size="sm" onClick={() => setCreating(true)}>
            {t("devices.newKiosk")}
          </Button>
        </div>
        <p className="text-sm text-slate-700">
          {t("devices.kiosksHelp")} <code className="rounded bg-slate-100 px-1 break-all">{`${location.origin}/kiosk`}</code>
        </p>
        <Accounts
          caption={t("devices.kiosks")}
          accounts={nodes(data?.users)}
          facilities={nodes(data?.facilities)}
          fixedRole="KIOSK"
          refetch={AdminDevicesPageDocument}
          creating={creating}
          onCreatingChange={setCreating}
        />
      </section>
      <section aria-labelledby="boards" className="space-y-2">
        <h2 id="boards" className="text-lg font-semibold">
          {t("devices.boards")}
        </h2>
        <p className="text-sm text-slate-700">{t("devices.boardsHelp")}</p>
        <div className={table.wrap}>
          <table className={table.table}>
            <caption className={table.caption}>{t("devices.boards")}</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={table.th}>{t("departments.name")}</th>
                <th scope="col" className={table.th}>{t("common.status")}</th>
                <th scope="col" className={table.th}>{t("devices.address")}</th>
                <th scope="col" className={table.th}><span className="sr-only">{t("common.actions")}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {departments.length === 0 && <EmptyRow colSpan={4}>{t("departments.empty")}</EmptyRow>}
              {departments.map((d) => {
                const name = manyFacilities ? `${d.name} · ${d.facility.name}` : d.name;
                const url = `${location.origin}/board/${d.id}`;
                return (
                  <tr key={d.id}>
                    <th scope="row" className={`${table.td} font-medium`}>{name}</th>
                    <td className={table.td}><ActiveBadge active={d.active} /></td>
                    <td className={table.td}>
                      <CopyField label={t("devices.boardOf", { name })} value={url} />
                    </td>
                    <td className={table.td}>
                      <a className="font-medium text-teal-800 underline" href={url} target="_blank" rel="noreferrer">
                        {t("departments.openBoard", { name })}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
