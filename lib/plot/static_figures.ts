/**
 * Static images for the figures of a saved notebook, so that it shows them where no script runs:
 * GitHub, nbviewer, an nbconvert export, a notebook opened without its kernel. Run as a command
 * (`deno task figures NOTEBOOK.ipynb`, see docs/handing-in.md) or call
 * {@link addStaticFigures}.
 *
 * Each figure output (a display bundle with `application/vnd.plotly.v1+json`) becomes:
 *
 * - `application/vnd.plotly.v1+json`: the spec, unchanged (front ends with a plotly renderer
 *   still draw it interactively);
 * - `image/png`: the figure drawn by plotly.js (the pinned bundle) in a local headless Chromium
 *   with the network off, {@link PNG_WIDTH} px wide (the spec's width when it has one) and the
 *   spec's height;
 * - `text/plain`: the one-line description, unchanged.
 *
 * The figure's `text/html` goes: it holds a drawing script, or, from older versions, all of
 * plotly.js; static viewers prefer `text/html` to `image/png` when a bundle has both, so any HTML
 * left would hide the image. The outputs that carried plotly.js in pieces go too. Everything else
 * in the notebook is kept as it is. Figures already in this form keep their PNG (unless redrawn
 * on request), so running it twice changes nothing.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { writeAtomic } from "../files.ts";
import { FactorlabError } from "../errors.ts";
import { BrowserError, findChromium, type LaunchOptions, OfflineBrowser } from "./chromium.ts";
import { isPlotlyPieceHtml, PLOTLY_PIECE_METADATA, plotlyBundle } from "./plotly_js.ts";

/** The MIME type of a plotly figure in a display bundle. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** Width of the PNGs, in CSS pixels (scale 1), when the spec sets none. */
export const PNG_WIDTH = 900;
/** Height of the PNGs when the spec's layout sets none (plotly's default). */
export const PNG_DEFAULT_HEIGHT = 450;
const PNG_BASE64_SIGNATURE = "iVBORw0KGgo";

/** A cell output, as nbformat 4 stores it (the fields read here; others are kept as they are). */
export interface NotebookOutput {
  /** `display_data`, `execute_result`, `stream` or `error`. */
  output_type: string;
  /** The MIME bundle of a display or result. */
  data?: Record<string, unknown>;
  /** Output metadata. */
  metadata?: Record<string, unknown>;
  /** Other fields (`execution_count`, `text`, ...), kept as they are. */
  [field: string]: unknown;
}

/** A notebook cell (nbformat 4; fields other than these are kept as they are). */
export interface NotebookCell {
  /** `code`, `markdown` or `raw`. */
  cell_type: string;
  /** Outputs of a code cell. */
  outputs?: NotebookOutput[];
  /** Other fields (`source`, `metadata`, ...), kept as they are. */
  [field: string]: unknown;
}

/** A notebook file (nbformat 4). */
export interface NotebookDocument {
  /** The cells. */
  cells: NotebookCell[];
  /** Notebook metadata. */
  metadata: Record<string, unknown>;
  /** Major format version (4). */
  nbformat: number;
  /** Minor format version. */
  nbformat_minor: number;
}

/** A plotly spec, as a figure bundle holds it. */
export interface PlotlyFigureJson {
  /** Traces. */
  data: unknown[];
  /** Layout. */
  layout?: Record<string, unknown>;
  /** Plot config. */
  config?: Record<string, unknown>;
}

/**
 * A file is not a notebook this module can read, or a figure in it cannot be drawn: the message
 * names the file (and cell) and what is wrong.
 *
 * @example
 * ```ts
 * import { NotebookFileError, parseNotebook } from "./static_figures.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseNotebook("{}", "hw.ipynb"), NotebookFileError);
 * ```
 */
export class NotebookFileError extends FactorlabError {}

/**
 * Parses a notebook file's text, checking that it is nbformat 4.
 *
 * @param text The file's contents.
 * @param file The file name, for messages.
 * @returns The notebook.
 * @throws {NotebookFileError} when the text is not a version 4 notebook.
 *
 * @example
 * ```ts
 * import { parseNotebook } from "./static_figures.ts";
 * import assert from "node:assert/strict";
 * const nb = parseNotebook('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "a.ipynb");
 * assert.equal(nb.cells.length, 0);
 * ```
 */
