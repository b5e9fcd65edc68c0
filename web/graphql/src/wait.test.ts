import { describe, expect, it } from "vitest";

import { patientWait } from "./wait";

describe("patientWait", () => {
  it.each([
    ["no range: not enough data, no number", null, { kind: "unknown" }],
    ["undefined is no range", undefined, { kind: "unknown" }],
    ["0–0: about to be called", { lowMinutes: 0, highMinutes: 0 }, { kind: "soon" }],
    ["short ends as they are", { lowMinutes: 2, highMinutes: 9 }, { kind: "range", low: 2, high: 9 }],
    ["0 to a few minutes", { lowMinutes: 0, highMinutes: 4 }, { kind: "range", low: 0, high: 4 }],
    ["longer ends to 5 minutes, outwards", { lowMinutes: 37, highMinutes: 68 }, { kind: "range", low: 35, high: 70 }],
    ["ends already round stay", { lowMinutes: 40, highMinutes: 70 }, { kind: "range", low: 40, high: 70 }],
    ["a short lower end and a long upper end", { lowMinutes: 8, highMinutes: 12 }, { kind: "range", low: 8, high: 15 }],
    ["ends that agree", { lowMinutes: 5, highMinutes: 5 }, { kind: "about", minutes: 5 }],
    ["a lower end above the upper one is clamped", { lowMinutes: 30, highMinutes: 20 }, { kind: "about", minutes: 20 }],
    ["a negative lower end is 0", { lowMinutes: -3, highMinutes: 6 }, { kind: "range", low: 0, high: 6 }],
    ["long waits", { lowMinutes: 121, highMinutes: 242 }, { kind: "range", low: 120, high: 245 }],
  ] as const)("%s", (_name, range, want) => {
    expect(patientWait(range)).toEqual(want);
  });
});
