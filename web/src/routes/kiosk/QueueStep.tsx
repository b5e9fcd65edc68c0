// "What are you here for?": the facility's active queues under a heading per department, for a patient
// without an appointment. Nothing is preselected; choosing one checks in.
import type { FragmentType } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import type { KioskQueueChoice_QueueFragmentDoc } from "../../generated/graphql";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { Loading } from "../../ui/Spinner";
import type { FieldError } from "./machine";
import { byDepartment, KioskDepartmentChoices } from "./KioskQueueChoice";
import { BackButton, StepError, StepTitle } from "./StepParts";

export type KioskQueue = FragmentType<typeof KioskQueueChoice_QueueFragmentDoc> & { id: string };

export interface QueueStepProps {
  queues: readonly KioskQueue[];
  queuesLoading: boolean;
  queuesError: unknown;
  onRetryQueues?: () => void;
  error: FieldError | null;
  /** The server's words for the error (StepError). */
  errorDetail?: string | null;
  busy: boolean;
  onChoose: (queueID: string) => void;
  onBack: () => void;
}

export function QueueStep({ queues, queuesLoading, queuesError, onRetryQueues, error, errorDetail, busy, onChoose, onBack }: QueueStepProps) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-6">
      <StepTitle focus>{t("kiosk.queue.title")}</StepTitle>
      <p className="text-xl text-slate-700">{t("kiosk.queue.hint")}</p>
      <StepError error={error} detail={errorDetail} />
      {queuesLoading && <Loading />}
      {queuesError !== undefined && !queuesLoading && <ErrorNotice error={queuesError} onRetry={onRetryQueues} />}
      {!queuesLoading && queuesError === undefined && queues.length === 0 && <p className="text-xl">{t("kiosk.queue.none")}</p>}
      <div className="flex flex-col gap-6">
        {byDepartment(queues).map((d) => (
          <KioskDepartmentChoices key={d.id} department={d} onChoose={onChoose} busy={busy} />
        ))}
      </div>
      {busy && (
        <p role="status" className="text-center text-xl">
          {t("kiosk.checkingIn")}
        </p>
      )}
      <div>
        <BackButton onBack={onBack} disabled={busy} />
      </div>
    </div>
  );
}
