/**
 * A plotly figure as plain JSON, with the renderings a notebook and a browser need: a Jupyter
 * MIME bundle, an HTML fragment, and a standalone HTML file.
 *
 * ## plotly.js once per kernel, in pieces
 *
 * Every rendering works without a network: plotly.js comes from the pinned `plotly.js-dist-min`
 * package. A standalone file ({@link Figure.toHTML}) carries its own copy in one script. In a
 * notebook, no single message may be large (Deno's kernel corrupts IOPub messages of several MB
 * when a front end has two IOPub subscribers), so the first figure a kernel displays is preceded
 * by plotly.js in pieces ({@link plotlyPieces}): about ten display outputs of under 512 KB, each
 * an invisible script; the page runs the bundle once it has every piece, in whatever order they
 * were rendered; that cell then waits a second, because Deno's kernel sends its messages a little
 * later and would label them with the next cell when "Run All" has queued it (they would show
 * under it). Each figure's own output is small: the plotly JSON, an HTML fragment whose
 * script waits for `window.Plotly` (outputs may be rendered out of order, or before being
 * attached to the page) and then calls `Plotly.newPlot`, and a line of text. This works in
 * JupyterLab, Notebook 6 and 7, VS Code and an nbconvert HTML export, live and when a saved
 * notebook is opened again (the pieces are saved with it).
 *
 * The pieces live in the outputs of one cell. If they are cleared (the cell re-run while the
 * kernel keeps running), the page keeps its plotly.js, but the saved notebook no longer has it:
 * when opened again, its figures say that plotly.js is missing. Restart the kernel and run all
 * cells, or call {@link setPlotlyInlining}: `"once"` sends the pieces again before the next
 * figure, `"always"` before every figure. A page where JavaScript does not run (an untrusted
 * notebook, GitHub's viewer) shows a one-line note where the figure would be; to hand in a
 * notebook with static images of its figures, see docs/handing-in.md. Front ends with a plotly
 * renderer (the jupyterlab-plotly extension, VS Code's Jupyter renderers) use the
 * `application/vnd.plotly.v1+json` entry instead and need none of this.
 *
 * @module
 */

