/**
 * Cumulative return attribution: how much of the return each factor, alpha and the residual
 * contributed, accumulated over time.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import {
  ACCENT,
  baseLayout,
  dateAxis,
  NEUTRAL,
  PALETTE,
  pct,
  percentTickFormat,
  valueAxis,
} from "./theme.ts";
import {
  fail,
  finiteNumbers,
  labels,
  optionalText,
  periodKeys,
  type PeriodKind,
} from "./validate.ts";

/** Input of {@link attributionChart}. */
export interface AttributionChartInput {
  /** Period keys, "YYYY-MM" (monthly) or "YYYY-MM-DD" (daily), increasing. */
  periods: string[];
  /** Per-period contributions (decimals), e.g. one per factor (beta × factor return), "alpha"
   * and "residual". */
  components: { name: string; values: ArrayLike<number> }[];
  /** The per-period total to draw as the line (default: the sum of the components). */
  total?: ArrayLike<number>;
  /** Chart title (default "Cumulative return attribution"). */
  title?: string;
}

const CHART = "attributionChart";

/** Running sum. */
function cumulative(values: number[]): number[] {
  let s = 0;
  return values.map((v) => (s += v));
}

/** Factors take the palette in order; alpha and the residual get colours of their own. */
function componentColor(name: string, factorIndex: number): string {
  const key = name.trim().toLowerCase();
  if (key === "residual" || key === "resid" || key === "specific") return NEUTRAL;
  if (key === "alpha" || key === "const" || key === "intercept") return PALETTE[4];
  const factorPalette = PALETTE.filter((_, i) => i !== 4);
  return factorPalette[factorIndex % factorPalette.length];
}

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of a period key's first day (UTC). */
function periodStart(period: string): number {
  return Date.parse(period.length === 7 ? `${period}-01T00:00:00Z` : `${period}T00:00:00Z`);
}

/**
 * Bar widths and offsets (in milliseconds, as a date axis counts) so that each bar spans from
 * halfway after the previous period to halfway before the next: bars touch across weekends,
 * holidays and months of different lengths, where a calendar-spaced default would leave
 * stripes of empty days between trading days. With few periods the bars are narrowed to keep
 * a small gap.
 */
function barSpans(periods: string[], kind: PeriodKind): { width: number[]; offset: number[] } {
  const t = periods.map(periodStart);
  const n = t.length;
  const single = kind === "monthly"
    ? Date.UTC(new Date(t[0]).getUTCFullYear(), new Date(t[0]).getUTCMonth() + 1) - t[0]
    : DAY_MS;
  const shrink = n > 60 ? 1 : 0.85;
  const width: number[] = [];
  const offset: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = i > 0 ? (t[i] - t[i - 1]) / 2 : (n > 1 ? (t[1] - t[0]) / 2 : single / 2);
    const after = i < n - 1 ? (t[i + 1] - t[i]) / 2 : (n > 1 ? (t[i] - t[i - 1]) / 2 : single / 2);
    const span = before + after;
    const w = span * shrink;
    width.push(w);
    offset.push(-before + (span - w) / 2);
  }
  return { width, offset };
}

/**
 * Cumulative return attribution over time: for each component (factor contributions, alpha,
 * residual) the running sum of its per-period values, drawn as stacked bars (positive parts
 * stack up from zero, negative parts down; each bar spans its period, so daily bars touch across
 * weekends and holidays), and a line for the running sum of the total (the
 * components' sum, or `total` when given). The sums are additive, not compounded, so the
 * stacked components add up to the total line exactly whenever the components sum to the
 * total period by period. The subtitle lists each component's final cumulative contribution.
 *
 * Trace k (k < number of components) holds component k's cumulative sums in `y`; the last
 * trace is the total line.
 *
 * @param input Periods, named components and an optional total, all of one length; see
 * {@link AttributionChartInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, unnamed or
 * duplicated components, or malformed periods.
 *
 * @example
 * ```ts
 * import { attributionChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = attributionChart({
 *   periods: ["2020-01", "2020-02", "2020-03"],
 *   components: [
 *     { name: "MKT_RF", values: [0.01, -0.03, 0.02] },
 *     { name: "alpha", values: [0.001, 0.001, 0.001] },
 *   ],
 * });
 * const total = fig.spec.data[2] as { y: number[] };
 * assert.ok(Math.abs(total.y[2] - 0.003) < 1e-15); // 0.01 − 0.03 + 0.02 + 3 × 0.001
 * ```
 */
