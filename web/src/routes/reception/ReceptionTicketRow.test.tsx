// A reception queue row in each state staff must tell apart: the wait estimate (or no data), a breach
// forecast (coming, or already past), a self check-in awaiting triage, and a patient past the
// maximum wait; and triage / re-triage opened from the row.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { makeFragmentData } from "@carequeue/graphql";
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ReceptionTicketRow_TicketFragmentDoc } from "../../generated/graphql";
import { forecast, queueTicket } from "../../test/tickets";
import { ReceptionTicketRow } from "./ReceptionTicketRow";

const now = Date.parse("2026-11-26T10:00:00Z");
const client = new ApolloClient({ link: ApolloLink.empty(), cache: new InMemoryCache() });

function renderRow(overrides: Record<string, unknown> = {}) {
  const ticket = makeFragmentData(queueTicket(now, overrides) as never, ReceptionTicketRow_TicketFragmentDoc);
  render(
    <ApolloProvider client={client}>
      <ul>
        <ReceptionTicketRow ticket={ticket} queueID="QU1" now={now} transferTargets={[]} />
      </ul>
    </ApolloProvider>,
  );
  return screen.getByRole("listitem", { name: "Ticket E-014" });
}

describe("ReceptionTicketRow", () => {
  it("ShowsTheEstimateAndItsRange", () => {
    const row = renderRow();
    expect(row.textContent).toContain("~55 min (40–70)");
    expect(row.textContent).not.toContain("target");
    expect(row.className).not.toMatch(/bg-(amber|red)-50/);
  });

  it("SaysNotEnoughDataWithoutARange", () => {
    expect(renderRow({ estimatedWait: null }).textContent).toContain("not enough data yet");
  });

  it("WarnsOfAForecastBreach", () => {
    const row = renderRow({ breachForecast: forecast(now, 12) });
    expect(row.textContent).toContain("E-014 will pass its target in ~12 min at the current pace");
    expect(row.className).toContain("bg-amber-50");
  });

  it("SaysHowFarPastTheTargetItIs", () => {
    const row = renderRow({ breachForecast: forecast(now, -5) });
    expect(row.textContent).toContain("E-014 is past its target by 5 min");
    expect(row.className).toContain("bg-red-50");
  });

  it("MarksAPatientPastTheMaximumWait", () => {
    expect(renderRow({ escalatedAt: new Date(now - 60_000).toISOString() }).textContent).toContain("past the maximum wait");
  });

  it("MarksATicketAwaitingTriageAndOffersToTriageIt", () => {
    const row = renderRow({ awaitingTriage: true });
    expect(row.textContent).toContain("Awaiting triage — ordered as Standard");
    expect(screen.queryByRole("button", { name: "Re-triage E-014" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Triage E-014" }));
    expect(screen.getByRole("dialog", { name: "Re-triage E-014" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Confirm this level" })).toBeTruthy();
  });

  it("OpensReTriageFromTheRow", () => {
    renderRow();
    fireEvent.click(screen.getByRole("button", { name: "Re-triage E-014" }));
    expect(screen.getByRole("dialog", { name: "Re-triage E-014" })).toBeTruthy();
    expect(screen.getByLabelText("Reason (optional)")).toBeTruthy();
  });
});
