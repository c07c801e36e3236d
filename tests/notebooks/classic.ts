/**
 * The pure parts of the classic Notebook check (classic_check.ts): what a cell's outputs are,
 * compared kind by kind with the outputs the committed notebook carries for the same cell; the
 * size of a WebSocket frame as Chromium reports it; one run's counts, its shortfalls and the
 * table printed at the end.
 *
 * @module
 */

import { isPlotlyPieceHtml } from "../../lib/plot/plotly_js.ts";
import { joinText, type Notebook, PLOTLY_MIME } from "./notebook.ts";

/** No single message the page receives may reach this size (issue 11: under 1 MB). */
export const MAX_MESSAGE_BYTES = 1_000_000;

/** One output as the page's notebook model holds it, reduced to what the check compares. */
export interface OutputSummary {
  output_type: string;
  /** The stream's name (`stdout`, `stderr`) for stream outputs. */
  name?: string;
  /** The MIME types of a display bundle. */
  mimes?: string[];
  /** The start of the bundle's `text/html` (enough to recognise a plotly.js piece). */
  htmlHead?: string;
  /** Whether the output's metadata marks it as a piece of plotly.js. */
  piece?: boolean;
  /** For errors: the exception's name and value. */
  ename?: string;
  evalue?: string;
}

/** One code cell as the page shows it after a run. */
export interface CellObservation {
  /** The cell's execution count, `"*"` while it runs, null when never run. */
  prompt: number | string | null;
  /** Whether the cell has code (classic Notebook skips empty cells). */
  hasCode: boolean;
  outputs: OutputSummary[];
  /** `.js-plotly-plot` elements in the cell's output area that have an SVG drawn. */
  drawn: number;
}

/** The order in which a display bundle's "main" MIME type is chosen for comparison. */
const MAIN_MIMES = [
  PLOTLY_MIME,
  "application/vnd.dataresource+json",
  "text/markdown",
  "text/html",
  "image/png",
  "text/plain",
];

/** Whether an output is one of the pieces that carry plotly.js (not a figure). */
export function isPiece(output: OutputSummary): boolean {
  return !!output.piece ||
    (output.output_type === "display_data" && isPlotlyPieceHtml(output.htmlHead ?? ""));
}

/**
 * The kinds of a cell's outputs, sorted: each display bundle as `output_type:main MIME` (plotly
 * first, then tables, markdown, HTML, PNG, text; counted), each stream by name (once: front ends
 * merge consecutive stream messages differently), errors as `error`. Pieces of plotly.js are left
 * out: the committed notebooks drop them.
 *
 * @param outputs The cell's outputs.
 * @returns The kinds, sorted, so two cells compare as multisets.
 */
export function cellSignature(outputs: OutputSummary[]): string[] {
  const kinds: string[] = [];
  const streams = new Set<string>();
  for (const output of outputs) {
    if (isPiece(output)) continue;
    if (output.output_type === "stream") {
      streams.add(`stream:${output.name ?? "?"}`);
    } else if (output.output_type === "error") {
      kinds.push("error");
    } else {
      const mimes = output.mimes ?? [];
      const main = MAIN_MIMES.find((mime) => mimes.includes(mime)) ?? [...mimes].sort()[0] ?? "";
      kinds.push(`${output.output_type}:${main}`);
    }
  }
  return [...kinds, ...streams].sort();
}

/**
 * The outputs of a notebook file's code cells, reduced as the page's are.
 *
 * @param notebook A notebook (nbformat 4).
 * @returns One list of output summaries per code cell, in order.
 */
export function notebookOutputs(notebook: Notebook): OutputSummary[][] {
  return notebook.cells.filter((cell) => cell.cell_type === "code").map((cell) =>
    (cell.outputs ?? []).map((output) => ({
      output_type: output.output_type,
      name: output.name,
      mimes: output.data ? Object.keys(output.data) : undefined,
      htmlHead: output.data ? joinText(output.data["text/html"]).slice(0, 200) : undefined,
      piece: !!output.metadata && "factorlab_plotly_piece" in output.metadata,
      ename: output.ename,
      evalue: output.evalue,
    }))
  );
}