export function attributionChart(input: AttributionChartInput): Figure {
  const { periods, kind } = periodKeys(CHART, "periods", input.periods);
  const of = { length: periods.length, of: "periods" };
  if (!Array.isArray(input.components) || input.components.length === 0) {
    fail(CHART, "components", `"components" must be a non-empty array of { name, values }`);
  }
  const names = labels(CHART, "components[].name", input.components.map((c) => c?.name));
  const twice = names.find((name, k) => names.indexOf(name) !== k);
  if (twice !== undefined) fail(CHART, "components", `component "${twice}" is given twice`);
  const components = input.components.map((c, k) => ({
    name: names[k],
    values: finiteNumbers(CHART, `components[${k}].values`, c.values, of),
  }));
  const perPeriodTotal = input.total === undefined
    ? periods.map((_, t) => components.reduce((s, c) => s + c.values[t], 0))
    : finiteNumbers(CHART, "total", input.total, of);
  const title = optionalText(CHART, "title", input.title) ?? "Cumulative return attribution";

  const cumComponents = components.map((c) => cumulative(c.values));
  const cumTotal = cumulative(perPeriodTotal);
  const { width, offset } = barSpans(periods, kind);
  let factorIndex = 0;
  const data: Record<string, unknown>[] = components.map((c, k) => {
    const key = c.name.trim().toLowerCase();
    const special = ["residual", "resid", "specific", "alpha", "const", "intercept"].includes(key);
    const color = componentColor(c.name, special ? 0 : factorIndex++);
    return {
      type: "bar",
      name: c.name,
      x: periods,
      y: cumComponents[k],
      width,
      offset,
      // An outline in the fill colour closes the hairline seams between adjacent bars.
      marker: { color, line: { color, width: periods.length > 60 ? 0.6 : 0 } },
      hovertemplate: "%{y:.2%}",
    };
  });
  data.push({
    type: "scatter",
    mode: "lines",
    name: input.total === undefined ? "Total" : "Total (actual)",
    x: periods,
    y: cumTotal,
    line: { color: ACCENT, width: 2.5 },
    hovertemplate: "%{y:.2%}",
  });

  // Extremes of the stacks, so the tick format fits the visible range.
  const extremes: number[] = [...cumTotal];
  for (let t = 0; t < periods.length; t++) {
    let up = 0;
    let down = 0;
    for (const c of cumComponents) c[t] >= 0 ? (up += c[t]) : (down += c[t]);
    extremes.push(up, down);
  }
  const last = periods.length - 1;
  // A total that rounds to zero (the residual of a fit with a constant) gets no sign.
  const signed = (x: number) => {
    const text = pct(x, 1);
    return /^0(\.0*)?%$/.test(text) || text.startsWith("−") ? text : "+" + text;
  };
  const finals = components.map((c, k) => `${c.name} ${signed(cumComponents[k][last])}`);
  const layout = baseLayout({
    title,
    subtitle: `Running sums of per-period contributions (not compounded), ${periods[0]} to ` +
      `${periods[last]}<br>${finals.join(" · ")} · total ${signed(cumTotal[last])}`,
    height: 460,
  });
  layout.barmode = "relative";
  layout.xaxis = dateAxis(kind, periods);
  layout.yaxis = valueAxis("Cumulative return", { tickformat: percentTickFormat(extremes) });
  layout.hovermode = "x unified";
  return chartFigure(data, layout, title);
}
