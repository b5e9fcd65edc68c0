// The queue workflow mutations as offline-queue actions: what each kind carries, how it is sent (with
// its idempotency key), and which errors mean "try again later".
import type { ApolloClient } from "@apollo/client";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import type { GraphQLFormattedError } from "graphql";

import { errorCode, errorDetail } from "../errors";
import type { FragmentType } from "../generated/fragment-masking";
import {
  CallNextDocument,
  CancelTicketDocument,
  CheckInDocument,
  CompleteTicketDocument,
  MarkNoShowDocument,
  RecallTicketDocument,
  RetriageTicketDocument,
  StartServiceDocument,
  SyncPushDocument,
  TransferTicketDocument,
  type CheckInInput,
  type SyncOperationInput,
  type TicketAction,
  type TicketAction_TicketFragmentDoc,
  type TriageLevel,
} from "../generated/graphql";
import { AttemptTimeoutError, type BatchOutcome, type ErrorVerdict, type QueuedAction } from "./queue";

/** The arguments of each workflow action (the idempotency key travels beside them). */
export interface WorkflowPayloads {
  checkIn: { input: Omit<CheckInInput, "idempotencyKey"> };
  callNext: { queueID: string; servicePointID: string };
  recallTicket: { ticketID: string };
  startService: { ticketID: string };
  completeTicket: { ticketID: string; note?: string | null };
  markNoShow: { ticketID: string };
  cancelTicket: { ticketID: string; reason: string };
  transferTicket: { ticketID: string; queueID: string; triageLevel?: TriageLevel | null };
  retriageTicket: { ticketID: string; triageLevel: TriageLevel; reason?: string | null };
}

export type WorkflowKind = keyof WorkflowPayloads;

/** Every workflow kind, in the order a screen lists them. */
export const WORKFLOW_KINDS: readonly WorkflowKind[] = [
  "checkIn",
  "callNext",
  "recallTicket",
  "startService",
  "completeTicket",
  "markNoShow",
  "cancelTicket",
  "transferTicket",
  "retriageTicket",
];

export function isWorkflowKind(kind: string): kind is WorkflowKind {
  return (WORKFLOW_KINDS as readonly string[]).includes(kind);
}

type MaskedTicket = FragmentType<typeof TicketAction_TicketFragmentDoc>;

/**
 * Sends one workflow action and resolves with the ticket it returned (masked as TicketAction_ticket;
 * null when callNext found nobody), or rejects with Apollo's error. The idempotency key goes with
 * every kind whose mutation takes one, so a replay of something the server already did is harmless.
 */
export async function executeWorkflowAction(apollo: ApolloClient, action: QueuedAction): Promise<MaskedTicket | null> {
  const key = action.idempotencyKey;
  const kind = action.kind;
  switch (kind) {
    case "checkIn": {
      const p = action.payload as WorkflowPayloads["checkIn"];
      const { data } = await apollo.mutate({ mutation: CheckInDocument, variables: { input: { ...p.input, idempotencyKey: key } } });
      return data?.checkIn ?? null;
    }
    case "callNext": {
      const p = action.payload as WorkflowPayloads["callNext"];
      const { data } = await apollo.mutate({ mutation: CallNextDocument, variables: { ...p, idempotencyKey: key } });
      return data?.callNext ?? null;
    }
    case "recallTicket": {
      const p = action.payload as WorkflowPayloads["recallTicket"];
      const { data } = await apollo.mutate({ mutation: RecallTicketDocument, variables: { ...p, idempotencyKey: key } });
      return data?.recallTicket ?? null;
    }
    case "startService": {
      const p = action.payload as WorkflowPayloads["startService"];
      const { data } = await apollo.mutate({ mutation: StartServiceDocument, variables: { ...p, idempotencyKey: key } });
      return data?.startService ?? null;
    }
    case "completeTicket": {
      const p = action.payload as WorkflowPayloads["completeTicket"];
      const { data } = await apollo.mutate({
        mutation: CompleteTicketDocument,
        variables: { ticketID: p.ticketID, note: p.note ?? null, idempotencyKey: key },
      });
      return data?.completeTicket ?? null;
    }
    case "markNoShow": {
      const p = action.payload as WorkflowPayloads["markNoShow"];
      const { data } = await apollo.mutate({ mutation: MarkNoShowDocument, variables: { ...p, idempotencyKey: key } });
      return data?.markNoShow ?? null;
    }
    case "cancelTicket": {
      const p = action.payload as WorkflowPayloads["cancelTicket"];
      const { data } = await apollo.mutate({ mutation: CancelTicketDocument, variables: { ...p, idempotencyKey: key } });
      return data?.cancelTicket ?? null;
    }
    case "transferTicket": {
      const p = action.payload as WorkflowPayloads["transferTicket"];
      const { data } = await apollo.mutate({
        mutation: TransferTicketDocument,
        variables: { ticketID: p.ticketID, queueID: p.queueID, triageLevel: p.triageLevel ?? null, idempotencyKey: key },
      });
      return data?.transferTicket ?? null;
    }
    case "retriageTicket": {
      const p = action.payload as WorkflowPayloads["retriageTicket"];
      const { data } = await apollo.mutate({
        mutation: RetriageTicketDocument,
        variables: { ticketID: p.ticketID, triageLevel: p.triageLevel, reason: p.reason ?? null, idempotencyKey: key },
      });
      return data?.retriageTicket ?? null;
    }
    default:
      throw new Error(`unknown workflow action ${kind}`);
  }
}

