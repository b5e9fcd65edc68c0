// Register a new patient; the new record is then selected for check-in.
import { useRegisterPatient } from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { LANGUAGES } from "../../i18n";
import { Button } from "../../ui/Button";
import { DateField } from "../../ui/DateField";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { SelectField, TextField } from "../../ui/Field";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../../ui/fieldErrors";
import type { SelectedPatient } from "./PatientSearch";

/** The fields that show the server's message about them; anything else shows above the buttons. */
const FIELDS = ["givenName", "familyName", "dateOfBirth", "mrn", "phone", "language"];

// The patient's messages and status page speak one of the app's languages (the server's SMS
// templates speak the same ones).
const MESSAGE_LANGUAGES = LANGUAGES;

export function RegisterPatientForm({
  facilityID,
  onRegistered,
  onCancel,
}: {
  facilityID: string;
  onRegistered: (p: SelectedPatient) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [register, { loading, error }] = useRegisterPatient();
  const [form, setForm] = useState({
    givenName: "",
    familyName: "",
    dateOfBirth: "" as string | null, // null: typed, but not a date
    phone: "",
    mrn: "",
    language: MESSAGE_LANGUAGES.some((l) => l.code === i18n.language) ? i18n.language : "en",
    smsOptIn: true,
  });
  const errors = fieldErrors(error);
  const formRef = useFocusOnInvalid(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const p = await register({
        facilityID,
        givenName: form.givenName.trim(),
        familyName: form.familyName.trim(),
        dateOfBirth: form.dateOfBirth ? `${form.dateOfBirth}T00:00:00Z` : null,
        phone: form.phone.replace(/[\s()-]/g, "") || null,
        mrn: form.mrn.trim() || null,
        language: form.language,
        smsOptIn: form.smsOptIn && !!form.phone,
      });
      onRegistered({ id: p.id, name: `${p.givenName} ${p.familyName}`, detail: [p.mrn, p.phone].filter(Boolean).join(" · ") });
    } catch {
      // shown on the field the server named (which takes the focus), or below
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-3" aria-label={t("reception.register.title")}>
      <h2 className="text-base font-semibold">{t("reception.register.title")}</h2>
      <div className="grid grid-cols-2 gap-3">
        <TextField label={t("reception.register.givenName")} value={form.givenName} onChange={set("givenName")} error={errors.givenName} required autoComplete="off" />
        <TextField label={t("reception.register.familyName")} value={form.familyName} onChange={set("familyName")} error={errors.familyName} required autoComplete="off" />
        <DateField label={t("reception.register.dateOfBirth")} error={errors.dateOfBirth} onChange={(day) => setForm((f) => ({ ...f, dateOfBirth: day }))} />
        <TextField label={t("reception.register.mrn")} value={form.mrn} onChange={set("mrn")} error={errors.mrn} autoComplete="off" />
      </div>
      <TextField
        label={t("reception.register.phone")}
        hint={t("reception.register.phoneHint")}
        type="tel"
        value={form.phone}
        onChange={set("phone")}
        error={errors.phone}
        autoComplete="off"
      />
      <div className="grid grid-cols-2 items-end gap-3">
        <SelectField label={t("reception.register.language")} value={form.language} onChange={set("language")} error={errors.language}>
          {MESSAGE_LANGUAGES.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </SelectField>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={form.smsOptIn} onChange={(e) => setForm({ ...form, smsOptIn: e.target.checked })} className="size-4" />
          {t("reception.register.smsOptIn")}
        </label>
      </div>
      {hasUnplacedError(error, FIELDS) && <ErrorNotice error={error} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" busy={loading} disabled={!form.givenName.trim() || !form.familyName.trim() || form.dateOfBirth === null}>
          {t("reception.register.submit")}
        </Button>
      </div>
    </form>
  );
}
