// A department's figures for a range of days: today so far, arrivals/served/no-shows and waits per
// day, the share within target per level and day, and each queue's days. Days with no stored report
// are gaps, not zeros (the nightly job writes a day's report after local midnight).
import { TRIAGE_LEVELS, getFragmentData } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminDepartmentFiguresDocument,
  DepartmentFigures_FiguresFragmentDoc,
  type DepartmentFigures_FiguresFragment,
} from "../../../generated/graphql";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useFormat } from "../../../i18n/useFormat";
import { minutes } from "../format";
import { table } from "../layout";
import { BarChart, LineChart } from "./charts/Chart";
import { daysBetween } from "./days";
import { shareClass, usePercent } from "./ShareBars";
import { TodayFigures } from "./TodayFigures";

type Figures = DepartmentFigures_FiguresFragment;

/** How often today's live figures are asked for again. */
const REFRESH_MS = 60_000;

export function DepartmentFigures({ departmentID, from, to }: { departmentID: string; from: string; to: string }) {
  const { t } = useTranslation("admin");
  const fmt = useFormat();
  const { data, previousData, loading, error, refetch } = useQuery(AdminDepartmentFiguresDocument, {
    variables: { departmentID, from, to },
    pollInterval: REFRESH_MS,
    notifyOnNetworkStatusChange: false,
  });
  const shown = data ?? previousData;
  const days = useMemo(() => daysBetween(from, to), [from, to]);
  const rows = useMemo(() => (shown?.dailyFigures ?? []).map((r) => getFragmentData(DepartmentFigures_FiguresFragmentDoc, r)), [shown]);
  const totals = useMemo(() => new Map(rows.filter((r) => r.queueID == null).map((r) => [r.day, r])), [rows]);
  const labels = days.map((d) => fmt.day(d, "short"));

  if (loading && !shown) return <Loading label={t("analytics.loading")} />;
  if (error && !shown) return <ErrorNotice error={error} onRetry={() => void refetch()} />;

  const pick = (f: (r: Figures) => number | null) => days.map((d) => {
    const r = totals.get(d);
    return r ? f(r) : null;
  });
  const common = { categories: labels, categoryHeader: t("analytics.day"), missingText: t("analytics.noReport"), emptyText: t("analytics.chartEmpty") };

  return (
    <div className="space-y-6" aria-busy={loading || undefined}>
      {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {shown && shown.todayFigures.length > 0 && <TodayFigures figures={shown.todayFigures} />}
      <section aria-labelledby="per-day" className="space-y-3">
        <h2 id="per-day" className="text-lg font-semibold">
          {t("analytics.perDay", { from: fmt.day(from), to: fmt.day(to) })}
        </h2>
        {totals.size === 0 && <p className="text-sm text-slate-700">{t("analytics.rangeEmpty")}</p>}
        <div className="grid gap-4 xl:grid-cols-2">
          <BarChart
            {...common}
            title={t("analytics.countsChart")}
            series={[
              { key: "arrivals", label: t("analytics.arrivals"), fill: "fill-sky-700", stroke: "stroke-sky-700", values: pick((r) => r.arrivals) },
              { key: "served", label: t("analytics.served"), fill: "fill-teal-600", stroke: "stroke-teal-600", values: pick((r) => r.served) },
              { key: "noShows", label: t("analytics.noShows"), fill: "fill-red-700", stroke: "stroke-red-700", values: pick((r) => r.noShows) },
            ]}
          />
          <LineChart
            {...common}
            title={t("analytics.waitsChart")}
            emptyText={t("analytics.waitsEmpty")}
            format={(v) => t("common.minutes", { count: v })}
            series={[
              { key: "median", label: t("analytics.medianWait"), fill: "fill-teal-700", stroke: "stroke-teal-700", values: pick((r) => minutes(r.medianWaitSeconds)) },
              { key: "p90", label: t("analytics.p90Wait"), fill: "fill-amber-600", stroke: "stroke-amber-600", dash: "6 4", values: pick((r) => minutes(r.p90WaitSeconds)) },
            ]}
          />
        </div>
        <p className="text-xs text-slate-600">{t("analytics.gapsNote")}</p>
      </section>
      <WithinTargetTable days={days} totals={totals} />
      <QueueTables rows={rows} />
    </div>
  );
}

/** The share within target per level (columns) and day (rows), for the days with calls. */
function WithinTargetTable({ days, totals }: { days: readonly string[]; totals: ReadonlyMap<string, Figures> }) {
  const { t } = useTranslation("admin");
  const fmt = useFormat();
  const { t: tc } = useTranslation();
  const percent = usePercent();
  const withCalls = days.filter((d) => (totals.get(d)?.withinTarget.length ?? 0) > 0);
  return (
    <section aria-labelledby="within-target" className="space-y-2">
      <h2 id="within-target" className="text-lg font-semibold">
        {t("analytics.withinTarget")}
      </h2>
      <p className="text-sm text-slate-700">{t("analytics.withinTargetHelp")}</p>
      <div className={table.wrap}>
        <table className={table.table}>
          <caption className={table.caption}>{t("analytics.withinTarget")}</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={table.th}>{t("analytics.day")}</th>
              {TRIAGE_LEVELS.map((l) => (
                <th key={l} scope="col" className={table.th}>
                  {tc(`triage.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {withCalls.length === 0 && (
              <tr>
                <td colSpan={TRIAGE_LEVELS.length + 1} className="px-3 py-4 text-sm text-slate-600">
                  {t("analytics.withinTargetEmpty")}
                </td>
              </tr>
            )}
            {withCalls.map((d) => {
              const shares = new Map(totals.get(d)!.withinTarget.map((s) => [s.level, s.share]));
              return (
                <tr key={d}>
                  <th scope="row" className={`${table.td} font-medium whitespace-nowrap`}>{fmt.day(d)}</th>
                  {TRIAGE_LEVELS.map((l) => {
                    const s = shares.get(l);
                    return (
                      <td key={l} className={`${table.td} tabular-nums`}>
                        {s == null ? (
                          <span className="text-slate-600">{t("common.none")}</span>
                        ) : (
                          <span className="inline-flex items-center gap-2">
                            <span className={`inline-block size-2.5 rounded-full ${shareClass(s)}`} aria-hidden="true" />
                            {percent(s)}
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One table per queue: its figures for each day of the range that has them. */
function QueueTables({ rows }: { rows: readonly Figures[] }) {
  const { t } = useTranslation("admin");
  const fmt = useFormat();
  const queues = new Map<string, Figures[]>();
  for (const r of rows) if (r.queueID != null) queues.set(r.queueID, [...(queues.get(r.queueID) ?? []), r]);
  const mins = (s: number | null | undefined) => {
    const m = minutes(s);
    return m == null ? t("common.none") : t("common.minutes", { count: m });
  };
  const list = [...queues.values()].sort((a, b) => (a[0]?.queueName ?? "").localeCompare(b[0]?.queueName ?? ""));
  return (
    <section aria-labelledby="by-queue" className="space-y-2">
      <h2 id="by-queue" className="text-lg font-semibold">
        {t("analytics.byQueue")}
      </h2>
      {list.length === 0 && <p className="text-sm text-slate-600">{t("analytics.rangeEmpty")}</p>}
      {list.map((qs) => {
        const name = qs[0]?.queueName ?? "";
        const sum = (f: (r: Figures) => number) => qs.reduce((n, r) => n + f(r), 0);
        return (
          <details key={qs[0]?.queueID} open={list.length <= 3} className="rounded-lg border border-slate-200 bg-white">
            <summary className="cursor-pointer px-3 py-2 text-sm font-semibold">
              {name}{" "}
              <span className="font-normal text-slate-700">
                {t("analytics.queueSummary", { arrivals: sum((r) => r.arrivals), served: sum((r) => r.served), noShows: sum((r) => r.noShows) })}
              </span>
            </summary>
            <div className="overflow-x-auto border-t border-slate-200">
              <table className={table.table}>
                <caption className={table.caption}>{t("analytics.queueCaption", { name })}</caption>
                <thead className="bg-slate-50">
                  <tr>
                    <th scope="col" className={table.th}>{t("analytics.day")}</th>
                    <th scope="col" className={table.th}>{t("analytics.arrivals")}</th>
                    <th scope="col" className={table.th}>{t("analytics.served")}</th>
                    <th scope="col" className={table.th}>{t("analytics.noShows")}</th>
                    <th scope="col" className={table.th}>{t("analytics.cancellations")}</th>
                    <th scope="col" className={table.th}>{t("analytics.medianWait")}</th>
                    <th scope="col" className={table.th}>{t("analytics.p90Wait")}</th>
                    <th scope="col" className={table.th}>{t("analytics.medianService")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {qs.map((r) => (
                    <tr key={r.day}>
                      <th scope="row" className={`${table.td} font-medium whitespace-nowrap`}>
                        {fmt.day(r.day)}
                        {r.live && <span className="ml-2 rounded bg-teal-100 px-1 text-xs text-teal-900">{t("analytics.live")}</span>}
                      </th>
                      <td className={`${table.td} tabular-nums`}>{r.arrivals}</td>
                      <td className={`${table.td} tabular-nums`}>{r.served}</td>
                      <td className={`${table.td} tabular-nums`}>{r.noShows}</td>
                      <td className={`${table.td} tabular-nums`}>{r.cancellations}</td>
                      <td className={`${table.td} tabular-nums`}>{mins(r.medianWaitSeconds)}</td>
                      <td className={`${table.td} tabular-nums`}>{mins(r.p90WaitSeconds)}</td>
                      <td className={`${table.td} tabular-nums`}>{mins(r.medianServiceSeconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        );
      })}
    </section>
  );
}
