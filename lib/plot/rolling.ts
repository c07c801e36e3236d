/**
 * Rolling estimates over time with shaded confidence bands.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import { baseLayout, dateAxis, PALETTE, valueAxis, withAlpha } from "./theme.ts";
import { fail, labels, levelLabel, nullableNumbers, optionalText, periodKeys } from "./validate.ts";

/** One line of {@link rollingBetasChart}: estimates per period, and optionally their bands. */
export interface RollingSeries {
  /** The legend name (e.g. "MKT_RF"). */
  name: string;
  /** The estimate per period; null where there is none (a gap in the line). */
  values: ArrayLike<number | null>;
  /** Lower band per period (with `upper`); null leaves a gap in the band. */
  lower?: ArrayLike<number | null>;
  /** Upper band per period (with `lower`). */
  upper?: ArrayLike<number | null>;
}

/** Input of {@link rollingBetasChart}. */
export interface RollingBetasChartInput {
  /** Period keys, "YYYY-MM" (monthly) or "YYYY-MM-DD" (daily), increasing. */
  periods: string[];
  /** The series to draw, one line each. */
  series: RollingSeries[];
  /** Confidence level of the bands, for the labels (e.g. 0.95). */
  level?: number;
  /** Chart title (default "Rolling betas"). */
  title?: string;
  /** Y-axis title (default "Beta"). */
  yTitle?: string;
}

const CHART = "rollingBetasChart";

/**
 * The band as one polygon per run of periods where both bounds exist: along the upper bound,
 * back along the lower one, with null between runs so each closes on its own.
 */
function bandPolygon(
  periods: string[],
  lower: (number | null)[],
  upper: (number | null)[],
): { x: (string | null)[]; y: (number | null)[] } {
  const x: (string | null)[] = [];
  const y: (number | null)[] = [];
  let t = 0;
  while (t < periods.length) {
    if (lower[t] === null || upper[t] === null) {
      t++;
      continue;
    }
    const start = t;
    while (t < periods.length && lower[t] !== null && upper[t] !== null) t++;
    if (x.length) {
      x.push(null);
      y.push(null);
    }
    for (let i = start; i < t; i++) {
      x.push(periods[i]);
      y.push(upper[i]);
    }
    for (let i = t - 1; i >= start; i--) {
      x.push(periods[i]);
      y.push(lower[i]);
    }
  }
  return { x, y };
}

/**
 * Estimates over time (rolling-window betas, for example): a line per series with its
 * confidence band shaded behind it. Nulls leave gaps in lines and bands (the first window − 1
 * periods of a rolling regression have no estimate). Clicking a legend entry hides a series
 * with its band; hovering shows every series' estimate and interval for a period.
 *
 * For each series with bands the spec has a band trace (`fill: "toself"`, one closed polygon per
 * run of periods with both bounds) followed by the line trace (`y` the values, nulls kept).
 *
 * @param input Periods and series of the same length; see {@link RollingBetasChartInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite numbers, a series with
 * only one of `lower`/`upper`, a lower bound above its upper bound, or malformed periods.
 *
 * @example
 * ```ts
 * import { rollingBetasChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = rollingBetasChart({
 *   periods: ["2020-01", "2020-02", "2020-03", "2020-04"],
 *   series: [{
 *     name: "MKT_RF",
 *     values: [null, 1.02, 0.98, 1.05],
 *     lower: [null, 0.9, 0.85, 0.93],
 *     upper: [null, 1.14, 1.11, 1.17],
 *   }],
 *   level: 0.95,
 * });
 * const [band, line] = fig.spec.data as { y: (number | null)[] }[];
 * assert.deepEqual(line.y, [null, 1.02, 0.98, 1.05]);
 * assert.deepEqual(band.y, [1.14, 1.11, 1.17, 0.93, 0.85, 0.9]);
 * ```
 */
export function rollingBetasChart(input: RollingBetasChartInput): Figure {
  const { periods, kind } = periodKeys(CHART, "periods", input.periods);
  const of = { length: periods.length, of: "periods" };
  if (!Array.isArray(input.series) || input.series.length === 0) {
    fail(CHART, "series", `"series" must be a non-empty array of { name, values, lower?, upper? }`);
  }
  const names = labels(CHART, "series[].name", input.series.map((s) => s?.name));
  const title = optionalText(CHART, "title", input.title) ?? "Rolling betas";
  const yTitle = optionalText(CHART, "yTitle", input.yTitle) ?? "Beta";
  const levelText = input.level === undefined ? "" : `${levelLabel(CHART, input.level)} `;

  const data: Record<string, unknown>[] = [];
  let anyBand = false;
  input.series.forEach((s, k) => {
    const field = `series[${k}]`;
    const values = nullableNumbers(CHART, `${field}.values`, s.values, of);
    if ((s.lower === undefined) !== (s.upper === undefined)) {
      fail(CHART, `${field}.lower`, `${field} ("${names[k]}") has only one of lower/upper`);
    }
    const color = PALETTE[k % PALETTE.length];
    let customdata: (number | null)[][] | undefined;
    if (s.lower !== undefined && s.upper !== undefined) {
      const lower = nullableNumbers(CHART, `${field}.lower`, s.lower, of);
      const upper = nullableNumbers(CHART, `${field}.upper`, s.upper, of);
      lower.forEach((lo, t) => {
        const hi = upper[t];
        if (lo !== null && hi !== null && lo > hi) {
          fail(
            CHART,
            `${field}.lower`,
            `${field}.lower[${t}] (${lo}) is above ${field}.upper[${t}] (${hi})`,
          );
        }
      });
      const band = bandPolygon(periods, lower, upper);
      if (band.x.length) {
        anyBand = true;
        data.push({
          type: "scatter",
          mode: "lines",
          name: `${names[k]} ${levelText}band`,
          x: band.x,
          y: band.y,
          fill: "toself",
          fillcolor: withAlpha(color, 0.2),
          line: { width: 0, color },
          hoverinfo: "skip",
          legendgroup: names[k],
          showlegend: false,
        });
      }
      customdata = periods.map((_, t) => [lower[t], upper[t]]);
    }
    data.push({
      type: "scatter",
      mode: "lines",
      name: names[k],
      x: periods,
      y: values,
      connectgaps: false,
      line: { color, width: 2 },
      legendgroup: names[k],
      ...(customdata
        ? {
          customdata,
          hovertemplate: `%{y:.3f} [%{customdata[0]:.3f}, %{customdata[1]:.3f}]`,
        }
        : { hovertemplate: "%{y:.3f}" }),
    });
  });

  const layout = baseLayout({
    title,
    subtitle: anyBand ? `Lines: estimates · shaded: ${levelText}confidence bands` : undefined,
    height: 420,
  });
  layout.xaxis = dateAxis(kind, periods);
  layout.yaxis = valueAxis(yTitle, { tickformat: ".2f" });
  layout.hovermode = "x unified";
  return chartFigure(data, layout, title);
}
