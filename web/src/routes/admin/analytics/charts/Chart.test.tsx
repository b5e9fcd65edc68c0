// The charts draw nothing for zero or missing days (and say so), and scale bars to a nice top value.
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { BarChart, HEIGHT, LineChart, MARGIN } from "./Chart";
import { axisFor, labelEvery, niceStep } from "./scale";

const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const days = ["Nov 20", "Nov 21", "Nov 22", "Nov 23", "Nov 24", "Nov 25", "Nov 26"];
const base = { title: "Arrivals per day", categories: days, emptyText: "No patients in this period", categoryHeader: "Day", missingText: "no report" };

function bars(container: HTMLElement, series?: string) {
  return [...container.querySelectorAll<SVGRectElement>(series ? `rect[data-series="${series}"]` : "rect[data-series]")];
}

describe("BarChart", () => {
  it("RendersZeroDaysAsAnEmptyAxis", () => {
    const { container, getByText, getByRole } = render(
      <BarChart {...base} series={[{ key: "arrivals", label: "Arrivals", fill: "fill-sky-700", stroke: "stroke-sky-700", values: days.map(() => 0) }]} />,
    );
    expect(bars(container)).toHaveLength(0);
    expect(getByText("No patients in this period")).toBeTruthy();
    // A usable axis even with nothing to show: 0 to 4 in whole steps.
    expect(container.querySelector("svg[data-chart-top]")!.getAttribute("data-chart-top")).toBe("4");
    const ticks = [...container.querySelectorAll("text[data-tick]")].map((t) => t.getAttribute("data-tick"));
    expect(ticks).toEqual(["0", "1", "2", "3", "4"]);
    // Screen readers get every day's value from the table.
    const table = getByRole("table", { name: "Arrivals per day" });
    expect(table.querySelectorAll("tbody tr")).toHaveLength(7);
    expect(table.querySelector("tbody tr td")!.textContent).toBe("0");
  });

  it("LeavesDaysWithoutAReportBlank", () => {
    const { container, getByRole } = render(
      <BarChart {...base} series={[{ key: "arrivals", label: "Arrivals", fill: "", stroke: "", values: [null, null, 3, null, null, null, 18] }]} />,
    );
    expect(bars(container).map((b) => b.getAttribute("data-value"))).toEqual(["3", "18"]);
    const cells = [...getByRole("table").querySelectorAll("tbody td")].map((td) => td.textContent);
    expect(cells).toEqual(["no report", "no report", "3", "no report", "no report", "no report", "18"]);
  });

  it("ScalesBarsToANiceTop", () => {
    const { container, queryByText } = render(
      <BarChart
        {...base}
        series={[
          { key: "arrivals", label: "Arrivals", fill: "", stroke: "", values: [0, 0, 0, 0, 0, 5, 18] },
          { key: "served", label: "Served", fill: "", stroke: "", values: [0, 0, 0, 0, 0, 4, 10] },
        ]}
      />,
    );
    expect(queryByText("No patients in this period")).toBeNull();
    expect(container.querySelector("svg[data-chart-top]")!.getAttribute("data-chart-top")).toBe("20");
    const [five, eighteen] = bars(container, "arrivals");
    const [, ten] = bars(container, "served");
    const h = (r: SVGRectElement | undefined) => Number(r!.getAttribute("height"));
    expect(h(eighteen)).toBeCloseTo((18 / 20) * PLOT_H, 5);
    expect(h(five)).toBeCloseTo((5 / 20) * PLOT_H, 5);
    expect(h(ten)).toBeCloseTo(PLOT_H / 2, 5);
    // Bars stand on the baseline.
    for (const b of bars(container)) expect(Number(b.getAttribute("y")) + h(b)).toBeCloseTo(MARGIN.top + PLOT_H, 5);
    // Grouped: the served bar sits right of the arrivals bar of the same day, not on top of it.
    expect(Number(ten!.getAttribute("x"))).toBeGreaterThan(Number(eighteen!.getAttribute("x")));
  });
});

describe("LineChart", () => {
  it("BreaksTheLineAtAMissingDay", () => {
    const { container } = render(
      <LineChart {...base} series={[{ key: "median", label: "Median wait", fill: "", stroke: "", values: [12, 14, null, 9, 30, null, null] }]} />,
    );
    const d = container.querySelector("path")!.getAttribute("d")!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(container.querySelectorAll("circle")).toHaveLength(4);
    expect(container.querySelector("svg[data-chart-top]")!.getAttribute("data-chart-top")).toBe("40");
  });

  it("DrawsZeroWaitsAsALineOnTheBaseline", () => {
    const { container, queryByText } = render(
      <LineChart {...base} series={[{ key: "median", label: "Median wait", fill: "", stroke: "", values: [null, null, null, 0, 0, null, 0] }]} />,
    );
    expect(queryByText("No patients in this period")).toBeNull();
    expect(container.querySelectorAll("circle")).toHaveLength(3);
    for (const c of container.querySelectorAll("circle")) expect(Number(c.getAttribute("cy"))).toBeCloseTo(MARGIN.top + PLOT_H, 5);
  });

  it("DrawsNoLineWhenEveryDayIsMissing", () => {
    const { container, getByText } = render(
      <LineChart {...base} series={[{ key: "median", label: "Median wait", fill: "", stroke: "", values: days.map(() => null) }]} />,
    );
    expect(container.querySelector("path")).toBeNull();
    expect(getByText("No patients in this period")).toBeTruthy();
  });
});

describe("scale", () => {
  it.each([
    [0, 1],
    [0.75, 1],
    [1.2, 2],
    [4.5, 5],
    [7, 10],
    [26, 50],
    [250, 500],
  ])("NiceStep(%s) = %s", (raw, step) => {
    expect(niceStep(raw)).toBe(step);
  });

  it("AxisHoldsTheMaximum", () => {
    for (const max of [1, 3, 9, 18, 99, 101, 1234]) {
      const a = axisFor(max);
      expect(a.top).toBeGreaterThanOrEqual(max);
      expect(a.ticks).toHaveLength(5);
      expect(a.ticks[4]).toBe(a.top);
    }
  });

  it("ThinsLabelsOnLongRanges", () => {
    expect(labelEvery(7)).toBe(1);
    expect(labelEvery(31)).toBe(4);
    expect(labelEvery(366)).toBe(37);
  });
});
