// The patient's mobile number, on the on-screen keypad (or a keyboard).
import { useTranslation } from "react-i18next";

import { BigButton } from "./BigButton";
import { BigField } from "./BigField";
import { Keypad } from "./Keypad";
import type { FieldError } from "./machine";
import { BackButton, StepError, StepTitle } from "./StepParts";
import { submitted } from "./submitted";

export interface PhoneStepProps {
  value: string;
  error: FieldError | null;
  /** The server's words for the error (StepError). */
  errorDetail?: string | null;
  busy: boolean;
  onChange: (value: string) => void;
  onKey: (key: string) => void;
  onDelete: () => void;
  onSubmit: () => void;
  onBack: () => void;
}

export function PhoneStep({ value, error, errorDetail, busy, onChange, onKey, onDelete, onSubmit, onBack }: PhoneStepProps) {
  const { t } = useTranslation();
  return (
    <form onSubmit={submitted(onSubmit)} className="flex flex-col items-center gap-6" noValidate>
      <StepTitle>{t("kiosk.phone.title")}</StepTitle>
      <BigField
        label={t("kiosk.phone.label")}
        hint={t("kiosk.phone.hint")}
        value={value}
        onChange={onChange}
        type="tel"
        inputMode="none"
        autoFocus
        maxLength={20}
        className="w-full max-w-xl"
      />
      <Keypad extraKey="+" space onKey={onKey} onDelete={onDelete} />
      <StepError error={error} detail={errorDetail} />
      <div className="flex w-full justify-between gap-4">
        <BackButton onBack={onBack} disabled={busy} />
        <BigButton type="submit" disabled={!value.trim() || busy}>
          {t("kiosk.next")}
        </BigButton>
      </div>
    </form>
  );
}
