// Take a ticket out of its queue, with the reason the audit log records.
import { isActionQueued, useCancelTicket } from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { fieldErrors, hasUnplacedError, useFocusOnInvalid } from "../ui/fieldErrors";
import { TextField } from "../ui/Field";

export function CancelDialog({ ticket, onClose }: { ticket: { id: string; code: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [cancel, { loading, error }] = useCancelTicket();
  const errors = fieldErrors(error);
  const formRef = useFocusOnInvalid(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await cancel(ticket.id, reason.trim(), { code: ticket.code });
      onClose();
    } catch (err) {
      if (isActionQueued(err)) onClose(); // offline: saved, the banner lists it
      // otherwise shown below
    }
  }

  return (
    <Dialog title={t("tickets.cancel.title", { code: ticket.code })} onClose={onClose}>
      <form ref={formRef} onSubmit={submit} className="space-y-4">
        <TextField
          label={t("tickets.cancel.reason")}
          hint={t("tickets.cancel.reasonHint")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errors.reason}
          required
          maxLength={500}
          autoFocus
        />
        {hasUnplacedError(error, ["reason"]) && <ErrorNotice error={error} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t("common.back")}
          </Button>
          <Button type="submit" variant="danger" busy={loading} disabled={!reason.trim()}>
            {t("tickets.cancel.submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
