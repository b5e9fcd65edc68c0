// One ticket as the patient sees it: code, queue, where they are in line, and status in words.
import { useTranslation } from "react-i18next";
import { StyleSheet, View } from "react-native";

import { Card, T } from "../ui/kit";
import { colors } from "../ui/theme";
import { waitingText, waitLine, type WaitLine } from "../wait";

export interface CardTicket {
  code: string;
  status: Parameters<typeof waitLine>[0]["status"];
  position?: number | null;
  estimatedWait?: { lowMinutes: number; highMinutes: number } | null;
  servicePoint?: { name: string } | null;
  queueName?: string | null;
  place?: string | null;
}

export function useWaitText() {
  const { t } = useTranslation();
  return (w: WaitLine): string => {
    switch (w.key) {
      case "called":
        return w.room ? t("visits.called", { room: w.room }) : t("visits.calledNoRoom");
      case "inService":
        return t("visits.inService");
      case "waiting":
        return waitingText(t, w.position, w.wait);
      case "ended":
        return t(`status.${w.status}`);
    }
  };
}

export function TicketCard({ ticket, testID }: { ticket: CardTicket; testID?: string }) {
  const { t } = useTranslation();
  const text = useWaitText()(waitLine(ticket));
  const status = t(`status.${ticket.status}`);
  return (
    <Card label={`${t("a11y.statusOf", { code: ticket.code, status })}. ${ticket.queueName ?? ""}. ${text}`} testID={testID}>
      <View style={s.row}>
        <T style={s.code} testID={testID ? `${testID}-code` : undefined}>
          {ticket.code}
        </T>
        <View style={[s.badge, ticket.status === "CALLED" && s.badgeCalled]}>
          <T style={[s.badgeText, ticket.status === "CALLED" && s.badgeCalledText]}>{status}</T>
        </View>
      </View>
      {ticket.queueName ? <T style={s.queue}>{ticket.place ? `${ticket.queueName} · ${ticket.place}` : ticket.queueName}</T> : null}
      <T style={s.wait} testID={testID ? `${testID}-wait` : undefined}>
        {text}
      </T>
    </Card>
  );
}

const s = StyleSheet.create({
  row: { flexDirection: "row", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: 8 },
  code: { fontSize: 32, lineHeight: 40, fontWeight: "800" },
  badge: { borderWidth: 1, borderColor: colors.border, borderRadius: 999, paddingHorizontal: 12, paddingVertical: 4 },
  badgeCalled: { backgroundColor: colors.called, borderColor: colors.called },
  badgeText: { fontSize: 15, fontWeight: "600" },
  badgeCalledText: { color: colors.onPrimary },
  queue: { color: colors.muted },
  wait: { fontSize: 20, lineHeight: 28, fontWeight: "600" },
});