import { DENO_INSPECT, escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "../display/mod.ts";
import { writeAtomic } from "../files.ts";
import { HtmlPage } from "./page.ts";
import {
  PLOTLY_PIECE_METADATA,
  PLOTLY_PIECE_STORE,
  PLOTLY_VERSION,
  plotlyPieces,
  plotlyScriptTag,
  scriptJson,
} from "./plotly_js.ts";
import { baseConfig, slug, THEME_FONT_COLOR } from "./theme.ts";
import { PlotInputError } from "./validate.ts";

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
// import) still send plotly.js once between them.
const STATE_KEY = Symbol.for("factorlab.plot.inlining");

interface InliningState {
  mode: PlotlyInlining;
  delivered: boolean;
  /** Deliveries run one after another, so two figures displayed at once send one set. */
  queue: Promise<void>;
}

function inliningState(): InliningState {
  const g = globalThis as unknown as Record<symbol, InliningState | undefined>;
  return (g[STATE_KEY] ??= { mode: "once", delivered: false, queue: Promise.resolve() });
}

/**
 * Chooses how figures displayed in a notebook bring plotly.js with them (as pieces sent before
 * the figure, see the module documentation). `"once"` (the default): before the first figure the
 * kernel displays; calling this again with `"once"` sends the pieces again before the next
 * figure, which repairs a notebook whose pieces were cleared. `"always"`: before every figure,
 * so each figure's cell works on its own whatever happens to the others. Standalone HTML
 * ({@link Figure.toHTML}) always inlines plotly.js.
 *
 * @param mode `"once"` or `"always"`.
 * @throws {PlotInputError} for any other mode.
 *
 * @example
 * ```ts
 * import { setPlotlyInlining } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * setPlotlyInlining("always");
 * setPlotlyInlining("once"); // back to the default: plotly.js goes with the next figure
 * assert.throws(() => setPlotlyInlining("never" as "once"), /"once" or "always"/);
 * ```
 */
export function setPlotlyInlining(mode: PlotlyInlining): void {
  if (mode !== "once" && mode !== "always") {
    throw new PlotInputError(
      "mode",
      `setPlotlyInlining: mode must be "once" or "always", got ${String(mode)}`,
    );
  }
  const state = inliningState();
  state.mode = mode;
  state.delivered = false;
}

/** Sends one Jupyter IOPub message, as `Deno.jupyter.broadcast` does in Deno's kernel. */
export type JupyterBroadcast = (
  messageType: string,
  content: Record<string, unknown>,
) => Promise<void>;

/** `Deno.jupyter.broadcast` when running in Deno's Jupyter kernel, else undefined. */
function kernelBroadcast(): JupyterBroadcast | undefined {
  try {
    const deno = (globalThis as { Deno?: { jupyter?: { broadcast?: unknown } } }).Deno;
    const jupyter = deno?.jupyter;
    return typeof jupyter?.broadcast === "function"
      ? (jupyter.broadcast.bind(jupyter) as JupyterBroadcast)
      : undefined;
  } catch {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    return undefined;
  }
}

/**
 * Sends plotly.js as display outputs of the current cell, one piece per message (see
 * {@link plotlyPieces}), unless this kernel already did (mode `"once"`). Figures call it before
 * returning their own bundle; `broadcast` is `Deno.jupyter.broadcast` in the kernel.
 *
 * @param broadcast Sends one IOPub message and resolves when it is sent.
 * @returns How many pieces were sent (0 when plotly.js was already delivered).
 *
 * @example
 * ```ts
 * import { deliverPlotly, setPlotlyInlining } from "./figure.ts";
 * import assert from "node:assert/strict";
 *
 * setPlotlyInlining("once");
 * const sent: string[] = [];
 * const broadcast = (type: string) => Promise.resolve(void sent.push(type));
 * const pieces = await deliverPlotly(broadcast);
 * assert.ok(pieces > 1 && sent.length === pieces && sent.every((t) => t === "display_data"));
 * assert.equal(await deliverPlotly(broadcast), 0); // once per kernel
 * setPlotlyInlining("once");
 * ```
 */
export function deliverPlotly(broadcast: JupyterBroadcast): Promise<number> {
  const state = inliningState();
  const run = state.queue.then(async () => {
    if (state.mode === "once" && state.delivered) return 0;
    const pieces = plotlyPieces();
    for (const piece of pieces) {
      await broadcast("display_data", {
        data: { "text/html": piece.html },
        metadata: {
          [PLOTLY_PIECE_METADATA]: {
            version: PLOTLY_VERSION,
            part: piece.part,
            parts: piece.parts,
          },
        },
        transient: {},
      });
    }
    state.delivered = true;
    return pieces.length;
  });
  // A failed delivery must not block the next figure's attempt.
  state.queue = run.then(() => {}, () => {});
  return run;
}

/**
 * How long the cell that sent the pieces waits before it ends. Deno's kernel (2.9) sends IOPub
 * messages some time after `Deno.jupyter.broadcast` resolves and labels each with the request it
 * is running when the message goes out; under "Run All" (every cell's request queued at once)
 * the pieces and the figure would otherwise be labelled with the next cells and shown under them.
 */
const PIECES_SETTLE_MS = 1_000;

/** After this long without plotly.js, a figure says so (and keeps waiting). */
const WAIT_MS = 30_000;
/** A figure stops waiting for plotly.js after this long. */
const GIVE_UP_MS = 15 * 60_000;
const MISSING_PLOTLY = "This figure needs plotly.js, which is not on this page yet: it comes " +
  "in the outputs before the notebook's first figure, which are cleared, not rendered yet or " +
  'not trusted. Restart the kernel and run all cells, or call setPlotlyInlining("once") and ' +
  "display the figure again.";
const NO_SCRIPT = "Interactive plotly figure: it is drawn when JavaScript runs " +
  "(in Jupyter, trust the notebook).";

/**
 * The per-figure script: find the div (it may not be attached yet), wait for window.Plotly,
 * adopt the page's text colour when the spec uses the theme's neutral one, then draw. While
 * plotly.js is missing it says so, with how many of its pieces the page has, and keeps
 * waiting: a front end may render the cell with the pieces later (when scrolled to).
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
  function piecesSeen() {
    var store = window.${PLOTLY_PIECE_STORE} || {}, seen = "";
    for (var key in store) {
      seen = " Pieces of plotly.js on this page: " + store[key].count + " of " + store[key].parts + ".";
    }
    return seen;
  }
  (function attempt() {
    var el = document.getElementById(id);
    if (el && window.Plotly && window.Plotly.newPlot) return draw(el);
    var waited = Date.now() - started;
    if (el && waited > ${WAIT_MS}) el.textContent = ${
    JSON.stringify(MISSING_PLOTLY)
  } + piecesSeen();
    if (waited < ${GIVE_UP_MS}) setTimeout(attempt, waited > ${WAIT_MS} ? 500 : 50);
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
 * import { JUPYTER_DISPLAY } from "../display/symbols.ts";
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
   * @throws {PlotInputError} when `data` is not an array or `layout` is not an object.
   */
  constructor(spec: PlotlySpec) {
    if (spec === null || typeof spec !== "object" || !Array.isArray(spec.data)) {
      throw new PlotInputError("spec.data", "Figure: spec.data must be an array of plotly traces");
    }
    if (spec.layout === null || typeof spec.layout !== "object" || Array.isArray(spec.layout)) {
      throw new PlotInputError("spec.layout", "Figure: spec.layout must be a plotly layout object");
    }
    this.spec = spec;
  }

  /** The title text of the layout, or "" when there is none. */
  get title(): string {
    const t = this.spec.layout.title;
    const text = typeof t === "string" ? t : (t as { text?: unknown } | null | undefined)?.text;
    return typeof text === "string" ? text : "";
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
   * The Jupyter MIME bundle: the plotly JSON (with config), an HTML fragment that draws the
   * figure once the page has plotly.js, and a one-line text description. In Deno's kernel, the
   * first figure first sends plotly.js in pieces (see the module documentation and
   * {@link setPlotlyInlining}), so its bundle comes as a promise, which the kernel awaits; later
   * figures return theirs at once.
   */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> {
    const bundle: MimeBundle = {
      "application/vnd.plotly.v1+json": { ...this.spec, config: this.spec.config ?? {} },
      "text/html": this.toHTMLFragment(),
      "text/plain": this.toString(),
    };
    const broadcast = kernelBroadcast();
    const state = inliningState();
    // Once plotly.js is in the page, the bundle is returned at once: a promise, even a resolved
    // one, gives Deno's kernel a chance to file the output under the next queued cell.
    if (!broadcast || (state.mode === "once" && state.delivered)) return bundle;
    return deliverPlotly(broadcast).then(async (pieces) => {
      if (pieces) await new Promise((resolve) => setTimeout(resolve, PIECES_SETTLE_MS));
      return bundle;
    });
  }

  /** What `console.log(figure)` prints: the one-line description. */
  [DENO_INSPECT](): string {
    return this.toString();
  }
}

/** A chart's figure: its traces and layout, with the standard config (PNG named after the title). */
export function chartFigure(
  data: Record<string, unknown>[],
  layout: Record<string, unknown>,
  title: string,
): Figure {
  return new Figure({ data, layout, config: baseConfig(slug(title)) });
}
