// Push notifications through Firebase Cloud Messaging (FCM tokens on Android and iOS, which the
// server's Firebase Admin SDK sends to). @react-native-firebase needs a development build: in Expo Go
// its native module is missing, and push reports itself unavailable instead of crashing.
import { Platform } from "react-native";

import type { DevicePlatform } from "@carequeue/graphql";

type Messaging = typeof import("@react-native-firebase/messaging");
type RemoteMessage = { data?: Record<string, unknown> } | null;

function load(): Messaging | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require("@react-native-firebase/messaging") as Messaging;
    m.getMessaging(); // throws when the native module is absent (Expo Go)
    return m;
  } catch {
    return null;
  }
}

let cached: Messaging | null | undefined;
const messaging = () => (cached === undefined ? (cached = load()) : cached);

export const pushPlatform: DevicePlatform = Platform.OS === "ios" ? "IOS" : "ANDROID";

/** Whether this build can receive push at all. */
export function pushAvailable(): boolean {
  return messaging() !== null;
}

/** Asks permission and returns the FCM token, or null when refused or unavailable. */
export async function pushToken(): Promise<string | null> {
  const m = messaging();
  if (!m) return null;
  const msg = m.getMessaging();
  const status = await m.requestPermission(msg);
  if (status !== m.AuthorizationStatus.AUTHORIZED && status !== m.AuthorizationStatus.PROVISIONAL) return null;
  return m.getToken(msg);
}

/** Calls back with each new token (FCM rotates them). */
export function onPushTokenRefresh(cb: (token: string) => void): () => void {
  const m = messaging();
  return m ? m.onTokenRefresh(m.getMessaging(), cb) : () => undefined;
}

/** Forgets the token on this phone (sign-out): FCM will not deliver to it any more. */
export async function deletePushToken(): Promise<void> {
  const m = messaging();
  if (m) await m.deleteToken(m.getMessaging()).catch(() => undefined);
}

/** Calls back with the data of a notification the patient tapped (app in background or closed). */
export function onPushOpened(cb: (data: Record<string, unknown>) => void): () => void {
  const m = messaging();
  if (!m) return () => undefined;
  const msg = m.getMessaging();
  void m.getInitialNotification(msg).then((r: RemoteMessage) => r?.data && cb(r.data));
  return m.onNotificationOpenedApp(msg, (r: RemoteMessage) => r?.data && cb(r.data));
}