export function parseNotebook(text: string, file: string): NotebookDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotebookFileError(
      `${file} is not a notebook: it is not valid JSON (${(error as Error).message}). ` +
        `Save it from Jupyter or VS Code and try again.`,
      { cause: error },
    );
  }
  const nb = value as Partial<NotebookDocument>;
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) {
    throw new NotebookFileError(`${file} is not a notebook: it has no "cells" list.`);
  }
  if (nb.nbformat !== 4) {
    throw new NotebookFileError(
      `${file} is in notebook format ${nb.nbformat}; only format 4 (Jupyter 4 and later) is ` +
        `supported: open and save it in a current Jupyter front end first.`,
    );
  }
  return nb as NotebookDocument;
}

/**
 * A notebook as Jupyter writes it: one-space indent, keys sorted, non-ASCII kept, final newline.
 *
 * @param notebook The notebook.
 * @returns The file's text.
 *
 * @example
 * ```ts
 * import { serializeNotebook } from "./static_figures.ts";
 * import assert from "node:assert/strict";
 * const text = serializeNotebook({ nbformat_minor: 5, nbformat: 4, metadata: {}, cells: [] });
 * assert.equal(text, '{\n "cells": [],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n');
 * ```
 */
export function serializeNotebook(notebook: NotebookDocument): string {
  return JSON.stringify(sortKeys(notebook), null, 1) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>).sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** nbformat stores long text as a list of lines. */
function joinText(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : "";
}

/**
 * True when an output carried a piece of plotly.js (see `plotlyPieces` in plotly_js.ts): it is
 * marked in its metadata, or its HTML is a piece.
 *
 * @param output A cell output.
 * @returns Whether it is a piece of plotly.js.
 *
 * @example
 * ```ts
 * import { isPlotlyPieceOutput } from "./static_figures.ts";
 * import assert from "node:assert/strict";
 * assert.ok(!isPlotlyPieceOutput({ output_type: "display_data", data: { "text/plain": "x" } }));
 * ```
 */
export function isPlotlyPieceOutput(
  output: Pick<NotebookOutput, "output_type" | "data" | "metadata">,
): boolean {
  if (output.output_type !== "display_data") return false;
  if (output.metadata && PLOTLY_PIECE_METADATA in output.metadata) return true;
  return isPlotlyPieceHtml(joinText(output.data?.["text/html"]));
}

/** True when an output displays a plotly figure. */
function isFigureOutput(output: NotebookOutput): boolean {
  return !!output.data && typeof output.data === "object" && PLOTLY_MIME in output.data;
}

/** True when a figure output is already static: a PNG and no HTML. */
function isStatic(data: Record<string, unknown>): boolean {
  return joinText(data["image/png"]).startsWith(PNG_BASE64_SIGNATURE) && !("text/html" in data);
}

function figureSpec(data: Record<string, unknown>, where: string): PlotlyFigureJson {
  let spec = data[PLOTLY_MIME];
  if (typeof spec === "string" || Array.isArray(spec)) {
    try {
      spec = JSON.parse(joinText(spec));
    } catch (error) {
      throw new NotebookFileError(`${where}: the plotly figure is not valid JSON`, {
        cause: error,
      });
    }
  }
  if (!spec || typeof spec !== "object" || !Array.isArray((spec as PlotlyFigureJson).data)) {
    throw new NotebookFileError(`${where}: the plotly figure has no "data" list of traces`);
  }
  return spec as PlotlyFigureJson;
}

