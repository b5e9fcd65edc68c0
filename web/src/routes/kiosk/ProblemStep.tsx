// When the check-in did not work: what happened and what to do (see reception, wait a moment, …), with
// "Try again" where trying again can help.
import { useTranslation } from "react-i18next";

import { BigButton } from "./BigButton";
import type { Problem } from "./machine";
import { StepTitle } from "./StepParts";

export interface ProblemStepProps {
  problem: Problem;
  canRetry: boolean;
  busy: boolean;
  onRetry: () => void;
  onStartOver: () => void;
}

export function ProblemStep({ problem, canRetry, busy, onRetry, onStartOver }: ProblemStepProps) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col items-center gap-6 text-center" role="alert">
      <StepTitle focus>{t(`kiosk.problem.${problem}.title`)}</StepTitle>
      <p className="max-w-2xl text-2xl text-slate-700">{t(`kiosk.problem.${problem}.body`)}</p>
      <div className="flex flex-wrap justify-center gap-4">
        {canRetry && (
          <BigButton busy={busy} onClick={onRetry}>
            {t("kiosk.retry")}
          </BigButton>
        )}
        <BigButton variant={canRetry ? "secondary" : "primary"} onClick={onStartOver} disabled={busy}>
          {t("kiosk.startOver")}
        </BigButton>
      </div>
    </div>
  );
}
