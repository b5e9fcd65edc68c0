// Create or edit a department of a facility.
import {
  AdminCreateDepartmentDocument,
  AdminDepartmentsPageDocument,
  AdminUpdateDepartmentDocument,
  DepartmentForm_DepartmentFragmentDoc,
  getFragmentData,
  type FragmentType,
} from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { CheckField, InputField } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../forms/fieldErrors";

const FIELDS = ["name", "active"] as const;

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
  const [form, setForm] = useState({ name: department?.name ?? "", active: department?.active ?? true });
  const [create, created] = useMutation(AdminCreateDepartmentDocument, { refetchQueries: [AdminDepartmentsPageDocument] });
  const [update, updated] = useMutation(AdminUpdateDepartmentDocument);
  const state = department ? updated : created;
  const errors = fieldErrors(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { name: form.name.trim(), active: form.active };
    try {
      if (department) await update({ variables: { id: department.id, input } });
      else await create({ variables: { input: { ...input, facilityID } } });
      onDone();
    } catch {
      // shown next to the fields
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <InputField label={t("departments.name")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} required maxLength={200} autoComplete="off" />
      <CheckField label={t("departments.active")} hint={t("departments.activeHint")} checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} error={errors.active} />
      <FormActions
        error={state.error}
        shownFields={FIELDS}
        busy={state.loading}
        submitLabel={department ? t("common.save") : t("departments.create")}
        onCancel={onDone}
        disabled={!form.name.trim()}
      />
    </form>
  );
}
