// The estimated wait as staff see it: the middle figure and the range ("~55 min (40–70)"), or, when
// the server has too little history to estimate (estimatedWait null), a plain "not enough data yet"
// instead of an invented number.
import { useTranslation } from "react-i18next";

export interface WaitRange {
  lowMinutes: number;
  highMinutes: number;
}

export function WaitEstimate({ minutes, range }: { minutes: number | null | undefined; range: WaitRange | null | undefined }) {
  const { t } = useTranslation();
  if (!range) return <span className="text-slate-600 italic">{t("tickets.wait.noData")}</span>;
  const low = range.lowMinutes;
  const high = range.highMinutes;
  return (
    <span className="tabular whitespace-nowrap">
      {minutes != null ? t("tickets.wait.estimate", { minutes, low, high }) : t("tickets.wait.range", { low, high })}
    </span>
  );
}
