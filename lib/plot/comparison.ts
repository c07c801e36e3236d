/**
 * Exposures of many assets side by side: grouped bars (with confidence intervals) for a handful
 * of assets, a heatmap for many.
 *
 * @module
 */

import { chartFigure, type Figure } from "./figure.ts";
import { ACCENT, baseLayout, categoryAxis, fixed, PALETTE, valueAxis, withAlpha } from "./theme.ts";
import { fail, finiteNumbers, labels, levelLabel, optionalText } from "./validate.ts";

/** Input of {@link exposureComparisonChart}. */
export interface ExposureComparisonInput {
  /** Asset names, one per row of `betas`. */
  assets: string[];
  /** Factor names, one per value in each row. */
  factors: string[];
  /** One row per asset: its exposure to each factor, in the order of `factors`. */
  betas: ArrayLike<number>[];
  /** Lower confidence bounds, same shape as `betas` (with `upper`). */
  lower?: ArrayLike<number>[];
  /** Upper confidence bounds, same shape as `betas` (with `lower`). */
  upper?: ArrayLike<number>[];
  /** Confidence level of the bounds, for the labels (default 0.95). */
  level?: number;
  /**
   * Bars grouped by factor (one colour per asset) or by asset (one colour per factor). Default:
   * by factor for up to 8 assets, by asset for more.
   */
  groupBy?: "factor" | "asset";
  /** Chart title (default "Factor exposures by asset"). */
  title?: string;
  /** Y-axis title (default "Beta"). */
  yTitle?: string;
}

/** Input of {@link exposureHeatmap}. */
export interface ExposureHeatmapInput {
  /** Asset names, one per row (drawn top to bottom). */
  assets: string[];
  /** Factor names, one per column. */
  factors: string[];
  /** One row per asset: its exposure to each factor. */
  values: ArrayLike<number>[];
  /** p-values of the exposures, same shape: cells with p below `significance` get a star. */
  pvalues?: ArrayLike<number>[];
  /** @deprecated Use `pvalues`; this name goes in 0.2.0. */
  pValues?: ArrayLike<number>[];
  /** Significance level for the stars (default 0.05). */
  significance?: number;
  /** Chart title (default "Factor exposures by asset"). */
  title?: string;
  /** Colour-bar title (default "Beta"). */
  colorTitle?: string;
}

const BARS = "exposureComparisonChart";
const HEAT = "exposureHeatmap";

/** Rows of numbers, one per asset, each with one value per factor. */
function grid(
  chart: string,
  field: string,
  rows: ArrayLike<number>[] | undefined,
  assets: string[],
  factors: string[],
): number[][] {
  if (!Array.isArray(rows)) {
    fail(chart, field, `"${field}" must be an array with one row per asset, got ${typeof rows}`);
  }
  if (rows.length !== assets.length) {
    fail(
      chart,
      field,
      `"${field}" has ${rows.length} row(s) but "assets" has ${assets.length}; give one row ` +
        "per asset",
    );
  }
  return rows.map((row, i) =>
    finiteNumbers(chart, `${field}[${i}]`, row, { length: factors.length, of: "factors" })
  );
}

/**
 * Grouped bars comparing the factor exposures of several assets, with the confidence intervals
 * as error bars when `lower` and `upper` are given. Grouped by factor, each factor is a cluster
 * with one bar per asset, which answers "who has the most value exposure?"; grouped by asset,
 * each asset is a cluster with one bar per factor.
 *
 * The spec has one bar trace per series (asset or factor, in input order); `error_y.array` holds
 * `upper − beta` and `error_y.arrayminus` `beta − lower`.
 *
 * @param input Assets, factors and a row of betas per asset; see {@link ExposureComparisonInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, only one of the
 * bounds, or a bound on the wrong side of its beta.
 *
 * @example Two ETFs on three factors
 * ```ts
 * import { exposureComparisonChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = exposureComparisonChart({
 *   assets: ["VBR", "SPY"],
 *   factors: ["MKT_RF", "SMB", "HML"],
 *   betas: [[1.01, 0.56, 0.40], [0.99, -0.15, 0.02]],
 * });
 * const [vbr, spy] = fig.spec.data as { name: string; x: string[]; y: number[] }[];
 * assert.deepEqual([vbr.name, spy.name], ["VBR", "SPY"]);
 * assert.deepEqual(spy.x, ["MKT_RF", "SMB", "HML"]);
 * assert.deepEqual(spy.y, [0.99, -0.15, 0.02]);
 * ```
 */
