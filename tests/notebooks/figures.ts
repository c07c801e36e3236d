/**
 * Lean figure outputs for the committed notebooks. In a notebook run, the first figure's
 * `text/html` carries all of plotly.js (≈ 4.8 MB) and every figure's `text/html` carries a script
 * that draws it. Where the committed files are read (GitHub, nbviewer, an nbconvert export, a
 * notebook opened but not run) those scripts never run, and those renderers pick `text/html`
 * over `image/png` when a bundle has both, so any HTML left in the bundle would hide a static
 * image. `deno task notebooks --update` therefore writes each figure output as:
 *
 * - `application/vnd.plotly.v1+json`: the spec, as the kernel displayed it (front ends with a
 *   plotly renderer, such as JupyterLab with jupyterlab-plotly, draw it interactively);
 * - `image/png`: the figure drawn by plotly.js in headless Chromium with the network off
 *   ({@link PngRenderer}), {@link PNG_WIDTH} wide, the spec's height, scale 1;
 * - `text/plain`: the one-line description, as displayed.
 *
 * Running the notebook displays the interactive figure again. The comparison of a fresh run with
 * the committed outputs looks only at a figure's spec and text (see `comparableOutputs` in
 * notebook.ts), so the PNGs and the dropped HTML never count as changes, and an unchanged figure
 * keeps its committed PNG.
 *
 * @module
 */

import { plotlyScriptTag } from "../../lib/plot/plotly_js.ts";
import { OfflineBrowser } from "./cdp.ts";
import { joinText, type Notebook, type Output, PLOTLY_MIME } from "./notebook.ts";

/** Width of the committed PNGs, in CSS pixels (scale 1). */
export const PNG_WIDTH = 900;
/** Height of the committed PNGs when the spec's layout has none. */
export const PNG_DEFAULT_HEIGHT = 450;
const PNG_SIGNATURE_BASE64 = "iVBORw0KGgo";

/** A plotly spec as a figure bundle holds it. */
export interface PlotlyJson {
  /** Traces. */
  data: unknown[];
  /** Layout. */
  layout?: Record<string, unknown>;
  /** Plot config. */
  config?: Record<string, unknown>;
}

function spec(data: Record<string, unknown>): PlotlyJson {
  const value = data[PLOTLY_MIME];
  return (typeof value === "string" ? JSON.parse(value) : value) as PlotlyJson;
}

function size(figure: PlotlyJson): { width: number; height: number } {
  const height = figure.layout?.height;
  return {
    width: PNG_WIDTH,
    height: typeof height === "number" && height > 0 ? height : PNG_DEFAULT_HEIGHT,
  };
}

function titleOf(figure: PlotlyJson): string {
  const title = figure.layout?.title;
  const text = typeof title === "string" ? title : (title as { text?: unknown })?.text;
  return String(text ?? "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

/** The figure outputs (display bundles with a plotly spec) of a notebook's code cells. */
function figureOutputs(notebook: Notebook): { cell: number; output: Output }[] {
  return notebook.cells.filter((cell) => cell.cell_type === "code")
    .flatMap((cell, index) => (cell.outputs ?? []).map((output) => ({ cell: index + 1, output })))
    .filter(({ output }) => !!output.data && PLOTLY_MIME in output.data);
}

/** True when a figure bundle is already in its committed form: a PNG and no HTML. */
function isLean(data: Record<string, unknown>): boolean {
  return joinText(data["image/png"]).startsWith(PNG_SIGNATURE_BASE64) && !("text/html" in data);
}

/**
 * Draws plotly specs to PNG with plotly.js (from the pinned npm package, inlined in a local
 * page) in headless Chromium with the network off. Chromium starts on the first call.
 */
export class PngRenderer {
  readonly #dir: URL;
  #browser?: OfflineBrowser;

  /** `dir`: a build folder for the page and Chromium's profile. */
  constructor(dir: URL) {
    this.#dir = dir;
  }

  async #start(): Promise<OfflineBrowser> {
    if (this.#browser) return this.#browser;
    await Deno.mkdir(this.#dir, { recursive: true });
    const page = new URL("render.html", this.#dir);
    await Deno.writeTextFile(
      page,
      `<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n${plotlyScriptTag()}\n</head>` +
        `<body></body></html>\n`,
    );
    const profile = decodeURIComponent(new URL("chromium-profile/", this.#dir).pathname);
    this.#browser = await OfflineBrowser.launch(profile);
    await this.#browser.load(page.href);
    return this.#browser;
  }

  /** The figure as a PNG, base64-encoded. */
  async render(figure: PlotlyJson): Promise<string> {
    const browser = await this.#start();
    const { width, height } = size(figure);
    browser.errors.length = 0;
    const url = await browser.evaluate<string>(`(async () => {
      const spec = ${JSON.stringify(figure)};
      const layout = Object.assign({}, spec.layout, { width: ${width}, height: ${height} });
      return await window.Plotly.toImage(
        { data: spec.data, layout: layout, config: spec.config || {} },
        { format: "png", width: ${width}, height: ${height}, scale: 1 },
      );
    })()`);
    const prefix = "data:image/png;base64,";
    if (typeof url !== "string" || !url.startsWith(prefix + PNG_SIGNATURE_BASE64)) {
      throw new Error(`Plotly.toImage did not give a PNG for "${titleOf(figure)}"`);
    }
    if (browser.errors.length) {
      throw new Error(`page error while drawing "${titleOf(figure)}": ${browser.errors[0]}`);
    }
    return url.slice(prefix.length);
  }

  /** Closes Chromium, if it was started. */
  async close(): Promise<void> {
    await this.#browser?.close();
    this.#browser = undefined;
  }
}

/**
 * The notebook with every figure output in its committed form (see the module documentation).
 * Outputs already in that form (kept from the committed file because their spec did not change)
 * are left alone, so their PNGs are not redrawn. Returns a new notebook and how many figures
 * were drawn.
 */
export async function leanFigures(
  notebook: Notebook,
  renderer: PngRenderer,
): Promise<{ notebook: Notebook; rendered: number }> {
  const copy = structuredClone(notebook);
  let rendered = 0;
  for (const { output } of figureOutputs(copy)) {
    const data = output.data!;
    if (isLean(data)) continue;
    const figure = spec(data);
    const png = await renderer.render(figure);
    output.data = {
      [PLOTLY_MIME]: data[PLOTLY_MIME],
      "image/png": png,
      "text/plain": data["text/plain"],
    };
    rendered++;
  }
  return { notebook: copy, rendered };
}

/** Why a committed notebook's figure outputs are not in their committed form; empty if they are. */
export function leanProblems(notebook: Notebook): string[] {
  return figureOutputs(notebook).filter(({ output }) => !isLean(output.data!)).map(({ cell }) =>
    `code cell ${cell}: the committed figure output carries HTML (plotly.js, a drawing script) ` +
    `or lacks its PNG; run deno task notebooks --update and commit the result`
  );
}

/** How many figure outputs a notebook has. */
export function figureCount(notebook: Notebook): number {
  return figureOutputs(notebook).length;
}
