/**
 * Residual distribution: a histogram with the fitted normal density, and a normal QQ plot.
 *
 * @module
 */

import { kurtosis, skewness } from "../stats/diagnostics.ts";
import { normalPdf, normalPpf } from "../stats/distributions.ts";
import { chartFigure, type Figure } from "./figure.ts";
import {
  ACCENT,
  baseLayout,
  fixed,
  NEUTRAL,
  PALETTE,
  pct,
  percentTickFormat,
  valueAxis,
  withAlpha,
} from "./theme.ts";
import { fail, finiteNumbers, optionalText, periodKeys } from "./validate.ts";

/** Input of {@link residualChart}. */
export interface ResidualChartInput {
  /** The regression residuals (decimals, like the returns they come from). */
  resid: ArrayLike<number>;
  /** Chart title (default "Residuals"). */
  title?: string;
  /** Optional period keys of the residuals, shown when hovering over QQ points. */
  periods?: string[];
}

/** Histogram bins: left edges, common width, counts and densities (count / (n · width)). */
interface HistogramBins {
  /** Left edge of each bin. */
  edges: number[];
  /** The width of every bin. */
  width: number;
  /** Observations per bin; the last bin includes its right edge. */
  counts: number[];
  /** Probability density per bin: the bars' areas sum to 1. */
  density: number[];
}

const CHART = "residualChart";

/** Linear-interpolation quantile of sorted data (numpy's default). */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Equal-width bins chosen like numpy's `"auto"` rule: the narrower of the Freedman-Diaconis
 * width `2·IQR·n^(−1/3)` and the Sturges width `range / (log₂ n + 1)` (Sturges alone when the
 * IQR is zero), spanning the data's range.
 */
function histogramBins(values: number[]): HistogramBins {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const min = sorted[0];
  const max = sorted[n - 1];
  const range = max - min;
  if (!(range > 0)) {
    return { edges: [min - 0.5], width: 1, counts: [n], density: [1] };
  }
  const sturges = range / (Math.log2(n) + 1);
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  const fd = 2 * iqr / Math.cbrt(n);
  const target = fd > 0 ? Math.min(fd, sturges) : sturges;
  const bins = Math.max(1, Math.ceil(range / target));
  const width = range / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) {
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return {
    edges: counts.map((_, i) => min + i * width),
    width,
    counts,
    density: counts.map((c) => c / (n * width)),
  };
}

/**
 * Blom's plotting positions `(i − 3/8) / (n + 1/4)`, i = 1..n, mapped through the standard
 * normal quantile: the theoretical quantiles of a normal QQ plot (the positions R's `qqnorm`
 * uses for n ≤ 10, and close to the expected normal order statistics).
 */
function normalQuantiles(n: number): number[] {
  return Array.from({ length: n }, (_, k) => normalPpf((k + 1 - 0.375) / (n + 0.25)));
}

/**
 * Two panels on the residuals of a regression. Left: a histogram scaled to a probability
 * density (bins by numpy's "auto" rule) with the normal density of the same mean and standard
 * deviation (n − 1 denominator) drawn over it. Right: a normal QQ plot of the standardized
 * residuals `(e − mean) / sd`, sorted, against standard normal quantiles at Blom's plotting
 * positions `(i − 0.375) / (n + 0.25)`, with the 45° line they follow when the residuals are
 * normal. Fat tails bend the points away from the line at both ends. The subtitle gives n, the
 * standard deviation, skew and kurtosis (statsmodels' definitions: biased, kurtosis 3 for a
 * normal sample).
 *
 * Trace 0 is the histogram (bars at bin centres, `y` the densities), trace 1 the normal
 * curve, trace 2 the QQ points (`x` theoretical, `y` sample quantiles), trace 3 the 45° line.
 *
 * @param input The residuals (at least 3, not all equal); see {@link ResidualChartInput}.
 * @returns The figure.
 * @throws {PlotInputError} on fewer than 3 residuals, non-finite values, zero variance, or
 * `periods` of another length.
 *
 * @example
 * ```ts
 * import { residualChart } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = residualChart({ resid: [-0.02, -0.01, 0, 0.01, 0.02] });
 * const qq = fig.spec.data[2] as { x: number[]; y: number[] };
 * assert.equal(qq.x[2], 0); // the median's theoretical quantile
 * assert.ok(Math.abs(qq.x[4] - 1.1797611176118) < 1e-9); // Φ⁻¹(4.625 / 5.25)
 * ```
 */
