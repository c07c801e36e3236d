/**
 * A plotly figure as plain JSON, with the renderings a notebook and a browser need: a Jupyter
 * MIME bundle, an HTML fragment, and a standalone HTML file.
 *
 * ## plotly.js once per notebook
 *
 * Every rendering works without a network: plotly.js is read from the pinned
 * `plotly.js-dist-min` package and inlined. A standalone file ({@link Figure.toHTML}) always
 * carries its own copy. In a notebook, the first figure displayed by the kernel process carries
 * the copy (≈ 4.8 MB) in its `text/html` output, inside a guard that skips it when the page
 * already has `window.Plotly`; later figures carry only their spec and a small script that waits
 * for `window.Plotly` (outputs may be rendered out of order, or before being attached to the
 * page) and then calls `Plotly.newPlot`. This works in JupyterLab, Notebook 7, VS Code and an
 * nbconvert HTML export, where outputs are rendered in document order on one page.
 *
 * The copy lives in one output. If that output is cleared or replaced (the cell re-run while the
 * kernel keeps running), the saved notebook no longer has plotly.js and later figures show a
 * message instead of a plot. Restart the kernel and run all cells, or call
 * {@link setPlotlyInlining}: `"once"` makes the next figure carry the copy again, `"always"`
 * makes every figure carry it. A page where JavaScript does not run (an untrusted notebook,
 * GitHub's viewer) shows a one-line note where the figure would be. Front ends with a plotly
 * renderer (the jupyterlab-plotly extension) use the `application/vnd.plotly.v1+json` entry
 * instead and need none of this.
 *
 * @module
 */

import { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle } from "../report/display.ts";
import { escapeHtml } from "../report/table.ts";
import { writeAtomic } from "../data/cache.ts";
import { HtmlPage } from "./page.ts";
import { plotlyScriptTag } from "./plotly_js.ts";
import { THEME_FONT_COLOR } from "./theme.ts";

/** A plotly figure: traces, layout and (optionally) the plot config, all plain JSON. */
export interface PlotlySpec {
  /** The traces. */
  data: Record<string, unknown>[];
  /** The layout (titles, axes, legend, sizes). */
  layout: Record<string, unknown>;
  /** The plot config (mode bar, responsiveness). */
  config?: Record<string, unknown>;
}

/** How figures displayed in a notebook carry plotly.js: see {@link setPlotlyInlining}. */
export type PlotlyInlining = "once" | "always";

// Kept on globalThis so two copies of this module in one kernel (a local and a remote
// import) still inline plotly.js once between them.
const STATE_KEY = Symbol.for("factorlab.plot.inlining");

interface InliningState {
  mode: PlotlyInlining;
  delivered: boolean;
}

function inliningState(): InliningState {
  const g = globalThis as unknown as Record<symbol, InliningState | undefined>;
  return (g[STATE_KEY] ??= { mode: "once", delivered: false });
}

/**
 * Chooses how figures displayed in a notebook carry plotly.js. `"once"` (the default): the next
 * figure's `text/html` inlines plotly.js and later figures reuse it; calling this again with
 * `"once"` starts over, which repairs a notebook whose copy was cleared. `"always"`: every
 * figure inlines it (about 4.8 MB each), so each output renders on its own whatever happens to
 * the others. Standalone HTML ({@link Figure.toHTML}) always inlines it.
 *
 * @param mode `"once"` or `"always"`.
 *
 * @example
 * ```ts
 * import { exposureChart, setPlotlyInlining } from "./mod.ts";
 * import { JUPYTER_DISPLAY } from "../report/display.ts";
 * import assert from "node:assert/strict";
 *
 * setPlotlyInlining("always");
 * const fig = exposureChart({ names: ["MKT_RF"], betas: [1.01], lower: [0.97], upper: [1.05] });
 * const html = fig[JUPYTER_DISPLAY]()["text/html"] as string;
 * assert.ok(html.includes("window.Plotly ="));
 * setPlotlyInlining("once"); // back to the default: the next figure carries plotly.js
 * ```
 */
export function setPlotlyInlining(mode: PlotlyInlining): void {
  if (mode !== "once" && mode !== "always") {
    throw new TypeError(`setPlotlyInlining: mode must be "once" or "always", got ${String(mode)}`);
  }
  const state = inliningState();
  state.mode = mode;
  state.delivered = false;
}

