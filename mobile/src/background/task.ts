// The background refresh task (expo-background-task): every ~15 minutes while the app is in the
// background, refresh open tickets and raise a local notification when the patient is near the front
// (with the wait's range when it is known).
// For phones where push is unavailable; the OS decides the exact timing. Defined at import time, as
// TaskManager requires: the root layout imports this file.
import AsyncStorage from "@react-native-async-storage/async-storage";
import * as BackgroundTask from "expo-background-task";
import * as Notifications from "expo-notifications";
import * as TaskManager from "expo-task-manager";

import { apiUrls, configuredApiUrl } from "../config";
import { i18n } from "../i18n";
import { homeCache } from "../storage/ticketCache";
import { secureTokenStorage } from "../storage/tokenStorage";
import { waitText } from "../wait";
import { parseNotified, type Alert } from "./nearFront";
import { refreshInBackground } from "./refresh";

export const REFRESH_TASK = "carequeue.refresh-tickets";
const NOTIFIED_KEY = "carequeue.notified";

TaskManager.defineTask(REFRESH_TASK, async () => {
  const result = await refreshInBackground({
    httpUrl: apiUrls(configuredApiUrl()).httpUrl,
    storage: secureTokenStorage(),
    fetch: globalThis.fetch.bind(globalThis),
    loadNotified: async () => parseNotified(await AsyncStorage.getItem(NOTIFIED_KEY).catch(() => null)),
    saveNotified: (n) => AsyncStorage.setItem(NOTIFIED_KEY, JSON.stringify(n)),
    saveHome: (id, home) => homeCache.save(id, home),
    notify: async (a) => {
      await Notifications.scheduleNotificationAsync({
        content: {
          title: a.position === 0 ? i18n.t("called.title") : i18n.t("notify.nearTitle"),
          body: a.position === 0 ? i18n.t("called.code", { code: a.code }) : nearBody(a),
          data: { ticket_id: a.ticketID },
          sound: "chime.wav",
        },
        trigger: null,
      });
    },
  });
  return result === "failed" ? BackgroundTask.BackgroundTaskResult.Failed : BackgroundTask.BackgroundTaskResult.Success;
});

/** "Ticket A-017 is number 3 in line. Please stay close. About 10–20 minutes." */
function nearBody(a: Alert): string {
  const near = i18n.t("notify.nearBody", { code: a.code, position: a.position });
  return a.wait ? `${near} ${waitText((key, o) => i18n.t(key, o), a.wait)}.` : near;
}

/** Starts (or stops) the background refresh. */
export async function setBackgroundRefresh(on: boolean): Promise<void> {
  try {
    const registered = await TaskManager.isTaskRegisteredAsync(REFRESH_TASK);
    if (on && !registered) await BackgroundTask.registerTaskAsync(REFRESH_TASK, { minimumInterval: 15 });
    if (!on && registered) await BackgroundTask.unregisterTaskAsync(REFRESH_TASK);
  } catch {
    // not available (Expo Go, restricted by the OS): push and the live socket still work
  }
}
