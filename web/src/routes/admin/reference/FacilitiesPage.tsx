// /admin/facilities: every facility the admin can see; global admins create new ones.
import { nodes, useSession, type FragmentType } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { AdminFacilitiesPageDocument, FacilityTable_FacilityFragmentDoc, type AdminFacilitiesPageQuery } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import type { NodeOf } from "../connection";
import { ActiveBadge, NextStep } from "../layout";
import { FacilityForm } from "./FacilityForm";
import { FACILITY_LANGUAGES } from "./options";
import { ReferencePage } from "./ReferencePage";
import { ReferenceTable } from "./ReferenceTable";

type Row = NodeOf<AdminFacilitiesPageQuery["facilities"]>;

export default function FacilitiesPage() {
  const { t } = useTranslation("admin");
  const { session } = useSession();
  const global = !session?.user.facilityID; // a global admin has no facility (null or "")
  const query = useQuery(AdminFacilitiesPageDocument);

  return (
    <ReferencePage<AdminFacilitiesPageQuery, { record?: Row }>
      section="facilities"
      description={global ? undefined : t("facilities.descriptionFacilityAdmin")}
      actions={(edit) => global && <Button onClick={() => edit({})}>{t("facilities.new")}</Button>}
      query={query}
      pageInfo={(data) => data.facilities?.pageInfo}
      form={(e, done) => <FacilityForm facility={e.record} onDone={done} />}
    >
      {(data, edit) => (
        <>
          {/* A new install: the facility is the first step of the set-up, taken with the button above. */}
          {global && nodes(data.facilities).length === 0 && <NextStep>{t("start.facilities")}</NextStep>}
          <FacilityTable rows={nodes(data.facilities)} onEdit={(record) => edit({ record })} />
        </>
      )}
    </ReferencePage>
  );
}

function FacilityTable<R extends FragmentType<typeof FacilityTable_FacilityFragmentDoc>>({ rows, onEdit }: { rows: R[]; onEdit: (row: R) => void }) {
  const { t } = useTranslation("admin");
  const language = (code: string) => FACILITY_LANGUAGES.find((l) => l.code === code)?.name ?? code;
  return (
    <ReferenceTable
      section="facilities"
      fragment={FacilityTable_FacilityFragmentDoc}
      caption={t("facilities.title")}
      columns={[
        { header: t("facilities.timezone"), cell: (f) => f.timezone },
        { header: t("facilities.language"), cell: (f) => language(f.language) },
        { header: t("facilities.locale"), cell: (f) => f.locale },
        { header: t("common.status"), cell: (f) => <ActiveBadge active={f.active} /> },
      ]}
      rows={rows}
      onEdit={onEdit}
    />
  );
}
