// The share of called patients who were called within their level's target, one bar per triage
// level, with the percentage written out.
import { TRIAGE_LEVELS, type TriageLevel } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { useFormat } from "../../../i18n/useFormat";

export function shareClass(share: number): string {
  if (share >= 0.9) return "bg-green-700";
  if (share >= 0.7) return "bg-amber-500";
  return "bg-red-700";
}

export function usePercent(): (share: number) => string {
  return useFormat().percent;
}

export function ShareBars({ shares, title }: { shares: readonly { level: TriageLevel; share: number }[]; title: string }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const percent = usePercent();
  const byLevel = new Map(shares.map((s) => [s.level, s.share]));
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">{title}</h3>
      <dl className="space-y-1.5">
        {TRIAGE_LEVELS.map((l) => {
          const share = byLevel.get(l);
          return (
            <div key={l} className="grid grid-cols-[8rem_1fr_6.5rem] items-center gap-2 text-sm">
              <dt className="text-slate-800">{tc(`triage.${l}`)}</dt>
              <dd className="h-3 overflow-hidden rounded bg-slate-100" aria-hidden="true">
                {share != null && <div className={`h-full ${shareClass(share)}`} style={{ width: `${Math.round(share * 100)}%` }} />}
              </dd>
              <dd className="text-right tabular-nums text-slate-900">{share == null ? <span className="text-slate-600">{t("analytics.noCalls")}</span> : percent(share)}</dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
