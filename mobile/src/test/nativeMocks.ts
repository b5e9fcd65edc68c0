// Fakes for the native modules the app touches, installed by setup.ts at the module boundary. Tests
// read and steer them through the jest.fn()s (import the module as usual: it is this fake).
import type { ReactNode } from "react";

export const notifications = {
  addNotificationResponseReceivedListener: jest.fn(() => ({ remove: jest.fn() })),
  scheduleNotificationAsync: jest.fn(async () => "notification-id"),
};

export const haptics = {
  notificationAsync: jest.fn(async () => undefined),
  NotificationFeedbackType: { Success: "success", Warning: "warning", Error: "error" },
};

export const audio = {
  createAudioPlayer: jest.fn(() => ({ seekTo: jest.fn(async () => undefined), play: jest.fn() })),
  setAudioModeAsync: jest.fn(async () => undefined),
};

export const network = {
  addNetworkStateListener: jest.fn(() => ({ remove: jest.fn() })),
};

export const backgroundTask = {
  registerTaskAsync: jest.fn(async () => undefined),
  unregisterTaskAsync: jest.fn(async () => undefined),
  BackgroundTaskResult: { Success: 1, Failed: 2 },
};

export const taskManager = {
  defineTask: jest.fn(),
  isTaskRegisteredAsync: jest.fn(async () => false),
};

export const localization = {
  getLocales: jest.fn(() => [{ languageTag: "en-GB", languageCode: "en" }]),
};

export const camera = {
  CameraView: jest.fn((_props: { onBarcodeScanned?(e: { data: string }): void; children?: ReactNode }) => null),
  useCameraPermissions: jest.fn(() => [{ granted: true, canAskAgain: true }, jest.fn(async () => undefined)] as const),
};

/** @react-native-firebase/messaging as in Expo Go: the native module is missing (push unavailable). */
export const messaging = {
  getMessaging: jest.fn((): unknown => {
    throw new Error("RNFBMessagingModule is not installed");
  }),
  requestPermission: jest.fn(async () => 1),
  getToken: jest.fn(async () => "fcm-token"),
  deleteToken: jest.fn(async () => undefined),
  onTokenRefresh: jest.fn(() => () => undefined),
  getInitialNotification: jest.fn(async (): Promise<unknown> => null),
  onNotificationOpenedApp: jest.fn((_m: unknown, _cb: (r: unknown) => void) => () => undefined),
  AuthorizationStatus: { NOT_DETERMINED: -1, DENIED: 0, AUTHORIZED: 1, PROVISIONAL: 2, EPHEMERAL: 3 },
};