/** `JSON.stringify` that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const WAIT_MS = 30_000;
const MISSING_PLOTLY = "This figure needs plotly.js, which is not on this page: the output that " +
  "carried it was cleared or is not rendered. Restart the kernel and run all cells, or call " +
  'setPlotlyInlining("once") and display the figure again.';
const NO_SCRIPT = "Interactive plotly figure: it is drawn when JavaScript runs " +
  "(in Jupyter, trust the notebook).";

/**
 * The per-figure script: find the div (it may not be attached yet), wait for window.Plotly,
 * adopt the page's text colour when the spec uses the theme's neutral one, then draw.
 */
function drawScript(id: string, spec: PlotlySpec): string {
  return `(function () {
  var id = ${JSON.stringify(id)};
  var spec = ${scriptJson(spec)};
  var started = Date.now();
  function pageTextColor(el) {
    var m = /rgba?\\((\\d+)[,\\s]+(\\d+)[,\\s]+(\\d+)/.exec(window.getComputedStyle(el).color || "");
    return m ? "rgba(" + m[1] + "," + m[2] + "," + m[3] + ",0.9)" : null;
  }
  function draw(el) {
    var layout = Object.assign({}, spec.layout);
    var font = layout.font || {};
    if (font.color === ${JSON.stringify(THEME_FONT_COLOR)}) {
      var color = pageTextColor(el);
      if (color) layout.font = Object.assign({}, font, { color: color });
    }
    el.textContent = "";
    window.Plotly.newPlot(el, spec.data, layout, spec.config || {});
  }
  (function attempt() {
    var el = document.getElementById(id);
    if (el && window.Plotly && window.Plotly.newPlot) return draw(el);
    if (Date.now() - started > ${WAIT_MS}) {
      if (el) el.textContent = ${JSON.stringify(MISSING_PLOTLY)};
      return;
    }
    setTimeout(attempt, 50);
  })();
})();`;
}

/**
 * A plotly figure: `spec` is the plotly JSON (traces, layout, config). It displays itself in
 * Deno's Jupyter kernel, and writes standalone HTML files that need no network.
 *
 * @example Build a figure from a spec and render it
 * ```ts
 * import { Figure } from "./mod.ts";
 * import { JUPYTER_DISPLAY } from "../report/display.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = new Figure({
 *   data: [{ type: "bar", x: ["MKT_RF", "SMB"], y: [1.01, 0.56] }],
 *   layout: { title: { text: "Betas" } },
 * });
 * assert.equal(JSON.parse(JSON.stringify(fig.spec)).data[0].y[1], 0.56);
 * assert.ok(fig.toHTML().startsWith("<!DOCTYPE html>"));
 * const bundle = fig[JUPYTER_DISPLAY]();
 * assert.ok("application/vnd.plotly.v1+json" in bundle);
 * ```
 */
export class Figure {
  /** The plotly JSON: `data`, `layout` and `config`. */
  readonly spec: PlotlySpec;

  /**
   * Wraps a plotly spec.
   *
   * @param spec Plain JSON: an array of traces and a layout object, optionally a config.
   * @throws {TypeError} when `data` is not an array or `layout` is not an object.
   */
  constructor(spec: PlotlySpec) {
    if (spec === null || typeof spec !== "object" || !Array.isArray(spec.data)) {
      throw new TypeError("Figure: spec.data must be an array of plotly traces");
    }
    if (spec.layout === null || typeof spec.layout !== "object" || Array.isArray(spec.layout)) {
      throw new TypeError("Figure: spec.layout must be a plotly layout object");
    }
    this.spec = spec;
  }

