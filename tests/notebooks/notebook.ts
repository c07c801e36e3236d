/**
 * The parts of the Jupyter notebook format (nbformat 4) the runner reads and writes, with the
 * queries its checks use and the normalization that keeps committed outputs free of
 * machine-specific details.
 *
 * @module
 */

import { isPlotlyPieceOutput } from "../../lib/plot/static_figures.ts";

/** A cell output, as nbformat 4 stores it. */
export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | "update_display_data";
  name?: "stdout" | "stderr";
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A notebook cell. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}

/** A notebook file. */
export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** The MIME type of a plotly figure in a display bundle. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** The MIME type of a table (nodejs-polars frames display as one). */
export const DATARESOURCE_MIME = "application/vnd.dataresource+json";

/** Joins nbformat's multi-line strings (a string or a list of lines). */
export function joinText(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : "";
}

/** Removes ANSI colour codes (the Deno kernel colours `text/plain` results). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Reads a notebook file. */
export async function readNotebook(path: string): Promise<Notebook> {
  return JSON.parse(await Deno.readTextFile(path)) as Notebook;
}

/** Writes a notebook the way Jupyter does: one-space indent, sorted keys, final newline. */
export async function writeNotebook(path: string, notebook: Notebook): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(sortKeys(notebook), null, 1) + "\n");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortKeys(inner)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/** An executed notebook with the queries the checks need. */
export class ExecutedNotebook {
  /** File name, e.g. "01_fama_french_vbr.ipynb". */
  readonly name: string;
  /** The notebook as executed. */
  readonly notebook: Notebook;

  /** Wraps an executed notebook. */
  constructor(name: string, notebook: Notebook) {
    this.name = name;
    this.notebook = notebook;
  }

  /** Code cells in order. */
  get codeCells(): Cell[] {
    return this.notebook.cells.filter((cell) => cell.cell_type === "code");
  }

  /** Every output of every code cell, with the cell's index among the code cells. */
  get outputs(): { cell: number; output: Output }[] {
    return this.codeCells.flatMap((cell, index) =>
      (cell.outputs ?? []).map((output) => ({ cell: index, output }))
    );
  }

  /** The display bundles (display_data and execute_result) holding a MIME type. */
  bundles(mime?: string): Record<string, unknown>[] {
    return this.outputs
      .map(({ output }) => output.data)
      .filter((data): data is Record<string, unknown> =>
        !!data && (mime === undefined || mime in data)
      );
  }

  /** All text a reader sees as text: `text/plain` results and stdout, without colour codes. */
  get plainText(): string {
    return this.outputs.map(({ output }) => {
      if (output.output_type === "stream" && output.name === "stdout") return joinText(output.text);
      return joinText(output.data?.["text/plain"]);
    }).map(stripAnsi).join("\n");
  }

  /** All `text/html` outputs, joined. */
  get html(): string {
    return this.bundles("text/html").map((data) => joinText(data["text/html"])).join("\n");
  }

  /** All `text/markdown` outputs, joined. */
  get markdown(): string {
    return this.bundles("text/markdown").map((data) => joinText(data["text/markdown"])).join("\n");
  }

  /**
   * The rows of every table displayed: frames as `application/vnd.dataresource+json` (polars),
   * and the library's own HTML tables (formatted frames, reports), read back from their cells.
   * A formatted percent column "X (%)" is also given as "X", in decimals, so that checks read
   * the same numbers whichever way a frame was shown.
   */
  get tables(): Record<string, unknown>[][] {
    return this.bundles().flatMap((data) => {
      const resource = data[DATARESOURCE_MIME];
      if (resource !== undefined) {
        const parsed = (typeof resource === "string" ? JSON.parse(resource) : resource) as {
          data?: Record<string, unknown>[];
        };
        return [parsed.data ?? []];
      }
      const html = data["text/html"];
      return html === undefined ? [] : htmlTables(joinText(html as string | string[]));
    });
  }

  /** The plotly figure specs displayed, in order. */
  get figures(): { data?: unknown[]; layout?: Record<string, unknown> }[] {
    return this.bundles(PLOTLY_MIME).map((data) => {
      const spec = data[PLOTLY_MIME];
      return (typeof spec === "string" ? JSON.parse(spec) : spec) as {
        data?: unknown[];
        layout?: Record<string, unknown>;
      };
    });
  }

  /** Error outputs, and stderr streams that report an error, as readable messages. */
  get errors(): string[] {
    const found: string[] = [];
    for (const { cell, output } of this.outputs) {
      const where = `code cell ${cell + 1}`;
      if (output.output_type === "error") {
        const trace = stripAnsi((output.traceback ?? []).join("\n"));
        found.push(`${where}: ${output.ename}: ${output.evalue}\n${trace}`);
      } else if (output.output_type === "stream" && output.name === "stderr") {
        const text = stripAnsi(joinText(output.text));
        if (ERROR_STREAM.test(text)) found.push(`${where} wrote to stderr: ${text.trim()}`);
      }
    }
    return found;
  }

  /** stderr text that does not look like an error (progress, warnings), for the log. */
  get stderr(): string[] {
    return this.outputs
      .filter(({ output }) => output.output_type === "stream" && output.name === "stderr")
      .map(({ cell, output }) => `code cell ${cell + 1}: ${stripAnsi(joinText(output.text))}`)
      .filter((text) => !ERROR_STREAM.test(text));
  }
}

/** stderr text that means something failed, even when the cell itself did not throw. */
const ERROR_STREAM =
  /\b(error|exception|uncaught|panic(ked)?|traceback|failed|denied|warning)\b|^\s*at /im;

