import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ActivityTracker, IdleTimer, touchedSince } from "./idle";

const MIN = 60_000;

/** An idle timer of 15 minutes on fake timers, with a session refreshed at lastRefresh. */
function setUp(idleMs = 15 * MIN) {
  const state = { lastRefresh: Date.now(), warnedAt: [] as number[], active: 0, idle: 0, refreshes: 0 };
  const timer = new IdleTimer({
    idleMs,
    lastRefresh: () => state.lastRefresh,
    refresh: () => {
      state.refreshes += 1;
    },
    onWarn: (deadline) => state.warnedAt.push(deadline),
    onActive: () => {
      state.active += 1;
    },
    onIdle: () => {
      state.idle += 1;
    },
  });
  /** The server answered a refresh: the session changed. */
  const refreshed = () => {
    state.lastRefresh = Date.now();
    timer.sessionChanged();
  };
  return { state, timer, refreshed };
}

describe("IdleTimer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-12-03T09:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("WarnsAMinuteBeforeThenSignsOut", () => {
    const start = Date.now();
    const { state } = setUp();
    vi.advanceTimersByTime(14 * MIN - 1);
    expect(state.warnedAt).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(state.warnedAt).toEqual([start + 15 * MIN]);
    vi.advanceTimersByTime(MIN - 1);
    expect(state.idle).toBe(0);
    vi.advanceTimersByTime(1);
    expect(state.idle).toBe(1);
    vi.advanceTimersByTime(60 * MIN);
    expect(state.idle).toBe(1); // once
  });

  it("ATouchRefreshesOnlyWhenTheLastRefreshIsAMinuteOld", () => {
    const { state, timer } = setUp();
    vi.advanceTimersByTime(30_000);
    timer.activity();
    expect(state.refreshes).toBe(0);
    vi.advanceTimersByTime(30_000);
    timer.activity();
    timer.activity(); // a burst of touches asks once
    expect(state.refreshes).toBe(1);
  });

  it("StaySignedInDuringTheWarningMovesTheDeadline", () => {
    const { state, timer, refreshed } = setUp();
    vi.advanceTimersByTime(14 * MIN + 30_000);
    expect(state.warnedAt).toHaveLength(1);
    timer.activity(); // the click on "stay signed in"
    expect(state.refreshes).toBe(1);
    refreshed();
    expect(state.active).toBe(1);
    vi.advanceTimersByTime(14 * MIN);
    expect(state.idle).toBe(0);
    vi.advanceTimersByTime(MIN);
    expect(state.idle).toBe(1);
  });

  it("ARefreshInAnotherTabCountsHere", () => {
    const { state, refreshed } = setUp();
    vi.advanceTimersByTime(10 * MIN);
    refreshed(); // the storage event of the other tab's refresh
    vi.advanceTimersByTime(14 * MIN);
    expect(state.idle).toBe(0);
    vi.advanceTimersByTime(MIN);
    expect(state.idle).toBe(1);
  });

  it("TouchesWithoutRefreshDoNotExtendIt", () => {
    // The server counts refreshes, not touches: a touch whose refresh fails (offline) does not move
    // the deadline, so the app never believes in a session the server has ended.
    const { state, timer } = setUp();
    for (let i = 0; i < 15; i++) {
      vi.advanceTimersByTime(MIN);
      timer.activity();
    }
    expect(state.refreshes).toBeGreaterThan(0);
    expect(state.idle).toBe(1);
  });

  it("ALateTimerSignsOutAtOnce", () => {
    // A sleeping laptop: the clock jumps past the deadline before any timer runs.
    const { state, timer } = setUp();
    vi.setSystemTime(Date.now() + 2 * 60 * MIN);
    timer.activity();
    expect(state.idle).toBe(1);
    expect(state.refreshes).toBe(0);
  });

  it("ShortTimeoutsWarnAtHalfAndRefreshAtAQuarter", () => {
    const { state, timer } = setUp(20_000);
    vi.advanceTimersByTime(5_000);
    timer.activity();
    expect(state.refreshes).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(state.warnedAt).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(state.idle).toBe(1);
  });

  it("StopEndsIt", () => {
    const { state, timer } = setUp();
    timer.stop();
    vi.advanceTimersByTime(60 * MIN);
    timer.activity();
    expect(state).toMatchObject({ idle: 0, refreshes: 0, warnedAt: [] });
  });
});

describe("touchedSince", () => {
  it("AllowsARefreshOnlyAfterATouch", () => {
    const a = new ActivityTracker();
    expect(touchedSince(a, 1_000)).toBe(false);
    a.touch(999);
    expect(touchedSince(a, 1_000)).toBe(false);
    a.touch(1_001);
    expect(touchedSince(a, 1_000)).toBe(true);
    expect(touchedSince(new ActivityTracker(), undefined)).toBe(true); // a session from before refreshedAt
  });

  it("ListensToInputEvents", () => {
    const a = new ActivityTracker();
    const target = new EventTarget();
    const stop = a.listen(target as unknown as Window, () => 42);
    target.dispatchEvent(new Event("keydown"));
    expect(a.lastActivity()).toBe(42);
    stop();
    a.touch(1);
    target.dispatchEvent(new Event("pointerdown"));
    expect(a.lastActivity()).toBe(1);
  });
});
