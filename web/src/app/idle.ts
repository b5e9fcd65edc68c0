// Automatic logoff of staff sessions on shared workstations.
//
// The server counts a refresh as activity and refuses one after STAFF_IDLE_TIMEOUT without any. A
// dashboard refreshes by itself (the live socket and queries need fresh tokens), so if refreshes were
// free a tab left open on a ward computer would keep its session alive forever. Hence the contract:
//   - the app refreshes only after a person touched the page since the last refresh (mayRefresh);
//   - a touch more than `activityRefreshMs` after the last refresh refreshes at once, so the server's
//     idle clock (last refresh) trails the person's by at most that much;
//   - the idle deadline here is the server's: last refresh + idle timeout. The person is signed out
//     after between (idle - activityRefreshMs) and idle without touching, and never sees a refusal
//     from the server first. A refresh in any tab moves every tab's deadline (shared session).
// Telling the server about activity instead would need a write per touch or trust in what the
// client reports; the refresh is a write the session makes anyway.

/** Records the last time a person touched the page (pointer, key, wheel, touch). */
export class ActivityTracker {
  private last = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<() => void>();

  /** The last touch (ms), -Infinity before the first. */
  lastActivity(): number {
    return this.last;
  }

  /** Notes a touch at `at` and tells the listeners. */
  touch(at: number): void {
    this.last = at;
    for (const l of [...this.listeners]) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to the page's input events; returns the function that stops. */
  listen(target: Pick<Window, "addEventListener" | "removeEventListener">, now: () => number = Date.now): () => void {
    const onInput = () => this.touch(now());
    const opts = { capture: true, passive: true } as const;
    for (const e of ACTIVITY_EVENTS) target.addEventListener(e, onInput, opts);
    return () => {
      for (const e of ACTIVITY_EVENTS) target.removeEventListener(e, onInput, opts);
    };
  }
}

const ACTIVITY_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;

/** The tracker of this page, shared by the client (mayRefresh) and the idle timer. */
export const pageActivity = new ActivityTracker();

/** The warning comes this long before the sign-out (or at half the timeout when that is shorter). */
export const WARNING_MS = 60_000;
/** A touch refreshes when the last refresh is older than this (or a quarter of a shorter timeout). */
export const ACTIVITY_REFRESH_MS = 60_000;

export interface IdleTimerOptions {
  idleMs: number;
  /** When the session was last refreshed (ms): the start of the idle period, as for the server. */
  lastRefresh: () => number;
  /** Asks for a refresh after a touch (SessionManager.refresh). */
  refresh: () => void;
  /** The warning is due: the sign-out comes at `deadline` (ms). */
  onWarn: (deadline: number) => void;
  /** A refresh came during the warning: it no longer holds. */
  onActive: () => void;
  /** The idle timeout passed. */
  onIdle: () => void;
  now?: () => number;
}

/** Whether to refresh a session last refreshed at `refreshedAt`: only after a touch since then. */
export function touchedSince(activity: ActivityTracker, refreshedAt: number | undefined): boolean {
  return refreshedAt === undefined || activity.lastActivity() > refreshedAt;
}

/**
 * The idle timer of one page: call activity() on every touch and sessionChanged() after every refresh
 * (from any tab); it warns, then signs out, at the server's deadline. stop() ends it.
 */
export class IdleTimer {
  private readonly o: Required<IdleTimerOptions>;
  private readonly warnMs: number;
  private readonly activityRefreshMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private warned = false;
  private stopped = false;
  private lastAsk = Number.NEGATIVE_INFINITY;

  constructor(options: IdleTimerOptions) {
    this.o = { now: Date.now, ...options };
    this.warnMs = Math.min(WARNING_MS, options.idleMs / 2);
    this.activityRefreshMs = Math.min(ACTIVITY_REFRESH_MS, options.idleMs / 4);
    this.check();
  }

  /** When the session ends without a touch (ms). */
  deadline(): number {
    return this.o.lastRefresh() + this.o.idleMs;
  }

  /** A person touched the page: refresh when the server's idle clock is more than a little behind. */
  activity(): void {
    if (this.stopped) return;
    const now = this.o.now();
    if (now >= this.deadline()) return this.check(); // too late: a timer was held back (sleep)
    if (now - this.o.lastRefresh() >= this.activityRefreshMs && now - this.lastAsk >= this.activityRefreshMs) {
      this.lastAsk = now;
      this.o.refresh();
    }
  }

  /** The session was refreshed (here or in another tab): the deadline moved. */
  sessionChanged(): void {
    this.lastAsk = Number.NEGATIVE_INFINITY;
    this.check();
  }

  /** Re-reads the clock: on every timer, and when the page becomes visible again. */
  check(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const now = this.o.now();
    const deadline = this.deadline();
    if (now >= deadline) {
      this.stop();
      this.o.onIdle();
      return;
    }
    const warnAt = deadline - this.warnMs;
    if (now >= warnAt) {
      if (!this.warned) {
        this.warned = true;
        this.o.onWarn(deadline);
      }
    } else if (this.warned) {
      this.warned = false;
      this.o.onActive();
    }
    this.timer = setTimeout(() => this.check(), (now >= warnAt ? deadline : warnAt) - now);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
