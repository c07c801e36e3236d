/**
 * Figures of a factor analysis as plotly specs (plain JSON) that display themselves in Deno's
 * Jupyter kernel and save as standalone HTML, with no network: plotly.js comes from the pinned
 * `plotly.js-dist-min` npm package, inlined in standalone HTML and sent to a notebook once per
 * kernel, in pieces of under 512 KB (see {@link setPlotlyInlining}).
 *
 * - {@link exposureChart}: betas with confidence-interval error bars.
 * - {@link fittedChart}: actual versus fitted returns over time.
 * - {@link residualChart}: residual histogram with the normal density, and a normal QQ plot.
 * - {@link regressionScatterChart}: one regressor against the returns, the fitted line and the
 *   residuals least squares minimises.
 * - {@link attributionChart}: cumulative return attribution, stacked, with the total.
 * - {@link rollingBetasChart}: rolling estimates with confidence bands.
 * - {@link exposureComparisonChart} and {@link exposureHeatmap}: exposures of many assets side by
 *   side, as grouped bars or a heatmap.
 * - {@link riskDecompositionChart}: a portfolio's variance split into factor contributions and
 *   specific risk.
 *
 * Every chart builder takes plain arrays (numbers as decimals, periods as "YYYY-MM" or
 * "YYYY-MM-DD") and returns a {@link Figure}; its `spec` can be edited before display. The
 * look works on light and dark notebook themes: transparent backgrounds, neutral grids, and
 * text in the page's colour when drawn by the figure's own HTML.
 *
 * @example The tutorial's exposure chart, displayed by ending a notebook cell with `fig`
 * ```ts
 * import { exposureChart } from "./mod.ts";
 *
 * const fig = exposureChart({
 *   names: ["MKT_RF", "SMB", "HML"],
 *   betas: [1.0136, 0.5574, 0.403],
 *   lower: [0.9811, 0.4961, 0.3547],
 *   upper: [1.0461, 0.6187, 0.4513],
 *   title: "Factor Exposures for VBR",
 * });
 * console.log(String(fig)); // Figure "Factor Exposures for VBR" (plotly, 2 traces: 1 bar, 1 scatter)
 * ```
 *
 * @module
 */

export { Figure, type PlotlyInlining, type PlotlySpec, setPlotlyInlining } from "./figure.ts";
export { plotlyScriptTag } from "./plotly_js.ts";
export { HtmlPage, htmlPage, type PageBlock } from "./page.ts";
export { PlotInputError } from "./validate.ts";
export { exposureChart, type ExposureChartInput } from "./exposure.ts";
export { fittedChart, type FittedChartInput } from "./fitted.ts";
export { residualChart, type ResidualChartInput } from "./residual.ts";
export { regressionScatterChart, type RegressionScatterInput } from "./scatter.ts";
export { attributionChart, type AttributionChartInput } from "./attribution.ts";
export { rollingBetasChart, type RollingBetasChartInput, type RollingSeries } from "./rolling.ts";
export { riskDecompositionChart, type RiskDecompositionChartInput } from "./risk.ts";
export {
  exposureComparisonChart,
  type ExposureComparisonInput,
  exposureHeatmap,
  type ExposureHeatmapInput,
} from "./comparison.ts";
