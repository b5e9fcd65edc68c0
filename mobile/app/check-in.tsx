// Check in from the app where the hospital allows it: a queue that takes self check-in, or one of the
// patient's appointments of today. One idempotency key per choice, kept across retries, so a double tap
// or a retry after a lost answer makes one ticket.
import { PatientCheckInOptionsDocument, errorCode, newIdempotencyKey, nodes, useCheckIn } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { router } from "expo-router";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { patientMessage } from "../src/errors";
import { formatter } from "../src/i18n/format";
import { Button, Heading, Notice, Screen, T, styles } from "../src/ui/kit";
import { useHome } from "../src/visits/home";

interface Choice {
  key: string; // "q:<queue>" or "a:<appointment>"
  queueID: string;
  patientID: string;
  appointmentID?: string;
  label: string;
}

const HOUR = 3_600_000;

/** "Today" is decided by the server in the facility's time zone; ask for a window around it. */
function checkInWindow(now = Date.now()) {
  return { from: new Date(now - 14 * HOUR).toISOString(), to: new Date(now + 26 * HOUR).toISOString() };
}

export default function CheckIn() {
  const { t, i18n } = useTranslation();
  const [window] = useState(checkInWindow);
  const q = useQuery(PatientCheckInOptionsDocument, { variables: window, fetchPolicy: "cache-and-network" });
  const home = useHome();
  const [checkIn] = useCheckIn();
  const keys = useRef(new Map<string, string>());
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const patients = q.data?.me?.patients ?? [];
  const openQueues = new Set(home.tickets.map((x) => x.queue.id));
  const appointments: Choice[] = nodes(q.data?.appointments).map((a) => ({
    key: `a:${a.id}`,
    queueID: a.queue.id,
    patientID: a.patientID,
    appointmentID: a.id,
    label: t("checkIn.appointmentAt", {
      queue: a.queue.name,
      // The hospital's time, as its clocks say it: the appointment letter's, not the phone's zone.
      time: formatter({ language: i18n.language, locale: a.queue.department.facility.locale, timeZone: a.queue.department.facility.timezone }).time(
        a.scheduledAt,
      ),
    }),
  }));
  const queues: Choice[] = nodes(q.data?.queues).flatMap((queue) => {
    const p = patients.find((x) => x.facilityID === queue.department.facilityID);
    return p ? [{ key: `q:${queue.id}`, queueID: queue.id, patientID: p.id, label: `${queue.name} · ${queue.department.name}` }] : [];
  });

  const choose = async (c: Choice) => {
    if (busy) return;
    let key = keys.current.get(c.key);
    if (!key) keys.current.set(c.key, (key = newIdempotencyKey()));
    setBusy(c.key);
    setError(null);
    try {
      const ticket = await checkIn({ queueID: c.queueID, patientID: c.patientID, appointmentID: c.appointmentID, idempotencyKey: key });
      setDone(t("checkIn.done", { code: ticket.code }));
      home.refetch();
    } catch (err) {
      const code = errorCode(err);
      setError(code === "CONFLICT" && /closed/i.test(String((err as Error).message)) ? t("checkIn.closed") : patientMessage(t, err, "checkIn"));
      // A refusal is final for this key; a network failure keeps it for the retry.
      if (code !== "NETWORK") keys.current.delete(c.key);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Screen testID="check-in">
      <Heading>{t("checkIn.title")}</Heading>
      <T>{t("checkIn.intro")}</T>
      {done ? (
        <>
          <Notice testID="check-in-done">{done}</Notice>
          <Button title={t("visits.title")} onPress={() => router.replace("/visits")} />
        </>
      ) : null}
      {error ? <Notice kind="error" testID="check-in-error">{error}</Notice> : null}
      {q.error ? <Notice kind="error">{patientMessage(t, q.error)}</Notice> : null}
      {q.loading && !q.data ? <T>{t("common.loading")}</T> : null}
      {q.data && !appointments.length && !queues.length ? <Notice testID="check-in-none">{t("checkIn.none")}</Notice> : null}
      {!done && appointments.length ? <T accessibilityRole="header" style={styles.label}>{t("checkIn.appointments")}</T> : null}
      {!done &&
        appointments.map((c) => (
          <Button key={c.key} title={t("checkIn.confirm", { queue: c.label })} onPress={() => void choose(c)} busy={busy === c.key} disabled={!!busy} testID={`check-in-${c.key}`} />
        ))}
      {!done && queues.length ? <T accessibilityRole="header" style={styles.label}>{t("checkIn.queues")}</T> : null}
      {!done &&
        queues.map((c) => (
          <Button
            key={c.key}
            kind="secondary"
            title={openQueues.has(c.queueID) ? `${c.label} · ${t("checkIn.already")}` : t("checkIn.confirm", { queue: c.label })}
            onPress={() => void choose(c)}
            busy={busy === c.key}
            disabled={!!busy || openQueues.has(c.queueID)}
            testID={`check-in-${c.key}`}
          />
        ))}
    </Screen>
  );
}
