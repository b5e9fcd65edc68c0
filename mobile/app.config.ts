// The patient app's Expo configuration. The server it talks to comes from EXPO_PUBLIC_API_URL at build
// time (default http://localhost:8080); a path such as "/" means "the origin the web build is served
// from" (the browser test serves the export and the API from one origin).
import type { ConfigContext, ExpoConfig } from "expo/config";

const apiUrl = process.env.EXPO_PUBLIC_API_URL || "http://localhost:8080";
// Universal links (https://<server>/t/<token>) open the app only for a real https host.
const linkHost = /^https:\/\//.test(apiUrl) ? new URL(apiUrl).host : undefined;

export default ({ config }: ConfigContext): ExpoConfig => ({
  ...config,
  name: "CareQueue",
  slug: "carequeue",
  version: "0.1.0",
  scheme: "carequeue",
  orientation: "portrait",
  userInterfaceStyle: "automatic",
  ios: {
    bundleIdentifier: "org.carequeue.patient",
    supportsTablet: true,
    // Firebase's iOS settings (a development build with push): GoogleService-Info.plist from your project.
    googleServicesFile: process.env.GOOGLE_SERVICES_PLIST || undefined,
    associatedDomains: linkHost ? [`applinks:${linkHost}`] : undefined,
    infoPlist: { UIBackgroundModes: ["remote-notification", "fetch"] },
  },
  android: {
    package: "org.carequeue.patient",
    googleServicesFile: process.env.GOOGLE_SERVICES_JSON || undefined,
    permissions: ["VIBRATE", "POST_NOTIFICATIONS"],
    intentFilters: linkHost
      ? [
          {
            action: "VIEW",
            autoVerify: true,
            data: [{ scheme: "https", host: linkHost, pathPrefix: "/t/" }],
            category: ["BROWSABLE", "DEFAULT"],
          },
        ]
      : undefined,
  },
  web: { bundler: "metro", output: "single", favicon: undefined },
  plugins: [
    "expo-router",
    "expo-secure-store",
    "expo-localization",
    "expo-background-task",
    ["expo-camera", { cameraPermission: "CareQueue uses the camera to scan the QR code on your queue ticket." }],
    ["expo-notifications", { sound: ["./assets/chime.wav"] }],
    "expo-audio",
    // FCM push needs a development build with these two (Expo Go cannot load them): see README.md.
    "@react-native-firebase/app",
    "@react-native-firebase/messaging",
  ],
  // Error reports (src/errorReports.ts): off unless EXPO_PUBLIC_SENTRY_DSN names a Sentry project.
  extra: {
    apiUrl,
    sentryDsn: process.env.EXPO_PUBLIC_SENTRY_DSN || undefined,
    sentryEnvironment: process.env.EXPO_PUBLIC_SENTRY_ENVIRONMENT || undefined,
  },
  // tsconfig.json "paths" are for the type checker only (they point at type packages); Metro resolves
  // through node_modules and metro.config.js.
  experiments: { typedRoutes: false, tsconfigPaths: false },
});
