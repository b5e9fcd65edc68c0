// The queue workflow mutations as offline-queue actions: what each kind carries, how it is sent (with
// its idempotency key), and which errors mean "try again later".
import type { ApolloClient } from "@apollo/client";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

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
  TransferTicketDocument,
  type CheckInInput,
  type TicketAction_TicketFragmentDoc,
  type TriageLevel,
} from "../generated/graphql";
import { AttemptTimeoutError, type ErrorVerdict, type QueuedAction } from "./queue";

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
