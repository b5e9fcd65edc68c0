// Today's figures so far (computed live by the server): the department's totals, the share within
// target per level, and each queue.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { TodayFigures_FiguresFragmentDoc } from "../../../generated/graphql";
import { useFormat } from "../../../i18n/useFormat";
import { minutes } from "../format";
import { EmptyRow, table } from "../layout";
import { ShareBars } from "./ShareBars";

export function TodayFigures({ figures: refs }: { figures: readonly FragmentType<typeof TodayFigures_FiguresFragmentDoc>[] }) {
  const { t } = useTranslation("admin");
  const fmt = useFormat();
  const rows = refs.map((r) => getFragmentData(TodayFigures_FiguresFragmentDoc, r));
  const total = rows.find((r) => r.queueID == null);
  const queues = rows.filter((r) => r.queueID != null);
  const mins = (s: number | null | undefined) => {
    const m = minutes(s);
    return m == null ? t("common.none") : t("common.minutes", { count: m });
  };

  if (!total) return <p className="text-sm text-slate-600">{t("analytics.todayNone")}</p>;
  const stats = [
    { key: "arrivals", label: t("analytics.arrivals"), value: String(total.arrivals) },
    { key: "served", label: t("analytics.served"), value: String(total.served) },
    { key: "noShows", label: t("analytics.noShows"), value: String(total.noShows) },
    { key: "cancellations", label: t("analytics.cancellations"), value: String(total.cancellations) },
    { key: "medianWait", label: t("analytics.medianWait"), value: mins(total.medianWaitSeconds) },
    { key: "p90Wait", label: t("analytics.p90Wait"), value: mins(total.p90WaitSeconds) },
    { key: "medianService", label: t("analytics.medianService"), value: mins(total.medianServiceSeconds) },
  ];

  return (
    <section aria-labelledby="today" className="space-y-3 rounded-lg border border-teal-200 bg-teal-50/50 p-4">
      <h2 id="today" className="text-lg font-semibold">
        {t("analytics.today", { day: fmt.day(total.day) })}
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
        {stats.map((s) => (
          <div key={s.key} className="rounded-md bg-white p-3 ring-1 ring-slate-200">
            <dt className="text-xs font-medium text-slate-700">{s.label}</dt>
            <dd className="text-2xl font-semibold tabular-nums text-slate-900">{s.value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-4 xl:grid-cols-2">
        <ShareBars title={t("analytics.withinTargetToday")} shares={total.withinTarget} />
        <div className={table.wrap}>
          <table className={table.table}>
            <caption className="px-3 pt-2 text-left text-sm font-semibold text-slate-900">{t("analytics.todayByQueue")}</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={table.th}>{t("analytics.queue")}</th>
                <th scope="col" className={table.th}>{t("analytics.arrivals")}</th>
                <th scope="col" className={table.th}>{t("analytics.served")}</th>
                <th scope="col" className={table.th}>{t("analytics.noShows")}</th>
                <th scope="col" className={table.th}>{t("analytics.medianWait")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {queues.length === 0 && <EmptyRow colSpan={5}>{t("queues.empty")}</EmptyRow>}
              {queues.map((q) => (
                <tr key={q.queueID}>
                  <th scope="row" className={`${table.td} font-medium`}>{q.queueName}</th>
                  <td className={`${table.td} tabular-nums`}>{q.arrivals}</td>
                  <td className={`${table.td} tabular-nums`}>{q.served}</td>
                  <td className={`${table.td} tabular-nums`}>{q.noShows}</td>
                  <td className={`${table.td} tabular-nums`}>{mins(q.medianWaitSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
