import { useApolloClient } from "@apollo/client/react";
import { useEffect, useState } from "react";

import { AttentionDepartmentChangedDocument } from "../generated/graphql";

/**
 * Subscribes once to the department's boardChanged (sent after every change of any of its queues)
 * and counts the changes: something to refetch on. One subscription per department, however many
 * queues it has. The subscription starts with the department's current state, which is not a change;
 * every later event is, including the first after a reconnect (a change may have been missed while
 * the socket was down, so a refetch is right).
 */
export function useDepartmentChanges(departmentID: string): number {
  const client = useApolloClient();
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    let first = true;
    const sub = client.subscribe({ query: AttentionDepartmentChangedDocument, variables: { departmentID } }).subscribe({
      next: (r) => {
        if (r.data?.boardChanged == null) return;
        if (first) {
          first = false;
          return;
        }
        setChanges((n) => n + 1);
      },
      error: () => undefined, // the panel still polls; the socket resubscribes after a reconnect
    });
    return () => sub.unsubscribe();
  }, [client, departmentID]);
  return changes;
}