export function exposureComparisonChart(input: ExposureComparisonInput): Figure {
  const assets = labels(BARS, "assets", input.assets);
  const factors = labels(BARS, "factors", input.factors);
  const betas = grid(BARS, "betas", input.betas, assets, factors);
  if ((input.lower === undefined) !== (input.upper === undefined)) {
    fail(
      BARS,
      input.lower === undefined ? "lower" : "upper",
      "give both lower and upper, or neither",
    );
  }
  const lower = input.lower && grid(BARS, "lower", input.lower, assets, factors);
  const upper = input.upper && grid(BARS, "upper", input.upper, assets, factors);
  if (lower && upper) {
    betas.forEach((row, i) =>
      row.forEach((b, j) => {
        if (lower[i][j] > b) {
          fail(
            BARS,
            "lower",
            `lower[${i}][${j}] (${lower[i][j]}) is above betas[${i}][${j}] (${b})`,
          );
        }
        if (upper[i][j] < b) {
          fail(
            BARS,
            "upper",
            `upper[${i}][${j}] (${upper[i][j]}) is below betas[${i}][${j}] (${b})`,
          );
        }
      })
    );
  }
  const levelText = levelLabel(BARS, input.level ?? 0.95);
  const groupBy = input.groupBy ?? (assets.length <= 8 ? "factor" : "asset");
  if (groupBy !== "factor" && groupBy !== "asset") {
    fail(BARS, "groupBy", `"groupBy" must be "factor" or "asset", got ${String(groupBy)}`);
  }
  const title = optionalText(BARS, "title", input.title) ?? "Factor exposures by asset";
  const yTitle = optionalText(BARS, "yTitle", input.yTitle) ?? "Beta";

  // Series are the bars of one colour; categories are the clusters along the x axis.
  const byFactor = groupBy === "factor";
  const series = byFactor ? assets : factors;
  const categories = byFactor ? factors : assets;
  const at = (s: number, c: number): [number, number] => (byFactor ? [s, c] : [c, s]);
  const data = series.map((name, s) => {
    const color = PALETTE[s % PALETTE.length];
    const y = categories.map((_, c) => betas[at(s, c)[0]][at(s, c)[1]]);
    const trace: Record<string, unknown> = {
      type: "bar",
      name,
      x: categories,
      y,
      marker: { color, line: { color, width: 1 } },
      hovertemplate: `<b>${escapeTemplate(name)}</b> · %{x}<br>${yTitle} %{y:.3f}<extra></extra>`,
    };
    if (lower && upper) {
      const lo = categories.map((_, c) => lower[at(s, c)[0]][at(s, c)[1]]);
      const hi = categories.map((_, c) => upper[at(s, c)[0]][at(s, c)[1]]);
      trace.error_y = {
        type: "data",
        symmetric: false,
        array: hi.map((h, c) => h - y[c]),
        arrayminus: lo.map((l, c) => y[c] - l),
        color: withAlpha("#808080", 0.95),
        thickness: 1.3,
        width: series.length > 4 ? 3 : 6,
      };
      trace.customdata = categories.map((_, c) => [lo[c], hi[c]]);
      trace.hovertemplate = `<b>${escapeTemplate(name)}</b> · %{x}<br>${yTitle} %{y:.3f}<br>` +
        `${levelText} CI [%{customdata[0]:.3f}, %{customdata[1]:.3f}]<extra></extra>`;
    }
    return trace;
  });

  const layout = baseLayout({
    title,
    subtitle: lower
      ? `Bars: estimates · whiskers: ${levelText} confidence intervals`
      : "Bars: estimates",
    height: 440,
  });
  layout.xaxis = categoryAxis();
  layout.yaxis = valueAxis(yTitle, { tickformat: ".2f", hoverformat: ".3f" });
  layout.barmode = "group";
  layout.bargap = 0.25;
  layout.bargroupgap = 0.05;
  layout.hovermode = "closest";
  return chartFigure(data, layout, title);
}

