// The Apollo Client every CareQueue app uses: queries and mutations over HTTP, subscriptions over
// graphql-ws, the access token on both (header / connection_init payload), one refresh when the
// server answers UNAUTHENTICATED, and a socket that reconnects by itself.
//
//   retry on UNAUTHENTICATED ─▶ attach token ─▶ hash for text ─▶ split ─┬─ subscription ─▶ graphql-ws (WebSocket)
//                                                                       └─ otherwise ─────▶ HTTP POST
//
// "hash for text" (persisted.ts): the generated documents go as their SHA-256, which the server's
// trusted-documents list holds.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { print } from "@apollo/client/utilities";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Observable, catchError, from, mergeMap, of, throwError } from "rxjs";

import { SocketClosedError, errorCode, resultIsUnauthenticated } from "./errors";
import { RefreshSessionDocument, type Session_AuthPayloadFragment } from "./generated/graphql";
import { documentHash, hashNotFound, persistedDocumentLink, persistedQuery, sendsQuery } from "./persisted";
import {
  SessionExpiredError,
  SessionManager,
  type RefreshFunction,
  type StoredSession,
  type TokenStorage,
} from "./session";

/** The WebSocket's state, for an "offline / reconnecting" indicator. */
export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting";

/** A value that changes over time, readable by React (useSyncExternalStore) and by anyone else. */
export interface Watchable<T> {
  get(): T;
  subscribe(listener: () => void): () => void;
}

export interface CareQueueClientOptions {
  /** The GraphQL HTTP endpoint: "/graphql" in the web app, an absolute URL on a phone. */
  httpUrl: string;
  /** The GraphQL WebSocket endpoint (ws:// or wss://, same path as HTTP). */
  wsUrl: string;
  /** Where the session lives (web: localStorage; React Native: secure storage). */
  storage: TokenStorage;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A WebSocket constructor where there is no global one (Node tests). */
  webSocketImpl?: unknown;
  /** Longest pause between reconnect attempts (default 10 s). */
  maxRetryDelayMs?: number;
  /** How often the client pings the server to notice a dead socket (default 15 s). */
  keepAliveMs?: number;
  /** See SessionManagerOptions.mayRefresh (default: always). */
  mayRefresh?: (session: StoredSession) => boolean;
}

export interface CareQueueClient {
  apollo: ApolloClient;
  session: SessionManager;
  connection: Watchable<ConnectionStatus>;
  /** Drops the socket so it reconnects (with the current token) and resubscribes everything. */
  reconnect(): void;
  /** Closes the socket and stops listening. */
  dispose(): void;
}

/** Turns the login/refresh payload into what a TokenStorage keeps. */
export function storedSessionFrom(p: Session_AuthPayloadFragment): StoredSession {
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    expiresAt: p.expiresAt,
    user: { id: p.user.id, name: p.user.name, role: p.user.role, facilityID: p.user.facilityID },
    idleTimeoutSeconds: p.idleTimeoutSeconds ?? null,
  };
}

/**
 * refreshSession over plain HTTP, outside Apollo's link chain (which waits for it). A refused token
 * is SessionExpiredError; anything else (network, 5xx, rate limit) is a plain Error.
 */
export function httpRefresh(httpUrl: string, fetchImpl: typeof fetch): RefreshFunction {
  const hash = documentHash(RefreshSessionDocument);
  const query = print(RefreshSessionDocument);
  const post = (refreshToken: string, withHash: boolean) =>
    fetchImpl(httpUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(
        withHash && hash
          ? { operationName: "RefreshSession", variables: { refreshToken }, extensions: { persistedQuery: persistedQuery(hash) } }
          : { operationName: "RefreshSession", query, variables: { refreshToken } },
      ),
    });
  return async (refreshToken) => {
    let res = await post(refreshToken, true);
    let body: {
      data?: { refreshSession?: Session_AuthPayloadFragment | null } | null;
      errors?: { message?: string; extensions?: { code?: string; reason?: string } }[];
    };
    try {
      body = await res.json();
      if (hashNotFound(body)) {
        // A server built from other documents: send the text (see persisted.ts).
        res = await post(refreshToken, false);
        body = await res.json();
      }
    } catch {
      throw new Error(`refreshSession: HTTP ${res.status}`);
    }
    const first = body.errors?.[0];
    const code = first?.extensions?.code;
    if (code === "UNAUTHENTICATED" || code === "BAD_USER_INPUT" || code === "FORBIDDEN") {
      throw new SessionExpiredError(first?.message, first?.extensions?.reason ?? null);
    }
    const payload = body.data?.refreshSession;
    if (!payload) throw new Error(`refreshSession failed: ${first?.message ?? `HTTP ${res.status}`}`);
    return storedSessionFrom(payload);
  };
}

