// The web's TokenStorage: the session in localStorage, shared by every tab of this origin. Refreshes
// run under a Web Lock so two tabs never present the same refresh token (the server would take the
// second use as a replay and end the session), and a change made in one tab reaches the others
// through the storage event.
import type { StoredSession, TokenStorage } from "@carequeue/graphql";

const KEY = "carequeue.session";
const LOCK = "carequeue.session.refresh";

function parse(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    return typeof s.accessToken === "string" && typeof s.refreshToken === "string" ? s : null;
  } catch {
    return null;
  }
}

export function localTokenStorage(storage: Storage = localStorage): TokenStorage {
  return {
    load: () => parse(storage.getItem(KEY)),
    save: (s) => {
      if (s) storage.setItem(KEY, JSON.stringify(s));
      else storage.removeItem(KEY);
    },
    exclusive: <T>(fn: () => Promise<T>) =>
      typeof navigator !== "undefined" && navigator.locks
        ? (navigator.locks.request(LOCK, fn) as Promise<T>)
        : fn(),
    subscribe: (listener) => {
      const onStorage = (e: StorageEvent) => {
        if (e.key === KEY || e.key === null) listener(parse(storage.getItem(KEY)));
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  };
}
