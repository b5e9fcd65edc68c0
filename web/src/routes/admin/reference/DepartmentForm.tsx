// Create or edit a department of a facility.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import {
  AdminCreateDepartmentDocument,
  AdminDepartmentsPageDocument,
  AdminUpdateDepartmentDocument,
  DepartmentForm_DepartmentFragmentDoc,
} from "../../../generated/graphql";
import { CheckField, InputField } from "../forms/Fields";
import { EditForm } from "./EditForm";
import { useReferenceEditor } from "./useReferenceEditor";

export function DepartmentForm({
  facilityID,
  department: ref,
  onDone,
}: {
  facilityID: string;
  department?: FragmentType<typeof DepartmentForm_DepartmentFragmentDoc>;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const department = getFragmentData(DepartmentForm_DepartmentFragmentDoc, ref);
  const editor = useReferenceEditor({
    record: department,
    initial: { name: department?.name ?? "", active: department?.active ?? true, escalationPhone: department?.escalationPhone ?? "" },
    fields: ["name", "active", "escalationPhone"],
    create: AdminCreateDepartmentDocument,
    update: AdminUpdateDepartmentDocument,
    list: AdminDepartmentsPageDocument,
    // The server puts the number in E.164 and names what is wrong; an emptied field removes the contact.
    createVariables: (v) => ({ input: { name: v.name.trim(), active: v.active, facilityID, escalationPhone: v.escalationPhone.trim() || null } }),
    updateVariables: (id, v) => ({
      id,
      input: v.escalationPhone.trim()
        ? { name: v.name.trim(), active: v.active, escalationPhone: v.escalationPhone.trim() }
        : { name: v.name.trim(), active: v.active, clearEscalationPhone: true },
    }),
    onDone,
  });

  return (
    <EditForm section="departments" editor={editor} disabled={!editor.values.name.trim()}>
      <InputField label={t("departments.name")} {...editor.text("name")} required maxLength={200} autoComplete="off" />
      <CheckField label={t("departments.active")} hint={t("departments.activeHint")} {...editor.check("active")} />
      <InputField
        label={t("departments.escalationPhone")}
        hint={t("departments.escalationPhoneHint")}
        {...editor.text("escalationPhone")}
        type="tel"
        maxLength={32}
        autoComplete="off"
        placeholder="+447700900123"
      />
    </EditForm>
  );
}
