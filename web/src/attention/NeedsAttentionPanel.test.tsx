// The needs-attention panel against a fake server: the three reasons in the server's order, one
// subscription for the department (not one per queue) and a refetch on every change it announces, the banner and the chime (only when the sound is on) when a patient
// newly passes the maximum wait, and the sound setting remembered on the device.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Observable, type Subscriber } from "rxjs";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { attentionItem } from "../test/tickets";
import { NeedsAttentionPanel } from "./NeedsAttentionPanel";

const audio = vi.hoisted(() => ({ chime: vi.fn(() => Promise.resolve()), unlockAudio: vi.fn(() => Promise.resolve(true)) }));
vi.mock("../routes/board/announce", () => ({ audioReady: () => true, chime: audio.chime, unlockAudio: audio.unlockAudio }));

/**
 * Answers NeedsAttention with `items` (change it between answers) and lets the test push a change of
 * the department (boardChanged, sent by the server after a change of any of its queues). Counts the
 * subscriptions opened and those still open, by operation.
 */
function fakeServer(items: unknown[]) {
  const state = { items, queries: 0, subscriptions: {} as Record<string, number>, open: 0 };
  const subscribers: Subscriber<unknown>[] = [];
  const board = () => ({ data: { boardChanged: { __typename: "BoardSnapshot", departmentID: "DP1" } } });
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        if (op.query.definitions.some((d) => d.kind === "OperationDefinition" && d.operation === "subscription")) {
          state.subscriptions[op.operationName ?? ""] = (state.subscriptions[op.operationName ?? ""] ?? 0) + 1;
          state.open++;
          if (op.operationName === "AttentionDepartmentChanged") {
            subscribers.push(observer);
            observer.next(board()); // a subscription starts with the current state
          }
          return () => {
            state.open--;
          };
        }
        state.queries++;
        observer.next({ data: { needsAttention: state.items } });
        observer.complete();
        return undefined;
      }),
  );
  const departmentChanged = () =>
    act(() => {
      for (const s of subscribers) s.next(board());
    });
  return { state, departmentChanged, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

function renderPanel(server: ReturnType<typeof fakeServer>) {
  return render(
    <ApolloProvider client={server.client}>
      <NeedsAttentionPanel departmentID="DP1" />
    </ApolloProvider>,
  );
}

const soon = new Date(Date.now() + 12 * 60_000 - 30_000).toISOString(); // rounds up to 12

beforeEach(() => {
  localStorage.clear();
  audio.chime.mockClear();
});

describe("NeedsAttentionPanel", () => {
  it("ListsEachReasonInTheServersOrder", async () => {
    renderPanel(
      fakeServer([
        attentionItem("PAST_MAX_WAIT", { id: "T1", code: "E-001", arrivedAt: new Date(Date.now() - 372 * 60_000).toISOString() }),
        attentionItem("AWAITING_TRIAGE", { id: "T2", code: "E-002", awaitingTriage: true }),
        attentionItem("BREACH_PREDICTED", { id: "T3", code: "E-014", breachForecast: { __typename: "BreachForecast", targetAt: soon, inMinutes: 12 } }),
      ]),
    );
    const list = await screen.findByRole("list", { name: /Needs attention/ });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((r) => r.getAttribute("aria-label"))).toEqual(["Needs attention: E-001", "Needs attention: E-002", "Needs attention: E-014"]);
    expect(rows[0]!.textContent).toContain("past the maximum wait: waiting 6 h 12 min");
    expect(rows[1]!.textContent).toContain("Awaiting triage — ordered as Standard");
    expect(within(rows[1]!).getByRole("button", { name: "Triage E-002" })).toBeTruthy();
    expect(rows[2]!.textContent).toContain("E-014 will pass its target in ~12 min at the current pace");
    expect(screen.queryByRole("alert")).toBeNull(); // what is there on opening is listed, not announced
  });

  it("SaysSoWhenNothingNeedsAttentionAndDoesNotRefetchOnTheFirstSnapshot", async () => {
    const server = fakeServer([]);
    renderPanel(server);
    await screen.findByText("Nothing needs attention right now.");
    expect(server.state.queries).toBe(1);
  });

  it("OpensOneSubscriptionForTheDepartmentHoweverManyQueuesItHas", async () => {
    const server = fakeServer([]);
    const { unmount } = renderPanel(server);
    await screen.findByText("Nothing needs attention right now.");
    expect(server.state.subscriptions).toEqual({ AttentionDepartmentChanged: 1 });
    expect(server.state.open).toBe(1);

    server.departmentChanged(); // a change of any queue of the department: a refetch, no new subscription
    await waitFor(() => expect(server.state.queries).toBe(2));
    expect(server.state.subscriptions).toEqual({ AttentionDepartmentChanged: 1 });

    unmount();
    expect(server.state.open).toBe(0);
  });

  it("RefetchesOnDepartmentChangesAndAnnouncesANewPatientPastTheMaximumWait", async () => {
    const server = fakeServer([]);
    renderPanel(server);
    await screen.findByText("Nothing needs attention right now.");
    const before = server.state.queries;

    server.state.items = [attentionItem("PAST_MAX_WAIT", { code: "E-007" })];
    server.departmentChanged();
    const banner = await screen.findByRole("alert");
    expect(server.state.queries).toBeGreaterThan(before);
    expect(banner.textContent).toContain("E-007 has waited longer than the maximum wait");
    expect(audio.chime).not.toHaveBeenCalled(); // sound is off by default

    fireEvent.click(within(banner).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("ChimesWhenTheSoundIsOnAndANewBreachIsForecast", async () => {
    const server = fakeServer([]);
    renderPanel(server);
    await screen.findByText("Nothing needs attention right now.");
    const toggle = screen.getByRole("button", { name: /Sound alerts/ });
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect(localStorage.getItem("carequeue.staff.sound")).toBe("on");

    server.state.items = [attentionItem("BREACH_PREDICTED", { breachForecast: { __typename: "BreachForecast", targetAt: soon, inMinutes: 12 } })];
    server.departmentChanged();
    await waitFor(() => expect(audio.chime).toHaveBeenCalledOnce());

    server.departmentChanged(); // the same list again: nothing new, no second chime
    await waitFor(() => expect(server.state.queries).toBeGreaterThanOrEqual(3));
    expect(audio.chime).toHaveBeenCalledOnce();
    expect(screen.queryByRole("alert")).toBeNull(); // a forecast sounds but is not a banner
  });

  it("RemembersTheSoundSettingOnTheDevice", async () => {
    localStorage.setItem("carequeue.staff.sound", "on");
    renderPanel(fakeServer([]));
    expect(screen.getByRole("button", { name: /Sound alerts/ }).getAttribute("aria-pressed")).toBe("true");
  });
});
