// The change feed (syncPull): after a sleep or a time offline, the tickets that changed meanwhile are
// brought into the cache in a few small pages, instead of every screen refetching its whole query.
// Tickets are normalised by id, so each screen showing one sees its new state; the queue screens' lists
// themselves come back with their subscription's first snapshot. A cursor older than the feed keeps
// (RESYNC_REQUIRED) falls back to refetching the active queries once.
import type { ApolloClient } from "@apollo/client";
import { CombinedGraphQLErrors } from "@apollo/client/errors";

import { SyncPullDocument } from "../generated/graphql";

export interface ChangeFeedOptions {
  apollo: ApolloClient;
  /** Events per page (the server takes 1 to 200). */
  pageSize?: number;
  /** Pages per catch-up at most; the rest waits for the next one (default 20). */
  maxPages?: number;
  /** What to do when the cursor is too old (default: refetch the active queries). */
  resync?: () => Promise<unknown>;
  /** Default Date.now (when the cursor was taken: takenAt). */
  now?: () => number;
}

/** The extensions.reason of a cursor older than the feed keeps. */
export const RESYNC_REQUIRED = "RESYNC_REQUIRED";

function reasonOf(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const r = error.errors[0]?.extensions?.["reason"];
  return typeof r === "string" ? r : undefined;
}

/** ChangeFeed keeps a cursor into the server's change feed and catches up from it on demand. */
export class ChangeFeed {
  private cursor: string | null = null;
  private at: number | null = null;
  private running: Promise<number> | null = null;
  private readonly o: Required<ChangeFeedOptions>;

  constructor(options: ChangeFeedOptions) {
    this.o = {
      pageSize: 100,
      maxPages: 20,
      resync: () => options.apollo.refetchQueries({ include: "active" }),
      now: Date.now,
      ...options,
    };
  }

  /** The cursor the next catch-up starts from (null before the first). */
  get position(): string | null {
    return this.cursor;
  }

  /** When (this device's clock, ms) the cursor was last moved: by a catch-up or renew (null before). */
  get takenAt(): number | null {
    return this.at;
  }

  /**
   * Brings what changed since the cursor into the cache and returns how many tickets came. Without a
   * cursor it only takes one (the screens have just loaded what is current). One catch-up at a time:
   * a call while one runs gets that one's answer. Rejects with Apollo's error (the network failed: the
   * cursor stays, the next call starts there again).
   */
  catchUp(): Promise<number> {
    return this.once(() => this.pull());
  }

  /**
   * Replaces the cursor with the current one without reading what lies between: for a cursor grown old
   * while nothing was missed (the screens were live throughout), so a later catch-up starts near the
   * outage instead of hours before it. Shares catchUp's one-at-a-time rule (a call while either runs
   * gets that one's answer).
   */
  renew(): Promise<number> {
    return this.once(async () => {
      this.move((await this.page(null)).cursor);
      return 0;
    });
  }

  private once(run: () => Promise<number>): Promise<number> {
    this.running ??= run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private move(cursor: string): void {
    this.cursor = cursor;
    this.at = this.o.now();
  }

  private async page(since: string | null) {
    const { data } = await this.o.apollo.query({
      query: SyncPullDocument,
      variables: { since, first: this.o.pageSize },
      fetchPolicy: "network-only",
    });
    if (!data) throw new Error("syncPull answered no data");
    return data.syncPull;
  }

  private async pull(): Promise<number> {
    if (this.cursor === null) {
      this.move((await this.page(null)).cursor);
      return 0;
    }
    let tickets = 0;
    try {
      for (let i = 0; i < this.o.maxPages; i++) {
        const p = await this.page(this.cursor);
        tickets += p.tickets.length;
        this.move(p.cursor);
        if (!p.hasMore) break;
      }
    } catch (err) {
      if (reasonOf(err) !== RESYNC_REQUIRED) throw err;
      this.move((await this.page(null)).cursor); // taken before the refetch: nothing falls between
      await this.o.resync();
    }
    return tickets;
  }
}
