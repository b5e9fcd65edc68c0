// A secret the server returns once (an API client's client_secret, a webhook signing secret): shown in
// a dialog with a Copy button and a plain warning. Closing it drops the secret: the page keeps no copy.
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { CopyField } from "../staff/CopyField";

export function SecretDialog({ title, label, secret, extra, onClose }: { title: string; label: string; secret: string; extra?: string; onClose: () => void }) {
  const { t } = useTranslation("admin");
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="space-y-3">
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm font-medium text-amber-950">
          {t("secrets.once")}
        </p>
        {extra && <p className="text-sm text-slate-800">{extra}</p>}
        <p className="text-sm font-medium text-slate-900">{label}</p>
        <CopyField label={label} value={secret} />
        <div className="flex justify-end">
          <Button onClick={onClose}>{t("secrets.done")}</Button>
        </div>
      </div>
    </Dialog>
  );
}