/**
 * "retry" for failures that say nothing about the action itself: no network, no answer in time, the
 * server or a proxy unavailable (5xx without a GraphQL error, or UNAVAILABLE: the database busy or
 * down), rate limited, or the session in need of a new sign-in. Everything else is the server's answer
 * to the action ("reject").
 */
export function classifyWorkflowError(error: unknown): ErrorVerdict {
  if (error instanceof AttemptTimeoutError) return "retry";
  if (ServerError.is(error) && errorDetail(error) === undefined && (error.statusCode >= 500 || error.statusCode === 408)) {
    return "retry";
  }
  const code = errorCode(error);
  if (code === "NETWORK" || code === "RATE_LIMITED" || code === "UNAVAILABLE" || code === "UNAUTHENTICATED") return "retry";
  return "reject";
}

/** The code and the server's message kept for a refused action. */
export function describeWorkflowError(error: unknown): { code: string; message?: string } {
  const code = errorCode(error) ?? "INTERNAL";
  const message = CombinedGraphQLErrors.is(error) || ServerError.is(error) ? errorDetail(error) : undefined;
  return message ? { code, message } : { code };
}

/** The sync operation kind of each workflow action. */
const SYNC_KINDS: Record<WorkflowKind, TicketAction> = {
  checkIn: "CHECK_IN",
  callNext: "CALL",
  recallTicket: "RECALL",
  startService: "START",
  completeTicket: "COMPLETE",
  markNoShow: "NO_SHOW",
  cancelTicket: "CANCEL",
  transferTicket: "TRANSFER",
  retriageTicket: "RETRIAGE",
};

/**
 * Operations per syncPush: each result's fields count once per operation against the server's query
 * complexity limit (10,000 by default), and TicketAction_ticket is about twenty of them.
 */
export const SYNC_BATCH_SIZE = 200;

/** The sync operation for a queued workflow action, numbered sequence. */
export function syncOperation(action: QueuedAction, sequence: number): SyncOperationInput {
  const kind = action.kind as WorkflowKind;
  const op: SyncOperationInput = { sequence, kind: SYNC_KINDS[kind], idempotencyKey: action.idempotencyKey };
  switch (kind) {
    case "checkIn": {
      const p = action.payload as WorkflowPayloads["checkIn"];
      return { ...op, checkIn: { ...p.input, idempotencyKey: action.idempotencyKey } };
    }
    case "callNext": {
      const p = action.payload as WorkflowPayloads["callNext"];
      return { ...op, queueID: p.queueID, servicePointID: p.servicePointID };
    }
    case "completeTicket": {
      const p = action.payload as WorkflowPayloads["completeTicket"];
      return { ...op, ticketID: p.ticketID, ...(p.note != null ? { note: p.note } : {}) };
    }
    case "cancelTicket": {
      const p = action.payload as WorkflowPayloads["cancelTicket"];
      return { ...op, ticketID: p.ticketID, reason: p.reason };
    }
    case "transferTicket": {
      const p = action.payload as WorkflowPayloads["transferTicket"];
      return { ...op, ticketID: p.ticketID, queueID: p.queueID, ...(p.triageLevel != null ? { triageLevel: p.triageLevel } : {}) };
    }
    case "retriageTicket": {
      const p = action.payload as WorkflowPayloads["retriageTicket"];
      return { ...op, ticketID: p.ticketID, triageLevel: p.triageLevel, ...(p.reason != null ? { reason: p.reason } : {}) };
    }
    default: {
      const p = action.payload as { ticketID: string };
      return { ...op, ticketID: p.ticketID };
    }
  }
}

/**
 * Sends workflow actions as one syncPush (numbered from 1, in order) and reads each result as the
 * queue needs it: done with the ticket (masked as TicketAction_ticket, as executeWorkflowAction gives
 * it), failed with the error the mutation would have rejected with (a CombinedGraphQLErrors, so
 * errorCode, classifyWorkflowError and the forms read it as they read a mutation's), or skipped: to
 * send again (NOT_REACHED) or refused because an earlier action on the same ticket failed. Rejects
 * with Apollo's error when the batch itself failed (network, or refused whole).
 */
export async function executeWorkflowBatch(apollo: ApolloClient, actions: readonly QueuedAction[]): Promise<BatchOutcome[]> {
  const { data } = await apollo.mutate({
    mutation: SyncPushDocument,
    variables: { operations: actions.map((a, i) => syncOperation(a, i + 1)) },
  });
  const results = data?.syncPush ?? [];
  if (results.length !== actions.length) throw new Error(`syncPush answered ${results.length} results for ${actions.length} operations`);
  return results.map((r): BatchOutcome => {
    if (r.status === "APPLIED") return { status: "done", result: r.ticket ?? null };
    const e = r.error;
    const error = new CombinedGraphQLErrors({
      data: null,
      errors: [
        {
          message: e?.message ?? "refused",
          extensions: { code: e?.code ?? "INTERNAL", ...(e?.field ? { field: e.field } : {}), ...(e?.reason ? { reason: e.reason } : {}) },
        } satisfies GraphQLFormattedError,
      ],
    });
    if (r.status === "SKIPPED") return { status: "skipped", error, retry: e?.reason === "NOT_REACHED" };
    return { status: "failed", error };
  });
}
