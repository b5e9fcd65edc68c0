// The browser build's session store: expo-secure-store has no web implementation, so the session is
// kept in sessionStorage (gone when the tab closes: the patient may be on a shared or borrowed device).
import type { StoredSession, TokenStorage } from "@carequeue/graphql";

import { parseSession } from "./session";

const KEY = "carequeue.session";

interface WebStorage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

export function secureTokenStorage(): TokenStorage {
  const store = (globalThis as { sessionStorage?: WebStorage }).sessionStorage;
  return {
    load: () => parseSession(store?.getItem(KEY) ?? null),
    save: (session: StoredSession | null) => {
      if (!store) return;
      if (session) store.setItem(KEY, JSON.stringify(session));
      else store.removeItem(KEY);
    },
  };
}
