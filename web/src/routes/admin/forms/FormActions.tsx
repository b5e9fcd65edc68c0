// The end of every admin form: what no field shows of a failed save, then Cancel and Save.
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { hasUnplacedError } from "../../../ui/fieldErrors";

export function FormActions({
  error,
  shownFields,
  busy,
  submitLabel,
  onCancel,
  disabled,
}: {
  error: unknown;
  /** The fields the form shows errors for: other errors are shown here. */
  shownFields: readonly string[];
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation("admin");
  return (
    <>
      {hasUnplacedError(error, shownFields) && <ErrorNotice error={error} />}
      <div className="flex justify-end gap-2 pt-1">
        <Button variant="secondary" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
        <Button type="submit" busy={busy} disabled={disabled}>
          {submitLabel}
        </Button>
      </div>
    </>
  );
}
