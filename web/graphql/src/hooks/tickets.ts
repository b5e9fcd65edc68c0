// The queue workflow actions as hooks, shared by the web dashboards and the patient app. Each hook
// returns [action, state]: action(...) resolves with the resulting ticket or rejects with the server's
// error (read it with errorCode); state has `loading` and `error` for the UI. Screens never call
// useMutation for these themselves, so every caller gets the same idempotency and cache behaviour.
//
// Offline: below an OfflineQueueProvider every action goes through the offline queue (in order, with
// its idempotency key). When the network is down the action is kept and sent later: the action then
// rejects with ActionQueuedError (isActionQueued) and `state.queued` is true; that is not an error to
// show, but the screen may say "saved, will be sent". Without a queue, actions are sent directly.
import { useApolloClient } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState } from "react";

import { getFragmentData, type FragmentType } from "../generated/fragment-masking";
import {
  TicketAction_TicketFragmentDoc,
  type CheckInInput,
  type TicketAction_TicketFragment,
  type TriageLevel,
} from "../generated/graphql";
import { newIdempotencyKey } from "../idempotency";
import { ActionQueuedError, OfflineStorageError, type ActionMeta } from "../offline/queue";
import { useOfflineQueue } from "../offline/react";
import { executeWorkflowAction, type WorkflowKind, type WorkflowPayloads } from "../offline/workflow";

type Ticket = TicketAction_TicketFragment;
type MaskedTicket = FragmentType<typeof TicketAction_TicketFragmentDoc>;

/** What a workflow hook reports about its last action. */
export interface WorkflowState {
  loading: boolean;
  /** The server's (or the network's) error; never ActionQueuedError. */
  error: unknown;
  /** The last action was saved offline and will be sent when the connection returns. */
  queued: boolean;
}

/** Options every workflow action takes besides its arguments. */
export interface WorkflowOptions {
  /** Reuse the key of an earlier attempt of the same action; default: a new key per call. */
  idempotencyKey?: string;
  /** Shown in the list of pending or failed actions (ticket code, patient, queue). */
  meta?: ActionMeta;
}

function required(t: MaskedTicket | null | undefined, what: string): Ticket {
  if (!t) throw new Error(`${what} returned no ticket`);
  return getFragmentData(TicketAction_TicketFragmentDoc, t);
}

const idle: WorkflowState = { loading: false, error: undefined, queued: false };

/** Runs one kind of workflow action through the offline queue when there is one, else directly. */
function useWorkflow<K extends WorkflowKind>(kind: K) {
  const apollo = useApolloClient();
  const queue = useOfflineQueue();
  const [state, setState] = useState<WorkflowState>(idle);
  const inflight = useRef(new Set<string>());

  // A screen that goes away stops waiting: a later refusal is then kept in the queue's failures.
  useEffect(() => {
    const ids = inflight.current;
    return () => {
      for (const id of ids) queue?.release(id);
      ids.clear();
    };
  }, [queue]);

  const run = useCallback(
    async (payload: WorkflowPayloads[K], options: WorkflowOptions = {}): Promise<MaskedTicket | null> => {
      setState({ loading: true, error: undefined, queued: false });
      const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
      const direct = () =>
        executeWorkflowAction(apollo, { id: idempotencyKey, kind, payload, idempotencyKey, createdAt: new Date().toISOString() });
      try {
        let result: MaskedTicket | null;
        if (queue) {
          const id = newIdempotencyKey();
          inflight.current.add(id);
          try {
            const outcome = await queue.submit({ id, kind, payload, idempotencyKey, ...(options.meta ? { meta: options.meta } : {}) });
            if (outcome.status === "queued") throw new ActionQueuedError(outcome.action);
            result = outcome.result as MaskedTicket | null;
          } catch (err) {
            if (!(err instanceof OfflineStorageError)) throw err;
            result = await direct(); // nowhere to keep it: send it now
          } finally {
            inflight.current.delete(id);
          }
        } else {
          result = await direct();
        }
        setState(idle);
        return result;
      } catch (err) {
        setState(err instanceof ActionQueuedError ? { loading: false, error: undefined, queued: true } : { loading: false, error: err, queued: false });
        throw err;
      }
    },
    [apollo, queue, kind],
  );
  return [run, state] as const;
}

