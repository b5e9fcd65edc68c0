import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";

import { ClinicianQueueDocument, type ClinicianQueueSubscription } from "../../generated/graphql";

export type LiveQueue = { snapshot?: ClinicianQueueSubscription["queueChanged"]; error?: unknown };

/**
 * Subscribes to queueChanged for each queue id (a service point may serve several) and keeps the
 * latest snapshot of each. The socket resubscribes by itself after a reconnect, and every
 * subscription starts with the current state, so the lists converge without refetching.
 */
export function useLiveQueues(queueIDs: readonly string[]): Record<string, LiveQueue> {
  const client = useApolloClient();
  const [state, setState] = useState<Record<string, LiveQueue>>({});
  const key = queueIDs.join(",");
  useEffect(() => {
    setState({});
    const subs = key
      .split(",")
      .filter(Boolean)
      .map((queueID) =>
        client.subscribe({ query: ClinicianQueueDocument, variables: { queueID } }).subscribe({
          next: (r) => setState((s) => ({ ...s, [queueID]: r.data ? { snapshot: r.data.queueChanged } : { ...s[queueID], error: r.error } })),
          error: (error: unknown) => setState((s) => ({ ...s, [queueID]: { ...s[queueID], error } })),
        }),
      );
    return () => subs.forEach((s) => s.unsubscribe());
  }, [client, key]);
  return state;
}
