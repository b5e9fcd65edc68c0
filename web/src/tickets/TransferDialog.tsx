// Transfer a ticket to another queue (lab, pharmacy, another clinic): used by reception and clinicians.
import { TRIAGE_LEVELS, isActionQueued, useTransferTicket, type TriageLevel } from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../ui/fieldErrors";
import { SelectField } from "../ui/Field";

/** A queue a ticket can move to, with its department for grouping. */
export interface QueueOption {
  id: string;
  name: string;
  departmentName: string;
}

export function TransferDialog({
  ticket,
  queues,
  onClose,
  onDone,
}: {
  ticket: { id: string; code: string; queueID: string };
  queues: readonly QueueOption[];
  onClose: () => void;
  onDone?: (newCode: string) => void;
}) {
  const { t } = useTranslation();
  const targets = queues.filter((q) => q.id !== ticket.queueID);
  // Nothing chosen at first: a careless click must not send the patient to the first queue listed.
  const [queueID, setQueueID] = useState("");
  const [level, setLevel] = useState<TriageLevel | "">("");
  const [transfer, { loading, error }] = useTransferTicket();
  const errors = fieldErrors(error);
  const formRef = useFocusOnInvalid(error);
  const departments = [...new Set(targets.map((q) => q.departmentName))];

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const target = queues.find((q) => q.id === queueID);
      const next = await transfer(ticket.id, queueID, level || undefined, { code: ticket.code, ...(target ? { queue: target.name } : {}) });
      onDone?.(next.code);
      onClose();
    } catch (err) {
      if (isActionQueued(err)) onClose(); // offline: saved, the banner lists it
      // otherwise shown below from the hook's error
    }
  }

  return (
    <Dialog title={t("tickets.transfer.title", { code: ticket.code })} onClose={onClose}>
      <form ref={formRef} onSubmit={submit} className="space-y-4">
        <SelectField label={t("tickets.transfer.queue")} value={queueID} onChange={(e) => setQueueID(e.target.value)} error={errors.queueID} required>
          <option value="" disabled>
            {t("tickets.transfer.chooseQueue")}
          </option>
          {departments.map((d) => (
            <optgroup key={d} label={d}>
              {targets
                .filter((q) => q.departmentName === d)
                .map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </SelectField>
        <SelectField label={t("tickets.transfer.triage")} value={level} onChange={(e) => setLevel(e.target.value as TriageLevel | "")} error={errors.triageLevel}>
          <option value="">{t("tickets.transfer.keepTriage")}</option>
          {TRIAGE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {t(`triage.${l}`)}
            </option>
          ))}
        </SelectField>
        {hasUnplacedError(error, ["queueID", "triageLevel"]) && <ErrorNotice error={error} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={loading} disabled={!queueID}>
            {t("tickets.transfer.submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
