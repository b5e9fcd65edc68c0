// Axis arithmetic for the small SVG charts: a "nice" top value and evenly spaced ticks.

/** The tick step: 1, 2 or 5 times a power of ten, at least raw (and at least 1 for whole numbers). */
export function niceStep(raw: number, integer = true): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const step = m * power;
    if (step >= raw - 1e-9) return integer ? Math.max(1, Math.ceil(step)) : step;
  }
  return 10 * power;
}

export interface Axis {
  /** The value at the top of the plot (≥ the largest value; 4 steps when everything is zero). */
  top: number;
  /** Tick values from 0 to top. */
  ticks: number[];
}

/** A y axis from 0 that holds max in `count` equal steps. */
export function axisFor(max: number, count = 4, integer = true): Axis {
  const step = niceStep((Number.isFinite(max) ? Math.max(0, max) : 0) / count, integer);
  const top = step * count;
  return { top, ticks: Array.from({ length: count + 1 }, (_, i) => i * step) };
}

/** Every how many categories an x label fits (at most `fit` labels). */
export function labelEvery(n: number, fit = 10): number {
  return Math.max(1, Math.ceil(n / fit));
}
