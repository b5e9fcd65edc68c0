// When a dashboard replays its offline queue and when it reads the change feed. The queue is flushed at
// every occasion the platform reports (page start, network back, socket connected, session renewed);
// the feed is read only when there is something to catch up with: the queue replayed actions, the
// network or the live socket was actually down, or the cursor has grown old (then a fresh one is
// taken, nothing read). While the socket reconnects the pull waits for it, so the subscriptions are
// live again before the feed fills the gap, and one outage costs one pull. One pull at a time.
import type { ConnectionStatus, Watchable } from "../client";
import type { ChangeFeed } from "./feed";
import type { OfflineQueue } from "./queue";

export interface CatchUpOptions {
  queue: Pick<OfflineQueue, "flush" | "onReplay">;
  feed: Pick<ChangeFeed, "catchUp" | "renew" | "position" | "takenAt">;
  /** The live socket's state; "connected" is an occasion to flush, a drop means events were missed. */
  connection: Watchable<ConnectionStatus>;
  /** Whether the platform believes it is online (default: always). */
  online?: () => boolean;
  /** A cursor older than this is renewed at the next occasion (default 1 h; the server keeps 24 h). */
  cursorMaxAgeMs?: number;
  now?: () => number;
}

/** What the next pull should be. */
type Due = "catchUp" | "renew" | null;

/**
 * CatchUp drives one queue and its feed. Call sync() at every occasion the platform reports, and
 * wentOffline() when the platform says the network went away; the socket is watched here.
 */
export class CatchUp {
  /** Something may have changed that the cache has not seen: a replay, or an outage. */
  private missed = false;
  private running: Promise<void> | null = null;
  private disposed = false;
  private readonly o: Required<CatchUpOptions>;
  private readonly stop: (() => void)[];

  constructor(options: CatchUpOptions) {
    this.o = { online: () => true, cursorMaxAgeMs: 3_600_000, now: Date.now, ...options };
    const { connection } = this.o;
    this.stop = [
      connection.subscribe(() => {
        const status = connection.get();
        if (status === "reconnecting") this.missed = true; // the socket dropped: its events are lost
        if (status === "connected") void this.sync();
      }),
      this.o.queue.onReplay(() => {
        this.missed = true;
      }),
    ];
  }

  /** Sends what the queue holds, then pulls if there is something to catch up with. */
  async sync(): Promise<void> {
    if (this.disposed) return;
    await this.o.queue.flush();
    await this.pull();
  }

  /** The network went away (the browser's offline event): the next occasion online catches up. */
  wentOffline(): void {
    this.missed = true;
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.stop) s();
  }

  private due(): Due {
    const status = this.o.connection.get();
    // Offline the pull would fail; while the socket (re)connects, "connected" brings the next occasion.
    if (this.disposed || !this.o.online() || status === "connecting" || status === "reconnecting") return null;
    if (this.missed) return "catchUp";
    const { position, takenAt } = this.o.feed;
    if (position === null || takenAt === null || this.o.now() - takenAt > this.o.cursorMaxAgeMs) return "renew";
    return null;
  }

  /** Pulls until nothing is due; a call while a pull runs joins it (it looks again when done). */
  private pull(): Promise<void> {
    this.running ??= this.pullWhileDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pullWhileDue(): Promise<void> {
    for (let due = this.due(); due; due = this.due()) {
      if (due === "renew") {
        await this.o.feed.renew();
        continue;
      }
      this.missed = false; // taken now: a replay or drop during the pull asks for one more
      try {
        await this.o.feed.catchUp();
      } catch (err) {
        this.missed = true;
        throw err;
      }
    }
  }
}
