import type { StoredSession } from "@carequeue/graphql";
import * as SecureStore from "expo-secure-store";

import { secureTokenStorage } from "./tokenStorage";

jest.mock("expo-secure-store", () => {
  const items = new Map<string, string>();
  return {
    AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY: "AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY",
    getItemAsync: jest.fn(async (k: string) => items.get(k) ?? null),
    setItemAsync: jest.fn(async (k: string, v: string) => void items.set(k, v)),
    deleteItemAsync: jest.fn(async (k: string) => void items.delete(k)),
    __items: items,
  };
});

const items = (SecureStore as unknown as { __items: Map<string, string> }).__items;
const session: StoredSession = {
  accessToken: "access-1",
  refreshToken: "refresh-1",
  expiresAt: "2030-01-01T00:00:00Z",
  user: { id: "US1", name: "Ana", role: "PATIENT", facilityID: null },
};

beforeEach(() => items.clear());

describe("secureTokenStorage", () => {
  it("saves and loads a session", async () => {
    const storage = secureTokenStorage();
    await storage.save(session);
    expect(await storage.load()).toEqual(session);
    expect(await secureTokenStorage().load()).toEqual(session); // another instance: the same keychain item
  });

  it("keeps the session readable only on this phone after the first unlock", async () => {
    await secureTokenStorage().save(session);
    expect(SecureStore.setItemAsync).toHaveBeenCalledWith("carequeue.session", JSON.stringify(session), {
      keychainAccessible: SecureStore.AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY,
    });
  });

  it("deletes the item when saving null", async () => {
    const storage = secureTokenStorage();
    await storage.save(session);
    await storage.save(null);
    expect(SecureStore.deleteItemAsync).toHaveBeenCalledWith("carequeue.session");
    expect(items.size).toBe(0);
    expect(await storage.load()).toBeNull();
  });

  it("starts signed out when nothing is stored or the item is corrupt", async () => {
    expect(await secureTokenStorage().load()).toBeNull();
    items.set("carequeue.session", "{not json");
    expect(await secureTokenStorage().load()).toBeNull();
  });
});