/**
 * Checks a patient in. The idempotency key defaults to a fresh one per call; pass your own and reuse
 * it when retrying the same check-in (after a timeout, or from the offline queue) so the server
 * returns the first ticket instead of creating a second.
 */
export function useCheckIn() {
  const [run, state] = useWorkflow("checkIn");
  const checkIn = useCallback(
    async (input: CheckInInput, meta?: ActionMeta): Promise<Ticket> => {
      const { idempotencyKey, ...rest } = input;
      return required(await run({ input: rest }, { idempotencyKey: idempotencyKey ?? undefined, meta }), "checkIn");
    },
    [run],
  );
  return [checkIn, state] as const;
}

/** Calls the next waiting patient of a queue to a service point; resolves null when nobody waits. */
export function useCallNext() {
  const [run, state] = useWorkflow("callNext");
  const callNext = useCallback(
    async (queueID: string, servicePointID: string, meta?: ActionMeta): Promise<Ticket | null> => {
      const t = await run({ queueID, servicePointID }, { meta });
      return t ? getFragmentData(TicketAction_TicketFragmentDoc, t) : null;
    },
    [run],
  );
  return [callNext, state] as const;
}

/** Calls a CALLED ticket again (the board chimes again). */
export function useRecallTicket() {
  const [run, state] = useWorkflow("recallTicket");
  const recall = useCallback(
    async (ticketID: string, meta?: ActionMeta) => required(await run({ ticketID }, { meta }), "recallTicket"),
    [run],
  );
  return [recall, state] as const;
}

/** The called patient has arrived: service starts. */
export function useStartService() {
  const [run, state] = useWorkflow("startService");
  const start = useCallback(
    async (ticketID: string, meta?: ActionMeta) => required(await run({ ticketID }, { meta }), "startService"),
    [run],
  );
  return [start, state] as const;
}

/** Service finished, with an optional note. */
export function useCompleteTicket() {
  const [run, state] = useWorkflow("completeTicket");
  const complete = useCallback(
    async (ticketID: string, note?: string, meta?: ActionMeta) =>
      required(await run({ ticketID, note: note || null }, { meta }), "completeTicket"),
    [run],
  );
  return [complete, state] as const;
}

/** The called patient did not come. */
export function useMarkNoShow() {
  const [run, state] = useWorkflow("markNoShow");
  const markNoShow = useCallback(
    async (ticketID: string, meta?: ActionMeta) => required(await run({ ticketID }, { meta }), "markNoShow"),
    [run],
  );
  return [markNoShow, state] as const;
}

/** Takes a waiting or called ticket out of its queue; the reason is recorded in the audit log. */
export function useCancelTicket() {
  const [run, state] = useWorkflow("cancelTicket");
  const cancel = useCallback(
    async (ticketID: string, reason: string, meta?: ActionMeta) => required(await run({ ticketID, reason }, { meta }), "cancelTicket"),
    [run],
  );
  return [cancel, state] as const;
}

/** Closes the ticket and opens a linked one in another queue; resolves with the new ticket. */
export function useTransferTicket() {
  const [run, state] = useWorkflow("transferTicket");
  const transfer = useCallback(
    async (ticketID: string, queueID: string, triageLevel?: TriageLevel, meta?: ActionMeta) =>
      required(await run({ ticketID, queueID, triageLevel: triageLevel ?? null }, { meta }), "transferTicket"),
    [run],
  );
  return [transfer, state] as const;
}

/**
 * Changes a waiting or called ticket's triage level (its deadline moves with it); a self check-in
 * awaiting triage is triaged by it, even at the same level. The optional reason (up to 500
 * characters) is recorded with the actor and the old level. Pass one idempotencyKey per intended
 * re-triage and reuse it when retrying after a failure, so a retry cannot apply it twice.
 */
export function useRetriageTicket() {
  const [run, state] = useWorkflow("retriageTicket");
  const retriage = useCallback(
    async (ticketID: string, triageLevel: TriageLevel, { reason, ...options }: WorkflowOptions & { reason?: string } = {}) =>
      required(await run({ ticketID, triageLevel, reason: reason || null }, options), "retriageTicket"),
    [run],
  );
  return [retriage, state] as const;
}
