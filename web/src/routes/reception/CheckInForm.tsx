// Check the selected patient in to a queue with a triage level. The idempotency key is made when the
// form appears and kept until the check-in succeeds, so pressing the button again after a timeout
// (or a replay from the offline queue) returns the same ticket instead of a second one.
import {
  isActionQueued,
  newIdempotencyKey,
  useCheckIn,
  type TicketAction_TicketFragment,
  type TriageLevel,
} from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { SelectField, TextField } from "../../ui/Field";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../../ui/fieldErrors";
import { TriageLevelPicker } from "../../ui/TriageLevelPicker";
import type { SelectedPatient } from "./PatientSearch";

/** The fields that show the server's message about them; anything else shows above the button. */
const CHECK_IN_FIELDS = ["queueID", "note"];

export function CheckInForm({
  patient,
  queues,
  onCheckedIn,
  onQueued,
}: {
  patient: SelectedPatient;
  queues: readonly { id: string; name: string }[];
  onCheckedIn: (ticket: TicketAction_TicketFragment) => void;
  /**
   * Offline: the check-in was saved and will be sent (with the same key) when the connection returns;
   * actionID is its id in the offline queue (it leaves the queue's pending list once sent or refused).
   */
  onQueued?: (actionID: string) => void;
}) {
  const { t } = useTranslation();
  // A department's only queue is the obvious choice; among several, reception picks one on purpose.
  const [queueID, setQueueID] = useState(queues.length === 1 ? queues[0]!.id : "");
  const [level, setLevel] = useState<TriageLevel>("STANDARD");
  const [note, setNote] = useState("");
  const [idempotencyKey, setKey] = useState(newIdempotencyKey);
  const [checkIn, { loading, error }] = useCheckIn();
  const errors = fieldErrors(error);
  const formRef = useFocusOnInvalid(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const queue = queues.find((q) => q.id === queueID)?.name;
      const ticket = await checkIn(
        { queueID, patientID: patient.id, triageLevel: level, note: note.trim() || null, idempotencyKey },
        { patient: patient.name, ...(queue ? { queue } : {}) },
      );
      setKey(newIdempotencyKey());
      setNote("");
      onCheckedIn(ticket);
    } catch (err) {
      if (isActionQueued(err)) {
        setKey(newIdempotencyKey());
        setNote("");
        onQueued?.(err.action.id);
      }
      // otherwise shown below; the key stays, so a retry cannot create a second ticket
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-3" aria-label={t("reception.checkIn.title")}>
      <h2 className="text-base font-semibold">{t("reception.checkIn.title")}</h2>
      <p className="rounded-md bg-teal-50 px-3 py-2 text-sm">
        <span className="font-medium">{patient.name}</span>
        {patient.detail && <span className="block text-xs text-slate-600">{patient.detail}</span>}
      </p>
      <SelectField label={t("reception.checkIn.queue")} value={queueID} onChange={(e) => setQueueID(e.target.value)} error={errors.queueID} required>
        {queues.length !== 1 && (
          <option value="" disabled>
            {t("reception.checkIn.chooseQueue")}
          </option>
        )}
        {queues.map((q) => (
          <option key={q.id} value={q.id}>
            {q.name}
          </option>
        ))}
      </SelectField>
      <TriageLevelPicker legend={t("reception.checkIn.triage")} value={level} onChange={setLevel} />
      <TextField label={t("reception.checkIn.note")} value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} maxLength={500} />
      {hasUnplacedError(error, CHECK_IN_FIELDS) && <ErrorNotice error={error} />}
      <Button type="submit" busy={loading} disabled={!queueID} className="w-full">
        {t("reception.checkIn.submit")}
      </Button>
    </form>
  );
}
