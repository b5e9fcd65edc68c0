// How many times a dashboard reads the change feed (SyncPull): the occasions the web app reports
// (page start, socket connected, session renewed, browser online/offline) are played against a real
// queue and feed over a fake /graphql that counts what it receives. Online use reads it at most once
// (the first cursor); an outage once; a replay once, after the push; never two at a time.
import { ApolloClient, ApolloLink, InMemoryCache, type FetchResult } from "@apollo/client";
import { Observable } from "rxjs";
import { describe, expect, it } from "vitest";

import { watchable, type ConnectionStatus } from "../client";
import { CatchUp } from "./catchup";
import { ChangeFeed } from "./feed";
import { OfflineQueue, memoryOfflineStorage, type ReplayEvent } from "./queue";
import { actionTicket } from "./testkit";
import { classifyWorkflowError, describeWorkflowError, executeWorkflowAction, executeWorkflowBatch } from "./workflow";

const ticket = (id: string, code: string, status: string) => actionTicket(id, status, { code, statusToken: `tok-${id}`, position: 1 });

/** A fake server: answers CheckIn, CancelTicket, SyncPush and SyncPull a moment later, and counts them. */
function fakeServer() {
  const sent: { name: string; vars: Record<string, unknown> }[] = [];
  let pulling = 0;
  let maxPulling = 0;
  let cursor = 0;
  let tickets = 0;
  const answer = (name: string, vars: Record<string, unknown>): FetchResult => {
    switch (name) {
      case "CheckIn":
        return { data: { checkIn: ticket(`TK${++tickets}`, `S-00${tickets}`, "WAITING") } };
      case "SyncPush": {
        const ops = vars["operations"] as { sequence: number; kind: string; ticketID?: string }[];
        return {
          data: {
            syncPush: ops.map((op) => {
              const t = op.kind === "CHECK_IN" ? ticket(`TK${++tickets}`, `S-00${tickets}`, "WAITING") : ticket(op.ticketID!, "S-000", "CANCELLED");
              return { __typename: "SyncOperationResult", sequence: op.sequence, status: "APPLIED", ticket: t, error: null };
            }),
          },
        };
      }
      case "SyncPull":
        return { data: { syncPull: { __typename: "SyncPullResult", cursor: `c1_${++cursor}`, hasMore: false, tickets: [] } } };
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        const name = op.operationName ?? "";
        sent.push({ name, vars: op.variables });
        if (name === "SyncPull") maxPulling = Math.max(maxPulling, ++pulling);
        const timer = setTimeout(() => {
          if (name === "SyncPull") pulling--;
          observer.next(answer(name, op.variables));
          observer.complete();
        }, 3);
        return () => clearTimeout(timer);
      }),
  );
  return {
    apollo: new ApolloClient({ link, cache: new InMemoryCache() }),
    sent,
    names: () => sent.map((s) => s.name),
    pulls: () => sent.filter((s) => s.name === "SyncPull"),
    maxPulling: () => maxPulling,
  };
}

/** A signed-in dashboard as OfflineProvider wires it, on a page that has just started. */
function dashboard() {
  const server = fakeServer();
  const net = { online: true, now: 1_000_000 };
  const connection = watchable<ConnectionStatus>("connecting");
  const queue = new OfflineQueue({
    storage: memoryOfflineStorage(),
    execute: (a) => executeWorkflowAction(server.apollo, a),
    executeBatch: (as) => executeWorkflowBatch(server.apollo, as),
    classify: classifyWorkflowError,
    describe: describeWorkflowError,
    online: () => net.online,
  });
  const now = () => net.now;
  const sync = new CatchUp({ queue, feed: new ChangeFeed({ apollo: server.apollo, now }), connection, online: () => net.online, now });
  const replays: ReplayEvent[] = [];
  queue.onReplay((e) => replays.push(e));
  // The browser's occasions, as OfflineProvider reports them.
  const occasion = () => void sync.sync().catch(() => undefined);
  const browser = {
    goOffline() {
      net.online = false;
      sync.wentOffline();
      connection.set("reconnecting");
    },
    comeOnline({ socketFirst = false } = {}) {
      net.online = true;
      if (socketFirst) connection.set("connected");
      occasion(); // window "online"
      connection.set("connected");
    },
  };
  /** The page has started and its socket connected; the feed has its cursor. */
  const started = async () => {
    await queue.ready;
    occasion();
    connection.set("connected");
    await quiet();
  };
  return { server, net, connection, queue, sync, replays, occasion, browser, started };
}

/** Lets every answer, replay and pull run out, then a little longer (nothing late may follow). */
const quiet = () => new Promise((r) => setTimeout(r, 60));