function titleOf(figure: PlotlyFigureJson): string {
  const title = figure.layout?.title;
  const text = typeof title === "string" ? title : (title as { text?: unknown })?.text;
  return String(text ?? "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

/** The size of a figure's PNG: the spec's width and height when set, else the defaults. */
export function pngSize(figure: PlotlyFigureJson): { width: number; height: number } {
  const size = (value: unknown, fallback: number) =>
    typeof value === "number" && value >= 10 && value <= 4000 ? Math.round(value) : fallback;
  return {
    width: size(figure.layout?.width, PNG_WIDTH),
    height: size(figure.layout?.height, PNG_DEFAULT_HEIGHT),
  };
}

/** Options of {@link FigureImageRenderer}: the browser program, time limit and temp folder. */
export type FigureImageRendererOptions = Pick<
  LaunchOptions,
  "executable" | "timeoutMs" | "tempDir"
>;

/**
 * Draws plotly specs to PNG with the pinned plotly.js in one headless Chromium with the network
 * off, figure after figure. Chromium starts on the first figure.
 *
 * @example
 * ```ts ignore
 * import { FigureImageRenderer } from "./static_figures.ts";
 * const renderer = new FigureImageRenderer();
 * try {
 *   const png = await renderer.render({ data: [{ type: "bar", y: [1, 2] }] });
 *   console.log(png.slice(0, 11)); // iVBORw0KGgo
 * } finally {
 *   await renderer.close();
 * }
 * ```
 */
export class FigureImageRenderer {
  readonly #options: FigureImageRendererOptions;
  #browser?: Promise<OfflineBrowser>;

  /**
   * Creates the renderer; nothing starts until the first figure.
   *
   * @param options Browser program and time limit.
   */
  constructor(options: FigureImageRendererOptions = {}) {
    this.#options = options;
  }

  #start(): Promise<OfflineBrowser> {
    return this.#browser ??= (async () => {
      const browser = await OfflineBrowser.launch(this.#options);
      try {
        const { text } = plotlyBundle();
        // The bundle runs with module/exports/define shadowed so it always sets window.Plotly.
        const ready = await browser.evaluate<string>(
          `(function (module, exports, define) {\n${text}\n}).call(window);\n` +
            `typeof window.Plotly.toImage`,
        );
        if (ready !== "function") throw new BrowserError("plotly.js did not load in Chromium");
      } catch (error) {
        await browser.close();
        throw error;
      }
      return browser;
    })();
  }

  /**
   * The figure as a PNG, base64-encoded.
   *
   * @param figure The plotly spec.
   * @returns The PNG, base64.
   * @throws {BrowserError} when Chromium is missing or fails, or plotly.js cannot draw the spec.
   */
  async render(figure: PlotlyFigureJson): Promise<string> {
    const browser = await this.#start();
    const { width, height } = pngSize(figure);
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
    if (typeof url !== "string" || !url.startsWith(prefix + PNG_BASE64_SIGNATURE)) {
      throw new BrowserError(`plotly.js did not draw "${titleOf(figure)}" as a PNG`);
    }
    if (browser.errors.length) {
      throw new BrowserError(`page error while drawing "${titleOf(figure)}": ${browser.errors[0]}`);
    }
    return url.slice(prefix.length);
  }

  /** Closes Chromium, if it was started. */
  async close(): Promise<void> {
    const browser = this.#browser;
    this.#browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}

/** Draws a figure spec to a base64 PNG, as {@link FigureImageRenderer.render} does. */
export type FigureDrawer = Pick<FigureImageRenderer, "render">;

/** What {@link addStaticFigures} did. */
export interface StaticFiguresResult {
  /** The notebook with static figures (a new object; the input is not changed). */
  notebook: NotebookDocument;
  /** Figures drawn to PNG now. */
  drawn: number;
  /** Figures that already had their PNG and no HTML, kept as they were. */
  kept: number;
  /** Outputs that carried pieces of plotly.js, dropped. */
  piecesDropped: number;
}

/**
 * The notebook with a static PNG for every plotly figure and without the outputs that carried
 * plotly.js (see the module documentation).
 *
 * @param notebook The notebook, as read from its file.
 * @param drawer Draws each figure (a {@link FigureImageRenderer}).
 * @param options `redraw`: draw figures that already have a PNG again (default false).
 * @returns The new notebook and counts.
 * @throws {NotebookFileError} when a figure's spec is not plotly JSON.
 *
 * @example
 * ```ts
 * import { addStaticFigures } from "./static_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const notebook = {
 *   nbformat: 4, nbformat_minor: 5, metadata: {},
 *   cells: [{ cell_type: "code", source: "fig", metadata: {}, outputs: [{
 *     output_type: "execute_result", execution_count: 1, metadata: {},
 *     data: {
 *       "application/vnd.plotly.v1+json": { data: [{ type: "bar", y: [1] }], layout: {} },
 *       "text/html": "<div>…</div><script>draw()</script>",
 *       "text/plain": "Figure (plotly, 1 trace: 1 bar)",
 *     },
 *   }] }],
 * };
 * const drawer = { render: () => Promise.resolve("iVBORw0KGgoAAAA") };
 * const result = await addStaticFigures(notebook, drawer);
 * assert.equal(result.drawn, 1);
 * assert.deepEqual(Object.keys(result.notebook.cells[0].outputs![0].data!).sort(), [
 *   "application/vnd.plotly.v1+json", "image/png", "text/plain",
 * ]);
 * ```
 */
export async function addStaticFigures(
  notebook: NotebookDocument,
  drawer: FigureDrawer,
  options: { redraw?: boolean } = {},
): Promise<StaticFiguresResult> {
  const copy = structuredClone(notebook);
  let drawn = 0;
  let kept = 0;
  let piecesDropped = 0;
  for (const [index, cell] of copy.cells.entries()) {
    if (!Array.isArray(cell.outputs)) continue;
    const outputs: NotebookOutput[] = [];
    for (const output of cell.outputs) {
      if (isPlotlyPieceOutput(output)) {
        piecesDropped++;
        continue;
      }
      if (isFigureOutput(output)) {
        const data = output.data!;
        if (isStatic(data) && !options.redraw) {
          kept++;
        } else {
          const png = await drawer.render(figureSpec(data, `cell ${index + 1}`));
          output.data = { [PLOTLY_MIME]: data[PLOTLY_MIME], "image/png": png };
          if ("text/plain" in data) output.data["text/plain"] = data["text/plain"];
          drawn++;
        }
      }
      outputs.push(output);
    }
    cell.outputs = outputs;
  }
  return { notebook: copy, drawn, kept, piecesDropped };
}

/** Outputs larger than this are reported: they make a notebook slow to open and to hand in. */
const LARGE_OUTPUT_BYTES = 1_000_000;

/** The outputs of a notebook above {@link LARGE_OUTPUT_BYTES}, as "cell N: M KB". */
export function largeOutputs(notebook: NotebookDocument): string[] {
  const found: string[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    for (const output of cell.outputs ?? []) {
      const bytes = new TextEncoder().encode(JSON.stringify(output)).length;
      if (bytes > LARGE_OUTPUT_BYTES) {
        found.push(`cell ${index + 1}: ${Math.round(bytes / 1024)} KB`);
      }
    }
  }
  return found;
}

const USAGE = `Adds static images (PNG) of its plotly figures to a saved notebook, so that GitHub,
nbviewer and other viewers that run no scripts show them. Drawn offline by a local Chromium.

Usage: deno task figures [options] NOTEBOOK.ipynb [MORE.ipynb ...]

Options:
  --out=FILE       write the result to FILE instead of replacing the notebook (one notebook only)
  --redraw         draw figures again even when they already have a PNG
  --chromium=PATH  the Chromium or Chrome program (default: the first found of the usual places;
                   with deno run, grant it with --allow-run=PATH)
  --help           show this help

Save the notebook in your editor first. The notebook is replaced in one step (a temporary file
renamed over it), so it is never left half written.`;

/** Where a relative path given on the command line is: the folder `deno task` was started in. */
function resolvePath(path: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(path)) return path;
  let base: string | undefined;
  try {
    base = Deno.env.get("INIT_CWD");
  } catch {
    base = undefined; // no permission to read INIT_CWD: relative to the working folder
  }
  return base ? `${base.replace(/[\\/]$/, "")}/${path}` : path;
}

async function readNotebookFile(
  path: string,
): Promise<{ notebook: NotebookDocument; bytes: number }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NotebookFileError(`${path}: no such file`, { cause: error });
    }
    throw error;
  }
  return { notebook: parseNotebook(text, path), bytes: new TextEncoder().encode(text).length };
}

