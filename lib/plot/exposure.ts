/**
 * Factor exposures: a bar per beta with its confidence interval.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import { baseLayout, categoryAxis, fixed, PALETTE, valueAxis, withAlpha } from "./theme.ts";
import { fail, finiteNumbers, labels, levelLabel, optionalText } from "./validate.ts";

/** Input of {@link exposureChart}. */
export interface ExposureChartInput {
  /** Factor names, one per bar (e.g. `["MKT_RF", "SMB", "HML"]`). */
  names: string[];
  /** The estimated exposures (betas), in the order of `names`. */
  betas: ArrayLike<number>;
  /** Lower confidence bounds, one per beta (≤ the beta). */
  lower: ArrayLike<number>;
  /** Upper confidence bounds, one per beta (≥ the beta). */
  upper: ArrayLike<number>;
  /** Confidence level of the intervals, for the labels (default 0.95). */
  level?: number;
  /** Chart title (default "Factor Exposures"). */
  title?: string;
  /** Y-axis title (default "Beta"). */
  yTitle?: string;
}

const CHART = "exposureChart";
/** Font size of the value labels, in px. */
const LABEL_FONT_SIZE = 12;
/**
 * Diameter of the invisible marker under each label, in px: plotly sets text off its point by
 * radius / 0.8 + 1 = 7.25 px, clear of the whisker cap (1.6 px thick).
 */
const LABEL_MARKER_SIZE = 10;
/**
 * Padding of the value axis beyond the intervals, as a share of their span. With the chart's
 * 420 px height, its margins and 40 px spare for tick labels, the plot area is at least ~250 px
 * high, so this leaves about 30 px: a label's offset (7.25 px) and its line (15 px).
 */
const LABEL_ROOM = 0.16;

/**
 * A bar chart of factor exposures with asymmetric confidence-interval error bars: the
 * tutorial's "Factor Exposures" bar chart, with the intervals that say which betas are
 * distinguishable from zero. Bars whose interval contains zero are drawn faded; each bar is
 * labelled with its value past the end of its whisker; the zero line is drawn; hovering shows
 * the beta and its interval.
 *
 * The spec's first trace is the bar trace: `y` holds the betas, `error_y.array` the distances
 * `upper − beta` and `error_y.arrayminus` the distances `beta − lower`.
 *
 * @param input Names, betas and interval bounds of equal length; see {@link ExposureChartInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, or bounds on the
 * wrong side of their beta.
 *
 * @example The tutorial's chart for AAPL
 * ```ts
 * import { exposureChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = exposureChart({
 *   names: ["MKT_RF", "SMB", "HML"],
 *   betas: [1.03, 0.32, -0.19],
 *   lower: [0.95, 0.18, -0.31],
 *   upper: [1.11, 0.46, -0.07],
 *   title: "Factor Exposures for AAPL",
 * });
 * const bars = fig.spec.data[0] as { y: number[]; error_y: { array: number[] } };
 * assert.deepEqual(bars.y, [1.03, 0.32, -0.19]);
 * assert.ok(Math.abs(bars.error_y.array[0] - 0.08) < 1e-12);
 * ```
 */
export function exposureChart(input: ExposureChartInput): Figure {
  const names = labels(CHART, "names", input.names);
  const of = { length: names.length, of: "names" };
  const betas = finiteNumbers(CHART, "betas", input.betas, of);
  const lower = finiteNumbers(CHART, "lower", input.lower, of);
  const upper = finiteNumbers(CHART, "upper", input.upper, of);
  for (let i = 0; i < names.length; i++) {
    if (lower[i] > betas[i]) {
      fail(CHART, "lower", `lower[${i}] (${lower[i]}) is above betas[${i}] (${betas[i]})`);
    }
    if (upper[i] < betas[i]) {
      fail(CHART, "upper", `upper[${i}] (${upper[i]}) is below betas[${i}] (${betas[i]})`);
    }
  }
  const levelText = levelLabel(CHART, input.level ?? 0.95);
  const title = optionalText(CHART, "title", input.title) ?? "Factor Exposures";
  const yTitle = optionalText(CHART, "yTitle", input.yTitle) ?? "Beta";

  const color = PALETTE[0];
  const includesZero = names.map((_, i) => lower[i] <= 0 && upper[i] >= 0);
  const bars: Record<string, unknown> = {
    type: "bar",
    name: yTitle,
    x: names,
    y: betas,
    error_y: {
      type: "data",
      symmetric: false,
      array: names.map((_, i) => upper[i] - betas[i]),
      arrayminus: names.map((_, i) => betas[i] - lower[i]),
      color: withAlpha("#808080", 0.95),
      thickness: 1.6,
      width: 10,
    },
    marker: {
      color: includesZero.map((z) => (z ? withAlpha(color, 0.35) : color)),
      line: { color, width: 1.5 },
    },
    customdata: names.map((_, i) => [lower[i], upper[i]]),
    hovertemplate: `<b>%{x}</b><br>${yTitle} %{y:.3f}<br>${levelText} CI ` +
      `[%{customdata[0]:.3f}, %{customdata[1]:.3f}]<extra></extra>`,
  };
  // Value labels sit past the end of each whisker, away from zero: above the upper end of a
  // positive bar's interval, below the lower end of a negative one. plotly offsets text from its
  // point by the marker's radius (radius / 0.8 + 1 px), in pixels whatever the axis scale, so an
  // invisible marker keeps every label clear of its whisker's cap.
  const labelTrace: Record<string, unknown> = {
    type: "scatter",
    mode: "markers+text",
    name: "values",
    x: names,
    y: names.map((_, i) => (betas[i] >= 0 ? upper[i] : lower[i])),
    text: betas.map((b) => fixed(b, 2)),
    textposition: betas.map((b) => (b >= 0 ? "top center" : "bottom center")),
    textfont: { size: LABEL_FONT_SIZE },
    marker: { size: LABEL_MARKER_SIZE, opacity: 0 },
    hoverinfo: "skip",
    cliponaxis: false,
    showlegend: false,
  };

  // Room for the labels beyond the whiskers: a label takes its offset plus a line of text.
  const lo = Math.min(0, ...lower);
  const hi = Math.max(0, ...upper);
  const pad = (hi - lo || 1) * LABEL_ROOM;
  const significant = includesZero.some((z) => z)
    ? ` · faded: interval includes 0`
    : ` · every interval excludes 0`;
  const layout = baseLayout({
    title,
    subtitle: `Bars: estimates · whiskers: ${levelText} confidence intervals${significant}`,
    height: 420,
    legend: false,
  });
  layout.xaxis = categoryAxis();
  layout.yaxis = valueAxis(yTitle, { tickformat: ".2f", hoverformat: ".3f" });
  (layout.yaxis as Record<string, unknown>).range = [lo - (lo < 0 ? pad : 0), hi + pad];
  layout.bargap = names.length > 2 ? 0.45 : 0.6;
  layout.hovermode = "closest";
  return chartFigure([bars, labelTrace], layout, title);
}
