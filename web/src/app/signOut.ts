// Signing out on a shared workstation leaves nothing of the person behind: whenever the session ends
// (the sign-out button, the idle timer, a refresh the server refused, another tab), the Apollo cache
// and the account's offline store are emptied. Actions still waiting in the offline store are
// dropped with it: patient data must not stay on a shared computer for the next person.
import { LogoutDocument, type CareQueueClient } from "@carequeue/graphql";
import { deleteDB } from "idb";

import { offlineDatabaseName } from "../offline/idbStorage";

/** Deletes the offline store of account userID (an open queue is told to close first). */
export async function deleteOfflineStore(userID: string): Promise<void> {
  if (typeof indexedDB === "undefined") return;
  await deleteDB(offlineDatabaseName(userID));
}

/** Empties the cache and the offline store each time the session ends; returns the unsubscribe. */
export function clearOnSignOut(client: Pick<CareQueueClient, "apollo" | "session">): () => void {
  let userID = client.session.current()?.user.id ?? null;
  return client.session.subscribe((s) => {
    const ended = userID !== null && s?.user.id !== userID ? userID : null;
    userID = s?.user.id ?? null;
    if (ended === null) return;
    void client.apollo.clearStore().catch(() => undefined);
    void deleteOfflineStore(ended).catch(() => undefined);
  });
}

/** Ends the session for reason (SESSION_IDLE): on the server (best effort, offline too) and here. */
export async function endSession(client: Pick<CareQueueClient, "apollo" | "session">, reason: string): Promise<void> {
  const s = client.session.current();
  if (s) {
    await client.apollo
      .mutate({ mutation: LogoutDocument, variables: { refreshToken: s.refreshToken } })
      .catch(() => undefined);
  }
  await client.session.signOut(reason);
}
