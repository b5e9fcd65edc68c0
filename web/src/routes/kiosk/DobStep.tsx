// The date of birth, in three fields typed on the keypad in the facility's order (day, month, year in
// en-GB, es and fr; month, day, year in en-US): a full field moves the focus on to the next, delete in
// an empty one goes back. `field` (from the state machine) is the field the keypad types into; this
// step keeps the focus there. A complete date is read back with the month in words ("3 Apr 1990"), so
// the patient sees what was understood: 03/04 is April in London and March in New York.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import { useFormat } from "../../i18n/useFormat";
import { BigButton } from "./BigButton";
import { BigField } from "./BigField";
import { Keypad } from "./Keypad";
import { DOB_LENGTH, dateOfBirth, type Dob, type DobField, type FieldError } from "./machine";
import { BackButton, StepError, StepTitle } from "./StepParts";
import { submitted } from "./submitted";

const PLACEHOLDER: Record<DobField, string> = { day: "DD", month: "MM", year: "YYYY" };

export interface DobStepProps {
  dob: Dob;
  field: DobField;
  /** The fields in the facility's order. */
  order: readonly DobField[];
  error: FieldError | null;
  /** The server's words for the error (StepError). */
  errorDetail?: string | null;
  busy: boolean;
  onChange: (field: DobField, value: string) => void;
  onFocusField: (field: DobField) => void;
  onKey: (key: string) => void;
  onDelete: () => void;
  onSubmit: () => void;
  onBack: () => void;
}

export function DobStep({ dob, field, order, error, errorDetail, busy, onChange, onFocusField, onKey, onDelete, onSubmit, onBack }: DobStepProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const typed = dateOfBirth(dob);
  const inputs = useRef<Partial<Record<DobField, HTMLInputElement | null>>>({});
  useEffect(() => {
    const input = inputs.current[field];
    if (input && document.activeElement !== input) input.focus();
  }, [field]);
  return (
    <form onSubmit={submitted(onSubmit)} className="flex flex-col items-center gap-6" noValidate>
      <StepTitle>{t("kiosk.dob.title")}</StepTitle>
      <fieldset className="flex gap-4">
        <legend className="sr-only">{t("kiosk.dob.legend")}</legend>
        {order.map((f, i) => (
          <BigField
            key={f}
            label={t(`kiosk.dob.${f}`)}
            value={dob[f]}
            onChange={(v) => onChange(f, v)}
            onFocus={() => onFocusField(f)}
            inputRef={(el) => {
              inputs.current[f] = el;
            }}
            inputMode="none"
            autoFocus={i === 0}
            className={f === "year" ? "w-40" : "w-28"}
            placeholder={PLACEHOLDER[f]}
          />
        ))}
      </fieldset>
      <p className="min-h-8 text-2xl text-slate-800" aria-live="polite" data-testid="kiosk-dob-readback">
        {typed && t("kiosk.dob.readBack", { date: fmt.dateOfBirth(typed) })}
      </p>
      <Keypad onKey={onKey} onDelete={onDelete} />
      <StepError error={error} detail={errorDetail} />
      <div className="flex w-full justify-between gap-4">
        <BackButton onBack={onBack} disabled={busy} />
        <BigButton type="submit" disabled={!dob.day || !dob.month || dob.year.length !== DOB_LENGTH.year}>
          {t("kiosk.next")}
        </BigButton>
      </div>
    </form>
  );
}
