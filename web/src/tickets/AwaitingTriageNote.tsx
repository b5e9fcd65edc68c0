// A self check-in nobody has triaged yet is ordered as its queue's default level until someone does:
// say so beside the level, so nobody mistakes the default for a clinical judgement.
import type { TriageLevel } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

export function AwaitingTriageNote({ level }: { level: TriageLevel }) {
  const { t } = useTranslation();
  return (
    <span className="inline-block rounded border border-dashed border-purple-700 bg-purple-50 px-1.5 py-0.5 text-xs font-semibold text-purple-900">
      {t("tickets.awaitingTriage", { level: t(`triage.${level}`) })}
    </span>
  );
}
