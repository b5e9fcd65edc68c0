// "Go to Room 3", full screen, readable from two metres, with the alert (vibration, chime) already
// raised by LiveTickets. Closes itself if the ticket moves on (service started, cancelled).
import { PatientTicketDocument } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { router, useLocalSearchParams } from "expo-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ScrollView, StyleSheet, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";

import { Button, T } from "../../src/ui/kit";
import { colors } from "../../src/ui/theme";
import { unmaskTicket } from "../../src/visits/home";

export default function Called() {
  const { t } = useTranslation();
  const { id } = useLocalSearchParams<{ id: string }>();
  const q = useQuery(PatientTicketDocument, { variables: { id: String(id) }, fetchPolicy: "cache-first" });
  const node = q.data?.node;
  const ticket = node && node.__typename === "Ticket" ? unmaskTicket(node) : null;
  const room = ticket?.servicePoint?.name ?? null;

  useEffect(() => {
    if (ticket && ticket.status !== "CALLED") close();
  }, [ticket]);

  return (
    <SafeAreaView style={s.safe}>
      <ScrollView contentContainerStyle={s.body}>
        <View accessible accessibilityRole="alert" accessibilityLiveRegion="assertive" testID="called"
          accessibilityLabel={`${t("called.title")}. ${room ? `${t("called.goTo")} ${room}` : t("called.noRoom")}`}>
          <T style={s.title}>{t("called.title")}</T>
          <T style={s.goTo}>{room ? t("called.goTo") : t("called.noRoom")}</T>
          {room ? (
            <T style={s.room} testID="called-room">
              {room}
            </T>
          ) : null}
          {ticket ? <T style={s.code}>{t("called.code", { code: ticket.code })}</T> : null}
        </View>
        <Button title={t("called.ok")} kind="secondary" onPress={close} testID="called-ok" />
      </ScrollView>
    </SafeAreaView>
  );
}

function close() {
  if (router.canGoBack()) router.back();
  else router.replace("/visits");
}

const s = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.called },
  body: { flexGrow: 1, justifyContent: "center", padding: 24, gap: 32 },
  title: { color: colors.onPrimary, fontSize: 34, lineHeight: 42, fontWeight: "700", textAlign: "center" },
  goTo: { color: colors.onPrimary, fontSize: 28, lineHeight: 36, textAlign: "center" },
  room: { color: colors.onPrimary, fontSize: 64, lineHeight: 76, fontWeight: "800", textAlign: "center" },
  code: { color: colors.onPrimary, fontSize: 28, lineHeight: 36, textAlign: "center" },
});
