import { useTranslation } from "react-i18next";

/** The sound switch of the staff screens: a toggle button (aria-pressed says its state; filled when on). */
export function SoundToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => onChange(!on)}
      className={`rounded-md px-2.5 py-1 text-sm ring-1 ${on ? "bg-teal-700 text-white ring-teal-700" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-100"}`}
    >
      {t("attention.sound")}
    </button>
  );
}
