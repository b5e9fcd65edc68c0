import { isOpen, waitLine, waitingText, waitText } from "./wait";

describe("waitLine", () => {
  it.each([
    [
      "the range with the position",
      { status: "WAITING", position: 4, estimatedWait: { lowMinutes: 37, highMinutes: 68 } },
      { key: "waiting", position: 4, wait: { kind: "range", low: 35, high: 70 } },
    ],
    ["next and about to be called", { status: "WAITING", position: 1, estimatedWait: { lowMinutes: 0, highMinutes: 0 } }, { key: "waiting", position: 1, wait: { kind: "soon" } }],
    [
      "next while every room is busy",
      { status: "WAITING", position: 1, estimatedWait: { lowMinutes: 3, highMinutes: 14 } },
      { key: "waiting", position: 1, wait: { kind: "range", low: 3, high: 15 } },
    ],
    ["no range: not enough data", { status: "WAITING", position: 3, estimatedWait: null }, { key: "waiting", position: 3, wait: { kind: "unknown" } }],
    ["neither position nor range", { status: "WAITING" }, { key: "waiting", position: null, wait: { kind: "unknown" } }],
    ["position 0 is no position", { status: "WAITING", position: 0 }, { key: "waiting", position: null, wait: { kind: "unknown" } }],
    ["called with a room", { status: "CALLED", servicePoint: { name: "Room 3" } }, { key: "called", room: "Room 3" }],
    ["called without a room", { status: "CALLED", servicePoint: null }, { key: "called", room: null }],
    ["in service", { status: "IN_SERVICE", position: 1 }, { key: "inService" }],
    ["completed", { status: "COMPLETED" }, { key: "ended", status: "COMPLETED" }],
    ["transferred", { status: "TRANSFERRED" }, { key: "ended", status: "TRANSFERRED" }],
  ] as const)("%s", (_name, ticket, want) => {
    expect(waitLine(ticket)).toEqual(want);
  });
});

describe("waitingText", () => {
  // A stand-in translator that shows the key and its values, so the test reads the composition.
  const t = (key: string, o?: Record<string, unknown>) => (o ? `${key}(${Object.values(o).join(",")})` : key);
  it.each([
    [4, { kind: "range", low: 40, high: 70 }, "visits.position(4) · visits.range(40,70)"],
    [1, { kind: "soon" }, "visits.next · visits.soon"],
    [2, { kind: "about", minutes: 5 }, "visits.position(2) · visits.about(5)"],
    [3, { kind: "unknown" }, "visits.position(3) · visits.unknown"],
    [null, { kind: "unknown" }, "visits.unknown"],
  ] as const)("position %p, %j → %s", (position, wait, want) => {
    expect(waitingText(t, position, wait)).toBe(want);
    expect(want.endsWith(waitText(t, wait))).toBe(true);
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
