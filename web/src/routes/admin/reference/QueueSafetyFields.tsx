// The queue form's patient-safety settings: when a patient is escalated (deadline-aware ordering:
// a multiple of their target; any ordering: a maximum wait), when staff are warned that the urgent
// group takes too much of the service time, the level self check-ins are ordered as until someone
// triages them, and whether a transfer keeps the patient's arrival time for the target clock.
import { TRIAGE_LEVELS, type TriageLevel } from "@carequeue/graphql";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { CheckField, SelectInput } from "../forms/Fields";
import type { QueueValues } from "./QueueForm";
import type { ReferenceEditor } from "./useReferenceEditor";

export type SafetyNumber = "escalationPercent" | "maxWaitMinutes" | "urgentShareLimitPercent";

/** The server's defaults (issue 11 contract). */
export const SAFETY_DEFAULTS: Record<SafetyNumber, number> = { escalationPercent: 150, maxWaitMinutes: 360, urgentShareLimitPercent: 50 };

/** The server's ranges, checked before saving too. */
export const SAFETY_RANGES = {
  escalationPercent: [100, 1000],
  maxWaitMinutes: [30, 1440],
  urgentShareLimitPercent: [10, 100],
} as const satisfies Record<SafetyNumber, readonly [number, number]>;

export function QueueSafetyFields({
  editor,
  numberInput,
}: {
  editor: ReferenceEditor<QueueValues>;
  numberInput: (f: SafetyNumber, label: string, hint: string, range: readonly [number, number]) => ReactNode;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const { values, errors } = editor;
  const triage = values.ordering !== "FIFO";
  const number = (f: SafetyNumber) => numberInput(f, t(`queues.safety.${f}`), t(`queues.safety.${f}Hint`), SAFETY_RANGES[f]);
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">{t("queues.safety.title")}</legend>
      {values.ordering === "TRIAGE_DEADLINE_AWARE" && number("escalationPercent")}
      <div className="grid grid-cols-2 gap-3">
        {number("maxWaitMinutes")}
        {number("urgentShareLimitPercent")}
      </div>
      {triage && (
        <SelectInput
          label={t("queues.safety.selfCheckInLevel")}
          hint={t("queues.safety.selfCheckInLevelHint")}
          value={values.selfCheckInLevel}
          onChange={(e) => editor.set("selfCheckInLevel", e.target.value as TriageLevel)}
          error={errors.selfCheckInLevel}
        >
          {TRIAGE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {tc(`triage.${l}`)}
            </option>
          ))}
        </SelectInput>
      )}
      <CheckField label={t("queues.safety.transferKeepsArrival")} hint={t("queues.safety.transferKeepsArrivalHint")} {...editor.check("transferKeepsArrival")} />
    </fieldset>
  );
}
