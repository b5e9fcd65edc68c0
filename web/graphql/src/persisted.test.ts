import { ApolloClient, InMemoryCache, type TypedDocumentNode } from "@apollo/client";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { createCareQueueClient, httpRefresh } from "./client";
import { RefreshSessionDocument, RequestPatientCodeDocument } from "./generated/graphql";
import { documentHash } from "./persisted";
import { memoryTokenStorage } from "./session";

interface Sent {
  query?: string;
  operationName?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

/** A fake /graphql that knows the hashes in `known` and records every body it gets. */
function fakeServer(known: Set<string>) {
  const sent: Sent[] = [];
  const fetchImpl = async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Sent;
    sent.push(body);
    const hash = body.extensions?.persistedQuery?.sha256Hash;
    const answer =
      hash && !body.query && !known.has(hash)
        ? { errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] }
        : body.operationName === "RefreshSession"
          ? { data: { refreshSession: { __typename: "AuthPayload", accessToken: "a", refreshToken: "r", expiresAt: "2099-01-01T00:00:00Z", idleTimeoutSeconds: null, user: { __typename: "User", id: "US1", name: "Sam", role: "ADMIN", facilityID: null } } } }
          : { data: { requestPatientCode: true, me: null } };
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { sent, fetchImpl: fetchImpl as typeof fetch };
}

class NoWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
}

function apollo(fetchImpl: typeof fetch): ApolloClient {
  return createCareQueueClient({
    httpUrl: "http://test/graphql",
    wsUrl: "ws://test/graphql",
    storage: memoryTokenStorage(),
    fetch: fetchImpl,
    webSocketImpl: NoWebSocket,
  }).apollo;
}

const code = documentHash(RequestPatientCodeDocument)!;

describe("persisted documents", () => {
  it("GeneratedDocumentsCarryTheirManifestHash", () => {
    expect(code).toMatch(/^[0-9a-f]{64}$/);
  });

  it("SendsTheHashWithoutTheText", async () => {
    const s = fakeServer(new Set([code]));
    await apollo(s.fetchImpl).mutate({ mutation: RequestPatientCodeDocument, variables: { phone: "+447700900123" } });
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.query).toBeUndefined();
    expect(s.sent[0]!.extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: code });
  });

  it("SendsTheTextAloneWhenTheServerDoesNotKnowTheHash", async () => {
    const s = fakeServer(new Set());
    const r = await apollo(s.fetchImpl).mutate({ mutation: RequestPatientCodeDocument, variables: { phone: "+447700900123" } });
    expect(r.data?.requestPatientCode).toBe(true);
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]!.query).toContain("mutation RequestPatientCode");
    expect(s.sent[1]!.extensions?.persistedQuery).toBeUndefined();
  });

  it("SendsADocumentWithoutAHashAsText", async () => {
    const s = fakeServer(new Set());
    const Me: TypedDocumentNode<{ me: null }> = parse("query Me { me { id } }");
    await apollo(s.fetchImpl).query({ query: Me });
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.query).toContain("query Me");
    expect(s.sent[0]!.extensions?.persistedQuery).toBeUndefined();
  });

  it("RefreshesWithTheHashThenTheText", async () => {
    const known = fakeServer(new Set([documentHash(RefreshSessionDocument)!]));
    await httpRefresh("http://test/graphql", known.fetchImpl)("r0");
    expect(known.sent.map((b) => [b.query, b.extensions?.persistedQuery?.sha256Hash])).toEqual([[undefined, documentHash(RefreshSessionDocument)]]);

    const unknown = fakeServer(new Set());
    const stored = await httpRefresh("http://test/graphql", unknown.fetchImpl)("r0");
    expect(stored.accessToken).toBe("a");
    expect(unknown.sent).toHaveLength(2);
    expect(unknown.sent[1]!.query).toContain("mutation RefreshSession");
  });

  it("KeepsApolloCachesWorkingOnTheManifestText", () => {
    // The generated documents already select __typename where Apollo adds it, so Apollo sends them
    // unchanged and the hash stays the manifest's.
    const cache = new InMemoryCache();
    expect(cache.transformDocument(RequestPatientCodeDocument)).toBe(RequestPatientCodeDocument);
  });
});
