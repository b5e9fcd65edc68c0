// @carequeue/graphql: the typed GraphQL layer shared by the web app (web/) and the patient app.
// Platform-neutral by rule: no DOM and no React Native imports (tsconfig has no "DOM" lib).
//
//   documents/*.graphql     the operations and fragments the shared hooks and the patient app use (the
//                           web app's own sit beside its components); run `npm run codegen` after editing
//   generated/              their TypeScript types and typed documents (never edit; CI checks)
//   client.ts               createCareQueueClient: Apollo Client + session + socket
//   session.ts              TokenStorage (pluggable) and SessionManager (refresh, single-flight)
//   react.tsx, hooks/       provider, session and socket hooks, shared mutation hooks
//   offline/                the offline action queue (storage-agnostic) the workflow hooks send through,
//                           sent as syncPush batches after an outage; the change feed (syncPull),
//                           read only when there is something to catch up with (CatchUp)
//   wait.ts                 patientWait: the wait range as patients are told it (web status, kiosk, app)
//   locale.ts               the locale rules both apps format with (tag, 24-hour clock, usable zone)
//   scrub.ts                scrubEvent, the error reports' beforeSend (no patient data leaves a device); errorReports
//
// getFragmentData, FragmentType and makeFragmentData are generic over any typed document: the web app
// reads the fragments it generates itself with them too.

export * from "./generated/graphql";
export { getFragmentData, makeFragmentData, isFragmentReady } from "./generated/fragment-masking";
export type { FragmentType } from "./generated/fragment-masking";

export {
  createCareQueueClient,
  createCache,
  httpRefresh,
  storedSessionFrom,
  type CareQueueClient,
  type CareQueueClientOptions,
  type ConnectionStatus,
  type Watchable,
} from "./client";
export {
  SessionExpiredError,
  SessionManager,
  memoryTokenStorage,
  type RefreshFunction,
  type SessionEnd,
  type SessionManagerOptions,
  type SessionUser,
  type StoredSession,
  type TokenStorage,
} from "./session";
export {
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  SocketClosedError,
  errorCode,
  errorDetail,
  type ErrorCode,
  type ServerErrorCode,
} from "./errors";
export { nodes } from "./connection";
export { newIdempotencyKey } from "./idempotency";
export { TICKET_STATUSES, TRIAGE_LEVELS, minutesSince, minutesUntil } from "./triage";
export { patientWait, type PatientWait } from "./wait";
export {
  CareQueueProvider,
  useCareQueue,
  useConnectionStatus,
  useNow,
  useSession,
  type SessionState,
} from "./react";
export {
  useCallNext,
  useCancelTicket,
  useCheckIn,
  useCompleteTicket,
  useMarkNoShow,
  useRecallTicket,
  useRetriageTicket,
  useStartService,
  useTransferTicket,
} from "./hooks/tickets";
export { useRegisterPatient } from "./hooks/patients";
export type { WorkflowOptions, WorkflowState } from "./hooks/tickets";
export {
  ActionQueuedError,
  AttemptTimeoutError,
  EXPIRED,
  OfflineQueue,
  OfflineStorageError,
  MAX_REPLAYED,
  isActionQueued,
  memoryOfflineStorage,
  type ActionInput,
  type ActionMeta,
  type ErrorVerdict,
  type FailedAction,
  type OfflineQueueOptions,
  type OfflineQueueState,
  type OfflineStorage,
  type BatchOutcome,
  type QueuedAction,
  type ReplayEvent,
  type ReplayedAction,
  type SubmitOutcome,
} from "./offline/queue";
export {
  WORKFLOW_KINDS,
  classifyWorkflowError,
  describeWorkflowError,
  executeWorkflowAction,
  executeWorkflowBatch,
  isWorkflowKind,
  syncOperation,
  SYNC_BATCH_SIZE,
  type WorkflowKind,
  type WorkflowPayloads,
} from "./offline/workflow";
export { OfflineQueueProvider, useOfflineQueue, useOfflineQueueState } from "./offline/react";
export { ChangeFeed, RESYNC_REQUIRED, type ChangeFeedOptions } from "./offline/feed";
export { CatchUp, type CatchUpOptions } from "./offline/catchup";
export { canonicalLocale, displayLocale, uses24HourClock, validTimeZone } from "./locale";
export { FILTERED, errorReports, patientValues, scrubEvent, scrubText, scrubUrl, type ReportingSdk, type ScrubbableEvent } from "./scrub";
