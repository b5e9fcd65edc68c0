// Persisted (trusted) documents on the client side. GraphQL Code Generator gives every generated
// document its SHA-256 (document.__meta__.hash) and lists the documents in persisted-documents.json,
// which the server trusts (GRAPHQL_DOCUMENTS, see the README). The client sends the hash in place of
// the text, in Apollo's automatic-persisted-queries format: extensions.persistedQuery. A server that
// does not know the hash — one built from other documents — answers PERSISTED_QUERY_NOT_FOUND, and the
// operation goes again as text without the hash (which a server in allow-list mode refuses from the
// apps, as it should: app and server are out of step).
import { ApolloLink } from "@apollo/client";
import type { DocumentNode } from "graphql";
import { mergeMap, of } from "rxjs";

/** The code a server answers an unknown hash with (Apollo's name). */
export const PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";

/** The hash GraphQL Code Generator embedded in a generated document, if it is one. */
export function documentHash(doc: DocumentNode): string | undefined {
  const hash = (doc as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === "string" ? hash : undefined;
}

/** extensions.persistedQuery for a document hash. */
export function persistedQuery(hash: string) {
  return { version: 1, sha256Hash: hash };
}

/** Whether a result's errors include PERSISTED_QUERY_NOT_FOUND. */
export function hashNotFound(result: { errors?: readonly { extensions?: { code?: unknown } | null }[] | null }): boolean {
  return (result.errors ?? []).some((e) => e.extensions?.code === PERSISTED_QUERY_NOT_FOUND);
}

interface HTTPContext {
  http?: { includeQuery?: boolean; includeExtensions?: boolean };
}

/** Whether this attempt sends the document's text (false: the hash alone). */
export function sendsQuery(operation: ApolloLink.Operation): boolean {
  return (operation.getContext() as HTTPContext).http?.includeQuery !== false;
}

/**
 * Sends a generated document's hash instead of its text, over HTTP and (with WsLink honouring
 * sendsQuery) over the WebSocket; documents without a hash go as text.
 */
export function persistedDocumentLink(): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const hash = documentHash(operation.query);
    if (!hash) return forward(operation);
    const attempt = (withHash: boolean) => {
      if (withHash) operation.extensions.persistedQuery = persistedQuery(hash);
      else delete operation.extensions.persistedQuery;
      operation.setContext(({ http }: HTTPContext) => ({
        http: { ...http, includeQuery: !withHash, includeExtensions: true },
      }));
      return forward(operation);
    };
    return attempt(true).pipe(
      mergeMap((result) => (hashNotFound(result as Parameters<typeof hashNotFound>[0]) ? attempt(false) : of(result))),
    );
  });
}
