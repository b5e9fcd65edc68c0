// Whatever ends the session, nothing of the person stays: the cache is emptied and the account's
// offline store (with actions still waiting in it) is deleted; another account's store is left alone.
import "fake-indexeddb/auto";

import { SessionManager, memoryTokenStorage, type StoredSession } from "@carequeue/graphql";
import { describe, expect, it, vi } from "vitest";

import { idbOfflineStorage, offlineDatabaseName } from "../offline/idbStorage";
import { clearOnSignOut, endSession } from "./signOut";

const session = (id: string): StoredSession => ({
  accessToken: `a-${id}`,
  refreshToken: `r-${id}`,
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id, name: id, role: "RECEPTIONIST", facilityID: "FC1" },
  idleTimeoutSeconds: 900,
});

async function databases() {
  return (await indexedDB.databases()).map((d) => d.name).sort();
}

async function withPendingAction(userID: string) {
  const store = idbOfflineStorage(userID);
  await store.add({ id: `x-${userID}`, kind: "checkIn", payload: {}, idempotencyKey: "k", createdAt: new Date().toISOString() });
}

function fakeClient(initial: StoredSession | null) {
  const m = new SessionManager({ storage: memoryTokenStorage(initial), refresh: async () => session("next") });
  const apollo = { clearStore: vi.fn(async () => []), mutate: vi.fn(async () => ({ data: { logout: true } })) };
  return { session: m, apollo: apollo as never, calls: apollo };
}

describe("signing out", () => {
  it("ClearsTheCacheAndTheOfflineStoreOfTheAccountThatLeft", async () => {
    await withPendingAction("US-A");
    await withPendingAction("US-B");
    const client = fakeClient(session("US-A"));
    await client.session.ready;
    clearOnSignOut(client);

    await endSession(client, "SESSION_IDLE");

    expect(client.calls.mutate).toHaveBeenCalledTimes(1); // logout on the server
    expect(client.session.current()).toBeNull();
    expect(client.session.ended()).toMatchObject({ reason: "SESSION_IDLE", idleTimeoutSeconds: 900 });
    await vi.waitFor(async () => expect(await databases()).toEqual([offlineDatabaseName("US-B")]));
    expect(client.calls.clearStore).toHaveBeenCalledTimes(1);
  });

  it("ClearsWhenAnotherAccountTakesOver", async () => {
    await withPendingAction("US-C");
    const client = fakeClient(session("US-C"));
    await client.session.ready;
    clearOnSignOut(client);
    await client.session.signIn(session("US-D"));
    await vi.waitFor(async () => expect(await databases()).not.toContain(offlineDatabaseName("US-C")));
  });

  it("SignsOutLocallyWhenTheServerCannotBeReached", async () => {
    const client = fakeClient(session("US-E"));
    client.calls.mutate.mockRejectedValueOnce(new Error("offline"));
    await client.session.ready;
    await endSession(client, "SESSION_IDLE");
    expect(client.session.current()).toBeNull();
  });
});
