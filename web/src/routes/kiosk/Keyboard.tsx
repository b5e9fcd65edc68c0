// An on-screen keyboard for the appointment reference: letters, digits and the dash, which is all a
// reference holds. A lobby kiosk has no keyboard and the system one covers half the screen (the field
// asks for none with inputMode="none"); a physical keyboard still works where there is one.
import { useTranslation } from "react-i18next";

import { KEY_CLASS, keepFocus } from "./Keypad";

const ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM"] as const;

export function Keyboard({ onKey, onDelete }: { onKey: (key: string) => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="group" aria-label={t("kiosk.keyboard")} className="flex w-full flex-col gap-2">
      {ROWS.map((row, i) => (
        <div key={row} className="grid grid-cols-10 gap-2">
          {[...row].map((k) => (
            <button key={k} type="button" className={KEY_CLASS} {...keepFocus} onClick={() => onKey(k)}>
              {k}
            </button>
          ))}
          {i === ROWS.length - 1 && (
            <button type="button" className={`${KEY_CLASS} col-span-3`} aria-label={t("kiosk.delete")} {...keepFocus} onClick={onDelete}>
              ⌫
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
