import { useTranslation } from "react-i18next";

import { LANGUAGES, changeLanguage, isLanguage } from "../i18n";

/** The language picker: language names are written in their own language. */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <select
      aria-label={t("language.label")}
      value={i18n.resolvedLanguage ?? i18n.language}
      onChange={(e) => {
        if (isLanguage(e.target.value)) void changeLanguage(e.target.value);
      }}
      className={`rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 ${className}`}
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}
