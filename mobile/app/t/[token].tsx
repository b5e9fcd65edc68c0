// Follow a ticket without an account: the status link from the SMS or the kiosk's QR code. Live through
// publicTicketStatus; the last known state is kept on the device for when the network is gone.
import { TicketStatusChangedDocument, TicketStatusPageDocument, TicketStatus_StatusFragmentDoc, getFragmentData, type TicketStatus_StatusFragment } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { router, useLocalSearchParams } from "expo-router";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { StyleSheet, View } from "react-native";

import { patientMessage } from "../../src/errors";
import { pickLanguage } from "../../src/i18n";
import { statusTokenFrom } from "../../src/links";
import { usePatient } from "../../src/patient";
import { followedCache } from "../../src/storage/ticketCache";
import { Button, Notice, Screen, T } from "../../src/ui/kit";
import { colors } from "../../src/ui/theme";
import { alertCalled } from "../../src/visits/alert";
import { Freshness } from "../../src/visits/Freshness";
import { TicketCard } from "../../src/visits/TicketCard";
import { isOpen } from "../../src/wait";

export default function FollowTicket() {
  const { token: raw } = useLocalSearchParams<{ token: string }>();
  const token = statusTokenFrom(`/t/${String(raw ?? "")}`);
  const { t } = useTranslation();
  if (!token) {
    return (
      <Screen testID="follow-invalid">
        <Notice kind="error">{t("follow.invalid")}</Notice>
        <Button title={t("follow.title")} onPress={() => router.replace("/follow")} />
      </Screen>
    );
  }
  return <Followed key={token} token={token} />;
}

function Followed({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery(TicketStatusPageDocument, { variables: { token }, fetchPolicy: "network-only" });
  const [cached, setCached] = useState<{ savedAt: string; value: TicketStatus_StatusFragment } | null>(null);
  const lastStatus = useRef<string | null>(null);

  useEffect(() => {
    void followedCache.load<TicketStatus_StatusFragment>(token).then(setCached);
  }, [token]);

  useEffect(
    () =>
      q.subscribeToMore({
        document: TicketStatusChangedDocument,
        variables: { token },
        updateQuery: (prev, { subscriptionData }) => {
          const next = subscriptionData.data?.publicTicketStatus;
          // The subscription has no nextToken: keep the query's (null until a transfer).
          return next ? { publicTicketStatus: { ...next, nextToken: prev?.publicTicketStatus?.nextToken ?? null } } : (prev as never);
        },
      }),
    [q.subscribeToMore, token], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const status = q.data?.publicTicketStatus ? getFragmentData(TicketStatus_StatusFragmentDoc, q.data.publicTicketStatus) : null;
  const shown = status ?? (q.error ? cached?.value : null) ?? null;

  // Keep the last known state; raise the alert when the ticket is called; follow a transfer.
  useEffect(() => {
    if (!status) return;
    void followedCache.save(token, status);
    if (status.status === "CALLED" && lastStatus.current !== "CALLED") alertCalled();
    if (status.status === "TRANSFERRED" && !q.data?.publicTicketStatus?.nextToken) void q.refetch();
    lastStatus.current = status.status;
  }, [status, token]); // eslint-disable-line react-hooks/exhaustive-deps
  const nextToken = q.data?.publicTicketStatus?.nextToken;
  useEffect(() => {
    if (nextToken) router.replace(`/t/${nextToken}`);
  }, [nextToken]);
  // The page speaks the patient's language unless the app has one chosen already.
  const chosen = usePatient().preferences.language;
  const lang = status?.language;
  useEffect(() => {
    if (lang && !chosen) void i18n.changeLanguage(pickLanguage(lang));
  }, [lang, chosen, i18n]);

  if (!shown) {
    if (q.loading) return <Screen><T>{t("common.loading")}</T></Screen>;
    const gone = !q.error;
    return (
      <Screen testID="follow-missing">
        <Notice kind="error" testID="follow-error">
          {gone ? t("follow.notFound") : patientMessage(t, q.error)}
        </Notice>
        {gone ? null : <Button title={t("common.retry")} onPress={() => void q.refetch().catch(() => undefined)} />}
      </Screen>
    );
  }
  return (
    <Screen testID="follow">
      {!status ? <Freshness staleSince={cached?.savedAt ?? null} /> : null}
      {shown.status === "CALLED" ? (
        <View style={s.called} accessible accessibilityRole="alert" accessibilityLiveRegion="assertive" testID="called">
          <T style={s.calledText}>{t("called.title")}</T>
          <T style={s.calledText}>{shown.servicePointName ? t("called.goTo") : t("called.noRoom")}</T>
          {shown.servicePointName ? (
            <T style={s.room} testID="called-room">
              {shown.servicePointName}
            </T>
          ) : null}
        </View>
      ) : null}
      <TicketCard testID={`ticket-${shown.code}`} ticket={{ ...shown, servicePoint: shown.servicePointName ? { name: shown.servicePointName } : null }} />
      {!isOpen(shown.status) ? <Notice>{t("follow.ended")}</Notice> : null}
    </Screen>
  );
}

const s = StyleSheet.create({
  called: { backgroundColor: colors.called, borderRadius: 12, padding: 24, gap: 12 },
  calledText: { color: colors.onPrimary, fontSize: 28, lineHeight: 36, textAlign: "center", fontWeight: "700" },
  room: { color: colors.onPrimary, fontSize: 56, lineHeight: 68, fontWeight: "800", textAlign: "center" },
});
