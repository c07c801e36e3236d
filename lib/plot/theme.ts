/**
 * The look shared by every chart: transparent backgrounds and neutral greys that read on light
 * and dark notebook themes, a colour palette of mid-luminance hues (legible on both), left-aligned
 * titles with a subtitle line, and number formats (returns in %, betas to 2–3 decimals).
 *
 * The static font colour is a mid grey; when a figure is drawn by its own HTML (see
 * `figure.ts`) the text takes the colour of the surrounding page instead, so a dark notebook
 * theme gets light text.
 *
 * @module
 */

import type { PeriodKind } from "./validate.ts";

/** Mid-luminance colours that stay distinct on white and on near-black backgrounds. */
export const PALETTE: readonly string[] = [
  "#4C78A8", // blue
  "#F58518", // orange
  "#54A24B", // green
  "#72B7B2", // teal
  "#B279A2", // purple
  "#EECA3B", // yellow
  "#9D755D", // brown
  "#FF9DA6", // pink
];

/** A colour kept apart from {@link PALETTE} for totals and highlights. */
export const ACCENT = "#E45756";

/** The neutral used for residual-like components and reference lines. */
export const NEUTRAL = "#8C8C8C";

/**
 * The font colour written into specs. The HTML renderer recognises it and swaps in the page's
 * text colour; any other colour set by a user is kept.
 */
export const THEME_FONT_COLOR = "#7A7A7A";

const GRID = "rgba(128,128,128,0.22)";
const AXIS_LINE = "rgba(128,128,128,0.55)";
const ZERO_LINE = "rgba(128,128,128,0.8)";

/** `#RRGGBB` with an alpha, as an `rgba()` string. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * The layout every chart starts from. The title block is pinned to the top of the figure
 * (title, then the subtitle lines, then the legend in a row above the plot area); the top
 * margin grows with what it holds.
 */
export function baseLayout(
  options: { title: string; subtitle?: string; height?: number; legend?: boolean },
): Record<string, unknown> {
  const legend = options.legend ?? true;
  const subtitleLines = options.subtitle ? options.subtitle.split("<br>").length : 0;
  const title: Record<string, unknown> = {
    text: options.title,
    x: 0,
    xref: "paper",
    xanchor: "left",
    y: 1,
    yref: "container",
    yanchor: "top",
    pad: { t: 12 },
    font: { size: 17 },
  };
  if (options.subtitle) title.subtitle = { text: options.subtitle, font: { size: 12 } };
  const top = 12 + 30 + 17 * subtitleLines + (legend ? 34 : 12);
  return {
    title,
    height: options.height ?? 440,
    autosize: true,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: {
      family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      size: 13,
      color: THEME_FONT_COLOR,
    },
    colorway: [...PALETTE],
    margin: { l: 70, r: 24, t: top, b: 56 },
    showlegend: legend,
    legend: {
      orientation: "h",
      x: 0,
      xanchor: "left",
      y: 1.02,
      yanchor: "bottom",
      bgcolor: "rgba(0,0,0,0)",
    },
    modebar: {
      bgcolor: "rgba(0,0,0,0)",
      color: "rgba(128,128,128,0.75)",
      activecolor: "rgba(128,128,128,1)",
    },
    hoverlabel: {
      bgcolor: "rgba(255,255,255,0.96)",
      bordercolor: "rgba(128,128,128,0.6)",
      font: { color: "#1f1f1f", size: 12 },
    },
  };
}

/** A linear value axis with neutral grid and a visible zero line. */
export function valueAxis(
  title: string,
  options: { tickformat?: string; hoverformat?: string; zeroline?: boolean } = {},
): Record<string, unknown> {
  const axis: Record<string, unknown> = {
    title: { text: title },
    gridcolor: GRID,
    linecolor: AXIS_LINE,
    showline: true,
    zeroline: options.zeroline ?? true,
    zerolinecolor: ZERO_LINE,
    zerolinewidth: 1.5,
    ticks: "outside",
    tickcolor: AXIS_LINE,
    automargin: true,
  };
  if (options.tickformat) axis.tickformat = options.tickformat;
  if (options.hoverformat) axis.hoverformat = options.hoverformat;
  return axis;
}

/**
 * A date axis for period keys, with a hover format suited to their granularity. Monthly data
 * spanning up to six years gets month ticks (every 1, 3 or 6 months, labelled "Jan 2020") so a
 * short range is not labelled with days that have no data.
 */
export function dateAxis(kind: PeriodKind, periods: string[]): Record<string, unknown> {
  const axis: Record<string, unknown> = {
    type: "date",
    title: { text: "" },
    gridcolor: GRID,
    linecolor: AXIS_LINE,
    showline: true,
    ticks: "outside",
    tickcolor: AXIS_LINE,
    hoverformat: kind === "monthly" ? "%b %Y" : "%a %d %b %Y",
    automargin: true,
  };
  if (kind === "monthly") {
    const month = (p: string) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7));
    const span = month(periods[periods.length - 1]) - month(periods[0]);
    const step = span <= 12 ? 1 : span <= 36 ? 3 : span <= 72 ? 6 : 0;
    if (step) Object.assign(axis, { dtick: `M${step}`, tickformat: "%b %Y" });
  }
  return axis;
}

/** A categorical axis (factor names). */
export function categoryAxis(title = ""): Record<string, unknown> {
  return {
    type: "category",
    title: { text: title },
    linecolor: AXIS_LINE,
    showline: true,
    showgrid: false,
    automargin: true,
  };
}

/**
 * A d3 percent format with enough decimals to tell ticks apart over `values`' range
 * (about five ticks): ".0%" for a 40% range, ".1%" for 2%, ".2%" for 0.2%.
 */
export function percentTickFormat(values: Iterable<number | null>): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (!(range > 0)) return ".1%";
  const decimals = Math.ceil(-Math.log10((range * 100) / 5));
  return `.${Math.min(4, Math.max(0, decimals))}%`;
}

/**
 * The default plotly config: responsive, no logo, nothing that sends data anywhere, a PNG
 * export at twice the resolution.
 */
export function baseConfig(filename: string): Record<string, unknown> {
  return {
    responsive: true,
    displaylogo: false,
    // plotly.js 4 shows a "Share chart" button that uploads the data to Plotly's cloud.
    showSendToCloud: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "sendChartToCloud"],
    toImageButtonOptions: { format: "png", filename, scale: 2 },
  };
}

/** A file-name-safe slug of a title, for the PNG export button. */
export function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return s === "" ? "figure" : s.slice(0, 60);
}

/** A percentage for subtitles: `1.23%`, with a real minus sign. */
export function pct(x: number, digits = 2): string {
  return fixed(x * 100, digits) + "%";
}

/** A fixed-decimal number for subtitles, with a real minus sign. */
export function fixed(x: number, digits = 2): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.replace(/^-/, "−");
}
