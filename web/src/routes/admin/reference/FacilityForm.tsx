// Create or edit a facility: name, time zone (the day boundaries of ticket codes and reports),
// language (boards and kiosks) and whether it is in use.
import { AdminCreateFacilityDocument, AdminFacilitiesPageDocument, AdminUpdateFacilityDocument, FacilityForm_FacilityFragmentDoc, getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../forms/fieldErrors";
import { FACILITY_LANGUAGES, timeZones } from "./options";

const FIELDS = ["name", "timezone", "language", "active"] as const;

export function FacilityForm({
  facility: ref,
  onDone,
}: {
  facility?: FragmentType<typeof FacilityForm_FacilityFragmentDoc>;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const facility = getFragmentData(FacilityForm_FacilityFragmentDoc, ref);
  const zonesId = useId();
  const zones = useMemo(timeZones, []);
  const [form, setForm] = useState({
    name: facility?.name ?? "",
    timezone: facility?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
    language: facility?.language ?? "en",
    active: facility?.active ?? true,
  });
  const refetchQueries = [AdminFacilitiesPageDocument];
  const [create, created] = useMutation(AdminCreateFacilityDocument, { refetchQueries });
  const [update, updated] = useMutation(AdminUpdateFacilityDocument);
  const state = facility ? updated : created;
  const errors = fieldErrors(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { name: form.name.trim(), timezone: form.timezone.trim(), language: form.language, active: form.active };
    try {
      if (facility) await update({ variables: { id: facility.id, input } });
      else await create({ variables: { input } });
      onDone();
    } catch {
      // shown next to the fields
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <InputField label={t("facilities.name")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} required maxLength={200} autoComplete="off" />
      <InputField
        label={t("facilities.timezone")}
        hint={t("facilities.timezoneHint")}
        value={form.timezone}
        onChange={(e) => setForm({ ...form, timezone: e.target.value })}
        error={errors.timezone}
        list={zonesId}
        required
        autoComplete="off"
      />
      <datalist id={zonesId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <SelectInput label={t("facilities.language")} hint={t("facilities.languageHint")} value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })} error={errors.language}>
        {FACILITY_LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </SelectInput>
      <CheckField label={t("facilities.active")} checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} error={errors.active} />
      <FormActions
        error={state.error}
        shownFields={FIELDS}
        busy={state.loading}
        submitLabel={facility ? t("common.save") : t("facilities.create")}
        onCancel={onDone}
        disabled={!form.name.trim() || !form.timezone.trim()}
      />
    </form>
  );
}
