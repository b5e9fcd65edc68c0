// Detox (native end-to-end tests on an emulator or simulator). NOT run in CI: these machines have no
// Android emulator or iOS simulator. See README.md, "Native end-to-end tests (Detox)", for a laptop.
/** @type {import('detox').DetoxConfig} */
module.exports = {
  testRunner: { args: { $0: "jest", config: "detox/jest.config.js" }, jest: { setupTimeout: 180000 } },
  apps: {
    "ios.debug": {
      type: "ios.app",
      binaryPath: "ios/build/Build/Products/Debug-iphonesimulator/CareQueue.app",
      build: "xcodebuild -workspace ios/CareQueue.xcworkspace -scheme CareQueue -configuration Debug -sdk iphonesimulator -derivedDataPath ios/build",
    },
    "android.debug": {
      type: "android.apk",
      binaryPath: "android/app/build/outputs/apk/debug/app-debug.apk",
      testBinaryPath: "android/app/build/outputs/apk/androidTest/debug/app-debug-androidTest.apk",
      build: "cd android && ./gradlew assembleDebug assembleAndroidTest -DtestBuildType=debug",
      reversePorts: [8080, 8081],
    },
  },
  devices: {
    simulator: { type: "ios.simulator", device: { type: "iPhone 16" } },
    emulator: { type: "android.emulator", device: { avdName: "Pixel_8_API_35" } },
  },
  configurations: {
    "ios.sim.debug": { device: "simulator", app: "ios.debug" },
    "android.emu.debug": { device: "emulator", app: "android.debug" },
  },
};
