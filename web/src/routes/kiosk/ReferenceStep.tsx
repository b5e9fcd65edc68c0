// The appointment reference from the patient's letter, on the on-screen keyboard (or a keyboard);
// checks in directly.
import { useTranslation } from "react-i18next";

import { BigButton } from "./BigButton";
import { BigField } from "./BigField";
import { Keyboard } from "./Keyboard";
import { REFERENCE_MAX, type FieldError } from "./machine";
import { BackButton, StepError, StepTitle } from "./StepParts";
import { submitted } from "./submitted";

export interface ReferenceStepProps {
  value: string;
  error: FieldError | null;
  /** The server's words for the error (StepError). */
  errorDetail?: string | null;
  /** The check-in is on its way. */
  busy: boolean;
  onChange: (value: string) => void;
  onKey: (key: string) => void;
  onDelete: () => void;
  onSubmit: () => void;
  onBack: () => void;
}

export function ReferenceStep({ value, error, errorDetail, busy, onChange, onKey, onDelete, onSubmit, onBack }: ReferenceStepProps) {
  const { t } = useTranslation();
  return (
    <form onSubmit={submitted(onSubmit)} className="flex flex-col gap-6" noValidate>
      <StepTitle>{t("kiosk.reference.title")}</StepTitle>
      <BigField
        label={t("kiosk.reference.label")}
        hint={t("kiosk.reference.hint")}
        value={value}
        onChange={onChange}
        inputMode="none"
        autoFocus
        autoCapitalize="characters"
        maxLength={REFERENCE_MAX}
      />
      <Keyboard onKey={onKey} onDelete={onDelete} />
      <StepError error={error} detail={errorDetail} />
      <div className="flex justify-between gap-4">
        <BackButton onBack={onBack} disabled={busy} />
        <BigButton type="submit" busy={busy} disabled={!value.trim()}>
          {busy ? t("kiosk.checkingIn") : t("kiosk.checkIn")}
        </BigButton>
      </div>
    </form>
  );
}
