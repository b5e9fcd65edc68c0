// Small SVG charts, written here to keep the bundle small: grouped bars (counts per day) and lines
// (waits per day). A day without data (null) draws nothing: a gap, never a zero. The picture is
// hidden from screen readers, which read the same numbers from a table.
import type { ReactNode } from "react";

import { axisFor, labelEvery, type Axis } from "./scale";

export interface Series {
  key: string;
  label: string;
  /** Tailwind fill/stroke colour classes, e.g. "fill-teal-700" and "stroke-teal-700". */
  fill: string;
  stroke: string;
  /** Dash pattern for lines (told apart by more than colour). */
  dash?: string;
  /** One value per category; null where there is no data. */
  values: readonly (number | null)[];
}

export interface ChartProps {
  /** The chart's name (the figure caption and the data table's caption). */
  title: string;
  /** The categories' labels, in order (formatted days). */
  categories: readonly string[];
  series: readonly Series[];
  /** Shown over the plot when there is nothing to draw (bars: every value zero or missing; lines: every value missing). */
  emptyText: string;
  /** Formats a value for the axis, tooltips and the table (default: the number). */
  format?: (v: number) => string;
  /** The table's header for the category column. */
  categoryHeader: string;
  /** Text for a missing value in the table. */
  missingText: string;
  /** A fixed y axis (e.g. shares from 0 to 100 %) instead of one fitted to the largest value. */
  axis?: Axis;
}

export const WIDTH = 720;
export const HEIGHT = 260;
export const MARGIN = { top: 12, right: 12, bottom: 36, left: 48 } as const;
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

function maxOf(series: readonly Series[]): number {
  let m = 0;
  for (const s of series) for (const v of s.values) if (v != null && v > m) m = v;
  return m;
}

function Frame({
  props,
  empty,
  children,
}: {
  props: ChartProps;
  /** Whether there is nothing to draw (the empty text is shown over the plot). */
  empty: boolean;
  children: (y: (v: number) => number, band: number) => ReactNode;
}) {
  const { title, categories, series, emptyText, format = String } = props;
  const max = maxOf(series);
  const axis = props.axis ?? axisFor(max);
  const y = (v: number) => MARGIN.top + PLOT_H - (v / axis.top) * PLOT_H;
  const n = Math.max(1, categories.length);
  const band = PLOT_W / n;
  const every = labelEvery(categories.length);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-semibold text-slate-900">{title}</span>
        <ul className="flex flex-wrap gap-3 text-xs text-slate-800" aria-hidden="true">
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1">
              <svg width="16" height="8" className="shrink-0">
                <line x1="0" y1="4" x2="16" y2="4" strokeWidth="4" strokeDasharray={s.dash} className={s.stroke} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" aria-hidden="true" data-chart-top={axis.top}>
        {axis.ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" strokeWidth="1" />
            <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-700 text-[11px]" data-tick={tick}>
              {format(tick)}
            </text>
          </g>
        ))}
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(0)} y2={y(0)} className="stroke-slate-500" strokeWidth="1" />
        {categories.map((c, i) =>
          i % every === 0 ? (
            <text key={i} x={MARGIN.left + band * (i + 0.5)} y={HEIGHT - MARGIN.bottom + 16} textAnchor="middle" className="fill-slate-700 text-[11px]">
              {c}
            </text>
          ) : null,
        )}
        {children(y, band)}
        {empty && (
          <text x={MARGIN.left + PLOT_W / 2} y={MARGIN.top + PLOT_H / 2} textAnchor="middle" className="fill-slate-600 text-[13px]">
            {emptyText}
          </text>
        )}
      </svg>
      <DataTable {...props} />
    </figure>
  );
}

/** The chart's numbers for screen readers. */
function DataTable({ title, categories, series, format = String, categoryHeader, missingText }: ChartProps) {
  return (
    <table className="sr-only">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{categoryHeader}</th>
          {series.map((s) => (
            <th key={s.key} scope="col">
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {categories.map((c, i) => (
          <tr key={i}>
            <th scope="row">{c}</th>
            {series.map((s) => {
              const v = s.values[i];
              return <td key={s.key}>{v == null ? missingText : format(v)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Grouped bars: one group per category, one bar per series. */
export function BarChart(props: ChartProps) {
  const { categories, series, format = String } = props;
  return (
    <Frame props={props} empty={maxOf(series) === 0}>
      {(y, band) => {
        const pad = Math.min(band * 0.2, 12);
        const barW = Math.max(1, (band - pad) / Math.max(1, series.length));
        return series.map((s, si) =>
          s.values.map((v, i) => {
            if (v == null || v <= 0) return null;
            const x = MARGIN.left + band * i + pad / 2 + barW * si;
            return (
              <rect key={`${s.key}-${i}`} x={x} y={y(v)} width={barW} height={y(0) - y(v)} className={s.fill} data-series={s.key} data-value={v}>
                <title>{`${categories[i] ?? ""} · ${s.label}: ${format(v)}`}</title>
              </rect>
            );
          }),
        );
      }}
    </Frame>
  );
}

/** Lines with a dot on every value; a missing value breaks the line. */
export function LineChart(props: ChartProps) {
  const { categories, series, format = String } = props;
  return (
    <Frame props={props} empty={series.every((s) => s.values.every((v) => v == null))}>
      {(y, band) =>
        series.map((s) => {
          const x = (i: number) => MARGIN.left + band * (i + 0.5);
          let d = "";
          let pen = false;
          s.values.forEach((v, i) => {
            if (v == null) {
              pen = false;
              return;
            }
            d += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
            pen = true;
          });
          return (
            <g key={s.key} data-series={s.key}>
              {d && <path d={d.trim()} fill="none" strokeWidth="2" strokeDasharray={s.dash} className={s.stroke} />}
              {s.values.map((v, i) =>
                v == null ? null : (
                  <circle key={i} cx={x(i)} cy={y(v)} r="3.5" className={s.fill} data-value={v}>
                    <title>{`${categories[i] ?? ""} · ${s.label}: ${format(v)}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })
      }
    </Frame>
  );
}
