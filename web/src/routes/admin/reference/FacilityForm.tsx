// Create or edit a facility: name, time zone (the day boundaries of ticket codes and reports),
// language (boards and kiosks), locale (how dates and times are written) and whether it is in use.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminCreateFacilityDocument,
  AdminFacilitiesPageDocument,
  AdminUpdateFacilityDocument,
  FacilityForm_FacilityFragmentDoc,
} from "../../../generated/graphql";
import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { browserTimeZone, formatter, LOCALES, localeName } from "../../../i18n/format";
import { EditForm } from "./EditForm";
import { FACILITY_LANGUAGES, timeZones } from "./options";
import { useReferenceEditor } from "./useReferenceEditor";

export function FacilityForm({ facility: ref, onDone }: { facility?: FragmentType<typeof FacilityForm_FacilityFragmentDoc>; onDone: () => void }) {
  const { t, i18n } = useTranslation("admin");
  const facility = getFragmentData(FacilityForm_FacilityFragmentDoc, ref);
  const zonesId = useId();
  const zones = useMemo(timeZones, []);
  // Each choice shows what it looks like: "English (United Kingdom) · 3 Apr 1990, 14:05".
  const locales = useMemo(() => {
    const sample = Date.UTC(1990, 3, 3, 14, 5);
    return LOCALES.map((tag) => ({ tag, label: `${localeName(tag, i18n.language)} · ${formatter({ language: tag, locale: tag, timeZone: "UTC" }).dateTime(sample)}` }));
  }, [i18n.language]);
  const input = (v: { name: string; timezone: string; language: string; locale: string; active: boolean }) => ({
    name: v.name.trim(),
    timezone: v.timezone.trim(),
    language: v.language,
    // Empty on a new facility: the server derives it from the language and time zone.
    ...(v.locale ? { locale: v.locale } : {}),
    active: v.active,
  });
  const editor = useReferenceEditor({
    record: facility,
    initial: () => ({
      name: facility?.name ?? "",
      timezone: facility?.timezone ?? browserTimeZone(),
      language: facility?.language ?? "en",
      locale: facility?.locale ?? "",
      active: facility?.active ?? true,
    }),
    fields: ["name", "timezone", "language", "locale", "active"],
    create: AdminCreateFacilityDocument,
    update: AdminUpdateFacilityDocument,
    list: AdminFacilitiesPageDocument,
    createVariables: (v) => ({ input: input(v) }),
    updateVariables: (id, v) => ({ id, input: input(v) }),
    onDone,
  });
  const { values } = editor;

  return (
    <EditForm section="facilities" editor={editor} disabled={!values.name.trim() || !values.timezone.trim()}>
      <InputField label={t("facilities.name")} {...editor.text("name")} required maxLength={200} autoComplete="off" />
      <InputField label={t("facilities.timezone")} hint={t("facilities.timezoneHint")} {...editor.text("timezone")} list={zonesId} required autoComplete="off" />
      <datalist id={zonesId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <SelectInput label={t("facilities.language")} hint={t("facilities.languageHint")} {...editor.text("language")}>
        {FACILITY_LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </SelectInput>
      <SelectInput label={t("facilities.locale")} hint={t("facilities.localeHint")} {...editor.text("locale")}>
        {!facility && <option value="">{t("facilities.localeDerived")}</option>}
        {locales.map((l) => (
          <option key={l.tag} value={l.tag} lang={l.tag}>
            {l.label}
          </option>
        ))}
      </SelectInput>
      <CheckField label={t("facilities.active")} {...editor.check("active")} />
    </EditForm>
  );
}
