import { parseSession } from "./session";

const good = {
  accessToken: "a",
  refreshToken: "r",
  expiresAt: "2030-01-01T00:00:00Z",
  user: { id: "US1", name: "Ana", role: "PATIENT", facilityID: null },
};

describe("parseSession", () => {
  it("reads a stored session back", () => {
    expect(parseSession(JSON.stringify(good))).toEqual(good);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["not JSON", "{oops"],
    ["JSON null", "null"],
    ["a number", "42"],
    ["a string", '"token"'],
    ["an array", "[]"],
    ["no access token", JSON.stringify({ ...good, accessToken: undefined })],
    ["a numeric refresh token", JSON.stringify({ ...good, refreshToken: 1 })],
    ["no expiry", JSON.stringify({ ...good, expiresAt: null })],
    ["no user", JSON.stringify({ ...good, user: null })],
    ["a user without id", JSON.stringify({ ...good, user: { name: "Ana" } })],
  ])("refuses %s", (_name, raw) => {
    expect(parseSession(raw)).toBeNull();
  });
});
