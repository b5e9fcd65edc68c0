import AsyncStorage from "@react-native-async-storage/async-storage";

import { clearCache, followedCache, homeCache } from "./ticketCache";

const at = new Date("2025-03-04T10:42:00Z");

describe("homeCache", () => {
  it("keeps a snapshot per account with the time it was confirmed", async () => {
    await homeCache.save("US1", { tickets: ["a"] }, at);
    expect(await homeCache.load("US1")).toEqual({ savedAt: "2025-03-04T10:42:00.000Z", value: { tickets: ["a"] } });
    expect(await homeCache.load("US2")).toBeNull();
  });

  it("reads a corrupt or foreign entry as none", async () => {
    await AsyncStorage.setItem("carequeue.cache.home.US1", "{nope");
    expect(await homeCache.load("US1")).toBeNull();
    await AsyncStorage.setItem("carequeue.cache.home.US1", JSON.stringify({ value: 1 }));
    expect(await homeCache.load("US1")).toBeNull();
    await AsyncStorage.setItem("carequeue.cache.home.US1", "null");
    expect(await homeCache.load("US1")).toBeNull();
  });

  it("does not throw when storage fails", async () => {
    jest.spyOn(AsyncStorage, "setItem").mockRejectedValueOnce(new Error("disk full"));
    await expect(homeCache.save("US1", {}, at)).resolves.toEqual({ savedAt: at.toISOString(), value: {} });
    jest.spyOn(AsyncStorage, "getItem").mockRejectedValueOnce(new Error("unavailable"));
    await expect(homeCache.load("US1")).resolves.toBeNull();
  });
});

describe("followedCache", () => {
  it("keeps followed tickets by token", async () => {
    await followedCache.save("token-a", { code: "A-1" }, at);
    expect(await followedCache.load("token-a")).toEqual({ savedAt: at.toISOString(), value: { code: "A-1" } });
  });

  it("keeps only the ten most recently saved", async () => {
    for (let i = 1; i <= 12; i++) await followedCache.save(`token-${i}`, { i }, at);
    expect(await followedCache.load("token-1")).toBeNull();
    expect(await followedCache.load("token-2")).toBeNull();
    await followedCache.save("token-3", { i: 3 }, at); // seen again: the most recent now
    await followedCache.save("token-13", { i: 13 }, at); // so the oldest now is 4
    expect(await followedCache.load("token-4")).toBeNull();
    for (const i of [3, 5, 6, 7, 8, 9, 10, 11, 12, 13]) expect(await followedCache.load(`token-${i}`)).not.toBeNull();
    const keys = (await AsyncStorage.getAllKeys()).filter((k) => k.startsWith("carequeue.cache.followed."));
    expect(keys).toHaveLength(10);
  });
});

describe("clearCache", () => {
  it("removes everything the cache stored and nothing else", async () => {
    await homeCache.save("US1", {}, at);
    await followedCache.save("token-a", {}, at);
    await AsyncStorage.setItem("carequeue.preferences", "{}");
    await clearCache();
    expect(await AsyncStorage.getAllKeys()).toEqual(["carequeue.preferences"]);
    await expect(clearCache()).resolves.toBeUndefined(); // nothing left: still fine
  });
});
