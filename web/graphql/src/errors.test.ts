import { describe, expect, it } from "vitest";

import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, SocketClosedError, errorCode } from "./errors";

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
