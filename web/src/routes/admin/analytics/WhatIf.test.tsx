// The what-if sends the form as the API's input (a synthetic day shaped like an emergency department,
// or a queue's own demand), draws both orderings' answers as charts with tables, lists the points
// needed per hour, says when nobody arrived, and shows the server's refusal.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it } from "vitest";

import type { AdminWhatIfQuery } from "../../../generated/graphql";
import { loadAdminStrings } from "../testing";
import { arrivalsPerHour, WhatIf } from "./WhatIf";

beforeAll(loadAdminStrings);

type Report = AdminWhatIfQuery["simulateQueue"];

const level = (lv: string | null, within: number, benchmark: number | null) => ({
  __typename: "SimulatedLevel" as const,
  level: lv,
  patients: 40,
  withinTarget: within,
  benchmark,
  medianWaitMinutes: 12.4,
  p90WaitMinutes: 50,
  maxWaitMinutes: 90,
  estimate: { __typename: "EstimateAccuracy" as const, maeShare: 0.2, biasShare: -0.03, afterRangeShare: 0.08, naiveMaeShare: 0.4 },
});

function run(ordering: string, patients: number, needed: (h: number) => number | null) {
  return {
    __typename: "SimulationRun" as const,
    ordering,
    patients,
    worstVsBenchmark: patients ? 0.9 : null,
    levels: patients ? [level("VERY_URGENT", 0.85, 0.8), level("STANDARD", 0.6, 0.7)] : [],
    overall: level(null, 0.7, null),
    pointsNeeded: {
      __typename: "StaffingNeeds" as const,
      fewestTried: 3,
      mostTried: 6,
      hours: Array.from({ length: 24 }, (_, h) => ({
        __typename: "StaffingHour" as const,
        hour: h,
        patients: patients ? 10 + h : 0,
        pointsNeeded: needed(h),
        met: needed(h) != null,
      })),
    },
  };
}

function report(runs: ReturnType<typeof run>[]): Report {
  return {
    __typename: "SimulationReport",
    queueName: null,
    servicePoints: 4,
    days: 2,
    arrivalsPerDay: 250,
    meanServiceMinutes: 20,
    load: 0.87,
    runs,
  } as Report;
}