/** Figures (plotly bundles) among a cell's outputs. */
export function figureCount(outputs: OutputSummary[]): number {
  return outputs.filter((output) => !isPiece(output) && (output.mimes ?? []).includes(PLOTLY_MIME))
    .length;
}

/** A code cell whose outputs differ in kind from the reference's. */
export interface Misplaced {
  /** What differs: the 1-based code-cell number, the kinds expected and the kinds shown. */
  text: string;
  /** Whether the cell's figures differ (a figure missing from it, or another cell's in it). */
  figure: boolean;
}

/**
 * The cells whose outputs differ in kind from the reference's cell at the same place: an output
 * missing, an extra one, or one that landed under another cell.
 *
 * @param reference The outputs of the committed notebook's code cells.
 * @param observed The code cells as the page shows them.
 * @returns One entry per differing cell; a different number of cells counts as a figure problem.
 */
export function misplacedOutputs(
  reference: OutputSummary[][],
  observed: CellObservation[],
): Misplaced[] {
  const problems: Misplaced[] = [];
  if (reference.length !== observed.length) {
    problems.push({
      text: `the page has ${observed.length} code cells, the notebook file ${reference.length}`,
      figure: true,
    });
  }
  for (let i = 0; i < Math.min(reference.length, observed.length); i++) {
    const expected = cellSignature(reference[i]);
    const seen = cellSignature(observed[i].outputs);
    if (expected.join() !== seen.join()) {
      problems.push({
        text: `code cell ${i + 1}: expected [${expected.join(", ")}], the page shows [${
          seen.join(", ")
        }]`,
        figure: figureCount(reference[i]) !== figureCount(observed[i].outputs),
      });
    }
  }
  return problems;
}

/**
 * Bytes of a WebSocket frame from Chromium's `Network.webSocketFrameReceived` event: text
 * frames (opcode 1) as UTF-8, binary frames (opcode 2) as the length their base64 decodes to.
 *
 * @param response The event's `response` (`opcode`, `payloadData`).
 * @returns The payload's size in bytes.
 */
export function frameBytes(response: { opcode?: number; payloadData?: string }): number {
  const data = response.payloadData ?? "";
  if (response.opcode === 2) {
    const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
    return Math.floor(data.length / 4) * 3 - padding;
  }
  return new TextEncoder().encode(data).length;
}

/** What one "Restart & Run All" of a notebook gave. */
export interface RunResult {
  notebook: string;
  run: number;
  /** Code cells with code, and how many of them have an execution count after the run. */
  codeCells: number;
  executed: number;
  /** Figures the committed notebook carries, figure bundles the page received, figures drawn. */
  figuresExpected: number;
  figuresReceived: number;
  figuresDrawn: number;
  errors: string[];
  misplaced: Misplaced[];
  /** Largest WebSocket message the page received during the run, in bytes. */
  largestMessage: number;
  messages: number;
  /** From choosing "Restart & Run All" to the last cell finished, in seconds. */
  seconds: number;
  /** Set when the run did not finish in time (or failed otherwise). */
  failure?: string;
}

/**
 * Counts one run from the page's cells and the reference (the committed notebook's outputs).
 *
 * @param base Notebook name, run number, message sizes, time and failure, if any.
 * @param reference The committed notebook's outputs, per code cell.
 * @param cells The code cells as the page shows them.
 * @returns The run's counts.
 */
export function summarizeRun(
  base: Pick<RunResult, "notebook" | "run" | "largestMessage" | "messages" | "seconds" | "failure">,
  reference: OutputSummary[][],
  cells: CellObservation[],
): RunResult {
  const withCode = cells.filter((cell) => cell.hasCode);
  return {
    ...base,
    codeCells: withCode.length,
    executed: withCode.filter((cell) => typeof cell.prompt === "number").length,
    figuresExpected: reference.reduce((sum, outputs) => sum + figureCount(outputs), 0),
    figuresReceived: cells.reduce((sum, cell) => sum + figureCount(cell.outputs), 0),
    figuresDrawn: cells.reduce((sum, cell) => sum + cell.drawn, 0),
    errors: cells.flatMap((cell, i) =>
      cell.outputs.filter((output) => output.output_type === "error").map((output) =>
        `code cell ${i + 1}: ${output.ename ?? "Error"}: ${output.evalue ?? ""}`
      )
    ),
    misplaced: misplacedOutputs(reference, cells),
  };
}

