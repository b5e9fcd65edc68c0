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

afterEach(async () => {
  // Unmount, then dispose the clients, under fake timers: graphql-ws closes an idle socket 3 s after
  // its last subscription ends (lazyCloseTimeout) and keeps that timer after dispose, which would hold
  // Jest open; here it is dropped.
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  try {
    await cleanupAsync();
    disposeClients();
    await new Promise<void>((r) => setImmediate(r));
    jest.clearAllTimers();
  } finally {
    jest.useRealTimers();
  }
  await AsyncStorage.clear();
  jest.clearAllMocks();
});
