/**
 * The hand-in step (lib/plot/static_figures.ts, `deno task figures`): static PNGs for the figures
 * of a saved notebook. The notebook here is made of the messages the library really sends in
 * Deno's kernel (plotly.js in pieces, then the figures), stored the way Jupyter saves outputs
 * (long text split into lines). The same command also runs on the notebooks executed by the real
 * kernel in `deno task notebooks:browser`.
 */
import assert from "node:assert/strict";
import { exposureChart, fittedChart, setPlotlyInlining } from "../lib/plot/mod.ts";
import { BrowserError, findChromium } from "../lib/plot/chromium.ts";
import {
  addStaticFigures,
  FigureImageRenderer,
  isPlotlyPieceOutput,
  main,
  type NotebookDocument,
  NotebookFileError,
  type NotebookOutput,
  parseNotebook,
  PLOTLY_MIME,
  PNG_WIDTH,
  serializeNotebook,
} from "../lib/plot/static_figures.ts";
import { CHROMIUM, chromiumAvailable } from "./support/chromium.ts";

const DISPLAY = Symbol.for("Jupyter.display");

const available = await chromiumAvailable();
if (!available) {
  console.warn(`static_figures_test: ${CHROMIUM} is not installed; drawing tests skipped`);
}

/** nbformat writes text MIME types as lists of lines, each keeping its newline. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function saved(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map((
      [mime, value],
    ) => [mime, typeof value === "string" && mime.startsWith("text/") ? splitLines(value) : value]),
  );
}

const exposure = exposureChart({
  names: ["MKT_RF", "SMB", "HML", "RMW"],
  betas: [1.0136, 0.5574, 0.403, -0.06],
  lower: [0.9811, 0.4961, 0.3547, -0.15],
  upper: [1.0461, 0.6187, 0.4513, 0.04],
  title: "Factor Exposures for VBR",
});
const fitted = fittedChart({
  periods: ["2020-01", "2020-02", "2020-03", "2020-04"],
  actual: [0.01, -0.02, 0.015, 0.03],
  fitted: [0.012, -0.018, 0.011, 0.027],
});

/**
 * A notebook as a front end saves it after a kernel run: a markdown cell, a cell that printed
 * and displayed a table, a cell whose result is the first figure (so the kernel sent plotly.js
 * in pieces first) and a cell displaying the second figure.
 */
async function executedNotebook(): Promise<{ notebook: NotebookDocument; pieces: number }> {
  const outputs: NotebookOutput[][] = [[], []];
  const jupyter = Deno as unknown as { jupyter: unknown };
  setPlotlyInlining("once");
  let cell = outputs[0];
  jupyter.jupyter = {
    broadcast: (type: string, content: { data: Record<string, unknown>; metadata: object }) => {
      assert.equal(type, "display_data");
      cell.push({
        output_type: "display_data",
        data: saved(content.data),
        metadata: content.metadata as Record<string, unknown>,
      });
      return Promise.resolve();
    },
  };
  try {
    const display = (fig: unknown) =>
      (fig as Record<symbol, () => Promise<Record<string, unknown>>>)[DISPLAY]();
    const first = await display(exposure);
    const pieces = cell.length;
    cell.push({
      output_type: "execute_result",
      execution_count: 3,
      data: saved(first),
      metadata: {},
    });
    cell = outputs[1];
    const second = await display(fitted);
    cell.push({ output_type: "display_data", data: saved(second), metadata: {} });
    const notebook: NotebookDocument = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
      cells: [
        { cell_type: "markdown", id: "intro", metadata: {}, source: ["# VBR\n", "Handing in."] },
        {
          cell_type: "code",
          id: "table",
          metadata: {},
          execution_count: 2,
          source: ["console.log(1);\n", "summary"],
          outputs: [
            { output_type: "stream", name: "stdout", text: ["1\n"] },
            {
              output_type: "execute_result",
              execution_count: 2,
              metadata: {},
              data: saved({ "text/html": "<table><tr><td>β</td></tr></table>", "text/plain": "β" }),
            },
          ],
        },
        {
          cell_type: "code",
          id: "fig1",
          metadata: {},
          execution_count: 3,
          source: ["fig"],
          outputs: outputs[0],
        },
        {
          cell_type: "code",
          id: "fig2",
          metadata: {},
          execution_count: 4,
          source: ["await Deno.jupyter.display(fitted)"],
          outputs: outputs[1],
        },
      ],
    };
    return { notebook, pieces };
  } finally {
    jupyter.jupyter = undefined;
    setPlotlyInlining("once");
  }
}