/** The arguments that tell apart the cached lists of one connection field; `after` is not one. */
const PAGED_BY = ["first", "orderBy", "where"];

/** The Apollo cache with CareQueue's identities for objects that have no id of their own. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      // One snapshot per queue / board: subscription pushes replace what the page query loaded.
      QueueSnapshot: { keyFields: ["queue", ["id"]] },
      BoardSnapshot: { keyFields: ["departmentID"] },
      // PublicTicketStatus has no identity we may see: pages update it with subscribeToMore.
      PublicTicketStatus: { keyFields: false },
      // The admin lists page with "Load more": a page fetched with `after` is appended to the pages
      // before it (one cache entry per page size, ordering and filter, whatever `after` was); a query
      // without `after` (a refetch) starts the list again from its first page. The page size is part
      // of the entry so that a screen asking for one facility never stands in for a list of them.
      Query: {
        fields: {
          facilities: relayStylePagination(PAGED_BY),
          departments: relayStylePagination(PAGED_BY),
          queues: relayStylePagination(PAGED_BY),
          servicePoints: relayStylePagination(PAGED_BY),
        },
      },
    },
  });
}

interface TokenContext {
  /** The access token the link attached to this attempt (null: sent anonymously). */
  cqAccessToken?: string | null;
}

/** Attaches the current access token (refreshed first when it is about to expire). */
function tokenLink(session: SessionManager): ApolloLink {
  return new ApolloLink((operation, forward) =>
    from(session.accessToken()).pipe(
      mergeMap((token) => {
        operation.setContext((prev) => {
          const headers = { ...(prev.headers as Record<string, string> | undefined) };
          if (token) headers.authorization = `Bearer ${token}`;
          else delete headers.authorization;
          return { headers, cqAccessToken: token } as Partial<ApolloLink.OperationContext>;
        });
        return forward(operation);
      }),
    ),
  );
}

/**
 * Retries an operation once after a refresh when the server refused its token: HTTP 401, a GraphQL
 * error with code UNAUTHENTICATED while a session exists, or the socket closed with 4401 or 4403. Concurrent
 * failures share one refreshSession call (SessionManager.refresh is single-flight).
 */
function refreshOnUnauthenticatedLink(session: SessionManager): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const sentToken = () => (operation.getContext() as TokenContext).cqAccessToken ?? undefined;
    const refreshed = (): Observable<boolean> =>
      session.current() ? from(session.refresh(sentToken()).catch(() => false)) : of(false);
    const attempt = (retried: boolean): Observable<ApolloLink.Result> =>
      forward(operation).pipe(
        mergeMap((result) => {
          if (retried || !resultIsUnauthenticated(result as { errors?: [] }) || !session.current()) {
            return of(result);
          }
          return refreshed().pipe(mergeMap((ok) => (ok ? attempt(true) : of(result))));
        }),
        catchError((err: unknown) => {
          if (retried || errorCode(err) !== "UNAUTHENTICATED") return throwError(() => err);
          return refreshed().pipe(mergeMap((ok) => (ok ? attempt(true) : throwError(() => err))));
        }),
      );
    return attempt(false);
  });
}

