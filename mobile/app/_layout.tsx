// The root: the shared CareQueue client (Apollo, session in secure storage, socket), translations,
// the patient's state, one live subscription per open ticket, and the screens. Screens that need a
// signed-in patient are guarded; status links (/t/<token>) work signed out.
import "../src/background/task"; // defines the background task at start, as TaskManager requires

import { CareQueueProvider, patientValues, useConnectionStatus, useSession } from "@carequeue/graphql";
import { Stack } from "expo-router";
import { StatusBar } from "expo-status-bar";
import { I18nextProvider, useTranslation } from "react-i18next";
import { View } from "react-native";
import { SafeAreaProvider } from "react-native-safe-area-context";

import { createPatientClient } from "../src/client";
import { startErrorReports } from "../src/errorReports";
import { useForegroundResync } from "../src/foreground";
import { i18n, initI18n } from "../src/i18n";
import { PatientProvider } from "../src/patient";
import { Notice } from "../src/ui/kit";
import { colors } from "../src/ui/theme";
import { LiveTickets } from "../src/visits/home";

initI18n();
const { client } = createPatientClient();
// Only when the build names a DSN (EXPO_PUBLIC_SENTRY_DSN); the patient data in the cache is filtered from events.
void startErrorReports(() => patientValues(client.apollo.cache.extract() as Record<string, unknown>));

export default function RootLayout() {
  return (
    <SafeAreaProvider>
      <CareQueueProvider client={client}>
        <I18nextProvider i18n={i18n}>
          <PatientProvider>
            <Shell />
          </PatientProvider>
        </I18nextProvider>
      </CareQueueProvider>
    </SafeAreaProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { session, ready } = useSession();
  useForegroundResync();
  const signedIn = session?.user.role === "PATIENT";
  if (!ready) return <View style={{ flex: 1, backgroundColor: colors.background }} accessibilityLabel={t("common.loading")} />;
  return (
    <>
      <StatusBar style="dark" />
      <ConnectionBanner />
      <Stack screenOptions={{ headerTintColor: colors.primary, headerBackTitle: t("common.back") }}>
        <Stack.Screen name="index" options={{ headerShown: false }} />
        <Stack.Screen name="sign-in" options={{ title: t("signIn.title") }} />
        <Stack.Screen name="follow" options={{ title: t("follow.title") }} />
        <Stack.Screen name="t/[token]" options={{ title: t("follow.title") }} />
        <Stack.Protected guard={signedIn}>
          <Stack.Screen name="visits" options={{ title: t("visits.title") }} />
          <Stack.Screen name="ticket/[id]" options={{ title: t("visits.title") }} />
          <Stack.Screen name="check-in" options={{ title: t("checkIn.title") }} />
          <Stack.Screen name="history" options={{ title: t("history.title") }} />
          <Stack.Screen name="settings" options={{ title: t("settings.title") }} />
          <Stack.Screen name="called/[id]" options={{ headerShown: false, presentation: "fullScreenModal" }} />
        </Stack.Protected>
      </Stack>
      {signedIn ? <LiveTickets /> : null}
    </>
  );
}

/** While the socket is down after having worked, say so: what is shown may be behind. */
function ConnectionBanner() {
  const { t } = useTranslation();
  const status = useConnectionStatus();
  if (status !== "reconnecting") return null;
  return (
    <View style={{ paddingTop: 40 }}>
      <Notice kind="warning" testID="reconnecting">
        {t("common.reconnecting")}
      </Notice>
    </View>
  );
}
