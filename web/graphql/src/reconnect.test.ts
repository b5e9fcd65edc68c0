import type { TypedDocumentNode } from "@apollo/client";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { createCareQueueClient } from "./client";
import { memoryTokenStorage } from "./session";

/**
 * The socket as the apps see the server during a rolling deploy (the server side is proven in Go,
 * TestGracefulShutdownAcrossReplicas and TestConnectionCap): a replica that is stopping closes its
 * sockets with 1001, and a replica that is full or draining refuses the upgrade with 503, which a
 * browser or React Native reports only as an error and a close with 1006 before the socket opens.
 * Each socket speaks graphql-transport-ws: it acknowledges connection_init and answers a subscribe
 * with the current state, `waiting`.
 */
class ReplicaSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  /** What the next sockets meet, in order; then every socket is admitted. */
  static refuseNext = 0;
  static waiting = 1;
  static sockets: ReplicaSocket[] = [];

  readonly createdAt = performance.now();
  readyState = ReplicaSocket.CONNECTING;
  protocol = "graphql-transport-ws";
  onopen: ((e: unknown) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;

  constructor(readonly url: string) {
    ReplicaSocket.sockets.push(this);
    const refused = ReplicaSocket.refuseNext > 0;
    if (refused) ReplicaSocket.refuseNext -= 1;
    setTimeout(() => {
      if (refused) {
        this.readyState = ReplicaSocket.CLOSED;
        this.onerror?.({ type: "error" });
        this.onclose?.({ code: 1006, reason: "", wasClean: false });
        return;
      }
      this.readyState = ReplicaSocket.OPEN;
      this.onopen?.({});
    });
  }

  send(data: string) {
    const m = JSON.parse(data) as { id?: string; type: string };
    if (m.type === "connection_init") this.deliver({ type: "connection_ack" });
    if (m.type === "subscribe") {
      const payload = { data: { boardChanged: { __typename: "BoardSnapshot", waitingCount: ReplicaSocket.waiting } } };
      this.deliver({ id: m.id, type: "next", payload });
    }
  }

  close(code = 1000, reason = "") {
    if (this.readyState === ReplicaSocket.CLOSED) return;
    this.readyState = ReplicaSocket.CLOSED;
    setTimeout(() => this.onclose?.({ code, reason, wasClean: true }));
  }

  /** The replica stops: close frame 1001, as server.Admission.CloseAll sends. */
  goAway() {
    this.readyState = ReplicaSocket.CLOSED;
    this.onclose?.({ code: 1001, reason: "server shutting down: reconnect", wasClean: true });
  }

  private deliver(message: unknown) {
    setTimeout(() => {
      if (this.readyState === ReplicaSocket.OPEN) this.onmessage?.({ data: JSON.stringify(message) });
    });
  }
}

const Board: TypedDocumentNode<{ boardChanged: { waitingCount: number } }> = parse(
  'subscription Board { boardChanged(departmentID: "DP1") { waitingCount } }',
);

function watchBoard() {
  ReplicaSocket.sockets = [];
  const cq = createCareQueueClient({
    httpUrl: "http://test/graphql",
    wsUrl: "ws://test/graphql",
    storage: memoryTokenStorage(),
    webSocketImpl: ReplicaSocket,
  });
  const seen: number[] = [];
  const statuses: string[] = [];
  cq.connection.subscribe(() => statuses.push(cq.connection.get()));
  const sub = cq.apollo.subscribe({ query: Board, fetchPolicy: "no-cache" }).subscribe({
    next: (r) => {
      if (r.data) seen.push(r.data.boardChanged.waitingCount);
    },
  });
  return {
    seen,
    statuses,
    async until(n: number, timeoutMs = 5_000) {
      const start = performance.now();
      while (seen.length < n) {
        if (performance.now() - start > timeoutMs) throw new Error(`only ${seen.length} of ${n} results: ${seen.join(",")}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    dispose() {
      sub.unsubscribe();
      cq.dispose();
    },
  };
}

describe("rolling deploys", () => {
  it("ReconnectsAfterGoingAwayAndResubscribesToTheCurrentState", async () => {
    ReplicaSocket.refuseNext = 0;
    ReplicaSocket.waiting = 1;
    const w = watchBoard();
    try {
      await w.until(1);
      ReplicaSocket.waiting = 2; // changed while the client was moving to another replica
      ReplicaSocket.sockets[0]?.goAway();
      await w.until(2);
      expect(w.seen).toEqual([1, 2]);
      expect(ReplicaSocket.sockets).toHaveLength(2);
      expect(w.statuses).toContain("reconnecting");
      expect(w.statuses.at(-1)).toBe("connected");
    } finally {
      w.dispose();
    }
  });

  it("BacksOffWithJitterWhileUpgradesAreRefused", async () => {
    ReplicaSocket.refuseNext = 2; // two refused upgrades (503: full or draining), then admitted
    ReplicaSocket.waiting = 7;
    const w = watchBoard();
    try {
      await w.until(1);
      expect(w.seen).toEqual([7]);
      const [t0, t1, t2, ...more] = ReplicaSocket.sockets.map((s) => s.createdAt);
      expect(more).toEqual([]);
      if (t0 === undefined || t1 === undefined || t2 === undefined) throw new Error("three connection attempts expected");
      // Each wait is 500 ms doubled per attempt, times 0.5-1 (jitter: refused clients spread out).
      const first = t1 - t0;
      const second = t2 - t1;
      expect(first).toBeGreaterThanOrEqual(250 - 5);
      expect(first).toBeLessThan(500 + 100);
      expect(second).toBeGreaterThanOrEqual(500 - 5);
      expect(second).toBeLessThan(1_000 + 100);
    } finally {
      w.dispose();
    }
  });
});
