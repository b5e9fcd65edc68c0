// My visits: every open ticket, live (LiveTickets keeps them current), with the device's copy while
// offline.
import { errorCode } from "@carequeue/graphql";
import { Link, router } from "expo-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { View } from "react-native";

import { patientMessage } from "../src/errors";
import { usePatient } from "../src/patient";
import { Button, Heading, Notice, Screen, T } from "../src/ui/kit";
import { Freshness } from "../src/visits/Freshness";
import { TicketCard } from "../src/visits/TicketCard";
import { useHome } from "../src/visits/home";
import { isOpen } from "../src/wait";

export default function Visits() {
  const { t } = useTranslation();
  const { setRecordLanguage } = usePatient();
  const home = useHome();
  const open = home.tickets.filter((x) => isOpen(x.status));
  const language = home.me?.patients?.[0]?.language ?? null;
  useEffect(() => setRecordLanguage(language), [language, setRecordLanguage]);
  const code = errorCode(home.error);

  return (
    <Screen testID="visits">
      <Heading>{t("visits.title")}</Heading>
      <Freshness staleSince={home.staleSince} facility={home.tickets[0]?.queue.department.facility} />
      {home.error && !home.staleSince && code !== "UNAUTHENTICATED" ? (
        <Notice kind="error" testID="visits-error">
          {patientMessage(t, home.error)}
        </Notice>
      ) : null}
      {home.loading ? <T>{t("common.loading")}</T> : null}
      {!home.loading && open.length === 0 && !home.error ? <T testID="visits-empty">{t("visits.empty")}</T> : null}
      {open.map((x) => (
        <Link key={x.id} href={`/ticket/${x.id}`} accessibilityRole="link" asChild>
          <View>
            <TicketCard
              testID={`ticket-${x.code}`}
              ticket={{ ...x, queueName: x.queue.name, place: x.queue.department.facility.name }}
            />
          </View>
        </Link>
      ))}
      {home.error ? <Button title={t("common.retry")} kind="secondary" onPress={home.refetch} /> : null}
      <Button title={t("visits.checkIn")} onPress={() => router.push("/check-in")} testID="go-check-in" />
      <Button title={t("visits.scan")} kind="secondary" onPress={() => router.push("/follow")} />
      <Button title={t("visits.history")} kind="secondary" onPress={() => router.push("/history")} />
      <Button title={t("visits.settings")} kind="secondary" onPress={() => router.push("/settings")} testID="go-settings" />
    </Screen>
  );
}
