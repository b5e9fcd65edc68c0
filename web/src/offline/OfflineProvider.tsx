// Gives the staff dashboards their offline queue: one per signed-in staff account, kept in IndexedDB,
// replayed when the page starts, when the browser says it is online again, when the live socket
// connects and when the session is renewed (besides the queue's own backoff). What waits is sent as
// syncPush batches. The change feed (syncPull) is read only after a replay or an outage (or to renew an
// old cursor): CatchUp decides; it also watches the socket.
import {
  CatchUp,
  ChangeFeed,
  OfflineQueue,
  SYNC_BATCH_SIZE,
  OfflineQueueProvider,
  classifyWorkflowError,
  describeWorkflowError,
  executeWorkflowAction,
  executeWorkflowBatch,
  isWorkflowKind,
  useCareQueue,
  type CareQueueClient,
  type Role,
} from "@carequeue/graphql";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

import { idbOfflineStorage } from "./idbStorage";

/** Saved actions older than this are not sent any more (listed as expired): about one shift. */
export const OFFLINE_MAX_AGE_MS = 12 * 3_600_000;

/** The roles whose actions are kept while offline (the dashboards' users). */
export const OFFLINE_ROLES: readonly Role[] = ["RECEPTIONIST", "CLINICIAN", "ADMIN"];

/** The queue for one account, sending through the app's Apollo Client. */
export function createWebOfflineQueue(client: Pick<CareQueueClient, "apollo">, userID: string): OfflineQueue {
  return new OfflineQueue({
    storage: idbOfflineStorage(userID),
    execute: (action) => executeWorkflowAction(client.apollo, action),
    executeBatch: (actions) => executeWorkflowBatch(client.apollo, actions),
    batchable: (action) => isWorkflowKind(action.kind),
    batchSize: SYNC_BATCH_SIZE,
    classify: classifyWorkflowError,
    describe: describeWorkflowError,
    online: () => navigator.onLine,
    maxAgeMs: OFFLINE_MAX_AGE_MS,
  });
}

export function OfflineProvider({ children }: { children: ReactNode }) {
  const client = useCareQueue();
  const { session, connection } = client;
  const scope = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => {
      const user = session.current()?.user;
      return user && OFFLINE_ROLES.includes(user.role) ? user.id : null;
    },
  );
  const [queue, setQueue] = useState<OfflineQueue | null>(null);

  useEffect(() => {
    if (!scope || typeof indexedDB === "undefined") {
      setQueue(null);
      return;
    }
    const q = createWebOfflineQueue(client, scope);
    setQueue(q);
    const sync = new CatchUp({ queue: q, feed: new ChangeFeed({ apollo: client.apollo }), connection, online: () => navigator.onLine });
    // The feed's errors are the network's: the next occasion tries again from the same cursor.
    const flush = () => void sync.sync().catch(() => undefined);
    const offline = () => sync.wentOffline();
    window.addEventListener("online", flush);
    window.addEventListener("offline", offline);
    const stopSession = session.subscribe((s) => {
      if (s) flush();
    });
    void q.ready.then(flush); // what an earlier page (or a reload while offline) left behind
    return () => {
      window.removeEventListener("online", flush);
      window.removeEventListener("offline", offline);
      stopSession();
      sync.dispose();
      q.dispose();
    };
  }, [client, connection, session, scope]);

  return <OfflineQueueProvider queue={queue}>{children}</OfflineQueueProvider>;
}
