// Past visits, newest first, thirty at a time.
import { PatientHistoryDocument, nodes } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { patientMessage } from "../src/errors";
import { formatter } from "../src/i18n/format";
import { Button, Heading, Notice, Screen, T } from "../src/ui/kit";
import { TicketCard } from "../src/visits/TicketCard";
import { unmaskTicket } from "../src/visits/home";

export default function History() {
  const { t, i18n } = useTranslation();
  const q = useQuery(PatientHistoryDocument, { fetchPolicy: "cache-and-network" });
  const tickets = nodes(q.data?.tickets).map(unmaskTicket);
  const page = q.data?.tickets.pageInfo;
  const more = () =>
    void q
      .fetchMore({
        variables: { after: page?.endCursor },
        updateQuery: (prev, { fetchMoreResult }) => ({
          tickets: { ...fetchMoreResult.tickets, edges: [...(prev.tickets?.edges ?? []), ...(fetchMoreResult.tickets.edges ?? [])] },
        }),
      })
      .catch(() => undefined);
  return (
    <Screen testID="history">
      <Heading>{t("history.title")}</Heading>
      {q.error ? <Notice kind="error">{patientMessage(t, q.error)}</Notice> : null}
      {q.loading && !tickets.length ? <T>{t("common.loading")}</T> : null}
      {!q.loading && !q.error && !tickets.length ? <T>{t("history.empty")}</T> : null}
      {tickets.map((x) => {
        // Each visit as its hospital's clocks and calendar write it, wherever the phone is.
        const facility = x.queue.department.facility;
        const format = formatter({ language: i18n.language, locale: facility.locale, timeZone: facility.timezone });
        return (
          <TicketCard
            key={x.id}
            testID={`history-${x.code}`}
            ticket={{ ...x, queueName: x.queue.name, place: `${facility.name} · ${format.date(x.checkedInAt)} ${format.time(x.checkedInAt)}` }}
          />
        );
      })}
      {page?.hasNextPage ? <Button title={t("history.more")} kind="secondary" onPress={more} /> : null}
    </Screen>
  );
}
