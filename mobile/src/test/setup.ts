// Jest setup (jest.config.js setupFilesAfterEnv): AsyncStorage's official mock, fakes for native
// modules jest-expo does not cover, a minimal expo-router, and a clean slate after every test.
import AsyncStorage from "@react-native-async-storage/async-storage";
// "pure": the main entry registers its own cleanup afterEach; this file's must run first (below).
import { cleanupAsync } from "@testing-library/react-native/pure";

import { disposeClients } from "./clients";

// React Native defines navigator at start (Libraries/Core/setUpNavigator.js); its Jest environment
// does not, and Apollo Client reads navigator.userAgent in development.
const g = globalThis as { navigator?: object };
g.navigator ??= { product: "ReactNative" };

/* eslint-disable @typescript-eslint/no-require-imports -- jest.mock factories run before imports */
jest.mock("@react-native-async-storage/async-storage", () =>
  require("@react-native-async-storage/async-storage/jest/async-storage-mock"),
);
jest.mock("expo-router", () => require("./expoRouter"));
jest.mock("expo-notifications", () => require("./nativeMocks").notifications);
jest.mock("expo-haptics", () => require("./nativeMocks").haptics);
jest.mock("expo-audio", () => require("./nativeMocks").audio);
jest.mock("expo-network", () => require("./nativeMocks").network);
jest.mock("expo-background-task", () => require("./nativeMocks").backgroundTask);
jest.mock("expo-task-manager", () => require("./nativeMocks").taskManager);
jest.mock("expo-localization", () => require("./nativeMocks").localization);
jest.mock("expo-camera", () => require("./nativeMocks").camera);
jest.mock("@react-native-firebase/messaging", () => require("./nativeMocks").messaging);
jest.mock("@react-native-firebase/app", () => ({ getApp: jest.fn() }));
/* eslint-enable @typescript-eslint/no-require-imports */

// graphql-ws closes an idle socket 3 s after its last subscription ends (lazyCloseTimeout) and keeps
// that timer after the client is disposed, which would hold Jest open at the end of a run: such timers
// are noted here and cleared after each test.
const realSetTimeout = globalThis.setTimeout;
const lazyCloses = new Set<ReturnType<typeof setTimeout>>();
globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const handle = realSetTimeout(fn, ms, ...args);
  if (ms === 3000 && new Error().stack?.includes("graphql-ws")) lazyCloses.add(handle);
  return handle;
}) as typeof setTimeout;

afterEach(async () => {
  await cleanupAsync(); // unmount: subscriptions end while their client still runs
  disposeClients();
  await new Promise<void>((r) => setImmediate(r));
  for (const handle of lazyCloses) clearTimeout(handle);
  lazyCloses.clear();
  await AsyncStorage.clear();
  jest.clearAllMocks();
});
