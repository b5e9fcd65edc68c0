// "Go to Room 3", full screen, readable from two metres, with the alert (vibration, chime) already
// raised by LiveTickets. Closes itself if the ticket moves on (service started, cancelled).
import { PatientTicketDocument, PatientTicket_TicketFragmentDoc, makeFragmentData } from "@carequeue/graphql";
import { useFragment, useQuery } from "@apollo/client/react";
import { router, useLocalSearchParams } from "expo-router";
import { useEffect, useRef } from "react";
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
  // The ticket as the app already knows it (My visits and the live subscription keep it in the cache;
  // the node query alone is never answered from there): the room shows at once, and offline.
  const known = useFragment({
    fragment: PatientTicket_TicketFragmentDoc,
    fragmentName: "PatientTicket_ticket",
    from: { __typename: "Ticket", id: String(id) },
  });
  const node = q.data?.node;
  const ticket =
    node && node.__typename === "Ticket"
      ? unmaskTicket(node)
      : known.complete
        ? unmaskTicket(makeFragmentData(known.data, PatientTicket_TicketFragmentDoc))
        : null;
  const room = ticket?.servicePoint?.name ?? null;
  // Until the ticket is known, say nothing about where to go rather than "the desk".
  const where = room ? `${t("called.goTo")} ${room}` : ticket || !q.loading ? t("called.noRoom") : null;

  // Once: a second router.back() would leave the screen below this one too.
  const status = ticket?.status ?? null;
  const closed = useRef(false);
  useEffect(() => {
    if (status && status !== "CALLED" && !closed.current) {
      closed.current = true;
      close();
    }
  }, [status]);

  return (
    <SafeAreaView style={s.safe}>
      <ScrollView contentContainerStyle={s.body}>
        <View accessible accessibilityRole="alert" accessibilityLiveRegion="assertive" testID="called"
          accessibilityLabel={where ? `${t("called.title")}. ${where}` : t("called.title")}>
          <T style={s.title}>{t("called.title")}</T>
          {where ? <T style={s.goTo}>{room ? t("called.goTo") : t("called.noRoom")}</T> : null}
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