const checkInInput = (patientID: string) => ({ input: { queueID: "QU1", patientID, triageLevel: "STANDARD" as const } });

describe("CatchUp", () => {
  it("PullsAtMostOnceInOnlineUse", async () => {
    const d = dashboard();
    await d.queue.ready;
    d.occasion(); // page start
    d.connection.set("connected");
    d.occasion(); // session renewed (sign-in)
    await quiet();
    const outcome = await d.queue.submit({ kind: "checkIn", payload: checkInInput("PA1") });
    expect(outcome.status).toBe("done");
    d.occasion(); // session renewed
    d.connection.set("idle"); // the last subscription ended (lazy close) ...
    d.connection.set("connecting");
    d.connection.set("connected"); // ... and the next screen subscribes
    d.occasion();
    await quiet();

    expect(d.server.pulls().length).toBeLessThanOrEqual(1);
    expect(d.server.names().filter((n) => n !== "SyncPull")).toEqual(["CheckIn"]);
    expect(d.replays).toEqual([]); // the form received its own result
    expect(d.queue.get().replayed).toEqual([]);
  });

  it("PullsOnceAfterAnOutageFromTheCursorItHeld", async () => {
    for (const socketFirst of [false, true]) {
      const d = dashboard();
      await d.started();
      const before = d.server.pulls().length;

      d.browser.goOffline();
      d.occasion(); // a session renewal while offline pulls nothing
      await quiet();
      d.browser.comeOnline({ socketFirst });
      d.occasion(); // and the session renews at once
      await quiet();

      const pulls = d.server.pulls().slice(before);
      expect(pulls, `socket first: ${socketFirst}`).toHaveLength(1);
      expect(pulls[0]!.vars["since"]).toBe("c1_1"); // a catch-up from the cursor held, not a new cursor
      expect(d.server.maxPulling()).toBe(1);
    }
  });

  it("PullsOnceAfterTheReplaysPushAndTellsWhatWasReplayed", async () => {
    const d = dashboard();
    await d.started();
    const before = d.server.sent.length;

    d.browser.goOffline();
    const saved = await Promise.all([
      d.queue.submit({ kind: "checkIn", payload: checkInInput("PA1"), meta: { patient: "Ada Batchley" } }),
      d.queue.submit({ kind: "cancelTicket", payload: { ticketID: "TK9", reason: "left" } }),
    ]);
    expect(saved.map((o) => o.status)).toEqual(["queued", "queued"]);
    d.browser.comeOnline();
    await quiet();

    const after = d.server.sent.slice(before);
    expect(after.map((s) => (s.name === "SyncPush" ? `SyncPush(${(s.vars["operations"] as unknown[]).length})` : s.name))).toEqual([
      "SyncPush(2)",
      "SyncPull",
    ]);
    expect(d.server.maxPulling()).toBe(1);
    // The replay's results reach whoever listens, and stay in the state until acknowledged.
    expect(d.replays.map((e) => e.status)).toEqual(["done", "done"]);
    const [checkIn] = d.queue.get().replayed;
    expect(checkIn).toMatchObject({ id: saved[0]!.status === "queued" ? saved[0]!.action.id : "", action: { kind: "checkIn", meta: { patient: "Ada Batchley" } } });
    expect(checkIn!.result).toMatchObject({ code: "S-001", statusToken: "tok-TK1" });
    d.queue.acknowledge(checkIn!.id);
    expect(d.queue.get().replayed.map((r) => r.action.kind)).toEqual(["cancelTicket"]);
  });

  it("PullsAgainWhenAReplayEndsDuringAPull", async () => {
    const d = dashboard();
    await d.started();
    d.browser.goOffline();
    await d.queue.submit({ kind: "checkIn", payload: checkInInput("PA1") });
    d.net.online = true;
    d.connection.set("connected"); // the socket is back before the browser says so: the outage is caught up
    d.occasion(); // while that pull runs, the replay finishes: one more pull, after the first
    await quiet();

    expect(d.server.maxPulling()).toBe(1);
    const names = d.server.names();
    expect(names.lastIndexOf("SyncPull")).toBeGreaterThan(names.indexOf("CheckIn"));
  });

  it("RenewsAnOldCursorWithoutReadingWhatLiesBetween", async () => {
    const d = dashboard();
    await d.started();
    expect(d.server.pulls()).toHaveLength(1);
    d.net.now += 30 * 60_000;
    d.occasion(); // session renewed half an hour later: the cursor is still good
    await quiet();
    expect(d.server.pulls()).toHaveLength(1);
    d.net.now += 31 * 60_000;
    d.occasion(); // over an hour old: a new cursor, nothing read
    await quiet();
    expect(d.server.pulls().map((p) => p.vars["since"])).toEqual([null, null]);
  });
});
