// One of the patient's tickets (a notification tap lands here). Another patient's ticket is FORBIDDEN
// on the server and shown as "not your ticket"; a transferred ticket leads on to its new one.
import { PatientTicketDocument, errorCode } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { router, useLocalSearchParams } from "expo-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { patientMessage } from "../../src/errors";
import { Button, Notice, Screen, T } from "../../src/ui/kit";
import { TicketCard } from "../../src/visits/TicketCard";
import { unmaskTicket } from "../../src/visits/home";

export default function TicketScreen() {
  const { t } = useTranslation();
  const { id } = useLocalSearchParams<{ id: string }>();
  const q = useQuery(PatientTicketDocument, { variables: { id: String(id) }, fetchPolicy: "cache-and-network" });
  const node = q.data?.node;
  const ticket = node && node.__typename === "Ticket" ? unmaskTicket(node) : null;
  const next = ticket?.status === "TRANSFERRED" ? ticket.next : null;

  useEffect(() => {
    if (next) router.replace(`/ticket/${next.id}`);
  }, [next]);

  const code = errorCode(q.error);
  if (!ticket) {
    if (q.loading) return <Screen><T>{t("common.loading")}</T></Screen>;
    const notFound = !q.error || code === "NOT_FOUND";
    return (
      <Screen testID="ticket-missing">
        <Notice kind="error" testID="ticket-error">
          {notFound ? t("ticket.notFound") : patientMessage(t, q.error, "ticket")}
        </Notice>
        <Button title={t("common.back")} onPress={() => router.replace("/visits")} />
      </Screen>
    );
  }
  return (
    <Screen testID="ticket">
      <TicketCard testID={`ticket-${ticket.code}`} ticket={{ ...ticket, queueName: ticket.queue.name, place: ticket.queue.department.name }} />
      {q.error ? <Notice kind="warning">{patientMessage(t, q.error)}</Notice> : null}
    </Screen>
  );
}