  /** The title text of the layout, or "" when there is none. */
  get title(): string {
    const t = this.spec.layout.title;
    if (typeof t === "string") return t;
    if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") {
      return (t as { text: string }).text;
    }
    return "";
  }

  /**
   * An HTML fragment that draws the figure: a `<div>` with a unique id and a script calling
   * `Plotly.newPlot`. With `includePlotly`, plotly.js is inlined before it (skipped by the
   * browser when the page already has it); otherwise the page must provide `window.Plotly`
   * (the script waits up to 30 s for it).
   *
   * @param options `includePlotly` (default false).
   * @returns HTML to put in a page's body.
   *
   * @example Several figures on one page, plotly.js inlined once
   * ```ts
   * import { exposureChart, plotlyScriptTag } from "./mod.ts";
   * import assert from "node:assert/strict";
   *
   * const a = exposureChart({ names: ["MKT_RF"], betas: [1.01], lower: [0.97], upper: [1.05] });
   * const b = exposureChart({ names: ["MKT_RF"], betas: [0.98], lower: [0.9], upper: [1.06] });
   * const page = `<html><head>${plotlyScriptTag()}</head><body>` +
   *   `${a.toHTMLFragment()}${b.toHTMLFragment()}</body></html>`;
   * assert.ok(page.split("Plotly.newPlot(").length === 3);
   * ```
   */
  toHTMLFragment(options: { includePlotly?: boolean } = {}): string {
    const id = `factorlab-plot-${crypto.randomUUID()}`;
    const height = typeof this.spec.layout.height === "number" ? this.spec.layout.height : 450;
    const spec: PlotlySpec = { ...this.spec, config: this.spec.config ?? {} };
    return (options.includePlotly ? plotlyScriptTag() + "\n" : "") +
      `<div id="${id}" class="factorlab-plot" style="width:100%;min-width:320px;` +
      `height:${height}px"><span style="font-size:12px;opacity:0.75">${escapeHtml(NO_SCRIPT)}` +
      `</span></div>\n` +
      `<script type="text/javascript">\n${drawScript(id, spec)}\n</script>`;
  }

  /**
   * A complete standalone HTML document with plotly.js inlined: it opens in any browser without
   * a network. The page follows the system's light or dark colour scheme.
   *
   * @param options `title`: the page title (default: the figure's title).
   * @returns The HTML document.
   *
   * @example
   * ```ts
   * import { fittedChart } from "./mod.ts";
   * import assert from "node:assert/strict";
   *
   * const fig = fittedChart({
   *   periods: ["2020-01", "2020-02", "2020-03"],
   *   actual: [0.01, -0.02, 0.015],
   *   fitted: [0.012, -0.018, 0.011],
   * });
   * const html = fig.toHTML({ title: "Fit" });
   * assert.ok(html.includes("<title>Fit</title>") && html.includes("window.Plotly ="));
   * ```
   */
  toHTML(options: { title?: string } = {}): string {
    const title = options.title ??
      (this.title.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim() || "Figure");
    return new HtmlPage(title, [this]).toHTML();
  }

  /**
   * Writes {@link Figure.toHTML} to `path`, atomically: a temporary file in the same folder is
   * renamed over the target, so a reader never sees a partial file.
   *
   * @param path The file to write (usually `.html`); its folder must exist.
   * @param options `title`: the page title.
   *
   * @example
   * ```ts
   * import { residualChart } from "./mod.ts";
   * import assert from "node:assert/strict";
   *
   * const dir = await Deno.makeTempDir({ dir: "data" });
   * await residualChart({ resid: [0.01, -0.02, 0.005, 0.013, -0.004] }).save(`${dir}/resid.html`);
   * assert.ok((await Deno.readTextFile(`${dir}/resid.html`)).includes("Plotly.newPlot"));
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  async save(path: string, options: { title?: string } = {}): Promise<void> {
    await writeAtomic(path, this.toHTML(options));
  }

  /** The spec, so `JSON.stringify(figure)` gives the plotly JSON. */
  toJSON(): PlotlySpec {
    return this.spec;
  }

  /** A one-line description: title, trace types and point counts. */
  toString(): string {
    const counts = new Map<string, number>();
    for (const trace of this.spec.data) {
      const type = typeof trace.type === "string" ? trace.type : "scatter";
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    const types = [...counts].map(([type, n]) => `${n} ${type}`).join(", ");
    const n = this.spec.data.length;
    const title = this.title.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    return `Figure${title ? ` "${title}"` : ""} (plotly, ${n} trace${n === 1 ? "" : "s"}` +
      `${types ? `: ${types}` : ""})`;
  }

  /**
   * The Jupyter MIME bundle: the plotly JSON (with config), HTML that draws itself without a
   * network (plotly.js inlined in the first figure of the process, see
   * {@link setPlotlyInlining}), and a one-line text description.
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    const state = inliningState();
    const includePlotly = state.mode === "always" || !state.delivered;
    const html = this.toHTMLFragment({ includePlotly });
    state.delivered = true;
    return {
      "application/vnd.plotly.v1+json": { ...this.spec, config: this.spec.config ?? {} },
      "text/html": html,
      "text/plain": this.toString(),
    };
  }

  /** What `console.log(figure)` prints: the one-line description. */
  [DENO_INSPECT](): string {
    return this.toString();
  }
}