/** What replaces machine-specific text in outputs, in order. */
export interface Replacement {
  /** The text to find (every occurrence). */
  from: string | RegExp;
  /** Its replacement. */
  to: string;
}

/**
 * Removes what changes from run to run without changing what a reader learns: per-cell execution
 * timestamps, and the paths and loopback addresses of this run (replaced by stable placeholders).
 * Returns a new notebook.
 */
export function normalize(notebook: Notebook, replacements: Replacement[]): Notebook {
  const copy = structuredClone(notebook);
  const clean = (text: string) =>
    replacements.reduce(
      (acc, { from, to }) =>
        typeof from === "string" ? acc.split(from).join(to) : acc.replace(from, to),
      text,
    );
  const cleanValue = (value: unknown): unknown => {
    if (typeof value === "string") return clean(value);
    if (Array.isArray(value)) return value.map(cleanValue);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, cleanValue(v)]),
      );
    }
    return value;
  };
  for (const cell of copy.cells) {
    delete cell.metadata.execution;
    if (cell.outputs) cell.outputs = cell.outputs.map((output) => cleanValue(output) as Output);
  }
  delete copy.metadata.papermill;
  return copy;
}

/**
 * What legitimately changes between two runs of an unchanged notebook: the time printed in
 * summary tables (statsmodels prints when it ran).
 */
const VOLATILE: [RegExp, string][] = [
  [/(Date:(?:\s|<[^>]*>)+)\w{3}, \d\d \w{3} \d{4}/g, "$1<date>"],
  [/(Time:(?:\s|<[^>]*>)+)\d\d:\d\d:\d\d/g, "$1<time>"],
];

/**
 * Outputs as they are compared: a figure by its plotly spec and its text only, and without the
 * outputs that carry plotly.js in pieces. A figure's `text/html` (a drawing script with a random
 * element id in a run, absent from the committed file), its `image/png` (only in the committed
 * file) and the pieces (sent before a kernel's first figure, dropped from the committed file)
 * follow from the spec and the library's version.
 */
function comparableOutputs(outputs: Output[] | undefined): Output[] {
  return (outputs ?? []).filter((output) => !isPlotlyPieceOutput(output)).map((output) => {
    if (!output.data || !(PLOTLY_MIME in output.data)) return output;
    const { [PLOTLY_MIME]: spec, "text/plain": text } = output.data;
    return { ...output, data: { [PLOTLY_MIME]: spec, "text/plain": text } };
  });
}

function masked(outputs: Output[] | undefined): string {
  return VOLATILE.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    JSON.stringify(comparableOutputs(outputs)),
  );
}

/**
 * Code cells (1-based among code cells) whose outputs differ between two runs of the same
 * notebook beyond run times (figures: beyond their spec and text, see `comparableOutputs`);
 * also reports a different number of code cells.
 */
export function changedCells(a: Notebook, b: Notebook): number[] {
  const codeA = a.cells.filter((cell) => cell.cell_type === "code");
  const codeB = b.cells.filter((cell) => cell.cell_type === "code");
  const changed: number[] = [];
  for (let i = 0; i < Math.max(codeA.length, codeB.length); i++) {
    if (!codeA[i] || !codeB[i] || masked(codeA[i].outputs) !== masked(codeB[i].outputs)) {
      changed.push(i + 1);
    }
  }
  return changed;
}

/**
 * The fresh run, except that cells whose outputs do not differ from the committed ones (as
 * {@link changedCells} compares them) keep the committed outputs, so re-running an unchanged
 * notebook leaves its file unchanged, committed figure PNGs included.
 */
export function keepUnchangedOutputs(fresh: Notebook, committed: Notebook): Notebook {
  const result = structuredClone(fresh);
  const freshCode = result.cells.filter((cell) => cell.cell_type === "code");
  const savedCode = committed.cells.filter((cell) => cell.cell_type === "code");
  if (freshCode.length !== savedCode.length) return result;
  freshCode.forEach((cell, i) => {
    const saved = savedCode[i];
    if (saved.source === cell.source || joinText(saved.source) === joinText(cell.source)) {
      if (masked(saved.outputs) === masked(cell.outputs)) cell.outputs = saved.outputs;
    }
  });
  return result;
}

function htmlText(cell: string): string {
  return cell.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();
}

/** The rows of the plain `<table>`s in an HTML output (header row of `<th>`, then `<td>` rows). */
function htmlTables(html: string): Record<string, unknown>[][] {
  const tables: Record<string, unknown>[][] = [];
  for (const [, body] of html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)) {
    const rows = [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t([hd])[^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, kind, cell]) => ({
        header: kind === "h",
        text: htmlText(cell),
      }))
    );
    const header = rows.find((cells) => cells.length && cells.every((c) => c.header));
    if (!header) continue;
    const names = header.map((c) => c.text);
    const records: Record<string, unknown>[] = [];
    for (const cells of rows) {
      if (cells === header || cells.length !== names.length || cells.some((c) => c.header)) {
        continue;
      }
      const record: Record<string, unknown> = {};
      cells.forEach((cell, j) => {
        const number = /^-?\d+(\.\d+)?(e[-+]?\d+)?%?$/.test(cell.text)
          ? Number(cell.text.replace(/%$/, ""))
          : undefined;
        const value = cell.text === "" ? null : number ?? cell.text;
        record[names[j]] = value;
        const percent = names[j].match(/^(.*) \(%\)$/);
        if (percent) record[percent[1]] = typeof value === "number" ? value / 100 : value;
      });
      records.push(record);
    }
    tables.push(records);
  }
  return tables;
}
