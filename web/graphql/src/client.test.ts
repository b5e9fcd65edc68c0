import type { TypedDocumentNode } from "@apollo/client";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { createCareQueueClient, httpRefresh } from "./client";
import { SessionExpiredError, memoryTokenStorage, type StoredSession } from "./session";

const user = { id: "US1", name: "Sam", role: "RECEPTIONIST" as const, facilityID: "FC1" };
const hour = () => new Date(Date.now() + 60 * 60_000).toISOString();
const initial: StoredSession = { accessToken: "old", refreshToken: "r1", expiresAt: hour(), user };

/** Any signed-in query will do: who is signed in. */
const Me: TypedDocumentNode<{ me: { id: string; name: string } | null }> = parse("query Me { me { id name } }");

/**
 * A fake /graphql: the server stopped accepting the "old" token (401 with UNAUTHENTICATED, as the
 * Go middleware answers) and rotates r1 → "new" on refreshSession, slowly.
 */
function fakeServer() {
  const calls = { refresh: 0, me: [] as string[] };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetchImpl = async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables: Record<string, string> };
    const headers = new Headers(init?.headers);
    if (body.operationName === "RefreshSession") {
      calls.refresh += 1;
      await new Promise((r) => setTimeout(r, 20));
      if (body.variables.refreshToken !== "r1") {
        return json(200, { errors: [{ message: "session revoked", extensions: { code: "UNAUTHENTICATED" } }], data: null });
      }
      return json(200, {
        data: {
          refreshSession: { __typename: "AuthPayload", accessToken: "new", refreshToken: "r2", expiresAt: hour(), user: { __typename: "User", ...user } },
        },
      });
    }
    const auth = headers.get("authorization") ?? "";
    calls.me.push(auth);
    if (auth !== "Bearer new") {
      return json(401, { errors: [{ message: "invalid access token", extensions: { code: "UNAUTHENTICATED" } }] });
    }
    return json(200, {
      data: { me: { __typename: "User", id: "US1", name: "Sam" } },
    });
  };
  return { calls, fetchImpl: fetchImpl as typeof fetch };
}

/** No socket is opened in these tests (no subscriptions); graphql-ws only checks the constructor. */
class NoWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
}

function client(storage: ReturnType<typeof memoryTokenStorage>, fetchImpl: typeof fetch) {
  return createCareQueueClient({
    httpUrl: "http://test/graphql",
    wsUrl: "ws://test/graphql",
    storage,
    fetch: fetchImpl,
    webSocketImpl: NoWebSocket,
  });
}

describe("createCareQueueClient", () => {
  it("RefreshesOnceAndRetriesEveryRequestRefusedForItsToken", async () => {
    const server = fakeServer();
    const storage = memoryTokenStorage(initial);
    const c = client(storage, server.fetchImpl);
    try {
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          c.apollo.query({ query: Me, fetchPolicy: "network-only", context: { queryDeduplication: false } }),
        ),
      );

      for (const r of results) expect(r.data?.me?.name).toBe("Sam");
      expect(server.calls.refresh).toBe(1);
      expect(server.calls.me.sort()).toEqual(["Bearer new", "Bearer new", "Bearer new", "Bearer old", "Bearer old", "Bearer old"]);
      expect(c.session.current()?.refreshToken).toBe("r2");
      expect((await storage.load())?.accessToken).toBe("new");
    } finally {
      c.dispose();
    }
  });

  it("SignsOutAndFailsWhenTheRefreshTokenIsRefused", async () => {
    const server = fakeServer();
    const storage = memoryTokenStorage({ ...initial, refreshToken: "stolen-and-used" });
    const c = client(storage, server.fetchImpl);
    try {
      await expect(c.apollo.query({ query: Me, fetchPolicy: "network-only" })).rejects.toThrow(/401/);
      expect(server.calls.refresh).toBe(1);
      expect(c.session.current()).toBeNull();
    } finally {
      c.dispose();
    }
  });
});

describe("httpRefresh", () => {
  const answer = (body: unknown) => async () =>
    new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

  it("PassesOnTheReasonOfARefusal", async () => {
    const refresh = httpRefresh("/graphql", answer({
      data: null,
      errors: [{ message: "signed out after 15 minutes of inactivity, sign in again", extensions: { code: "UNAUTHENTICATED", reason: "SESSION_IDLE" } }],
    }) as unknown as typeof fetch);
    const err = await refresh("r1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionExpiredError);
    expect((err as SessionExpiredError).reason).toBe("SESSION_IDLE");
    expect((err as SessionExpiredError).message).toBe("signed out after 15 minutes of inactivity, sign in again");
  });

  it("KeepsTheIdleTimeoutOfTheSession", async () => {
    const refresh = httpRefresh("/graphql", answer({
      data: { refreshSession: { accessToken: "a", refreshToken: "r2", expiresAt: hour(), idleTimeoutSeconds: 900, user } },
    }) as unknown as typeof fetch);
    const s = await refresh("r1");
    expect(s.idleTimeoutSeconds).toBe(900);
    expect(s.refreshToken).toBe("r2");
  });
});
