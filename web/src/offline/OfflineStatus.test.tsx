// What staff see of the offline queue: the number of actions waiting (and which), and every action
// the server refused on replay, with its error, until dismissed.
import { OfflineQueue, OfflineQueueProvider, memoryOfflineStorage } from "@carequeue/graphql";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { OfflineStatus } from "./OfflineStatus";

class Refused extends Error {}

async function setUp() {
  let online = false;
  const queue = new OfflineQueue({
    storage: memoryOfflineStorage(),
    execute: async (a) => {
      if (a.kind === "completeTicket") throw new Refused("ticket C-004 is not in service");
      return {};
    },
    classify: (e) => (e instanceof Refused ? "reject" : "retry"),
    describe: (e) => ({ code: "CONFLICT", message: (e as Error).message }),
    online: () => online,
  });
  await queue.ready;
  render(
    <OfflineQueueProvider queue={queue}>
      <OfflineStatus online={false} />
    </OfflineQueueProvider>,
  );
  return { queue, goOnline: () => (online = true) };
}

describe("OfflineStatus", () => {
  it("ShowsThePendingActions", async () => {
    const { queue } = await setUp();
    await act(async () => {
      await queue.submit({ kind: "checkIn", payload: {}, meta: { patient: "Grace Adeyemi", queue: "General Clinic" } });
      await queue.submit({ kind: "startService", payload: {}, meta: { code: "C-004" } });
    });
    expect(screen.getByRole("status").textContent).toBe("2 actions waiting to be sent.");
    const list = screen.getByRole("list", { name: "Actions waiting to be sent" });
    const items = within(list).getAllByRole("listitem").map((li) => li.textContent);
    expect(items[0]).toContain("Check in · Grace Adeyemi · General Clinic");
    expect(items[1]).toContain("Start · C-004");
  });

  it("ShowsRefusedActionsUntilDismissed", async () => {
    const { queue, goOnline } = await setUp();
    await act(async () => {
      await queue.submit({ kind: "completeTicket", payload: {}, meta: { code: "C-004" } });
    });
    goOnline();
    await act(() => queue.flush());

    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("1 saved action was refused by the server");
    expect(alert.textContent).toContain("Complete · C-004");
    expect(alert.textContent).toContain("Someone else changed this first.");
    expect(alert.textContent).toContain("ticket C-004 is not in service");

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Dismiss: Complete · C-004" }));
    });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(queue.get().failed).toEqual([]);
  });
});
