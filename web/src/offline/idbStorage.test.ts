// The browser's offline queue keeps its actions in IndexedDB: a reload (a new page, a new queue on
// the same database) finds them in order and sends them; refusals survive reloads until dismissed.
import "fake-indexeddb/auto";

import { OfflineQueue, type OfflineStorage, type QueuedAction } from "@carequeue/graphql";
import { describe, expect, it } from "vitest";

import { idbOfflineStorage } from "./idbStorage";

class Refused extends Error {}

function queueOn(storage: OfflineStorage, online: boolean, sent: QueuedAction[] = []) {
  return new OfflineQueue({
    storage,
    execute: async (a) => {
      sent.push(a);
      if ((a.payload as { refuse?: boolean }).refuse) throw new Refused("this ticket is already completed");
      return { ok: true };
    },
    classify: (e) => (e instanceof Refused ? "reject" : "retry"),
    describe: (e) => ({ code: "CONFLICT", message: (e as Error).message }),
    online: () => online,
  });
}

describe("idbOfflineStorage", () => {
  it("KeepsPendingActionsAcrossAReloadAndSendsThemInOrder", async () => {
    const scope = `user-${Math.random()}`;
    // The first page, offline: three actions are kept.
    const page1 = queueOn(idbOfflineStorage(scope), false);
    await page1.ready;
    for (const n of [1, 2, 3]) {
      expect((await page1.submit({ kind: "startService", payload: { n }, meta: { code: `C-00${n}` } })).status).toBe("queued");
    }
    page1.dispose();

    // The reloaded page finds them, in order, with their keys.
    const sent: QueuedAction[] = [];
    const page2 = queueOn(idbOfflineStorage(scope), true, sent);
    await page2.ready;
    const kept = page2.get().pending;
    expect(kept.map((a) => a.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(kept.map((a) => a.meta?.code)).toEqual(["C-001", "C-002", "C-003"]);
    expect(kept[0]).not.toHaveProperty("seq");

    await page2.flush();
    expect(sent.map((a) => a.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(sent.map((a) => a.idempotencyKey)).toEqual(kept.map((a) => a.idempotencyKey));
    expect(page2.get().pending).toEqual([]);
    page2.dispose();

    const page3 = queueOn(idbOfflineStorage(scope), true);
    await page3.ready;
    expect(page3.get().pending).toEqual([]);
    page3.dispose();
  });

  it("KeepsRefusalsAcrossAReloadUntilDismissed", async () => {
    const scope = `user-${Math.random()}`;
    const offline = queueOn(idbOfflineStorage(scope), false);
    await offline.submit({ kind: "completeTicket", payload: { refuse: true }, meta: { code: "C-007" } });
    await offline.submit({ kind: "startService", payload: { n: 2 } });
    offline.dispose();

    const sent: QueuedAction[] = [];
    const online = queueOn(idbOfflineStorage(scope), true, sent);
    await online.ready;
    await online.flush();
    expect(sent).toHaveLength(2); // the refusal did not stop the replay
    online.dispose();

    const reloaded = queueOn(idbOfflineStorage(scope), true);
    await reloaded.ready;
    const { pending, failed } = reloaded.get();
    expect(pending).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: "CONFLICT", message: "this ticket is already completed", action: { kind: "completeTicket", meta: { code: "C-007" } } });

    await reloaded.dismiss(failed[0]!.id);
    expect(reloaded.get().failed).toEqual([]);
    reloaded.dispose();
    const again = queueOn(idbOfflineStorage(scope), true);
    await again.ready;
    expect(again.get().failed).toEqual([]);
    again.dispose();
  });

  it("SeparatesAccounts", async () => {
    const a = queueOn(idbOfflineStorage(`a-${Math.random()}`), false);
    await a.submit({ kind: "callNext", payload: {} });
    const b = queueOn(idbOfflineStorage(`b-${Math.random()}`), false);
    await b.ready;
    expect(b.get().pending).toEqual([]);
    a.dispose();
    b.dispose();
  });
});