/**
 * A heatmap of factor exposures: one row per asset (top to bottom in input order), one column
 * per factor, each cell coloured by its value on a diverging scale centred at zero and labelled
 * with it; with p-values, cells significant at `significance` get a star and hovering shows the
 * p-value. Suits many assets, such as the 25 size/book-to-market portfolios.
 *
 * The spec's only trace is the heatmap: `z` holds the values row by row, `text` the labels.
 *
 * @param input Assets, factors, values and optional p-values; see {@link ExposureHeatmapInput}.
 * @returns The figure.
 * @throws {PlotInputError} on empty or mismatched inputs, non-finite values, or p-values outside
 * [0, 1].
 *
 * @example
 * ```ts
 * import { exposureHeatmap } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = exposureHeatmap({
 *   assets: ["Small value", "Big growth"],
 *   factors: ["MKT_RF", "SMB", "HML"],
 *   values: [[1.05, 1.02, 0.78], [0.97, -0.24, -0.31]],
 *   pvalues: [[0, 0, 0], [0, 1e-9, 0.2]],
 * });
 * const heat = fig.spec.data[0] as { z: number[][]; text: string[][]; zmid: number };
 * assert.deepEqual(heat.z[1], [0.97, -0.24, -0.31]);
 * assert.equal(heat.text[1][2], "−0.31");
 * assert.equal(heat.text[1][1], "−0.24*");
 * assert.equal(heat.zmid, 0);
 * ```
 */
export function exposureHeatmap(input: ExposureHeatmapInput): Figure {
  const assets = labels(HEAT, "assets", input.assets);
  const factors = labels(HEAT, "factors", input.factors);
  const values = grid(HEAT, "values", input.values, assets, factors);
  const given = input.pvalues ?? input.pValues;
  const field = input.pvalues === undefined ? "pValues" : "pvalues";
  const pvalues = given && grid(HEAT, field, given, assets, factors);
  pvalues?.forEach((row, i) =>
    row.forEach((p, j) => {
      if (p < 0 || p > 1) fail(HEAT, field, `${field}[${i}][${j}] is ${p}, not in [0, 1]`);
    })
  );
  const significance = input.significance ?? 0.05;
  if (typeof significance !== "number" || !(significance > 0 && significance < 1)) {
    fail(
      HEAT,
      "significance",
      `"significance" must be in (0, 1) such as 0.05, got ${significance}`,
    );
  }
  const title = optionalText(HEAT, "title", input.title) ?? "Factor exposures by asset";
  const colorTitle = optionalText(HEAT, "colorTitle", input.colorTitle) ?? "Beta";
  const span = Math.max(...values.flat().map(Math.abs)) || 1;
  const text = values.map((row, i) =>
    row.map((v, j) => fixed(v, 2) + (pvalues && pvalues[i][j] < significance ? "*" : ""))
  );
  const heat: Record<string, unknown> = {
    type: "heatmap",
    x: factors,
    y: assets,
    z: values,
    text,
    texttemplate: "%{text}",
    textfont: { size: assets.length > 30 ? 9 : 11 },
    zmid: 0,
    zmin: -span,
    zmax: span,
    colorscale: [
      [0, PALETTE[0]],
      [0.5, "rgba(128,128,128,0.10)"],
      [1, ACCENT],
    ],
    xgap: 2,
    ygap: 2,
    colorbar: {
      title: { text: colorTitle },
      outlinewidth: 0,
      tickformat: ".2f",
      thickness: 14,
    },
    hovertemplate: `<b>%{y}</b> · %{x}<br>${colorTitle} %{z:.3f}` +
      (pvalues ? "<br>p-value %{customdata:.3g}" : "") + "<extra></extra>",
  };
  if (pvalues) heat.customdata = pvalues;
  const layout = baseLayout({
    title,
    subtitle: pvalues
      ? `Cells: estimates · * significant at ${+(significance * 100).toFixed(2)}%`
      : "Cells: estimates",
    height: Math.max(340, 176 + 26 * assets.length),
    legend: false,
  });
  // Factor names sit above the cells, between the subtitle and the plot area.
  const margin = layout.margin as { t: number };
  margin.t += 26;
  layout.xaxis = { ...categoryAxis(), side: "top", showline: false };
  layout.yaxis = { ...categoryAxis(), autorange: "reversed", showline: false };
  return chartFigure([heat], layout, title);
}

/** Keeps `%{` in user text from being read as a plotly template. */
function escapeTemplate(text: string): string {
  return text.replace(/%\{/g, "%\u200b{");
}
