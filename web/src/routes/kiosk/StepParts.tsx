// The pieces every step of the kiosk flow is made of: its title, the message under its form, and the
// way back.
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { serverWords } from "../../ui/fieldErrors";
import { BigButton } from "./BigButton";
import type { FieldError } from "./machine";

/**
 * The step's heading. `focus`: the step has no field to type into, so the heading takes the focus when
 * the step opens, which tells screen readers where they are (input steps focus their field instead).
 */
export function StepTitle({ children, focus = false }: { children: ReactNode; focus?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  return (
    <h1 ref={heading} tabIndex={-1} className="text-4xl font-bold text-slate-900 outline-none">
      {children}
    </h1>
  );
}

/**
 * What is wrong with what the patient entered (nothing while there is nothing): the server's words
 * when it refused and the kiosk speaks its language, the step's own message for the field otherwise.
 */
export function StepError({ error, detail }: { error: FieldError | null; detail?: string | null }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="rounded-xl border-2 border-red-300 bg-red-50 px-4 py-3 text-xl text-red-900">
      {serverWords(detail, i18n.language) ?? t(error)}
    </p>
  );
}

export function BackButton({ onBack, disabled }: { onBack: () => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <BigButton variant="secondary" onClick={onBack} disabled={disabled}>
      {t("kiosk.back")}
    </BigButton>
  );
}
