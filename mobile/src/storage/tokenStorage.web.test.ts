import type { StoredSession } from "@carequeue/graphql";

import { secureTokenStorage } from "./tokenStorage.web";

const session: StoredSession = {
  accessToken: "access-1",
  refreshToken: "refresh-1",
  expiresAt: "2030-01-01T00:00:00Z",
  user: { id: "US1", name: "Ana", role: "PATIENT", facilityID: null },
};

/** A browser's sessionStorage, enough of it. */
function fakeSessionStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
  };
}

const g = globalThis as { sessionStorage?: unknown };
const saved = g.sessionStorage;
afterEach(() => {
  g.sessionStorage = saved;
});

describe("secureTokenStorage (web)", () => {
  it("keeps the session in sessionStorage", async () => {
    const store = fakeSessionStorage();
    g.sessionStorage = store;
    const storage = secureTokenStorage();
    await storage.save(session);
    expect(JSON.parse(store.items.get("carequeue.session")!)).toEqual(session);
    expect(await storage.load()).toEqual(session);
    await storage.save(null);
    expect(store.items.has("carequeue.session")).toBe(false);
    expect(await storage.load()).toBeNull();
  });

  it("reads a corrupt item as signed out", async () => {
    const store = fakeSessionStorage();
    store.items.set("carequeue.session", "][");
    g.sessionStorage = store;
    expect(await secureTokenStorage().load()).toBeNull();
  });

  it("works, signed out, where there is no sessionStorage", async () => {
    g.sessionStorage = undefined;
    const storage = secureTokenStorage();
    await storage.save(session);
    expect(await storage.load()).toBeNull();
  });
});
