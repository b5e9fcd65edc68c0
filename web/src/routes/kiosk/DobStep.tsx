// The date of birth, in three fields (day, month, year) typed on the keypad: a full field moves the
// focus on to the next, delete in an empty one goes back. `field` (from the state machine) is the field
// the keypad types into; this step keeps the focus there.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import { BigButton } from "./BigButton";
import { BigField } from "./BigField";
import { Keypad } from "./Keypad";
import { DOB_FIELDS, DOB_LENGTH, type Dob, type DobField, type FieldError } from "./machine";
import { BackButton, StepError, StepTitle } from "./StepParts";
import { submitted } from "./submitted";

const PLACEHOLDER: Record<DobField, string> = { day: "DD", month: "MM", year: "YYYY" };

export interface DobStepProps {
  dob: Dob;
  field: DobField;
  error: FieldError | null;
  busy: boolean;
  onChange: (field: DobField, value: string) => void;
  onFocusField: (field: DobField) => void;
  onKey: (key: string) => void;
  onDelete: () => void;
  onSubmit: () => void;
  onBack: () => void;
}

export function DobStep({ dob, field, error, busy, onChange, onFocusField, onKey, onDelete, onSubmit, onBack }: DobStepProps) {
  const { t } = useTranslation();
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
        {DOB_FIELDS.map((f, i) => (
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
      <Keypad onKey={onKey} onDelete={onDelete} />
      <StepError error={error} />
      <div className="flex w-full justify-between gap-4">
        <BackButton onBack={onBack} disabled={busy} />
        <BigButton type="submit" disabled={!dob.day || !dob.month || dob.year.length !== DOB_LENGTH.year}>
          {t("kiosk.next")}
        </BigButton>
      </div>
    </form>
  );
}
