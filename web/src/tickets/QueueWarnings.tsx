// A queue's warnings as a banner: today only URGENT_SHARE_HIGH, when the urgent group (IMMEDIATE,
// VERY_URGENT) took more than the queue's limit of its service time over the last hour, so the other
// patients wait longer than their targets suggest.
import { useTranslation } from "react-i18next";

export interface QueueWarning {
  kind: string;
  sharePercent?: number | null;
  limitPercent?: number | null;
}

export function QueueWarnings({ warnings, className = "" }: { warnings: readonly QueueWarning[] | null | undefined; className?: string }) {
  const { t } = useTranslation();
  if (!warnings?.length) return null;
  return (
    <div role="status" className={`space-y-1 ${className}`}>
      {warnings.map((w) => (
        <p key={w.kind} className="rounded-md border border-orange-300 bg-orange-50 px-3 py-2 text-sm text-orange-950">
          {w.kind === "URGENT_SHARE_HIGH" && w.sharePercent != null && w.limitPercent != null
            ? t("tickets.warnings.URGENT_SHARE_HIGH", { share: w.sharePercent, limit: w.limitPercent })
            : t("tickets.warnings.other")}
        </p>
      ))}
    </div>
  );
}
