import { isOpen, roundMinutes, waitLine } from "./wait";

describe("roundMinutes", () => {
  it.each([
    [0, 1],
    [-3, 1],
    [0.4, 1],
    [1, 1],
    [1.4, 1],
    [1.6, 2],
    [7, 7],
    [10, 10],
    [10.4, 10],
    [11, 10],
    [12.4, 10],
    [12.5, 15],
    [13, 15],
    [22, 20],
    [23, 25],
    [58, 60],
    [121, 120],
  ])("%p minutes → about %p", (m, want) => {
    expect(roundMinutes(m)).toBe(want);
  });
});

describe("waitLine", () => {
  it.each([
    ["position 1 is next, even with an estimate of 0", { status: "WAITING", position: 1, estimatedWaitMinutes: 0 }, { key: "next" }],
    ["position 1 without an estimate", { status: "WAITING", position: 1, estimatedWaitMinutes: null }, { key: "next" }],
    ["a rounded estimate with the position", { status: "WAITING", position: 4, estimatedWaitMinutes: 23 }, { key: "about", minutes: 25, position: 4 }],
    ["an estimate of 0 further back", { status: "WAITING", position: 2, estimatedWaitMinutes: 0 }, { key: "about", minutes: 1, position: 2 }],
    ["an estimate without a position", { status: "WAITING", position: null, estimatedWaitMinutes: 7 }, { key: "about", minutes: 7, position: null }],
    ["no estimate: the position", { status: "WAITING", position: 3, estimatedWaitMinutes: null }, { key: "position", position: 3 }],
    ["a negative estimate is no estimate", { status: "WAITING", position: 3, estimatedWaitMinutes: -1 }, { key: "position", position: 3 }],
    ["neither: just waiting", { status: "WAITING" }, { key: "waiting" }],
    ["called with a room", { status: "CALLED", servicePoint: { name: "Room 3" } }, { key: "called", room: "Room 3" }],
    ["called without a room", { status: "CALLED", servicePoint: null }, { key: "called", room: null }],
    ["in service", { status: "IN_SERVICE", position: 1 }, { key: "inService" }],
    ["completed", { status: "COMPLETED" }, { key: "ended", status: "COMPLETED" }],
    ["transferred", { status: "TRANSFERRED" }, { key: "ended", status: "TRANSFERRED" }],
  ] as const)("%s", (_name, ticket, want) => {
    expect(waitLine(ticket)).toEqual(want);
  });
});

describe("isOpen", () => {
  it.each([
    ["WAITING", true],
    ["CALLED", true],
    ["IN_SERVICE", true],
    ["COMPLETED", false],
    ["NO_SHOW", false],
    ["CANCELLED", false],
    ["TRANSFERRED", false],
  ] as const)("%s → %p", (status, open) => {
    expect(isOpen(status)).toBe(open);
  });
});
