import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { WaitEstimate } from "./WaitEstimate";

describe("WaitEstimate", () => {
  it("ShowsTheMiddleFigureAndTheRange", () => {
    render(<WaitEstimate minutes={55} range={{ lowMinutes: 40, highMinutes: 70 }} />);
    expect(screen.getByText("~55 min (40–70)")).toBeTruthy();
  });

  it("SaysNotEnoughDataWhenThereIsNoRange", () => {
    // The server keeps a point figure even when it has too little history for a range: no number then.
    render(<WaitEstimate minutes={12} range={null} />);
    expect(screen.getByText("not enough data yet")).toBeTruthy();
    expect(screen.queryByText(/12/)).toBeNull();
  });

  it("ShowsTheRangeAloneWithoutAMiddleFigure", () => {
    render(<WaitEstimate minutes={null} range={{ lowMinutes: 5, highMinutes: 15 }} />);
    expect(screen.getByText("5–15 min")).toBeTruthy();
  });
});
