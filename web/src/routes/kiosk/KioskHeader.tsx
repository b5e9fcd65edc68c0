// The kiosk's top bar: the app's name and the language buttons (the language goes back to the kiosk's
// own when the screen starts over).
import { useTranslation } from "react-i18next";

import { LANGUAGES, changeLanguage } from "../../i18n";

export function KioskHeader() {
  const { t, i18n } = useTranslation();
  return (
    <header className="flex flex-wrap items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
      <span className="text-2xl font-bold text-teal-800">{t("app.name")}</span>
      <div role="group" aria-label={t("language.label")} className="flex gap-2">
        {LANGUAGES.map((l) => {
          const current = i18n.language === l.code;
          return (
            <button
              key={l.code}
              type="button"
              lang={l.code}
              aria-pressed={current}
              onClick={() => void changeLanguage(l.code, false)}
              className={`min-h-12 rounded-xl px-4 text-lg font-semibold ${current ? "bg-teal-700 text-white" : "bg-white text-slate-900 ring-2 ring-slate-300"}`}
            >
              {l.name}
            </button>
          );
        })}
      </div>
    </header>
  );
}
