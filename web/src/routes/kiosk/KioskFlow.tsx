// The self check-in flow on the lobby touch screen. Its steps are a state machine (machine.ts: the
// steps, the events, every transition; run by useKioskMachine) and a component each; this one holds
// them together: the header, the step on screen, and starting over. Every attempt carries an
// idempotency key (kept while the patient retries the same details). After KIOSK_IDLE_MS without a
// touch the screen starts over and forgets everything it was told, and the language goes back to the
// kiosk's own.
import { newIdempotencyKey } from "@carequeue/graphql";
import { useCallback, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { changeLanguage, isLanguage } from "../../i18n";
import { dateFieldOrder } from "../../i18n/format";
import { useFacilityFormat } from "../../i18n/useFormat";
import { DobStep } from "./DobStep";
import { KioskHeader } from "./KioskHeader";
import { KioskTicket } from "./KioskTicket";
import { canRetry } from "./machine";
import { PhoneStep } from "./PhoneStep";
import { ProblemStep } from "./ProblemStep";
import { QueueStep, type KioskQueue } from "./QueueStep";
import { ReferenceStep } from "./ReferenceStep";
import { StartStep } from "./StartStep";
import { KIOSK_IDLE_MS, useIdleReset } from "./useIdleReset";
import { useKioskCheckIn } from "./useKioskCheckIn";
import { useKioskMachine, type KioskFlowEvent, type KioskFlowState } from "./useKioskMachine";
import { useValidatePhone } from "./useValidatePhone";

export interface KioskFlowProps {
  /** The facility's active queues, for patients without an appointment. */
  queues: readonly KioskQueue[];
  queuesLoading?: boolean;
  queuesError?: unknown;
  onRetryQueues?: () => void;
  /** How long without a touch before the screen starts over (default KIOSK_IDLE_MS). */
  idleMs?: number;
}

export function KioskFlow({ queues, queuesLoading = false, queuesError, onRetryQueues, idleMs = KIOSK_IDLE_MS }: KioskFlowProps) {
  const { i18n } = useTranslation();
  const homeLanguage = useRef(i18n.language);
  const [checkIn, { reset }] = useKioskCheckIn();
  const { locale } = useFacilityFormat();
  const [state, send] = useKioskMachine(checkIn, useValidatePhone(), dateFieldOrder(locale ?? i18n.language));

  const startOver = useCallback(() => {
    send({ type: "startOver" });
    reset();
    const home = homeLanguage.current;
    if (isLanguage(home) && i18n.language !== home) void changeLanguage(home, false);
  }, [send, i18n, reset]);

  const active = state.step !== "start" || i18n.language !== homeLanguage.current;
  const secondsLeft = useIdleReset(active && !state.submitting, idleMs, startOver);

  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <KioskHeader />
      <main className="mx-auto flex w-full max-w-4xl flex-1 flex-col justify-center p-6" data-testid={`kiosk-step-${state.step}`}>
        <StepScreen
          state={state}
          send={send}
          queues={{ queues, queuesLoading, queuesError, onRetryQueues }}
          secondsLeft={secondsLeft}
          onStartOver={startOver}
        />
      </main>
    </div>
  );
}

interface StepScreenProps {
  state: KioskFlowState;
  send: (event: KioskFlowEvent) => void;
  queues: Pick<KioskFlowProps, "queues" | "onRetryQueues"> & { queuesLoading: boolean; queuesError: unknown };
  secondsLeft: number;
  onStartOver: () => void;
}

/** The current step's screen, wired to the machine. */
function StepScreen({ state, send, queues, secondsLeft, onStartOver }: StepScreenProps): ReactNode {
  const { error, submitting: busy } = state;
  const onBack = () => send({ type: "back" });
  switch (state.step) {
    case "start":
      return <StartStep onReference={() => send({ type: "chooseReference" })} onPhone={() => send({ type: "choosePhone" })} />;
    case "reference":
      return (
        <ReferenceStep
          value={state.reference}
          error={error}
          errorDetail={state.errorDetail}
          busy={busy}
          onChange={(value) => send({ type: "referenceChanged", value })}
          onKey={(key) => send({ type: "referenceKey", key })}
          onDelete={() => send({ type: "referenceDelete" })}
          onSubmit={() => send({ type: "submitReference", newKey: newIdempotencyKey() })}
          onBack={onBack}
        />
      );
    case "phone":
      return (
        <PhoneStep
          value={state.phone}
          error={error}
          errorDetail={state.errorDetail}
          busy={busy || state.checkingPhone}
          onChange={(value) => send({ type: "phoneChanged", value })}
          onKey={(key) => send({ type: "phoneKey", key })}
          onDelete={() => send({ type: "phoneDelete" })}
          onSubmit={() => send({ type: "submitPhone" })}
          onBack={onBack}
        />
      );
    case "dob":
      return (
        <DobStep
          dob={state.dob}
          field={state.dobField}
          order={state.dobOrder}
          error={error}
          errorDetail={state.errorDetail}
          busy={busy}
          onChange={(field, value) => send({ type: "dobChanged", field, value })}
          onFocusField={(field) => send({ type: "dobFocused", field })}
          onKey={(key) => send({ type: "dobKey", key })}
          onDelete={() => send({ type: "dobDelete" })}
          onSubmit={() => send({ type: "submitDob", now: Date.now() })}
          onBack={onBack}
        />
      );
    case "queue":
      return (
        <QueueStep
          {...queues}
          error={error}
          errorDetail={state.errorDetail}
          busy={busy}
          onChoose={(queueID) => send({ type: "chooseQueue", queueID, now: Date.now(), newKey: newIdempotencyKey() })}
          onBack={onBack}
        />
      );
    case "ticket":
      return state.ticket && <KioskTicket ticket={state.ticket} secondsLeft={secondsLeft} onDone={onStartOver} />;
    case "problem":
      return <ProblemStep problem={state.problem ?? "OTHER"} canRetry={canRetry(state)} busy={busy} onRetry={() => send({ type: "retry" })} onStartOver={onStartOver} />;
  }
}
