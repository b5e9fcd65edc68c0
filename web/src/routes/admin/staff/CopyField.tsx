// A read-only address with a Copy button. Where the clipboard API is not available (plain http on
// another host) the address is selected instead, ready for Ctrl+C.
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";

export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation("admin");
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState("");

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setStatus(t("devices.copied"));
    } catch {
      input.current?.select();
      setStatus(t("devices.copyManually"));
    }
  }

  return (
    <div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          className="block w-full min-w-[20rem] rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-xs text-slate-900"
        />
        <Button variant="secondary" size="sm" onClick={() => void copy()} aria-label={t("devices.copyNamed", { name: label })}>
          {t("devices.copy")}
        </Button>
      </div>
      <p role="status" className="mt-1 min-h-4 text-xs text-slate-700">
        {status}
      </p>
    </div>
  );
}
