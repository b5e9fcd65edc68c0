import { errorCode, errorDetail } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { Button } from "./Button";

/**
 * Shows an error from the server or the network in the user's language: the message comes from the
 * error's code (errors.<CODE> in the locale files); for input problems the server's own detail is
 * added, since it says which field is wrong.
 */
export function ErrorNotice({ error, onRetry, className = "" }: { error: unknown; onRetry?: () => void; className?: string }) {
  const { t } = useTranslation();
  const code = errorCode(error);
  if (!code) return null;
  const detail = code === "BAD_USER_INPUT" || code === "CONFLICT" || code === "NOT_FOUND" ? errorDetail(error) : undefined;
  // A conflict the server explains ("the patient is already waiting in Triage as E-001") is told in
  // those terms; "someone else changed this" is only for the ones it does not explain.
  const explained = code === "CONFLICT" && detail;
  return (
    <div role="alert" className={`rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 ${className}`}>
      <p>{explained ? detail.charAt(0).toUpperCase() + detail.slice(1) + "." : t(`errors.${code}`)}</p>
      {detail && !explained && <p className="mt-1 text-red-800">{t("errors.detail", { detail })}</p>}
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      )}
    </div>
  );
}