/** A server that answers simulateQueue with reply (a report or a GraphQL error) and records inputs. */
function server(reply: Report | { message: string; code: string }) {
  const inputs: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        inputs.push(op.variables.input as Record<string, unknown>);
        if ("code" in reply) observer.next({ data: null, errors: [{ message: reply.message, extensions: { code: reply.code, field: "input.servicePoints" } }] });
        else observer.next({ data: { simulateQueue: reply } });
        observer.complete();
      }),
  );
  return { inputs, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

function show(s: ReturnType<typeof server>) {
  render(
    <ApolloProvider client={s.client}>
      <WhatIf queues={[{ id: "QU1", name: "Triage" }]} />
    </ApolloProvider>,
  );
}

describe("WhatIf", () => {
  it("SendsASyntheticDayAndDrawsBothOrderings", async () => {
    const s = server(report([run("TRIAGE", 400, (h) => (h >= 11 && h <= 20 ? 5 : 4)), run("TRIAGE_DEADLINE_AWARE", 400, (h) => (h === 3 ? null : 4))]));
    show(s);
    fireEvent.change(screen.getByLabelText("Arrivals per day"), { target: { value: "240" } });
    fireEvent.change(screen.getByLabelText("Service points"), { target: { value: "4" } });
    fireEvent.click(screen.getByRole("button", { name: "Run what-if" }));
    await screen.findByTestId("what-if-report");

    expect(s.inputs).toHaveLength(1);
    const input = s.inputs[0]! as { profile: { arrivalsPerHour: number[]; levelMix: unknown[]; meanServiceMinutes: number } };
    expect(input).toMatchObject({ servicePoints: 4, days: 2, orderings: ["TRIAGE", "TRIAGE_DEADLINE_AWARE"] });
    expect(input.profile.arrivalsPerHour).toHaveLength(24);
    expect(input.profile.arrivalsPerHour.reduce((a, b) => a + b, 0)).toBeCloseTo(240, 6);
    expect(input.profile.arrivalsPerHour[10]).toBeGreaterThan(input.profile.arrivalsPerHour[3]! * 3);
    expect(input.profile.levelMix).toHaveLength(5);
    expect(input.profile.meanServiceMinutes).toBe(20);
    expect(input).not.toHaveProperty("queueID");

    // The charts, each with its table for screen readers.
    const shares = screen.getByRole("table", { name: "Share called within target, by triage level" });
    expect([...shares.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["Triage level", "By triage", "By triage, deadline-aware"]);
    expect([...shares.querySelectorAll("tbody tr")].map((tr) => tr.textContent)).toEqual(["Very urgent85%85%", "Standard60%60%"]);
    expect(shares.closest("figure")!.querySelector("svg[data-chart-top]")!.getAttribute("data-chart-top")).toBe("100"); // shares run to 100 %
    const pointsChart = screen.getByRole("table", { name: "Service points needed, by hour of arrival" });
    expect(pointsChart.querySelectorAll("tbody tr")).toHaveLength(24);
    const figure = pointsChart.closest("figure")!;
    expect(figure.querySelectorAll('rect[data-series="TRIAGE"]')).toHaveLength(24);
    expect(figure.querySelectorAll('rect[data-series="TRIAGE_DEADLINE_AWARE"]')).toHaveLength(23); // no bar where the hour was not met

    // The visible table of points per hour: an unmet hour says so.
    const perHour = screen.getByRole("table", { name: "Service points needed to meet the benchmarks, by hour of arrival" });
    const row = (h: string) => [...within(perHour).getByRole("rowheader", { name: h }).parentElement!.querySelectorAll("td")].map((td) => td.textContent);
    expect(row("03:00")).toEqual(["13", "4", "more than 6"]);
    expect(row("12:00")).toEqual(["22", "5", "4"]);

    const levels = screen.getByRole("table", { name: "Waits and estimates by ordering and triage level" });
    expect(within(levels).getAllByRole("row")).toHaveLength(1 + 2 * 3);
    expect(within(levels).getAllByRole("rowheader", { name: "All patients" })).toHaveLength(2);
  });

  it("ReplaysAQueueWithItsOpenPointsWhenLeftBlank", async () => {
    const s = server(report([run("TRIAGE", 100, () => 2)]));
    show(s);
    fireEvent.change(screen.getByLabelText("Patients"), { target: { value: "QU1" } });
    expect(screen.queryByLabelText("Arrivals per day")).toBeNull();
    fireEvent.change(screen.getByLabelText("Service points"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Ordering"), { target: { value: "FIFO" } });
    fireEvent.click(screen.getByRole("button", { name: "Run what-if" }));
    await screen.findByTestId("what-if-report");
    expect(s.inputs[0]).toEqual({ queueID: "QU1", days: 2, orderings: ["FIFO"] });
  });

  it("SaysWhenNobodyArrived", async () => {
    show(server(report([run("TRIAGE", 0, () => null)])));
    fireEvent.click(screen.getByRole("button", { name: "Run what-if" }));
    expect(await screen.findByText("Nobody arrived in the simulated days: there is nothing to measure.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("ShowsTheServersRefusal", async () => {
    show(server({ message: "these patients keep 20.0 service points busy on average: with 4 the line grows by hours every hour; give at least 14", code: "BAD_USER_INPUT" }));
    fireEvent.click(screen.getByRole("button", { name: "Run what-if" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("give at least 14");
    expect(screen.queryByTestId("what-if-report")).toBeNull();
  });
});

describe("arrivalsPerHour", () => {
  it("SpreadsADayOverTheEmergencyDepartmentsHours", () => {
    const hours = arrivalsPerHour(24);
    expect(hours).toHaveLength(24);
    expect(hours.reduce((a, b) => a + b, 0)).toBeCloseTo(24, 9);
    expect(Math.max(...hours) / Math.min(...hours)).toBeCloseTo(1.5 / 0.35, 9);
    expect(arrivalsPerHour(0).every((n) => n === 0)).toBe(true);
  });
});
