// "Are you sure?" before an action that cannot be undone or cuts an integrator off: what will happen,
// then Cancel and the action (named, never just "OK"). A refused action's message is shown here.
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";

export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  danger = false,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <Dialog title={title} onClose={onCancel}>
      <div className="space-y-3">
        <p className="text-sm text-slate-800">{body}</p>
        {error ? <ErrorNotice error={error} /> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button variant={danger ? "danger" : "primary"} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
