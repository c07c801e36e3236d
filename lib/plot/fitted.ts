/**
 * Actual versus fitted returns over time.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import {
  ACCENT,
  baseLayout,
  dateAxis,
  PALETTE,
  pct,
  percentTickFormat,
  valueAxis,
} from "./theme.ts";
import { finiteNumbers, optionalText, periodKeys } from "./validate.ts";

/** Input of {@link fittedChart}. */
export interface FittedChartInput {
  /** Period keys, "YYYY-MM" (monthly) or "YYYY-MM-DD" (daily), increasing. */
  periods: string[];
  /** The actual returns (decimals: 0.0123 is 1.23%). */
  actual: ArrayLike<number>;
  /** The model's fitted returns, one per period. */
  fitted: ArrayLike<number>;
  /** Chart title (default "Actual vs fitted excess returns"). */
  title?: string;
  /** Y-axis title (default "Excess return"). */
  yTitle?: string;
}

const CHART = "fittedChart";

/**
 * Actual and fitted (excess) returns over time, on a date axis, in percent. The subtitle gives
 * the number of periods, the date range and the root mean squared gap between the two lines;
 * hovering shows both values for a period.
 *
 * @param input Periods, actual and fitted returns of equal length; see {@link FittedChartInput}.
 * @returns The figure: trace 0 is the actual series, trace 1 the fitted one.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, or periods that are
 * malformed, mixed monthly/daily, or not increasing.
 *
 * @example
 * ```ts
 * import { fittedChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = fittedChart({
 *   periods: ["2010-02", "2010-03", "2010-04"],
 *   actual: [0.041, 0.072, 0.061],
 *   fitted: [0.038, 0.069, 0.057],
 * });
 * assert.deepEqual(fig.spec.data[1].y, [0.038, 0.069, 0.057]);
 * assert.equal((fig.spec.layout.xaxis as { type: string }).type, "date");
 * ```
 */
export function fittedChart(input: FittedChartInput): Figure {
  const { periods, kind } = periodKeys(CHART, "periods", input.periods);
  const of = { length: periods.length, of: "periods" };
  const actual = finiteNumbers(CHART, "actual", input.actual, of);
  const fitted = finiteNumbers(CHART, "fitted", input.fitted, of);
  const title = optionalText(CHART, "title", input.title) ?? "Actual vs fitted excess returns";
  const yTitle = optionalText(CHART, "yTitle", input.yTitle) ?? "Excess return";

  const n = periods.length;
  const markers = n <= 300;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (actual[i] - fitted[i]) ** 2;
  const rmse = Math.sqrt(ss / n);
  const unit = kind === "monthly" ? "months" : "days";
  const span = n > 1 ? `${periods[0]} to ${periods[n - 1]}` : periods[0];

  const data: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: markers ? "lines+markers" : "lines",
      name: "Actual",
      x: periods,
      y: actual,
      line: { color: PALETTE[0], width: 1.3 },
      marker: { size: 4 },
      zorder: 2,
      hovertemplate: "%{y:.2%}",
    },
    {
      type: "scatter",
      mode: "lines",
      name: "Fitted",
      x: periods,
      y: fitted,
      line: { color: ACCENT, width: 2.5 },
      opacity: 0.75,
      zorder: 1,
      hovertemplate: "%{y:.2%}",
    },
  ];
  const layout = baseLayout({
    title,
    subtitle: `${n} ${unit}, ${span} · root mean squared difference ${pct(rmse)}`,
    height: 420,
  });
  layout.xaxis = dateAxis(kind, periods);
  layout.yaxis = valueAxis(yTitle, { tickformat: percentTickFormat([...actual, ...fitted]) });
  layout.hovermode = "x unified";
  return chartFigure(data, layout, title);
}
