// Re-triage a ticket in one step from a queue row: pick the new level, say why if you like (kept in
// the ticket's history with who did it and the old level), confirm.
// Used by reception and clinicians; for a self check-in awaiting triage it is the triage itself (the
// current level may be confirmed). The idempotency key is reused on a retry of the same choice, so
// pressing the button again after a timeout cannot re-triage twice; choosing another level is a new
// request with a new key (else the server would replay the first answer).
import { isActionQueued, newIdempotencyKey, useRetriageTicket, type TriageLevel } from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../ui/fieldErrors";
import { TextField } from "../ui/Field";
import { TriageLevelPicker } from "../ui/TriageLevelPicker";

export interface RetriageTarget {
  id: string;
  code: string;
  triageLevel: TriageLevel;
  /** A self check-in not yet triaged: confirming the same level is allowed (and is the point). */
  awaitingTriage?: boolean;
}

/** The row's button that opens the dialog: "Triage" (stands out) while awaiting triage, else "Re-triage". */
export function RetriageButton({ ticket, onClick }: { ticket: { code: string; awaitingTriage?: boolean }; onClick: () => void }) {
  const { t } = useTranslation();
  return ticket.awaitingTriage ? (
    <Button size="sm" onClick={onClick} aria-label={t("tickets.triageAction", { code: ticket.code })}>
      {t("tickets.triage")}
    </Button>
  ) : (
    <Button variant="secondary" size="sm" onClick={onClick} aria-label={t("tickets.retriage.action", { code: ticket.code })}>
      {t("tickets.retriage.short")}
    </Button>
  );
}

export function RetriageDialog({ ticket, onClose }: { ticket: RetriageTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<TriageLevel>(ticket.triageLevel);
  const [reason, setReason] = useState("");
  const [idempotencyKey, setKey] = useState(newIdempotencyKey);
  const [retriage, { loading, error }] = useRetriageTicket();
  const errors = fieldErrors(error);
  const formRef = useFocusOnInvalid(error);
  const unchanged = level === ticket.triageLevel && !ticket.awaitingTriage;

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await retriage(ticket.id, level, { reason: reason.trim() || undefined, idempotencyKey, meta: { code: ticket.code } });
      onClose();
    } catch (err) {
      if (isActionQueued(err)) onClose(); // offline: saved, the banner lists it
      // otherwise shown below; the key stays for the retry
    }
  }

  return (
    <Dialog title={t("tickets.retriage.title", { code: ticket.code })} onClose={onClose}>
      <form ref={formRef} onSubmit={submit} className="space-y-4">
        <TriageLevelPicker
          legend={t("tickets.retriage.level")}
          value={level}
          onChange={(l) => {
            setLevel(l);
            setKey(newIdempotencyKey());
          }}
          note={{ level: ticket.triageLevel, text: t("tickets.retriage.current") }}
        />
        <TextField
          label={t("tickets.retriage.reason")}
          hint={t("tickets.retriage.reasonHint")}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setKey(newIdempotencyKey());
          }}
          error={errors.reason}
          maxLength={500}
        />
        {hasUnplacedError(error, ["reason"]) && <ErrorNotice error={error} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" busy={loading} disabled={unchanged}>
            {ticket.awaitingTriage && level === ticket.triageLevel ? t("tickets.retriage.confirm") : t("tickets.retriage.submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
