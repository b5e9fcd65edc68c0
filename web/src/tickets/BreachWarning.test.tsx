import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { BreachWarning, breachRowClass, minutesLeft } from "./BreachWarning";

const now = Date.parse("2026-11-26T10:00:00Z");
/** A forecast the server made at `now` for a target `seconds` away. */
const at = (seconds: number) => ({ targetAt: new Date(now + seconds * 1000).toISOString(), inMinutes: Math.max(0, Math.ceil(seconds / 60)) });

describe("BreachWarning", () => {
  it("SaysWhenTheTargetWillPass", () => {
    render(<BreachWarning code="E-014" forecast={at(11 * 60 + 20)} now={now} />);
    expect(screen.getByText("E-014 will pass its target in ~12 min at the current pace")).toBeTruthy();
  });

  it("SaysHowLongAgoItPassed", () => {
    render(<BreachWarning code="E-014" forecast={at(-(5 * 60 + 40))} now={now} />);
    expect(screen.getByText("E-014 is past its target by 5 min")).toBeTruthy();
  });

  const cases: { name: string; seconds: number; left: number; row: string }[] = [
    { name: "RoundsMinutesLeftUpLikeTheServer", seconds: 61, left: 2, row: "bg-amber-50" },
    { name: "ExactlyAtTheTargetIsPast", seconds: 0, left: 0, row: "bg-red-50" },
    { name: "PastIsZeroMinutesLeft", seconds: -600, left: 0, row: "bg-red-50" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(minutesLeft(at(c.seconds), now)).toBe(c.left);
      expect(breachRowClass(at(c.seconds), now)).toBe(c.row);
    });
  }

  it("TrustsTheServerOverAScreenClockOlderThanTheAnswer", () => {
    // The screen's clock last ticked 20 s before the server answered that the target has just passed.
    const stale = now - 20_000;
    const f = { targetAt: new Date(now - 5_000).toISOString(), inMinutes: 0 };
    render(<BreachWarning code="E-015" forecast={f} now={stale} />);
    expect(screen.getByText("E-015 is past its target by 0 min")).toBeTruthy();
    expect(breachRowClass(f, stale)).toBe("bg-red-50");
    expect(minutesLeft({ targetAt: new Date(now + 5 * 60_000).toISOString(), inMinutes: 5 }, stale)).toBe(5); // not 6
  });

  it("NoForecastNoColour", () => {
    expect(breachRowClass(null, now)).toBe("");
  });
});
