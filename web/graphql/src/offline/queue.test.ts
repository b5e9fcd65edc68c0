// The offline queue's promises: strict order, one at a time; a network failure stops the replay and
// keeps everything; a refusal nobody waits for is kept for the user; storage is the only state.
import { afterEach, describe, expect, it, vi } from "vitest";

import { OfflineQueue, memoryOfflineStorage, type BatchOutcome, type OfflineStorage, type QueuedAction, type ReplayEvent } from "./queue";

class NetworkDown extends Error {}
class Refused extends Error {
  constructor(readonly code: string) {
    super(`refused: ${code}`);
  }
}

/** A server the test steers: it records every attempt and answers by the action's payload. */
function fakeServer() {
  const attempts: QueuedAction[] = [];
  let down = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const execute = async (a: QueuedAction) => {
    attempts.push(a);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    if (down) throw new NetworkDown("offline");
    const p = a.payload as { refuse?: string; n?: number };
    if (p.refuse) throw new Refused(p.refuse);
    return { done: p.n };
  };
  return {
    attempts,
    execute,
    setDown: (v: boolean) => {
      down = v;
    },
    maxInFlight: () => maxInFlight,
  };
}

function newQueue(storage: OfflineStorage, server: ReturnType<typeof fakeServer>, online = () => true) {
  return new OfflineQueue({
    storage,
    execute: server.execute,
    classify: (e) => (e instanceof NetworkDown ? "retry" : "reject"),
    describe: (e) => (e instanceof Refused ? { code: e.code, message: e.message } : { code: "INTERNAL" }),
    online,
    initialRetryMs: 1_000,
    maxRetryMs: 8_000,
    random: () => 0.5,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("OfflineQueue", () => {
  it("SendsInOrderOneAtATime", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server);
    const outcomes = await Promise.all([1, 2, 3, 4].map((n) => q.submit({ kind: "k", payload: { n } })));
    expect(outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done"]);
    expect(outcomes.map((o) => (o.status === "done" ? o.result : null))).toEqual([{ done: 1 }, { done: 2 }, { done: 3 }, { done: 4 }]);
    expect(server.attempts.map((a) => (a.payload as { n: number }).n)).toEqual([1, 2, 3, 4]);
    expect(server.maxInFlight()).toBe(1);
    expect(q.get().pending).toEqual([]);
  });

  it("KeepsTheIdempotencyKeyItWasGiven", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server);
    await q.submit({ kind: "k", payload: { n: 1 }, idempotencyKey: "form-key" });
    expect(server.attempts[0]!.idempotencyKey).toBe("form-key");
  });

  it("QueuesWithoutTryingWhileOffline", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server, () => false);
    const outcome = await q.submit({ kind: "k", payload: { n: 1 }, meta: { code: "C-001" } });
    expect(outcome.status).toBe("queued");
    expect(server.attempts).toEqual([]);
    expect(q.get().pending).toHaveLength(1);
    expect(q.get().pending[0]!.meta).toEqual({ code: "C-001" });
  });

  it("StopsOnANetworkFailureAndReplaysInOrderWithTheSameKeys", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server);
    server.setDown(true);
    const first = await q.submit({ kind: "k", payload: { n: 1 } });
    expect(first.status).toBe("queued");
    expect(q.get().retryAt).not.toBeNull();
    const second = await q.submit({ kind: "k", payload: { n: 2 } });
    expect(second.status).toBe("queued");
    // Every try starts at the head: action 2 was never sent ahead of action 1.
    expect(server.attempts.map((a) => (a.payload as { n: number }).n)).toEqual([1, 1]);
    expect(q.get().pending.map((a) => (a.payload as { n: number }).n)).toEqual([1, 2]);

    server.setDown(false);
    await q.flush();
    const sent = server.attempts.slice(2);
    expect(sent.map((a) => (a.payload as { n: number }).n)).toEqual([1, 2]);
    expect(sent[0]!.idempotencyKey).toBe(server.attempts[0]!.idempotencyKey);
    expect(q.get().pending).toEqual([]);
    expect(q.get().failed).toEqual([]);
    expect(q.get().retryAt).toBeNull();
  });

  it("RetriesByItselfWithGrowingDelays", async () => {
    vi.useFakeTimers();
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server);
    server.setDown(true);
    const outcome = q.submit({ kind: "k", payload: { n: 1 } });
    await vi.advanceTimersByTimeAsync(5);
    expect((await outcome).status).toBe("queued");
    expect(server.attempts).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000 + 5); // first delay: 1 s
    expect(server.attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_500); // second delay: 2 s, not yet
    expect(server.attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500 + 5);
    expect(server.attempts).toHaveLength(3);

    server.setDown(false);
    await vi.advanceTimersByTimeAsync(4_000 + 5); // third delay: 4 s
    expect(server.attempts).toHaveLength(4);
    expect(q.get().pending).toEqual([]);
    q.dispose();
  });

  it("GivesAWaitingCallerTheRefusalAndKeepsNothing", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server);
    await expect(q.submit({ kind: "k", payload: { refuse: "CONFLICT" } })).rejects.toBeInstanceOf(Refused);
    expect(q.get().pending).toEqual([]);
    expect(q.get().failed).toEqual([]);
  });

  it("KeepsARefusalDuringReplayAndGoesOn", async () => {
    const server = fakeServer();
    const storage = memoryOfflineStorage();
    const q = newQueue(storage, server, () => false);
    await q.submit({ kind: "k", payload: { n: 1 } });
    await q.submit({ kind: "k", payload: { refuse: "CONFLICT" }, meta: { code: "C-002" } });
    await q.submit({ kind: "k", payload: { n: 3 } });
    q.dispose();

    const online = newQueue(storage, server); // the connection is back
    await online.ready;
    await online.flush();
    expect(server.attempts.map((a) => a.payload)).toEqual([{ n: 1 }, { refuse: "CONFLICT" }, { n: 3 }]);
    const { pending, failed } = online.get();
    expect(pending).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: "CONFLICT", message: "refused: CONFLICT", action: { meta: { code: "C-002" } } });

    await online.dismiss(failed[0]!.id);
    expect(online.get().failed).toEqual([]);
  });

  it("KeepsARefusalWhenTheCallerStoppedWaiting", async () => {
    let answer: (() => void) | undefined;
    const q = new OfflineQueue({
      storage: memoryOfflineStorage(),
      execute: () => new Promise((_, reject) => (answer = () => reject(new Refused("NOT_FOUND")))),
      classify: () => "reject",
      describe: (e) => ({ code: (e as Refused).code }),
    });
    const id = "action-1";
    const outcome = q.submit({ id, kind: "k", payload: {} });
    await vi.waitFor(() => expect(answer).toBeDefined());
    q.release(id); // the screen went away before the answer came
    expect((await outcome).status).toBe("queued");
    answer!();
    await vi.waitFor(() => expect(q.get().failed.map((f) => f.code)).toEqual(["NOT_FOUND"]));
    expect(q.get().pending).toEqual([]);
  });

  it("TellsWhatItReplayedOnceTheCallerStoppedWaiting", async () => {
    const server = fakeServer();
    let online = true;
    const q = newQueue(memoryOfflineStorage(), server, () => online);
    const events: ReplayEvent[] = [];
    q.onReplay((e) => events.push(e));
    await q.submit({ kind: "k", payload: { n: 1 } }); // its caller got the result: not a replay
    online = false;
    const kept = await q.submit({ kind: "k", payload: { n: 2 }, meta: { patient: "Ada Batchley" } });
    await q.submit({ kind: "k", payload: { n: 3, refuse: "CONFLICT" } });
    online = true;
    await q.flush();

    expect(events.map((e) => e.status)).toEqual(["done", "refused"]);
    const [done, refused] = events;
    if (done?.status !== "done" || refused?.status !== "refused" || kept.status !== "queued") throw new Error("shape");
    expect(done.replayed).toMatchObject({ id: kept.action.id, result: { done: 2 }, action: { meta: { patient: "Ada Batchley" } } });
    expect(refused.failure.code).toBe("CONFLICT");
    // The done one stays in the state for the screen until acknowledged; the refused one is a failure.
    expect(q.get().replayed).toEqual([done.replayed]);
    expect(q.get().failed.map((f) => f.code)).toEqual(["CONFLICT"]);
    q.acknowledge(kept.action.id);
    expect(q.get().replayed).toEqual([]);
  });

  it("PicksUpWhereItStoppedAfterARestart", async () => {
    const storage = memoryOfflineStorage();
    const server = fakeServer();
    const before = newQueue(storage, server, () => false);
    await before.submit({ kind: "k", payload: { n: 1 } });
    await before.submit({ kind: "k", payload: { n: 2 } });
    before.dispose();

    const after = newQueue(storage, server);
    await after.ready;
    expect(after.get().pending.map((a) => a.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    await after.flush();
    expect(server.attempts.map((a) => a.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(after.get().pending).toEqual([]);
  });

  it("TreatsASlowAnswerAsANetworkFailure", async () => {
    vi.useFakeTimers();
    const attempts: string[] = [];
    const q = new OfflineQueue({
      storage: memoryOfflineStorage(),
      execute: (a) => {
        attempts.push(a.idempotencyKey);
        return new Promise(() => undefined); // never answers
      },
      classify: () => "reject",
      describe: () => ({ code: "INTERNAL" }),
      attemptTimeoutMs: 1_000,
      initialRetryMs: 60_000,
    });
    const outcome = q.submit({ kind: "k", payload: {} });
    await vi.advanceTimersByTimeAsync(1_001);
    expect((await outcome).status).toBe("queued");
    expect(q.get().pending).toHaveLength(1);
    expect(q.get().failed).toEqual([]);
    q.dispose();
  });

  it("KeepsActionsThatWaitedTooLongAsExpired", async () => {
    const server = fakeServer();
    const storage = memoryOfflineStorage();
    let now = Date.UTC(2026, 10, 26, 8);
    const options = {
      storage,
      execute: server.execute,
      classify: () => "reject" as const,
      describe: () => ({ code: "INTERNAL" }),
      maxAgeMs: 12 * 3_600_000,
      now: () => now,
    };
    const yesterday = new OfflineQueue({ ...options, online: () => false });
    await yesterday.submit({ kind: "checkIn", payload: { n: 1 } });
    yesterday.dispose();

    now += 13 * 3_600_000;
    const today = new OfflineQueue(options);
    await today.ready;
    await today.flush();
    expect(server.attempts).toEqual([]);
    expect(today.get().pending).toEqual([]);
    expect(today.get().failed.map((f) => f.code)).toEqual(["EXPIRED"]);
  });

  it("TellsListenersAboutChanges", async () => {
    const server = fakeServer();
    const q = newQueue(memoryOfflineStorage(), server, () => false);
    const seen: number[] = [];
    q.subscribe(() => seen.push(q.get().pending.length));
    await q.submit({ kind: "k", payload: { n: 1 } });
    expect(seen).toContain(1);
  });
});

/** A server taking batches: it answers each action by its payload, and records every request. */
function batchServer() {
  const batches: number[][] = [];
  const singles: number[] = [];
  let down = false;
  let refuseWhole = false;
  const skipped = new Set<string>();
  const n = (a: QueuedAction) => (a.payload as { n: number }).n;
  const answer = (a: QueuedAction): BatchOutcome => {
    const p = a.payload as { n: number; refuse?: string; skip?: "retry" | "depends" | "once"; busy?: boolean };
    if (p.refuse) return { status: "failed", error: new Refused(p.refuse) };
    if (p.skip === "once") {
      if (skipped.has(a.id)) return { status: "done", result: { done: p.n } };
      skipped.add(a.id);
      return { status: "skipped", error: new Refused("UNAVAILABLE"), retry: true };
    }
    if (p.busy) return { status: "failed", error: new NetworkDown("UNAVAILABLE") };
    if (p.skip) return { status: "skipped", error: new Refused("CONFLICT"), retry: p.skip === "retry" };
    return { status: "done", result: { done: p.n } };
  };
  return {
    batches,
    singles,
    setDown: (v: boolean) => {
      down = v;
    },
    setRefuseWhole: (v: boolean) => {
      refuseWhole = v;
    },
    executeBatch: async (actions: readonly QueuedAction[]) => {
      batches.push(actions.map(n));
      await new Promise((r) => setTimeout(r, 1));
      if (down) throw new NetworkDown("offline");
      if (refuseWhole) throw new Refused("BAD_USER_INPUT");
      return actions.map(answer);
    },
    execute: async (a: QueuedAction) => {
      singles.push(n(a));
      if (down) throw new NetworkDown("offline");
      const o = answer(a);
      if (o.status === "done") return o.result;
      throw o.error;
    },
  };
}

function batchQueue(storage: OfflineStorage, server: ReturnType<typeof batchServer>, online: () => boolean, batchSize = 200) {
  return new OfflineQueue({
    storage,
    execute: server.execute,
    executeBatch: server.executeBatch,
    batchable: (a) => a.kind !== "other",
    batchSize,
    classify: (e) => (e instanceof NetworkDown ? "retry" : "reject"),
    describe: (e) => (e instanceof Refused ? { code: e.code, message: e.message } : { code: "INTERNAL" }),
    online,
    initialRetryMs: 1_000,
    random: () => 0.5,
  });
}

/** Queues payloads while offline, then returns a queue on the same storage that is online. */
async function waited(server: ReturnType<typeof batchServer>, payloads: Record<string, unknown>[], batchSize?: number, kinds?: string[]) {
  const storage = memoryOfflineStorage();
  const offline = batchQueue(storage, server, () => false);
  for (const [i, p] of payloads.entries()) await offline.submit({ kind: kinds?.[i] ?? "k", payload: p, meta: { code: `C-${i}` } });
  offline.dispose();
  const q = batchQueue(storage, server, () => true, batchSize);
  await q.ready;
  return q;
}

describe("OfflineQueue with batches (syncPush)", () => {
  it("SendsWhatWaitedAsOneBatchInOrder", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await q.flush();
    expect(server.batches).toEqual([[1, 2, 3]]);
    expect(server.singles).toEqual([]);
    expect(q.get().pending).toEqual([]);
    expect(q.get().failed).toEqual([]);
  });

  it("SplitsAtTheBatchSize", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }], 2);
    await q.flush();
    expect(server.batches).toEqual([[1, 2], [3, 4]]);
    expect(server.singles).toEqual([5]); // the last one alone goes as its mutation
    expect(q.get().pending).toEqual([]);
  });

  it("SendsAnActionTheBatchDoesNotTakeAlone", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], undefined, ["k", "k", "other", "k"]);
    await q.flush();
    expect(server.batches).toEqual([[1, 2]]);
    expect(server.singles).toEqual([3, 4]);
  });

  it("KeepsRefusalsAndWhatDependedOnThemAndGoesOn", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2, refuse: "CONFLICT" }, { n: 3, skip: "depends" }, { n: 4 }]);
    await q.flush();
    expect(server.batches).toEqual([[1, 2, 3, 4]]);
    expect(q.get().pending).toEqual([]);
    expect(q.get().failed.map((f) => [f.code, f.action.meta?.code])).toEqual([
      ["CONFLICT", "C-1"],
      ["CONFLICT", "C-2"],
    ]);
  });

  it("SendsWhatTheServerDidNotReachAgainAtOnce", async () => {
    const server = batchServer();
    // The server's deadline came after the first: the rest is sent again in a new batch at once.
    const q = await waited(server, [{ n: 1 }, { n: 2, skip: "once" }, { n: 3, skip: "once" }]);
    await q.flush();
    expect(server.batches).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(q.get().pending).toEqual([]);
    expect(q.get().retryAt).toBeNull();
  });

  it("WaitsWhenTheServerIsBusyBeforeAnyProgress", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1, busy: true }, { n: 2, skip: "retry" }]);
    await q.flush();
    expect(server.batches).toEqual([[1, 2]]);
    expect(q.get().pending.map((a) => (a.payload as { n: number }).n)).toEqual([1, 2]);
    expect(q.get().failed).toEqual([]);
    expect(q.get().retryAt).not.toBeNull();
    q.dispose();
  });

  it("KeepsTheWholeBatchWhenTheNetworkFails", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2 }]);
    server.setDown(true);
    await q.flush();
    expect(q.get().pending).toHaveLength(2);
    expect(q.get().retryAt).not.toBeNull();
    server.setDown(false);
    await q.flush();
    expect(server.batches).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(q.get().pending).toEqual([]);
  });

  it("GoesOneByOneAfterABatchRefusedWhole", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }, { n: 2, refuse: "BAD_USER_INPUT" }, { n: 3 }]);
    server.setRefuseWhole(true);
    await q.flush();
    // Each refused batch is followed by its head alone, which finds the action at fault.
    expect(server.singles).toEqual([1, 2, 3]);
    expect(q.get().pending).toEqual([]);
    expect(q.get().failed.map((f) => f.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("AnswersACallerWaitingInTheBatch", async () => {
    const server = batchServer();
    const q = await waited(server, [{ n: 1 }]);
    const outcome = q.submit({ kind: "k", payload: { n: 2 } });
    expect(await outcome).toEqual({ status: "done", result: { done: 2 } });
    expect(server.batches).toEqual([[1, 2]]);
  });
});
