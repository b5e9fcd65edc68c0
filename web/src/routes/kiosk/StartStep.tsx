// The first screen: with the appointment letter's reference, or without it.
import { useTranslation } from "react-i18next";

import { BigButton } from "./BigButton";
import { StepTitle } from "./StepParts";

export function StartStep({ onReference, onPhone }: { onReference: () => void; onPhone: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col items-center gap-8 text-center">
      <StepTitle focus>{t("kiosk.welcome")}</StepTitle>
      <p className="text-2xl text-slate-700">{t("kiosk.intro")}</p>
      <div className="grid w-full gap-6 md:grid-cols-2">
        <BigButton className="min-h-40 flex-col" onClick={onReference}>
          <span className="text-3xl">{t("kiosk.withReference")}</span>
          <span className="text-lg font-normal text-teal-50">{t("kiosk.withReferenceHint")}</span>
        </BigButton>
        <BigButton variant="secondary" className="min-h-40 flex-col" onClick={onPhone}>
          <span className="text-3xl">{t("kiosk.withoutReference")}</span>
          <span className="text-lg font-normal text-slate-600">{t("kiosk.withoutReferenceHint")}</span>
        </BigButton>
      </div>
    </div>
  );
}
