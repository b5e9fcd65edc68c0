import { describe, expect, it, vi } from "vitest";

import { SessionExpiredError, SessionManager, memoryTokenStorage, type StoredSession } from "./session";

const user = { id: "US1", name: "Sam", role: "RECEPTIONIST" as const, facilityID: "FC1" };

function sessionWith(n: number, expiresInMs = 60 * 60_000): StoredSession {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    user,
  };
}

/** A refresh function that answers after a tick, counting its calls. */
function countingRefresh() {
  let n = 1;
  const fn = vi.fn(async (refreshToken: string) => {
    await new Promise((r) => setTimeout(r, 10));
    expect(refreshToken).toBe(`refresh-${n}`);
    n += 1;
    return sessionWith(n);
  });
  return fn;
}

describe("SessionManager", () => {
  it("RefreshesOnceForConcurrentFailures", async () => {
    const refresh = countingRefresh();
    const m = new SessionManager({ storage: memoryTokenStorage(sessionWith(1)), refresh });
    await m.ready;

    const results = await Promise.all(Array.from({ length: 5 }, () => m.refresh("access-1")));

    expect(results).toEqual([true, true, true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(m.current()?.accessToken).toBe("access-2");
  });

  it("DoesNotRefreshATokenAlreadyReplaced", async () => {
    const refresh = countingRefresh();
    const m = new SessionManager({ storage: memoryTokenStorage(sessionWith(1)), refresh });
    await m.refresh("access-1");

    // A request that failed with the old token after the refresh finished: just retry.
    expect(await m.refresh("access-1")).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("AdoptsATokenAnotherTabRotated", async () => {
    const storage = memoryTokenStorage(sessionWith(1));
    const refresh = countingRefresh();
    const m = new SessionManager({ storage, refresh });
    await m.ready;
    await storage.save(sessionWith(7)); // another tab refreshed and stored its result

    expect(await m.refresh("access-1")).toBe(true);
    expect(refresh).not.toHaveBeenCalled();
    expect(m.current()?.accessToken).toBe("access-7");
  });

  it("SignsOutWhenTheServerRefusesTheRefreshToken", async () => {
    const storage = memoryTokenStorage(sessionWith(1));
    const m = new SessionManager({
      storage,
      refresh: async () => {
        throw new SessionExpiredError("session revoked");
      },
    });
    const seen: (StoredSession | null)[] = [];
    await m.ready;
    m.subscribe((s) => seen.push(s));

    expect(await m.refresh("access-1")).toBe(false);
    expect(m.current()).toBeNull();
    expect(await storage.load()).toBeNull();
    expect(seen).toEqual([null]);
  });

  it("KeepsTheSessionWhenTheServerCannotBeReached", async () => {
    const m = new SessionManager({
      storage: memoryTokenStorage(sessionWith(1)),
      refresh: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await m.ready;

    await expect(m.refresh("access-1")).rejects.toThrow("Failed to fetch");
    expect(m.current()?.accessToken).toBe("access-1");
  });

  it("RefreshesBeforeHandingOutAnExpiringToken", async () => {
    const refresh = countingRefresh();
    const m = new SessionManager({ storage: memoryTokenStorage(sessionWith(1, 5_000)), refresh });

    expect(await m.accessToken()).toBe("access-2");
    expect(await m.accessToken()).toBe("access-2");
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("RunsRefreshInsideTheStorageLock", async () => {
    const base = memoryTokenStorage(sessionWith(1));
    const order: string[] = [];
    const storage = {
      ...base,
      exclusive: async <T>(fn: () => Promise<T>) => {
        order.push("lock");
        try {
          return await fn();
        } finally {
          order.push("unlock");
        }
      },
      save: async (s: StoredSession | null) => {
        order.push(`save ${s?.accessToken ?? "null"}`);
        await base.save(s);
      },
    };
    const m = new SessionManager({ storage, refresh: countingRefresh() });

    await m.refresh("access-1");
    expect(order).toEqual(["lock", "save access-2", "unlock"]);
  });
  it("SkipsTheRefreshWhenMayRefreshSaysNo", async () => {
    const refresh = countingRefresh();
    let allowed = false;
    const m = new SessionManager({ storage: memoryTokenStorage(sessionWith(1)), refresh, mayRefresh: () => allowed });
    await m.ready;

    // Nobody touched the page: no refresh, but the session stays (the server decides when it ends).
    expect(await m.refresh("access-1")).toBe(false);
    expect(refresh).not.toHaveBeenCalled();
    expect(m.current()?.accessToken).toBe("access-1");

    allowed = true;
    expect(await m.refresh("access-1")).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("StampsWhenTheSessionArrived", async () => {
    let now = 1_000;
    const m = new SessionManager({ storage: memoryTokenStorage(), refresh: countingRefresh(), now: () => now });
    await m.signIn(sessionWith(1));
    expect(m.current()?.refreshedAt).toBe(1_000);
    now = 5_000;
    await m.refresh("access-1");
    expect(m.current()?.refreshedAt).toBe(5_000);
  });

  it("RemembersWhyTheServerEndedTheSession", async () => {
    const storage = memoryTokenStorage({ ...sessionWith(1), idleTimeoutSeconds: 900 });
    const m = new SessionManager({
      storage,
      refresh: async () => {
        throw new SessionExpiredError("signed out after 15 minutes of inactivity", "SESSION_IDLE");
      },
    });
    expect(await m.refresh("access-1")).toBe(false);
    expect(m.current()).toBeNull();
    expect(await storage.load()).toBeNull();
    expect(m.ended()).toEqual({ reason: "SESSION_IDLE", message: "signed out after 15 minutes of inactivity", idleTimeoutSeconds: 900 });

    await m.signIn(sessionWith(2));
    expect(m.ended()).toBeNull();
    await m.signOut();
    expect(m.ended()).toBeNull(); // by hand: nothing to explain
    await m.signIn({ ...sessionWith(3), idleTimeoutSeconds: 20 });
    await m.signOut("SESSION_IDLE");
    expect(m.ended()).toEqual({ reason: "SESSION_IDLE", idleTimeoutSeconds: 20 });
  });
});
