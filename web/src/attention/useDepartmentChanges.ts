import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";

import { AttentionQueueVersionDocument } from "../generated/graphql";

/**
 * Subscribes to queueChanged (the version only) for each queue and counts the changes: something to
 * refetch on. Each subscription starts with the queue's current state, which is not a change; after
 * a reconnect the first event counts when its version differs from the last one seen.
 */
export function useQueueChanges(queueIDs: readonly string[]): number {
  const client = useApolloClient();
  const [changes, setChanges] = useState(0);
  const ids = queueIDs.join(",");
  useEffect(() => {
    const seen: Record<string, number> = {};
    const subs = ids
      .split(",")
      .filter(Boolean)
      .map((queueID) =>
        client.subscribe({ query: AttentionQueueVersionDocument, variables: { queueID } }).subscribe({
          next: (r) => {
            const version = r.data?.queueChanged.version;
            if (version == null) return;
            const previous = seen[queueID];
            seen[queueID] = version;
            if (previous !== undefined && previous !== version) setChanges((n) => n + 1);
          },
          error: () => undefined, // the panel still polls; the socket resubscribes after a reconnect
        }),
      );
    return () => subs.forEach((s) => s.unsubscribe());
  }, [client, ids]);
  return changes;
}
