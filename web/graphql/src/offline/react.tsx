// React bindings of the offline queue (plain React: shared by the web app and the patient app). The
// workflow hooks (hooks/tickets.ts) send through the queue given here; without one they send directly.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";

import type { OfflineQueue, OfflineQueueState } from "./queue";

const OfflineQueueContext = createContext<OfflineQueue | null>(null);

/** Makes the queue (or null: send directly) available to the workflow hooks below it. */
export function OfflineQueueProvider({ queue, children }: { queue: OfflineQueue | null; children: ReactNode }) {
  return <OfflineQueueContext.Provider value={queue}>{children}</OfflineQueueContext.Provider>;
}

/** The queue given to OfflineQueueProvider, or null. */
export function useOfflineQueue(): OfflineQueue | null {
  return useContext(OfflineQueueContext);
}

const NO_QUEUE: OfflineQueueState = { ready: true, pending: [], failed: [], replayed: [], sending: false, retryAt: null };
const noop = () => () => undefined;

/** The queue's pending and failed actions, live (empty lists when there is no queue). */
export function useOfflineQueueState(): OfflineQueueState {
  const queue = useOfflineQueue();
  return useSyncExternalStore(
    queue ? (l) => queue.subscribe(l) : noop,
    queue ? () => queue.get() : () => NO_QUEUE,
  );
}
