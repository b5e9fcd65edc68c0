// React bindings: the provider, the session and the socket state. Plain React (no DOM, no React
// Native imports), so the web app and the patient app share them.
import { ApolloProvider } from "@apollo/client/react";
import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore } from "react";
import type { ReactNode } from "react";

import { storedSessionFrom, type CareQueueClient, type ConnectionStatus } from "./client";
import { getFragmentData } from "./generated/fragment-masking";
import { LoginDocument, LogoutDocument, Session_AuthPayloadFragmentDoc } from "./generated/graphql";
import type { StoredSession } from "./session";

const CareQueueContext = createContext<CareQueueClient | null>(null);

/** Makes the client (Apollo, session, socket) available to every hook below it. */
export function CareQueueProvider({ client, children }: { client: CareQueueClient; children: ReactNode }) {
  return (
    <ApolloProvider client={client.apollo}>
      <CareQueueContext.Provider value={client}>{children}</CareQueueContext.Provider>
    </ApolloProvider>
  );
}

/** The client given to CareQueueProvider. */
export function useCareQueue(): CareQueueClient {
  const c = useContext(CareQueueContext);
  if (!c) throw new Error("useCareQueue: wrap the app in <CareQueueProvider>");
  return c;
}

export interface SessionState {
  /** The signed-in session, or null. */
  session: StoredSession | null;
  /** False until the stored session has been read (render a splash, not the sign-in page). */
  ready: boolean;
  /** Signs in; rejects with the server's error (UNAUTHENTICATED: wrong email or password). */
  signIn(email: string, password: string): Promise<StoredSession>;
  /** Ends the session on the server (best effort) and here, and empties the cache. */
  signOut(): Promise<void>;
}

/** The current session and the sign-in / sign-out actions. */
export function useSession(): SessionState {
  const { apollo, session } = useCareQueue();
  const current = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.current(),
  );
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void session.ready.then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [session]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { data } = await apollo.mutate({ mutation: LoginDocument, variables: { email, password } });
      if (!data) throw new Error("login returned no data");
      const s = storedSessionFrom(getFragmentData(Session_AuthPayloadFragmentDoc, data.login));
      await apollo.clearStore();
      await session.signIn(s);
      return s;
    },
    [apollo, session],
  );

  const signOut = useCallback(async () => {
    const s = session.current();
    if (s) {
      await apollo
        .mutate({ mutation: LogoutDocument, variables: { refreshToken: s.refreshToken } })
        .catch(() => undefined); // signing out locally must work offline too
    }
    await session.signOut();
    await apollo.clearStore();
  }, [apollo, session]);

  return { session: current, ready, signIn, signOut };
}

/** The WebSocket's state: show "reconnecting" while live data may be stale. */
export function useConnectionStatus(): ConnectionStatus {
  const { connection } = useCareQueue();
  return useSyncExternalStore(
    (l) => connection.subscribe(l),
    () => connection.get(),
  );
}

/** The current time, updated every intervalMs: for waits and countdowns that move on their own. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
