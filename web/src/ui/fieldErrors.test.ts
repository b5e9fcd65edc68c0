import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";

import { fieldErrors, hasUnplacedError } from "./fieldErrors";

const error = new CombinedGraphQLErrors({
  errors: [
    { message: 'ticket prefix "C-1" must be 1 to 3 capital letters', extensions: { code: "BAD_USER_INPUT", field: "input.prefix" } },
    { message: "a user with this email already exists", extensions: { code: "CONFLICT", field: "email" } },
  ],
});

describe("fieldErrors", () => {
  it("KeysMessagesByTheInputsFieldName", () => {
    expect(fieldErrors(error)).toEqual({ prefix: 'ticket prefix "C-1" must be 1 to 3 capital letters', email: "a user with this email already exists" });
    expect(fieldErrors(undefined)).toEqual({});
  });

  it("LeavesErrorsNoFieldShowsToTheForm", () => {
    expect(hasUnplacedError(error, ["prefix", "email"])).toBe(false);
    expect(hasUnplacedError(error, ["prefix"])).toBe(true);
    const whole = new CombinedGraphQLErrors({ errors: [{ message: "targets out of order", extensions: { code: "BAD_USER_INPUT", field: "input" } }] });
    expect(fieldErrors(whole)).toEqual({});
    expect(hasUnplacedError(whole, ["prefix"])).toBe(true);
    expect(hasUnplacedError(new TypeError("Failed to fetch"), ["prefix"])).toBe(true);
    expect(hasUnplacedError(undefined, [])).toBe(false);
  });
});
