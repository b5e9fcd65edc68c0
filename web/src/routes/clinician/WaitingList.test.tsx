// The clinician's waiting list: each row's estimate, breach warning, awaiting-triage mark and the
// triage / re-triage button.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { makeFragmentData } from "@carequeue/graphql";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { WaitingListRow_TicketFragmentDoc } from "../../generated/graphql";
import { forecast, queueTicket } from "../../test/tickets";
import { WaitingList } from "./WaitingList";

const now = Date.parse("2026-11-26T10:00:00Z");
const client = new ApolloClient({ link: ApolloLink.empty(), cache: new InMemoryCache() });

function renderList(tickets: Record<string, unknown>[]) {
  const masked = tickets.map((o) => makeFragmentData(queueTicket(now, o) as never, WaitingListRow_TicketFragmentDoc));
  render(
    <ApolloProvider client={client}>
      <WaitingList queueName="Emergency" tickets={masked} now={now} />
    </ApolloProvider>,
  );
  return screen.getByRole("table", { name: "Waiting in Emergency" });
}

describe("WaitingList", () => {
  it("ShowsEachRowsStateAndAction", () => {
    const table = renderList([
      { id: "T1", code: "E-001", breachForecast: forecast(now, 12) },
      { id: "T2", code: "E-002", estimatedWait: null, awaitingTriage: true },
      { id: "T3", code: "E-003", breachForecast: forecast(now, -5), escalatedAt: new Date(now).toISOString() },
    ]);
    const [breach, awaiting, past] = ["E-001", "E-002", "E-003"].map((code) => within(table).getByRole("row", { name: `Ticket ${code}` }));
    expect(breach!.textContent).toContain("E-001 will pass its target in ~12 min at the current pace");
    expect(breach!.textContent).toContain("~55 min (40–70)");
    expect(breach!.className).toContain("bg-amber-50");
    expect(within(breach!).getByRole("button", { name: "Re-triage E-001" })).toBeTruthy();

    expect(awaiting!.textContent).toContain("Awaiting triage — ordered as Standard");
    expect(awaiting!.textContent).toContain("not enough data yet");
    expect(awaiting!.className).not.toMatch(/bg-(amber|red)-50/);

    expect(past!.textContent).toContain("E-003 is past its target by 5 min");
    expect(past!.textContent).toContain("past the maximum wait");
    expect(past!.className).toContain("bg-red-50");

    fireEvent.click(within(awaiting!).getByRole("button", { name: "Triage E-002" }));
    expect(screen.getByRole("dialog", { name: "Re-triage E-002" })).toBeTruthy();
  });
});