/** A terminating link over graphql-ws that reports close codes as SocketClosedError. */
class WsLink extends ApolloLink {
  private readonly ws: WsClient;
  constructor(ws: WsClient) {
    super();
    this.ws = ws;
  }
  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) =>
      this.ws.subscribe(
        {
          // "" with a hash in extensions.persistedQuery: the server runs its trusted copy.
          query: sendsQuery(operation) ? print(operation.query) : "",
          variables: operation.variables,
          operationName: operation.operationName,
          extensions: operation.extensions,
        },
        {
          next: (value) => observer.next(value as ApolloLink.Result),
          complete: () => observer.complete(),
          error: (err: unknown) => {
            if (Array.isArray(err)) {
              // The server refused the operation (an "error" message): a result with errors.
              observer.next({ errors: err } as ApolloLink.Result);
              observer.complete();
            } else if (isCloseEvent(err)) {
              observer.error(new SocketClosedError(err.code, err.reason));
            } else {
              observer.error(err instanceof Error ? err : new Error(String(err)));
            }
          },
        },
      ),
    );
  }
}

function isCloseEvent(v: unknown): v is { code: number; reason: string } {
  return typeof v === "object" && v !== null && "code" in v && "reason" in v;
}

/** A Watchable whose value set() changes (listeners hear only real changes). */
export function watchable<T>(initial: T): Watchable<T> & { set(v: T): void } {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(v: T) {
      if (v === value) return;
      value = v;
      for (const l of [...listeners]) l();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

const WS_OPEN = 1; // WebSocket.OPEN, without naming the DOM global

/** Builds the Apollo Client, its session and its socket. Call dispose() when done. */
export function createCareQueueClient(options: CareQueueClientOptions): CareQueueClient {
  // Late-bound, so a polyfill installed after this call is used. The cast: where the platform declares
  // fetch with several overloads (React Native's and the DOM's types together), a rest-args wrapper
  // matches only the last one.
  const fetchImpl = options.fetch ?? (((...args: Parameters<typeof fetch>) => fetch(...args)) as typeof fetch);
  const session = new SessionManager({
    storage: options.storage,
    refresh: httpRefresh(options.httpUrl, fetchImpl),
    mayRefresh: options.mayRefresh,
  });
  const connection = watchable<ConnectionStatus>("idle");
  const maxDelay = options.maxRetryDelayMs ?? 10_000;
  const keepAlive = options.keepAliveMs ?? 15_000;

  let socket: { readyState: number; close(code: number, reason: string): void } | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let everConnected = false;

  const ws = createWsClient({
    url: options.wsUrl,
    webSocketImpl: options.webSocketImpl,
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const delay = Math.min(maxDelay, 500 * 2 ** retries) * (0.5 + Math.random() / 2);
      await new Promise<void>((resolve) => setTimeout(resolve, delay));
    },
    // Called for every (re)connection, so a reconnect always presents a current token. A refused
    // token (close 4401) fails the subscriptions, and refreshOnUnauthenticatedLink resubscribes.
    connectionParams: async () => {
      const token = await session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => connection.set(everConnected ? "reconnecting" : "connecting"),
      connected: (s) => {
        socket = s as typeof socket;
        everConnected = true;
        connection.set("connected");
      },
      closed: (event) => {
        socket = undefined;
        clearTimeout(pongTimer);
        const code = isCloseEvent(event) ? event.code : 0;
        // 1000 after the last subscription ended (lazy close) is idle; anything else reconnects.
        connection.set(code === 1000 ? "idle" : everConnected ? "reconnecting" : "connecting");
      },
      // No pong within 5 s of our ping: the socket is dead even if the OS has not noticed yet.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WS_OPEN) socket.close(4408, "Request Timeout");
        }, 5_000);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  // Signing in, out or as someone else changes what the socket may see: reconnect with the new token.
  let userID = session.current()?.user.id ?? null;
  const unsubscribe = session.subscribe((s) => {
    const next = s?.user.id ?? null;
    if (next !== userID) {
      userID = next;
      ws.terminate();
    }
  });

  const http = new HttpLink({ uri: options.httpUrl, fetch: fetchImpl });
  const transport = ApolloLink.split(
    (op) => op.operationType === "subscription",
    new WsLink(ws),
    http,
  );
  const apollo = new ApolloClient({
    link: ApolloLink.from([refreshOnUnauthenticatedLink(session), tokenLink(session), persistedDocumentLink(), transport]),
    cache: createCache(),
  });

  return {
    apollo,
    session,
    connection,
    reconnect: () => ws.terminate(),
    dispose: () => {
      unsubscribe();
      session.dispose();
      void ws.dispose();
      apollo.stop();
    },
  };
}