export function residualChart(input: ResidualChartInput): Figure {
  const resid = finiteNumbers(CHART, "resid", input.resid);
  const n = resid.length;
  if (n < 3) fail(CHART, "resid", `"resid" has ${n} value(s); give at least 3 residuals`);
  const periods = input.periods === undefined
    ? undefined
    : periodKeys(CHART, "periods", input.periods).periods;
  if (periods && periods.length !== n) {
    fail(
      CHART,
      "periods",
      `"periods" has ${periods.length} value(s) but "resid" has ${n}; they must have the same length`,
    );
  }
  const title = optionalText(CHART, "title", input.title) ?? "Residuals";

  const mean = resid.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(resid.reduce((a, e) => a + (e - mean) ** 2, 0) / (n - 1));
  if (!(sd > 0) || sd <= 1e-14 * Math.max(1, Math.abs(mean))) {
    fail(CHART, "resid", `"resid" has zero variance (every residual is ${mean}); nothing to plot`);
  }

  // Histogram with the normal density over it.
  const bins = histogramBins(resid);
  const lo = Math.min(bins.edges[0], mean - 3.5 * sd);
  const hi = Math.max(bins.edges[bins.edges.length - 1] + bins.width, mean + 3.5 * sd);
  const curveX = Array.from({ length: 201 }, (_, k) => lo + (hi - lo) * k / 200);
  const curveY = curveX.map((x) => normalPdf((x - mean) / sd) / sd);

  // QQ plot: sorted standardized residuals against normal quantiles.
  const order = resid.map((_, i) => i).sort((a, b) => resid[a] - resid[b]);
  const theoretical = normalQuantiles(n);
  const sample = order.map((i) => (resid[i] - mean) / sd);
  // The 45° line spans both axes' ranges; each axis is padded around its own points.
  const xRange = padded(theoretical[0], theoretical[n - 1]);
  const yRange = padded(Math.min(sample[0], xRange[0]), Math.max(sample[n - 1], xRange[1]));
  const diagonal = [Math.min(xRange[0], yRange[0]), Math.max(xRange[1], yRange[1])];

  const color = PALETTE[0];
  const data: Record<string, unknown>[] = [
    {
      type: "bar",
      name: "Residuals",
      x: bins.edges.map((e) => e + bins.width / 2),
      y: bins.density,
      width: bins.width,
      marker: { color: withAlpha(color, 0.55), line: { color, width: 1 } },
      customdata: bins.edges.map((e, i) => [e, e + bins.width, bins.counts[i]]),
      hovertemplate: "[%{customdata[0]:.2%}, %{customdata[1]:.2%}]: %{customdata[2]} " +
        "residual(s)<br>density %{y:.2f}<extra></extra>",
      xaxis: "x",
      yaxis: "y",
    },
    {
      type: "scatter",
      mode: "lines",
      name: "Normal density",
      x: curveX,
      y: curveY,
      line: { color: ACCENT, width: 2 },
      hovertemplate: "%{x:.2%}: density %{y:.2f}<extra>normal</extra>",
      xaxis: "x",
      yaxis: "y",
    },
    {
      type: "scatter",
      mode: "markers",
      name: "Standardized residuals",
      x: theoretical,
      y: sample,
      marker: { color, size: n > 400 ? 4 : 6, opacity: 0.85 },
      customdata: order.map((i) => [resid[i], periods ? periods[i] : `#${i + 1}`]),
      hovertemplate: "%{customdata[1]}: residual %{customdata[0]:.2%}<br>" +
        "standardized %{y:.2f}, normal quantile %{x:.2f}<extra></extra>",
      xaxis: "x2",
      yaxis: "y2",
      showlegend: false,
    },
    {
      type: "scatter",
      mode: "lines",
      name: "45° line",
      x: diagonal,
      y: diagonal,
      line: { color: NEUTRAL, width: 1.5, dash: "dash" },
      hoverinfo: "skip",
      xaxis: "x2",
      yaxis: "y2",
      showlegend: false,
    },
  ];

  const layout = baseLayout({
    title,
    subtitle: `n = ${n} · sd ${pct(sd)} · skew ${fixed(skewness(resid))} · kurtosis ` +
      `${fixed(kurtosis(resid))} (normal: 0 and 3)`,
    height: 440,
    legend: false,
  });
  layout.margin = { ...(layout.margin as Record<string, number>), t: 100 };
  layout.xaxis = {
    ...valueAxis("Residual", { tickformat: percentTickFormat([lo, hi]), zeroline: false }),
    domain: [0, 0.46],
    anchor: "y",
  };
  layout.yaxis = { ...valueAxis("Density", { zeroline: false }), anchor: "x", rangemode: "tozero" };
  layout.xaxis2 = {
    ...valueAxis("Standard normal quantile", { zeroline: false }),
    domain: [0.56, 1],
    anchor: "y2",
    range: xRange,
  };
  layout.yaxis2 = {
    ...valueAxis("Standardized residual", { zeroline: false }),
    anchor: "x2",
    range: yRange,
  };
  layout.bargap = 0;
  layout.hovermode = "closest";
  layout.annotations = [
    panelTitle("Histogram and normal density", 0, "x domain"),
    panelTitle("Normal Q-Q plot", 0, "x2 domain"),
  ];
  return chartFigure(data, layout, title);
}

/** [lo, hi] widened by 6% of the span on each side. */
function padded(lo: number, hi: number): [number, number] {
  const pad = (hi - lo || 1) * 0.06;
  return [lo - pad, hi + pad];
}

function panelTitle(text: string, x: number, xref: string): Record<string, unknown> {
  return {
    text: `<b>${text}</b>`,
    x,
    xref,
    xanchor: "left",
    y: 1,
    yref: "paper",
    yanchor: "bottom",
    yshift: 6,
    showarrow: false,
    font: { size: 13 },
  };
}