/**
 * The command: adds static figures to each notebook named in `args` (see the usage text).
 *
 * @param args Command-line arguments.
 * @returns The exit code: 0 when every notebook was written.
 */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: "string" },
      redraw: { type: "boolean", default: false },
      chromium: { type: "string" },
      help: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!positionals.length) {
    console.error(`error: name the notebook(s) to process\n\n${USAGE}`);
    return 2;
  }
  if (values.out !== undefined && positionals.length !== 1) {
    console.error("error: --out needs exactly one notebook");
    return 2;
  }
  const paths = positionals.map(resolvePath);
  const other = paths.find((path) => !path.endsWith(".ipynb"));
  if (other !== undefined) {
    console.error(`error: ${other} is not a notebook file (.ipynb)`);
    return 2;
  }
  // Fail before reading anything when no browser is installed.
  const executable = findChromium(values.chromium);
  const renderer = new FigureImageRenderer({ executable });
  try {
    for (const path of paths) {
      const before = await readNotebookFile(path);
      const result = await addStaticFigures(before.notebook, renderer, { redraw: values.redraw });
      const target = values.out === undefined ? path : resolvePath(values.out);
      const text = serializeNotebook(result.notebook);
      await writeAtomic(target, text);
      const size = (bytes: number) =>
        bytes >= 1_000_000 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1000)} KB`;
      console.log(
        `${target}: ${result.drawn} figure(s) drawn to PNG, ${result.kept} already had one, ` +
          `${result.piecesDropped} plotly.js output(s) dropped; ${size(before.bytes)} → ` +
          size(new TextEncoder().encode(text).length),
      );
      for (const large of largeOutputs(result.notebook)) {
        console.log(`  note: a large output remains (${large}); consider clearing it`);
      }
    }
  } finally {
    await renderer.close();
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