/**
 * What is wrong with a run; empty when it passed: not finished in time, a cell not run, fewer
 * figures drawn or received than the notebook has, an error output, a figure under the wrong
 * cell, a message of 1 MB or more. Other outputs under the wrong cell are {@link warnings}.
 *
 * @param result The run's counts.
 * @returns One line per shortfall.
 */
export function shortfalls(result: RunResult): string[] {
  const problems: string[] = [];
  if (result.failure) problems.push(result.failure);
  if (result.executed < result.codeCells) {
    problems.push(
      `${result.codeCells - result.executed} of ${result.codeCells} code cells not run`,
    );
  }
  if (result.figuresDrawn < result.figuresExpected) {
    problems.push(`${result.figuresDrawn} of ${result.figuresExpected} figures drawn`);
  }
  if (result.figuresReceived !== result.figuresExpected) {
    problems.push(
      `${result.figuresReceived} figure outputs received, the notebook has ${result.figuresExpected}`,
    );
  }
  problems.push(...result.errors.map((error) => `error output: ${error}`));
  problems.push(
    ...result.misplaced.filter((m) => m.figure).map((m) => `figures differ: ${m.text}`),
  );
  if (result.largestMessage >= MAX_MESSAGE_BYTES) {
    problems.push(
      `a message of ${result.largestMessage} bytes reached the page (limit ${MAX_MESSAGE_BYTES})`,
    );
  }
  return problems;
}

/**
 * What a run showed that does not fail it: outputs other than figures shown under another cell.
 * Deno's kernel (2.9) sometimes labels a cell's last output with the request of the cell after
 * it when "Run All" has queued every request; the library cannot prevent that (docs/notebooks.md).
 *
 * @param result The run's counts.
 * @returns One line per cell whose outputs other than figures differ.
 */
export function warnings(result: RunResult): string[] {
  return result.misplaced.filter((m) => !m.figure).map((m) => `outputs differ: ${m.text}`);
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/**
 * The results as a Markdown table, one row per notebook and run.
 *
 * @param results The runs.
 * @returns The table's lines.
 */
export function resultTable(results: RunResult[]): string[] {
  const header = [
    "notebook",
    "run",
    "cells run",
    "figures drawn/expected",
    "errors",
    "misplaced (figures)",
    "largest message",
    "messages",
    "time",
    "result",
  ];
  const rows = results.map((r) => [
    r.notebook,
    String(r.run),
    `${r.executed}/${r.codeCells}`,
    `${r.figuresDrawn}/${r.figuresExpected}`,
    String(r.errors.length),
    `${r.misplaced.length} (${r.misplaced.filter((m) => m.figure).length})`,
    kilobytes(r.largestMessage),
    String(r.messages),
    `${r.seconds.toFixed(1)} s`,
    shortfalls(r).length ? "FAIL" : "ok",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/**
 * Reads the options of classic_check.ts: `--runs N` (default 3), `--timeout-minutes M` per run
 * (default 20) and notebook name prefixes.
 *
 * @param args The command-line arguments.
 * @returns The runs per notebook, the limit per run in ms and the prefixes.
 * @throws {Error} when a number is not a positive integer.
 */
export function parseOptions(
  args: string[],
): { runs: number; timeoutMs: number; prefixes: string[] } {
  let runs = 3;
  let minutes = 20;
  const prefixes: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--(runs|timeout-minutes)(?:=(.*))?$/.exec(args[i]);
    if (!match) {
      if (args[i].startsWith("--")) {
        throw new Error(`unknown option ${args[i]} (known: --runs N, --timeout-minutes M)`);
      }
      prefixes.push(args[i]);
      continue;
    }
    const text = match[2] ?? args[++i];
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`--${match[1]} needs a positive whole number, got ${text ?? "nothing"}`);
    }
    if (match[1] === "runs") runs = value;
    else minutes = value;
  }
  return { runs, timeoutMs: minutes * 60_000, prefixes };
}
