import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";

import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, SocketClosedError, errorCode, errorDetail } from "./errors";
import { classifyWorkflowError } from "./offline/workflow";

describe("errorCode of a closed socket", () => {
  it.each([
    [CLOSE_UNAUTHORIZED, "UNAUTHENTICATED", "session revoked, sign in again"],
    // The account was disabled or its role changed: the token is dead as well, so the client refreshes
    // and the refused refresh signs it out.
    [CLOSE_FORBIDDEN, "UNAUTHENTICATED", "your account was disabled or changed, sign in again"],
    [1013, "NETWORK", "try again later"],
    [4429, "NETWORK", "too many connections for this account"],
    [1006, "NETWORK", ""],
  ])("MapsClose%iTo%s", (code, want, reason) => {
    expect(errorCode(new SocketClosedError(code, reason))).toBe(want);
  });
});

const unavailable = { message: "this queue is busy, try again in a moment", extensions: { code: "UNAVAILABLE" } };

function serverError(status: number, body: string): ServerError {
  return new ServerError("server error", {
    response: new Response(body, { status, headers: { "Content-Type": "application/json", "Retry-After": "1" } }),
    bodyText: body,
  });
}

describe("UNAVAILABLE", () => {
  it("is read from a GraphQL error (a field failed, status 200)", () => {
    const e = new CombinedGraphQLErrors({ data: { callNext: null }, errors: [unavailable] });
    expect(errorCode(e)).toBe("UNAVAILABLE");
    expect(errorDetail(e)).toBe("this queue is busy, try again in a moment");
    expect(classifyWorkflowError(e)).toBe("retry");
  });

  it("is read from a 503 body (no data)", () => {
    const e = serverError(503, JSON.stringify({ errors: [unavailable], data: null }));
    expect(errorCode(e)).toBe("UNAVAILABLE");
    expect(classifyWorkflowError(e)).toBe("retry");
  });

  it("is what a bare 503 means, and other 5xx stay INTERNAL", () => {
    expect(errorCode(serverError(503, "upstream unavailable"))).toBe("UNAVAILABLE");
    expect(errorCode(serverError(500, "oops"))).toBe("INTERNAL");
  });

  it("does not retry what the server refused", () => {
    const e = new CombinedGraphQLErrors({ data: null, errors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] });
    expect(classifyWorkflowError(e)).toBe("reject");
  });
});
