// Reading CareQueue's errors: every failure carries one of the server's codes (extensions.code), and
// screens decide what to show from the code alone.
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

/** The server's error codes (DESIGN.md, "API contract"). */
export type ServerErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_USER_INPUT"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

/** A server code, or NETWORK when the server could not be reached (offline, socket lost). */
export type ErrorCode = ServerErrorCode | "NETWORK";

const serverCodes = new Set<string>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "CONFLICT",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
]);

/** The WebSocket closed with a close code the server chose (4401: the token was refused). */
export class SocketClosedError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string) {
    super(`socket closed with ${code}${reason ? `: ${reason}` : ""}`);
    this.name = "SocketClosedError";
    this.code = code;
    this.reason = reason;
  }
}

/** graphql-ws's "Unauthorized" close code; the server uses it for a refused or revoked token. */
export const CLOSE_UNAUTHORIZED = 4401;

/**
 * graphql-ws's "Forbidden" close code; the server uses it when the account was disabled or its role or
 * facility changed while the socket was open. Like 4401 the token is dead: the client refreshes, and the
 * refused refresh signs it out.
 */
export const CLOSE_FORBIDDEN = 4403;

interface FormattedError {
  message?: string;
  extensions?: { code?: unknown } | null;
}

function codeOf(errors: readonly FormattedError[] | undefined): ServerErrorCode | undefined {
  for (const e of errors ?? []) {
    const c = e.extensions?.code;
    if (typeof c === "string" && serverCodes.has(c)) return c as ServerErrorCode;
  }
  return undefined;
}

function bodyErrors(bodyText: string | undefined): FormattedError[] | undefined {
  if (!bodyText) return undefined;
  try {
    const body = JSON.parse(bodyText) as { errors?: FormattedError[] };
    return Array.isArray(body.errors) ? body.errors : undefined;
  } catch {
    return undefined;
  }
}

function statusCode(status: number): ErrorCode {
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 429) return "RATE_LIMITED";
  if (status === 503) return "UNAVAILABLE";
  if (status >= 500) return "INTERNAL";
  return "BAD_USER_INPUT";
}

/**
 * The code of an error from Apollo Client (a hook's `error`, a rejected mutation), or undefined when
 * there is no error. Unknown failures to talk to the server count as NETWORK.
 */
export function errorCode(error: unknown): ErrorCode | undefined {
  if (error === undefined || error === null) return undefined;
  if (CombinedGraphQLErrors.is(error)) return codeOf(error.errors) ?? "INTERNAL";
  if (ServerError.is(error)) return codeOf(bodyErrors(error.bodyText)) ?? statusCode(error.statusCode);
  if (error instanceof SocketClosedError) {
    return error.code === CLOSE_UNAUTHORIZED || error.code === CLOSE_FORBIDDEN ? "UNAUTHENTICATED" : "NETWORK";
  }
  return "NETWORK";
}

/**
 * The server's message for a person (safe by contract: never SQL or stack traces), when there is one.
 * Screens show it next to their own translated text for BAD_USER_INPUT and CONFLICT.
 */
export function errorDetail(error: unknown): string | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.message;
  if (ServerError.is(error)) return bodyErrors(error.bodyText)?.[0]?.message;
  return undefined;
}

/** Whether a link-level result carries a GraphQL error with code UNAUTHENTICATED. */
export function resultIsUnauthenticated(result: { errors?: readonly FormattedError[] }): boolean {
  return codeOf(result.errors) === "UNAUTHENTICATED";
}
