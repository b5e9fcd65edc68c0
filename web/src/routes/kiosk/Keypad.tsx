// An on-screen number pad: kiosks often have no keyboard, and the system one covers half the screen.
// It types into the field the patient last touched; a physical keyboard works as well. The phone step
// adds a space bar: people type a number in the groups they read it in ("07700 900123").
import { useTranslation } from "react-i18next";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

/** A key of the on-screen pads: at least 64 px high, large type. */
export const KEY_CLASS =
  "flex h-16 items-center justify-center rounded-xl bg-white text-3xl font-semibold text-slate-900 shadow-sm ring-2 ring-slate-300 active:bg-slate-200";

/** Pressing a key keeps the focus (and so the caret) in the field being typed into. */
export const keepFocus = { onPointerDown: (e: { preventDefault(): void }) => e.preventDefault(), onMouseDown: (e: { preventDefault(): void }) => e.preventDefault() };

export interface KeypadProps {
  onKey: (key: string) => void;
  onDelete: () => void;
  /** A key left of 0 ("+" on the phone step). */
  extraKey?: string;
  /** A space bar under the digits. */
  space?: boolean;
}

export function Keypad({ onKey, onDelete, extraKey, space = false }: KeypadProps) {
  const { t } = useTranslation();
  const key = KEY_CLASS;
  return (
    <div role="group" aria-label={t("kiosk.keypad")} className="grid w-full max-w-sm grid-cols-3 gap-3">
      {KEYS.map((k) => (
        <button key={k} type="button" className={key} {...keepFocus} onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
      {extraKey ? (
        <button type="button" className={key} {...keepFocus} onClick={() => onKey(extraKey)}>
          {extraKey}
        </button>
      ) : (
        <span />
      )}
      <button type="button" className={key} {...keepFocus} onClick={() => onKey("0")}>
        0
      </button>
      <button type="button" className={key} aria-label={t("kiosk.delete")} {...keepFocus} onClick={onDelete}>
        ⌫
      </button>
      {space && (
        <button type="button" className={`${key} col-span-3 text-2xl`} {...keepFocus} onClick={() => onKey(" ")}>
          {t("kiosk.space")}
        </button>
      )}
    </div>
  );
}
