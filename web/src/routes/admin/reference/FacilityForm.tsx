// Create or edit a facility: name, time zone (the day boundaries of ticket codes and reports),
// language (boards and kiosks), locale (how dates and times are written), phone region (the country
// national numbers typed at reception and the kiosk belong to) and whether it is in use.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useId, useMemo } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import {
  AdminCreateFacilityDocument,
  AdminFacilitiesPageDocument,
  AdminUpdateFacilityDocument,
  FacilityForm_FacilityFragmentDoc,
} from "../../../generated/graphql";
import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { browserTimeZone, formatter, LOCALES, localeName, regionName } from "../../../i18n/format";
import { EditForm } from "./EditForm";
import { FACILITY_LANGUAGES, PHONE_REGIONS, PHONE_SAMPLES, timeZones } from "./options";
import { useReferenceEditor } from "./useReferenceEditor";

export function FacilityForm({ facility: ref, onDone }: { facility?: FragmentType<typeof FacilityForm_FacilityFragmentDoc>; onDone: () => void }) {
  const { t, i18n } = useTranslation("admin");
  const facility = getFragmentData(FacilityForm_FacilityFragmentDoc, ref);
  const zonesId = useId();
  const regionsId = useId();
  const zones = useMemo(timeZones, []);
  // Each choice shows what it looks like: "English (United Kingdom) · 3 Apr 1990, 14:05".
  const locales = useMemo(() => {
    const sample = Date.UTC(1990, 3, 3, 14, 5);
    return LOCALES.map((tag) => ({ tag, label: `${localeName(tag, i18n.language)} · ${formatter({ language: tag, locale: tag, timeZone: "UTC" }).dateTime(sample)}` }));
  }, [i18n.language]);
  const input = (v: { name: string; timezone: string; language: string; locale: string; phoneRegion: string; active: boolean }) => ({
    name: v.name.trim(),
    timezone: v.timezone.trim(),
    language: v.language,
    // Empty on a new facility: the server derives it from the language and time zone.
    ...(v.locale ? { locale: v.locale } : {}),
    // Empty on a new facility: the server's default (GB). The server checks the code.
    ...(v.phoneRegion.trim() ? { phoneRegion: v.phoneRegion.trim() } : {}),
    active: v.active,
  });
  const editor = useReferenceEditor({
    record: facility,
    initial: () => ({
      name: facility?.name ?? "",
      timezone: facility?.timezone ?? browserTimeZone(),
      language: facility?.language ?? "en",
      locale: facility?.locale ?? "",
      phoneRegion: facility?.phoneRegion ?? "",
      active: facility?.active ?? true,
    }),
    fields: ["name", "timezone", "language", "locale", "phoneRegion", "active"],
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
      <InputField
        label={t("facilities.phoneRegion")}
        hint={phoneRegionHint(values.phoneRegion, i18n.language, t)}
        {...editor.text("phoneRegion", (v) => v.toUpperCase())}
        list={regionsId}
        maxLength={2}
        autoComplete="off"
        placeholder="GB"
      />
      <datalist id={regionsId}>
        {PHONE_REGIONS.map((r) => (
          <option key={r} value={r}>
            {regionName(r, i18n.language)}
          </option>
        ))}
      </datalist>
      <CheckField label={t("facilities.active")} {...editor.check("active")} />
    </EditForm>
  );
}

/**
 * What a national number means in the region typed: a sample mobile as typed and as read ("07700 900123
 * is read as +44 7700 900123"), or the country's name where the form has no sample.
 */
export function phoneRegionHint(region: string, language: string, t: TFunction<"admin">): string {
  const code = region.trim().toUpperCase() || "GB";
  const sample = PHONE_SAMPLES[code];
  if (sample) return t("facilities.phoneRegionSample", { region: regionName(code, language), national: sample.national, e164: sample.e164 });
  const name = regionName(code, language);
  return name === code ? t("facilities.phoneRegionHint") : t("facilities.phoneRegionNamed", { region: name });
}