/** Width and height from a base64 PNG's IHDR chunk. */
function pngSize(base64: string): { width: number; height: number } {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  assert.deepEqual([...bytes.slice(1, 4)], [80, 78, 71], "a PNG");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

Deno.test("a kernel-run notebook's outputs: the pieces of plotly.js are recognised, the figures are not", async () => {
  const { notebook, pieces } = await executedNotebook();
  const all = notebook.cells.flatMap((cell) => cell.outputs ?? []);
  assert.equal(all.filter(isPlotlyPieceOutput).length, pieces);
  assert.ok(pieces >= 8);
  // Without the metadata (a front end that drops it), the HTML still identifies a piece.
  const bare = { ...all.find(isPlotlyPieceOutput)!, metadata: {} };
  assert.ok(isPlotlyPieceOutput(bare));
  assert.equal(all.filter((o) => !!o.data && PLOTLY_MIME in o.data).length, 2);
});

Deno.test({
  name: "hand-in: every figure gets a PNG of its size, plotly.js and scripts go, the rest is kept",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { notebook, pieces } = await executedNotebook();
    const before = structuredClone(notebook);
    const dir = await Deno.makeTempDir({ dir: "data", prefix: "static_figures_" });
    const renderer = new FigureImageRenderer({ executable: CHROMIUM, tempDir: dir });
    try {
      const result = await addStaticFigures(notebook, renderer);
      assert.deepEqual(notebook, before, "the input notebook is not changed");
      assert.equal(result.drawn, 2);
      assert.equal(result.kept, 0);
      assert.equal(result.piecesDropped, pieces);

      const [intro, table, fig1, fig2] = result.notebook.cells;
      assert.deepEqual(intro, before.cells[0]);
      assert.deepEqual(table, before.cells[1]);
      assert.equal(fig1.outputs!.length, 1, "only the figure is left in the first figure's cell");
      const [first] = fig1.outputs!;
      const [second] = fig2.outputs!;
      assert.equal(first.output_type, "execute_result");
      assert.equal((first as { execution_count?: number }).execution_count, 3);
      for (const [output, fig] of [[first, exposure], [second, fitted]] as const) {
        const data = output.data!;
        assert.deepEqual(Object.keys(data).sort(), [PLOTLY_MIME, "image/png", "text/plain"]);
        assert.deepEqual(data[PLOTLY_MIME], { ...fig.spec, config: fig.spec.config });
        assert.deepEqual(data["text/plain"], [String(fig)]);
        const size = pngSize(data["image/png"] as string);
        assert.deepEqual(size, { width: PNG_WIDTH, height: fig.spec.layout.height as number });
        const bytes = new TextEncoder().encode(JSON.stringify(output)).length;
        assert.ok(bytes < 200_000, `a figure output is ${bytes} bytes`);
      }
      const text = serializeNotebook(result.notebook);
      assert.ok(!/<script/i.test(text), "no script is left");
      assert.ok(text.length < 400_000, `the notebook is ${text.length} characters`);
      assert.ok(JSON.stringify(before).length > 4_000_000, "it carried plotly.js before");

      // Handing in twice changes nothing and draws nothing.
      const again = await addStaticFigures(result.notebook, {
        render: () => Promise.reject(new Error("nothing should be drawn")),
      });
      assert.deepEqual(again.notebook, result.notebook);
      assert.equal(again.kept, 2);
      assert.equal(again.drawn, 0);
      // The file reads back as the same notebook.
      assert.deepEqual(parseNotebook(text, "hw.ipynb"), result.notebook);
    } finally {
      await renderer.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("hand-in command: a missing browser is a clear error that says how to install one, and the notebook is untouched", async () => {
  const { notebook } = await executedNotebook();
  const dir = await Deno.makeTempDir({ dir: "data", prefix: "static_figures_" });
  try {
    const path = `${dir}/hw.ipynb`;
    const text = serializeNotebook(notebook);
    await Deno.writeTextFile(path, text);
    const missing = `${dir}/no-chromium`;
    await assert.rejects(
      main([`--chromium=${missing}`, path]),
      (e: unknown) =>
        e instanceof BrowserError && e.message.startsWith(`No browser program at ${missing}.`) &&
        /apt-get install chromium/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(path), text);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["hw.ipynb"]);
    assert.throws(
      () => findChromium(missing),
      (e: unknown) => e instanceof BrowserError && /--chromium=PATH/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hand-in command: wrong arguments and files that are not notebooks are refused by name", async () => {
  const dir = await Deno.makeTempDir({ dir: "data", prefix: "static_figures_" });
  const quiet = console.error;
  console.error = () => {};
  try {
    assert.equal(await main([]), 2);
    assert.equal(await main(["--out=x.ipynb", "a.ipynb", "b.ipynb"]), 2);
    assert.equal(await main(["notes.txt"]), 2);
  } finally {
    console.error = quiet;
  }
  try {
    await Deno.writeTextFile(`${dir}/broken.ipynb`, '{"cells": [');
    await assert.rejects(
      main([`--chromium=${CHROMIUM}`, `${dir}/broken.ipynb`]),
      (e: unknown) =>
        e instanceof NotebookFileError && e.message.includes("broken.ipynb is not a notebook"),
    );
    assert.throws(
      () => parseNotebook('{"cells": [], "nbformat": 3}', "old.ipynb"),
      (e: unknown) => e instanceof NotebookFileError && /format 3/.test(e.message),
    );
    await assert.rejects(
      main([`--chromium=${CHROMIUM}`, `${dir}/absent.ipynb`]),
      (e: unknown) =>
        e instanceof NotebookFileError && /absent\.ipynb: no such file/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
