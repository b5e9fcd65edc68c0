// The offline queue's storage in the browser: IndexedDB (through idb), one database per signed-in
// account, so a reload, a crash or a closed tab keeps the actions, and another account signing in on
// the same computer never sends them. Tabs of the same account share the database: replays take a
// Web Lock (one tab sends at a time) and every change is announced to the other tabs.
import type { FailedAction, OfflineStorage, QueuedAction } from "@carequeue/graphql";
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

interface OfflineDB extends DBSchema {
  /** Pending actions under an auto-increment key: its order is the order they were made in. */
  pending: { key: number; value: QueuedAction & { seq?: number }; indexes: { byId: string } };
  failed: { key: string; value: FailedAction };
}

const VERSION = 1;

/** The database name for an account (exported for tests and for clearing on request). */
export function offlineDatabaseName(scope: string): string {
  return `carequeue.offline.${scope}`;
}

function withoutSeq({ seq: _seq, ...action }: QueuedAction & { seq?: number }): QueuedAction {
  return action;
}

/** An OfflineStorage in IndexedDB for one account (scope: the user's id). */
export function idbOfflineStorage(scope: string): OfflineStorage {
  const name = offlineDatabaseName(scope);
  let opened: Promise<IDBPDatabase<OfflineDB>> | null = null;
  const db = () =>
    (opened ??= openDB<OfflineDB>(name, VERSION, {
      upgrade(d) {
        const pending = d.createObjectStore("pending", { keyPath: "seq", autoIncrement: true });
        pending.createIndex("byId", "id", { unique: true });
        d.createObjectStore("failed", { keyPath: "id" });
      },
      // A newer version of the app wants to upgrade the database: let it.
      blocking(_current, _next, event) {
        (event.target as IDBDatabase | null)?.close();
        opened = null;
      },
    }).catch((err: unknown) => {
      opened = null;
      throw err;
    }));

  let channel: BroadcastChannel | null = null;
  const broadcast = () => (channel ??= typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(name));
  const changed = () => broadcast()?.postMessage("changed");

  return {
    async pending() {
      return (await (await db()).getAll("pending")).map(withoutSeq);
    },
    async add(action) {
      await (await db()).add("pending", { ...action });
      changed();
    },
    async remove(id) {
      const tx = (await db()).transaction("pending", "readwrite");
      const key = await tx.store.index("byId").getKey(id);
      if (key !== undefined) await tx.store.delete(key);
      await tx.done;
      changed();
    },
    async fail(failure) {
      const tx = (await db()).transaction(["pending", "failed"], "readwrite");
      const pending = tx.objectStore("pending");
      const key = await pending.index("byId").getKey(failure.id);
      if (key !== undefined) await pending.delete(key);
      await tx.objectStore("failed").put(failure);
      await tx.done;
      changed();
    },
    async failed() {
      const all = await (await db()).getAll("failed");
      return all.sort((a, b) => a.failedAt.localeCompare(b.failedAt));
    },
    async dismiss(id) {
      await (await db()).delete("failed", id);
      changed();
    },
    exclusive: <T>(fn: () => Promise<T>) =>
      typeof navigator !== "undefined" && navigator.locks ? (navigator.locks.request(name, fn) as Promise<T>) : fn(),
    subscribe(listener) {
      const c = broadcast();
      if (!c) return () => undefined;
      const onMessage = () => listener();
      c.addEventListener("message", onMessage);
      return () => {
        c.removeEventListener("message", onMessage);
        c.close();
        if (channel === c) channel = null;
      };
    },
  };
}
