/**
 * The picture behind every regression: one factor's returns against an asset's, the fitted
 * straight line, and the vertical gaps that least squares makes as small as it can.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import {
  ACCENT,
  baseLayout,
  fixed,
  NEUTRAL,
  PALETTE,
  percentTickFormat,
  valueAxis,
} from "./theme.ts";
import { fail, finiteNumbers, labels, optionalText } from "./validate.ts";

/** Input of {@link regressionScatterChart}. */
export interface RegressionScatterInput {
  /** The regressor's values (decimals: 0.0123 is 1.23%), one per observation. */
  x: ArrayLike<number>;
  /** The dependent variable's values, one per observation. */
  y: ArrayLike<number>;
  /** Intercept of the fitted line (alpha). */
  intercept: number;
  /** Slope of the fitted line (beta). */
  slope: number;
  /** A label per observation (for example the period), shown on hover. */
  labels?: ArrayLike<string>;
  /** X-axis title (default "Factor return"). */
  xTitle?: string;
  /** Y-axis title (default "Excess return"). */
  yTitle?: string;
  /** Chart title (default "Least squares: the fitted line"). */
  title?: string;
  /** Draw each residual as a vertical segment from the point to the line (default true). */
  residuals?: boolean;
}

const CHART = "regressionScatterChart";

/**
 * A scatter of `y` against `x` with the line `intercept + slope · x` and, for each point, its
 * residual drawn as a grey vertical segment. The subtitle states the line and the sum of squared
 * residuals, the quantity least squares minimises; the line is the caller's (for a simple
 * regression, the least-squares one).
 *
 * @param input Points, the line and labels; see {@link RegressionScatterInput}.
 * @returns The figure: trace 0 the residual segments (when drawn), then the points, then the line.
 * @throws {PlotInputError} on empty or mismatched inputs, or non-finite values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { regressionScatterChart } from "./scatter.ts";
 *
 * const fig = regressionScatterChart({
 *   x: [-0.02, 0.01, 0.03],
 *   y: [-0.015, 0.012, 0.027],
 *   intercept: 0.001,
 *   slope: 0.9,
 *   xTitle: "Market excess return",
 * });
 * assert.equal(fig.spec.data.length, 3);
 * assert.deepEqual(fig.spec.data[0].y, [-0.015, -0.017, null, 0.012, 0.01, null, 0.027, 0.028, null]);
 * ```
 */
export function regressionScatterChart(input: RegressionScatterInput): Figure {
  const x = finiteNumbers(CHART, "x", input.x);
  const y = finiteNumbers(CHART, "y", input.y, { length: x.length, of: "x" });
  for (const field of ["intercept", "slope"] as const) {
    if (typeof input[field] !== "number" || !Number.isFinite(input[field])) {
      fail(CHART, field, `${field} must be a finite number, got ${String(input[field])}`);
    }
  }
  const names = input.labels === undefined ? undefined : labels(CHART, "labels", input.labels);
  if (names && names.length !== x.length) {
    fail(CHART, "labels", `labels has ${names.length} entries for ${x.length} points`);
  }
  const xTitle = optionalText(CHART, "xTitle", input.xTitle) ?? "Factor return";
  const yTitle = optionalText(CHART, "yTitle", input.yTitle) ?? "Excess return";
  const title = optionalText(CHART, "title", input.title) ?? "Least squares: the fitted line";
  const { intercept, slope } = input;
  const line = (v: number) => intercept + slope * v;
  const round = (v: number) => Math.round(v * 1e12) / 1e12;

  let ssr = 0;
  for (let i = 0; i < x.length; i++) ssr += (y[i] - line(x[i])) ** 2;
  const data: Record<string, unknown>[] = [];
  if (input.residuals ?? true) {
    const sx: (number | null)[] = [];
    const sy: (number | null)[] = [];
    for (let i = 0; i < x.length; i++) {
      sx.push(x[i], x[i], null);
      sy.push(y[i], round(line(x[i])), null);
    }
    data.push({
      type: "scatter",
      mode: "lines",
      name: "Residuals (vertical gaps)",
      x: sx,
      y: sy,
      line: { color: NEUTRAL, width: 1 },
      opacity: 0.6,
      hoverinfo: "skip",
    });
  }
  data.push({
    type: "scatter",
    mode: "markers",
    name: "Observations",
    x,
    y,
    marker: { color: PALETTE[0], size: 6, opacity: 0.8 },
    ...(names ? { text: names } : {}),
    hovertemplate: `${names ? "%{text}<br>" : ""}${xTitle} %{x:.2%}<br>${yTitle} %{y:.2%}` +
      "<extra></extra>",
  });
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  data.push({
    type: "scatter",
    mode: "lines",
    name: "Fitted line",
    x: [lo, hi],
    y: [round(line(lo)), round(line(hi))],
    line: { color: ACCENT, width: 2.5 },
    hoverinfo: "skip",
  });
  const sign = intercept < 0 ? "−" : "+";
  const layout = baseLayout({
    title,
    subtitle: `fitted line: y = ${fixed(slope, 3)} · x ${sign} ${fixed(Math.abs(intercept), 4)}` +
      ` · least squares minimises the sum of the squared grey gaps: ${ssr.toPrecision(3)}` +
      ` (${x.length} points)`,
    height: 460,
  });
  layout.xaxis = valueAxis(xTitle, { tickformat: percentTickFormat(x) });
  layout.yaxis = valueAxis(yTitle, { tickformat: percentTickFormat(y) });
  layout.hovermode = "closest";
  return chartFigure(data, layout, title);
}
