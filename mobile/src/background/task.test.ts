import AsyncStorage from "@react-native-async-storage/async-storage";
import * as SecureStore from "expo-secure-store";

import en from "../i18n/en";
import { initI18n } from "../i18n";
import { homeCache } from "../storage/ticketCache";
import { home, patientSession, ticket } from "../test/fixtures";
import { backgroundTask, notifications, taskManager } from "../test/nativeMocks";
import { fakeServer } from "../test/server";
import { REFRESH_TASK, setBackgroundRefresh } from "./task";

jest.mock("expo-secure-store", () => {
  const items = new Map<string, string>();
  return {
    AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY: 0,
    getItemAsync: jest.fn(async (k: string) => items.get(k) ?? null),
    setItemAsync: jest.fn(async (k: string, v: string) => void items.set(k, v)),
    deleteItemAsync: jest.fn(async (k: string) => void items.delete(k)),
  };
});

// Captured at import, before the per-test mocks are cleared.
const [name, run] = taskManager.defineTask.mock.calls[0] as unknown as [string, () => Promise<number>];

let fetchSpy: jest.SpyInstance | undefined;
function serve(answer: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer(answer);
  fetchSpy = jest.spyOn(globalThis, "fetch").mockImplementation(server.fetch);
  return server;
}

beforeAll(() => initI18n("en"));
beforeEach(() => SecureStore.setItemAsync("carequeue.session", JSON.stringify(patientSession())));
afterEach(() => fetchSpy?.mockRestore());

describe("the background refresh task", () => {
  it("is defined at start under its name", () => {
    expect(name).toBe(REFRESH_TASK);
  });

  it("raises a local notification near the front and keeps the tickets", async () => {
    serve({ PatientHome: { data: home([ticket({ id: "TK01AAAAAAAAAA", code: "A-017", position: 3 })]) } });
    expect(await run()).toBe(backgroundTask.BackgroundTaskResult.Success);
    expect(notifications.scheduleNotificationAsync).toHaveBeenCalledWith({
      content: {
        title: en.notify.nearTitle,
        body: "Ticket A-017 is number 3 in line. Please stay close. About 8–20 minutes.",
        data: { ticket_id: "TK01AAAAAAAAAA" },
        sound: "chime.wav",
      },
      trigger: null,
    });
    expect(JSON.parse((await AsyncStorage.getItem("carequeue.notified"))!)).toEqual({ TK01AAAAAAAAAA: 3 });
    expect(await homeCache.load("US01PATIENT")).not.toBeNull();

    expect(await run()).toBe(backgroundTask.BackgroundTaskResult.Success); // nothing new: no second notification
    expect(notifications.scheduleNotificationAsync).toHaveBeenCalledTimes(1);
  });

  it("leaves the wait out when there is no range yet", async () => {
    serve({ PatientHome: { data: home([ticket({ id: "TK01AAAAAAAAAA", code: "A-017", position: 2, estimatedWait: null })]) } });
    await run();
    expect(notifications.scheduleNotificationAsync).toHaveBeenCalledWith(
      expect.objectContaining({ content: expect.objectContaining({ body: "Ticket A-017 is number 2 in line. Please stay close." }) }),
    );
  });

  it("says when the ticket is called", async () => {
    serve({ PatientHome: { data: home([ticket({ id: "TK01AAAAAAAAAA", code: "A-017", status: "CALLED", position: null })]) } });
    await run();
    expect(notifications.scheduleNotificationAsync).toHaveBeenCalledWith(
      expect.objectContaining({ content: expect.objectContaining({ title: en.called.title, body: "Ticket A-017" }) }),
    );
  });

  it("reports a failure to the OS", async () => {
    serve({ PatientHome: { networkError: true } });
    expect(await run()).toBe(backgroundTask.BackgroundTaskResult.Failed);
  });
});

describe("setBackgroundRefresh", () => {
  it("registers the task once and unregisters it", async () => {
    await setBackgroundRefresh(true);
    expect(backgroundTask.registerTaskAsync).toHaveBeenCalledWith(REFRESH_TASK, { minimumInterval: 15 });
    taskManager.isTaskRegisteredAsync.mockResolvedValueOnce(true).mockResolvedValueOnce(true);
    await setBackgroundRefresh(true);
    expect(backgroundTask.registerTaskAsync).toHaveBeenCalledTimes(1);
    await setBackgroundRefresh(false);
    expect(backgroundTask.unregisterTaskAsync).toHaveBeenCalledWith(REFRESH_TASK);
  });

  it("does not throw where background tasks are unavailable", async () => {
    taskManager.isTaskRegisteredAsync.mockRejectedValueOnce(new Error("Expo Go"));
    await expect(setBackgroundRefresh(true)).resolves.toBeUndefined();
  });
});
