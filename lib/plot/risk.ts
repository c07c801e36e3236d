/**
 * Portfolio risk decomposition: how the variance of a portfolio splits into each factor's
 * contribution and the specific (idiosyncratic) part, as a waterfall of shares.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import {
  ACCENT,
  baseLayout,
  categoryAxis,
  NEUTRAL,
  PALETTE,
  pct,
  percentTickFormat,
  valueAxis,
  withAlpha,
} from "./theme.ts";
import { fail, finiteNumbers, labels, optionalText } from "./validate.ts";

/** Input of {@link riskDecompositionChart}. */
export interface RiskDecompositionChartInput {
  /** Factor names, one per contribution (e.g. `["MKT_RF", "SMB", "HML"]`). */
  names: string[];
  /**
   * Each factor's contribution to the portfolio's variance (Euler: exposure × (F · exposures)),
   * in variance units; negative when the factor offsets others. They add up to the common part.
   */
  contributions: ArrayLike<number>;
  /** The specific (idiosyncratic) variance, Σ w² s² (≥ 0). */
  specific: number;
  /**
   * Periods per year (12, 52, 252) to state the annualized volatility in the subtitle; without
   * it the volatility is given per period.
   */
  periodsPerYear?: number;
  /** Chart title (default "Portfolio risk decomposition"). */
  title?: string;
}

const CHART = "riskDecompositionChart";

/**
 * A waterfall of the portfolio's variance in shares of the total: one step per factor
 * contribution (up, or down for a negative contribution), a "Common" bar for their sum, a
 * "Specific" step, and the "Total" bar at 100%. Each bar is labelled with its share; hovering
 * shows the contribution in variance units. The subtitle gives the total volatility and the
 * common/specific split.
 *
 * Trace 0 is the bars: `x` holds the names followed by "Common", "Specific", "Total", `y` the
 * signed shares and `base` where each bar starts.
 *
 * @param input Factor names and contributions, and the specific variance; see
 * {@link RiskDecompositionChartInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, a negative
 * specific variance, or a total variance that is not positive.
 *
 * @example
 * ```ts
 * import { riskDecompositionChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = riskDecompositionChart({
 *   names: ["MKT_RF", "SMB"],
 *   contributions: [0.0016, 0.0002],
 *   specific: 0.0002,
 *   periodsPerYear: 12,
 * });
 * const bars = fig.spec.data[0] as { x: string[]; y: number[] };
 * assert.deepEqual(bars.x, ["MKT_RF", "SMB", "Common", "Specific", "Total"]);
 * assert.ok(Math.abs(bars.y[2] - 0.9) < 1e-12); // common factors: 90% of the variance
 * ```
 */
export function riskDecompositionChart(input: RiskDecompositionChartInput): Figure {
  const names = labels(CHART, "names", input.names);
  const contributions = finiteNumbers(CHART, "contributions", input.contributions, {
    length: names.length,
    of: "names",
  });
  const specific = input.specific;
  if (typeof specific !== "number" || !Number.isFinite(specific) || specific < 0) {
    fail(CHART, "specific", `"specific" must be a finite variance ≥ 0, got ${specific}`);
  }
  const reserved = names.find((n) => ["Common", "Specific", "Total"].includes(n));
  if (reserved) fail(CHART, "names", `"${reserved}" is the name of a summary bar; rename it`);
  const periodsPerYear = input.periodsPerYear;
  if (
    periodsPerYear !== undefined &&
    (typeof periodsPerYear !== "number" || !(periodsPerYear > 0) || !isFinite(periodsPerYear))
  ) {
    fail(CHART, "periodsPerYear", `"periodsPerYear" must be a positive number such as 12`);
  }
  const common = contributions.reduce((s, c) => s + c, 0);
  const total = common + specific;
  if (!(total > 0)) {
    fail(
      CHART,
      "contributions",
      `the total variance (common ${common} + specific ${specific}) must be positive`,
    );
  }
  const title = optionalText(CHART, "title", input.title) ?? "Portfolio risk decomposition";

  const shares = contributions.map((c) => c / total);
  const x = [...names, "Common", "Specific", "Total"];
  const commonShare = common / total;
  const specificShare = specific / total;
  const y = [...shares, commonShare, specificShare, 1];
  // Each factor's bar starts where the previous one ended; the summary bars start at 0 or common.
  const base = [0];
  for (const s of shares.slice(0, -1)) base.push(base[base.length - 1] + s);
  base.push(0, commonShare, 0);
  const variances = [...contributions, common, specific, total];
  const colors = [
    ...names.map((_, i) => PALETTE[i % PALETTE.length]),
    withAlpha(PALETTE[0], 0.45),
    NEUTRAL,
    ACCENT,
  ];
  const bars: Record<string, unknown> = {
    type: "bar",
    name: "Share of variance",
    x,
    y,
    base,
    marker: { color: colors, line: { color: colors, width: 1 } },
    text: y.map((v) => pct(v, 1)),
    textposition: "outside",
    cliponaxis: false,
    customdata: variances,
    hovertemplate: "<b>%{x}</b><br>%{y:.1%} of the variance<br>variance %{customdata:.3e}" +
      "<extra></extra>",
  };
  // Steps are joined by dotted connectors, as in a waterfall.
  const connectors: Record<string, unknown> = {
    type: "scatter",
    mode: "lines",
    name: "steps",
    x: x.flatMap((name, i) => (i < x.length - 1 ? [name, x[i + 1], null] : [])),
    y: x.flatMap((_, i) => {
      if (i >= x.length - 1) return [];
      const top = i < names.length ? base[i] + y[i] : i === names.length ? commonShare : 1;
      return [top, top, null];
    }),
    line: { color: withAlpha("#808080", 0.7), width: 1, dash: "dot" },
    hoverinfo: "skip",
    showlegend: false,
  };

  const volatility = Math.sqrt(total);
  const volText = periodsPerYear === undefined
    ? `volatility ${pct(volatility)} per period`
    : `annualized volatility ${pct(volatility * Math.sqrt(periodsPerYear))}`;
  const layout = baseLayout({
    title,
    subtitle: `Shares of the portfolio's variance · ${volText}<br>common factors ` +
      `${pct(commonShare, 1)} · specific ${pct(specificShare, 1)}`,
    height: 440,
    legend: false,
  });
  const extremes = [0, 1, ...base, ...y.map((v, i) => base[i] + v)];
  const lo = Math.min(...extremes);
  const hi = Math.max(...extremes);
  const pad = (hi - lo) * 0.1;
  layout.xaxis = categoryAxis();
  layout.yaxis = valueAxis("Share of variance", {
    tickformat: percentTickFormat(extremes),
    hoverformat: ".1%",
  });
  (layout.yaxis as Record<string, unknown>).range = [lo - (lo < 0 ? pad : 0), hi + pad];
  layout.bargap = 0.35;
  layout.hovermode = "closest";
  return chartFigure([bars, connectors], layout, title);
}
