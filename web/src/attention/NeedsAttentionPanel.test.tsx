// The needs-attention panel against a fake server: the three reasons in the server's order, a refetch
// on every queueChanged event, the banner and the chime (only when the sound is on) when a patient
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

/** Answers NeedsAttention with `items` (change it between answers) and lets the test push queueChanged. */
function fakeServer(items: unknown[]) {
  const state = { items, queries: 0 };
  const subscribers: Subscriber<unknown>[] = [];
  let version = 1;
  const snapshot = () => ({ data: { queueChanged: { __typename: "QueueSnapshot", version, queue: { __typename: "Queue", id: "QU1" } } } });
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        if (op.operationName === "AttentionQueueVersion") {
          subscribers.push(observer);
          observer.next(snapshot()); // a subscription starts with the current state
          return;
        }
        state.queries++;
        observer.next({ data: { needsAttention: state.items } });
        observer.complete();
      }),
  );
  const queueChanged = () =>
    act(() => {
      version++;
      for (const s of subscribers) s.next(snapshot());
    });
  return { state, queueChanged, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

function renderPanel(server: ReturnType<typeof fakeServer>) {
  render(
    <ApolloProvider client={server.client}>
      <NeedsAttentionPanel departmentID="DP1" queueIDs={["QU1"]} />
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

  it("RefetchesOnQueueChangesAndAnnouncesANewPatientPastTheMaximumWait", async () => {
    const server = fakeServer([]);
    renderPanel(server);
    await screen.findByText("Nothing needs attention right now.");
    const before = server.state.queries;

    server.state.items = [attentionItem("PAST_MAX_WAIT", { code: "E-007" })];
    server.queueChanged();
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
    server.queueChanged();
    await waitFor(() => expect(audio.chime).toHaveBeenCalledOnce());

    server.queueChanged(); // the same list again: nothing new, no second chime
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
