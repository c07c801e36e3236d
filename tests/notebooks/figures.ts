/**
 * Lean figure outputs for the committed notebooks: `deno task notebooks --update` writes each
 * figure output in the static form of lib/plot/static_figures.ts (the plotly spec, a PNG drawn by
 * plotly.js in offline headless Chromium, the text) and drops the outputs that carried plotly.js
 * in pieces — what the hand-in command (`deno task figures`) does to a student's notebook.
 *
 * Running the notebook displays the interactive figure again. The comparison of a fresh run with
 * the committed outputs looks only at a figure's spec and text, and skips the plotly.js pieces
 * (see `comparableOutputs` in notebook.ts), so the PNGs and the dropped HTML never count as
 * changes, and an unchanged figure keeps its committed PNG.
 *
 * @module
 */

import {
  addStaticFigures,
  type FigureDrawer,
  isPlotlyPieceOutput,
  type NotebookDocument,
  PLOTLY_MIME,
} from "../../lib/plot/static_figures.ts";
import { joinText, type Notebook, type Output } from "./notebook.ts";

export { FigureImageRenderer, PNG_WIDTH } from "../../lib/plot/static_figures.ts";

/** The figure outputs (display bundles with a plotly spec) of a notebook's code cells. */
function figureOutputs(notebook: Notebook): { cell: number; output: Output }[] {
  return notebook.cells.filter((cell) => cell.cell_type === "code")
    .flatMap((cell, index) => (cell.outputs ?? []).map((output) => ({ cell: index + 1, output })))
    .filter(({ output }) => !!output.data && PLOTLY_MIME in output.data);
}

/** True when a figure bundle is in its committed form: a PNG and no HTML. */
function isLean(data: Record<string, unknown>): boolean {
  return joinText(data["image/png"]).startsWith("iVBORw0KGgo") && !("text/html" in data);
}

/**
 * The notebook with every figure output in its committed form. Outputs already in that form
 * (kept from the committed file because their spec did not change) are left alone, so their
 * PNGs are not redrawn. Returns a new notebook and how many figures were drawn.
 */
export async function leanFigures(
  notebook: Notebook,
  drawer: FigureDrawer,
): Promise<{ notebook: Notebook; rendered: number }> {
  const result = await addStaticFigures(notebook as unknown as NotebookDocument, drawer);
  return { notebook: result.notebook as unknown as Notebook, rendered: result.drawn };
}

/** Why a committed notebook's figure outputs are not in their committed form; empty if they are. */
export function leanProblems(notebook: Notebook): string[] {
  const problems = figureOutputs(notebook).filter(({ output }) => !isLean(output.data!)).map((
    { cell },
  ) =>
    `code cell ${cell}: the committed figure output carries HTML (plotly.js, a drawing script) ` +
    `or lacks its PNG; run deno task notebooks --update and commit the result`
  );
  notebook.cells.filter((cell) => cell.cell_type === "code").forEach((cell, index) => {
    if ((cell.outputs ?? []).some(isPlotlyPieceOutput)) {
      problems.push(
        `code cell ${index + 1}: the committed notebook carries pieces of plotly.js; run ` +
          `deno task notebooks --update and commit the result`,
      );
    }
  });
  return problems;
}
