// The analytics page's "What-if": replay one of the department's queues (its own demand) or a synthetic
// department with a chosen number of service points and ordering, and see the share within target per
// level and the service points each hour needs, as charts (with their tables for screen readers) and a
// visible table. The server bounds the run (about 5 seconds) and names the field of any bad input.
import { useLazyQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { AdminWhatIfDocument, type AdminWhatIfQuery, type QueuePolicy, type SimulationInput } from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { InputField, SelectInput } from "../forms/Fields";
import { table } from "../layout";
import { BarChart, type Series } from "./charts/Chart";
import { usePercent } from "./ShareBars";

type Report = AdminWhatIfQuery["simulateQueue"];
type Run = Report["runs"][number];

/** The synthetic department's day: arrivals peak late morning and fall to a third before dawn. */
export const DAY_SHAPE = [
  0.55, 0.45, 0.4, 0.35, 0.35, 0.4, 0.55, 0.8, 1.1, 1.35, 1.5, 1.5, 1.45, 1.4, 1.35, 1.3, 1.3, 1.3, 1.3, 1.25, 1.1, 0.95, 0.8, 0.65,
] as const;
/** The Manchester Triage mix the synthetic department uses, in percent, most urgent first. */
export const MTS_MIX = [
  { level: "IMMEDIATE", weight: 1 },
  { level: "VERY_URGENT", weight: 11 },
  { level: "URGENT", weight: 33 },
  { level: "STANDARD", weight: 43 },
  { level: "NON_URGENT", weight: 12 },
] as const;

/** Arrivals per hour of a synthetic day with perDay arrivals in all, following DAY_SHAPE. */
export function arrivalsPerHour(perDay: number): number[] {
  const sum = DAY_SHAPE.reduce((a, b) => a + b, 0);
  return DAY_SHAPE.map((w) => (perDay * w) / sum);
}

const SYNTHETIC = "";
const COMPARE = "COMPARE";
const ORDERINGS: readonly QueuePolicy[] = ["TRIAGE", "TRIAGE_DEADLINE_AWARE", "FIFO"];
const PERCENT_AXIS = { top: 100, ticks: [0, 25, 50, 75, 100] };
const COLUMNS = ["ordering", "level", "patients", "within", "benchmark", "median", "p90", "max", "mae", "bias", "afterRange"] as const;
const SERIES_STYLE = [
  { fill: "fill-sky-700", stroke: "stroke-sky-700" },
  { fill: "fill-amber-600", stroke: "stroke-amber-600" },
] as const;

interface Form {
  source: string;
  points: string;
  ordering: string;
  days: string;
  perDay: string;
  service: string;
}

/** The form as the API's input: numbers left blank are left out (the server's defaults). */
export function toInput(f: Form): SimulationInput {
  const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
  const input: SimulationInput = {
    servicePoints: num(f.points),
    days: num(f.days),
    orderings: f.ordering === COMPARE ? ["TRIAGE", "TRIAGE_DEADLINE_AWARE"] : f.ordering ? [f.ordering as QueuePolicy] : undefined,
  };
  if (f.source === SYNTHETIC) {
    input.profile = { arrivalsPerHour: arrivalsPerHour(num(f.perDay) ?? 0), levelMix: [...MTS_MIX], meanServiceMinutes: num(f.service) ?? 0 };
  } else {
    input.queueID = f.source;
  }
  return input;
}

export function WhatIf({ queues }: { queues: readonly { id: string; name: string }[] }) {
  const { t } = useTranslation("admin");
  const [form, setForm] = useState<Form>({ source: SYNTHETIC, points: "4", ordering: COMPARE, days: "2", perDay: "250", service: "20" });
  const [run, { data, loading, error }] = useLazyQuery(AdminWhatIfDocument, { fetchPolicy: "network-only" });
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const synthetic = form.source === SYNTHETIC;

  function submit(e: FormEvent) {
    e.preventDefault();
    void run({ variables: { input: toInput(form) } }).catch(() => undefined); // shown from `error`
  }

  const report = data?.simulateQueue;
  return (
    <section aria-labelledby="what-if" className="space-y-4">
      <div>
        <h2 id="what-if" className="text-lg font-semibold">
          {t("analytics.whatIf.title")}
        </h2>
        <p className="text-sm text-slate-700">{t("analytics.whatIf.description")}</p>
      </div>
      <form className="flex flex-wrap items-start gap-3" aria-label={t("analytics.whatIf.form")} onSubmit={submit}>
        <SelectInput className="w-64" label={t("analytics.whatIf.source")} value={form.source} onChange={set("source")}>
          <option value={SYNTHETIC}>{t("analytics.whatIf.synthetic")}</option>
          {queues.map((q) => (
            <option key={q.id} value={q.id}>
              {t("analytics.whatIf.queueDemand", { name: q.name })}
            </option>
          ))}
        </SelectInput>
        {synthetic && (
          <>
            <InputField className="w-36" label={t("analytics.whatIf.perDay")} type="number" min={0} max={1600} step="any" required value={form.perDay} onChange={set("perDay")} />
            <InputField className="w-36" label={t("analytics.whatIf.service")} type="number" min={1} max={480} step="any" required value={form.service} onChange={set("service")} />
          </>
        )}
        <InputField
          className="w-36"
          label={t("analytics.whatIf.points")}
          hint={synthetic ? undefined : t("analytics.whatIf.pointsHint")}
          type="number"
          min={1}
          max={50}
          required={synthetic}
          value={form.points}
          onChange={set("points")}
        />
        <SelectInput className="w-64" label={t("analytics.whatIf.ordering")} value={form.ordering} onChange={set("ordering")}>
          <option value={COMPARE}>{t("analytics.whatIf.compare")}</option>
          {ORDERINGS.map((o) => (
            <option key={o} value={o}>
              {t(`queues.policy.${o}`)}
            </option>
          ))}
        </SelectInput>
        <InputField className="w-28" label={t("analytics.whatIf.days")} type="number" min={1} max={7} value={form.days} onChange={set("days")} />
        <div className="pt-6">
          <Button type="submit" busy={loading}>
            {t("analytics.whatIf.run")}
          </Button>
        </div>
      </form>
      {synthetic && <p className="text-xs text-slate-600">{t("analytics.whatIf.syntheticNote")}</p>}
      {error && <ErrorNotice error={error} />}
      {report && !error && <WhatIfReport report={report} />}
    </section>
  );
}

function WhatIfReport({ report }: { report: Report }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const percent = usePercent();
  const name = (r: Run) => t(`queues.policy.${r.ordering}`);
  const series = (values: (r: Run) => (number | null)[]): Series[] =>
    report.runs.map((r, i) => ({ key: r.ordering, label: name(r), ...SERIES_STYLE[i % SERIES_STYLE.length]!, values: values(r) }));
  const levels = [...new Set(report.runs.flatMap((r) => r.levels.map((l) => l.level!)))];
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));
  const patients = report.runs[0]?.patients ?? 0;
  const fmt1 = (v: number) => v.toFixed(1);
  const pct = (share: number | undefined) => (share == null ? null : Math.round(share * 1000) / 10);

  return (
    <div className="space-y-4" data-testid="what-if-report">
      <p className="text-sm text-slate-800">
        {t("analytics.whatIf.summary", {
          source: report.queueName ?? t("analytics.whatIf.synthetic"),
          perDay: Math.round(report.arrivalsPerDay),
          service: Math.round(report.meanServiceMinutes),
          points: report.servicePoints,
          load: percent(report.load),
          days: report.days,
          count: patients,
        })}
      </p>
      {patients === 0 ? (
        <p className="text-sm text-slate-700">{t("analytics.whatIf.noPatients")}</p>
      ) : (
        <>
          <div className="grid gap-4 xl:grid-cols-2">
            <BarChart
              title={t("analytics.whatIf.withinChart")}
              categories={levels.map((l) => tc(`triage.${l}`))}
              categoryHeader={t("analytics.whatIf.level")}
              // In percent, so that the axis runs to 100 % rather than to a count's whole steps.
              series={series((r) => levels.map((l) => pct(r.levels.find((x) => x.level === l)?.withinTarget)))}
              format={(v) => percent(v / 100)}
              axis={PERCENT_AXIS}
              emptyText={t("analytics.whatIf.noPatients")}
              missingText={t("analytics.whatIf.none")}
            />
            <BarChart
              title={t("analytics.whatIf.pointsChart")}
              categories={hours}
              categoryHeader={t("analytics.whatIf.hour")}
              series={series((r) => r.pointsNeeded.hours.map((h) => h.pointsNeeded ?? null))}
              emptyText={t("analytics.whatIf.noPatients")}
              missingText={t("analytics.whatIf.none")}
            />
          </div>
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className={table.caption}>{t("analytics.whatIf.levelsTable")}</caption>
              <thead>
                <tr>
                  {COLUMNS.map((k) => (
                    <th key={k} scope="col" className={table.th}>
                      {t(`analytics.whatIf.col.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.runs.flatMap((r) =>
                  [...r.levels, r.overall].map((l) => (
                    <tr key={`${r.ordering}-${l.level ?? "ALL"}`}>
                      <td className={table.td}>{name(r)}</td>
                      <th scope="row" className={table.td}>
                        {l.level ? tc(`triage.${l.level}`) : t("analytics.whatIf.all")}
                      </th>
                      <td className={table.td}>{l.patients}</td>
                      <td className={table.td}>{percent(l.withinTarget)}</td>
                      <td className={table.td}>{l.benchmark == null ? "" : percent(l.benchmark)}</td>
                      <td className={table.td}>{Math.round(l.medianWaitMinutes)}</td>
                      <td className={table.td}>{Math.round(l.p90WaitMinutes)}</td>
                      <td className={table.td}>{Math.round(l.maxWaitMinutes)}</td>
                      <td className={table.td}>{l.estimate ? percent(l.estimate.maeShare) : "—"}</td>
                      <td className={table.td}>{l.estimate ? percent(l.estimate.biasShare) : "—"}</td>
                      <td className={table.td}>{l.estimate ? percent(l.estimate.afterRangeShare) : "—"}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          <div className={table.wrap}>
            <table className={table.table}>
              <caption className="px-3 py-2 text-left text-sm font-semibold text-slate-900">{t("analytics.whatIf.pointsTable")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={table.th}>
                    {t("analytics.whatIf.hour")}
                  </th>
                  <th scope="col" className={table.th}>
                    {t("analytics.whatIf.col.patients")}
                  </th>
                  {report.runs.map((r) => (
                    <th key={r.ordering} scope="col" className={table.th}>
                      {name(r)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {hours.map((label, h) => (
                  <tr key={label}>
                    <th scope="row" className={table.td}>
                      {label}:00
                    </th>
                    <td className={table.td}>{report.runs[0]?.pointsNeeded.hours[h]?.patients ?? 0}</td>
                    {report.runs.map((r) => {
                      const hr = r.pointsNeeded.hours[h];
                      return (
                        <td key={r.ordering} className={table.td}>
                          {!hr || hr.patients === 0
                            ? t("analytics.whatIf.none")
                            : hr.met
                              ? hr.pointsNeeded
                              : t("analytics.whatIf.moreThan", { count: r.pointsNeeded.mostTried })}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-slate-600">
            {t("analytics.whatIf.method", { fewest: report.runs[0]?.pointsNeeded.fewestTried ?? 1, fmt: fmt1(report.load * report.servicePoints) })}
          </p>
        </>
      )}
    </div>
  );
}
