/**
 * The fixed-width text tables of statsmodels summaries (its `SimpleTable` with the
 * `fmt_2cols` and `fmt_params` settings), reproduced column for column.
 *
 * @module
 */

import { printf } from "./format.ts";

/** Python's `str.center`: the extra space goes left when the margin and width are both odd. */
export function center(s: string, width: number): string {
  const margin = width - s.length;
  if (margin <= 0) return s;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return " ".repeat(left) + s + " ".repeat(margin - left);
}

/**
 * The two side-by-side label/value tables of a summary's header and diagnostics blocks.
 * Rows are padded to equal length; right-hand labels get two leading spaces and a width of
 * at least 21; every column is at least 18 wide.
 */
export function twoColumnTable(
  title: string,
  left: readonly (readonly [string, string])[],
  right: readonly (readonly [string, string])[],
): string[] {
  const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => {
    const [lk, lv] = left[i] ?? [" ", " "];
    const [rk, rv] = right[i] ?? [" ", " "];
    return [lk, printf("%18s", lv), printf("%-21s", "  " + rk), printf("%18s", rv)];
  });
  const widths = [0, 1, 2, 3].map((c) => Math.max(18, ...rows.map((row) => row[c].length)));
  // Labels (even columns) to the left, values to the right.
  const body = rows.map((row) =>
    row.map((cell, c) => c % 2 === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join(" ")
  );
  return decorate(title, body, []);
}

/** The coefficient table: a header row, a `-` rule, then one row per parameter. */
export function parameterTable(header: string[], stubs: string[], data: string[][]): string[] {
  const formats = ["%s", "%s", "%8s", "%s", "%11s", "%11s"];
  const cells = data.map((row) => row.map((v, c) => printf(formats[c % formats.length], v)));
  const ncol = header.length + 1;
  const widths: number[] = [];
  for (let c = 0; c < ncol; c++) {
    const contents = c === 0 ? stubs : [header[c - 1], ...cells.map((row) => row[c - 1])];
    widths.push(Math.max(10, ...contents.map((s) => s.length)));
  }
  const headerLine = [center("", widths[0]), ...header.map((h, c) => h.padStart(widths[c + 1]))]
    .join(" ");
  const rows = stubs.map((stub, i) =>
    [stub.padEnd(widths[0]), ...cells[i].map((v, c) => v.padStart(widths[c + 1]))].join(" ")
  );
  return decorate("", rows, [headerLine, "-".repeat(headerLine.length)]);
}

function decorate(title: string, body: string[], head: string[]): string[] {
  const width = body.length > 0 ? body[body.length - 1].length : head[0]?.length ?? 0;
  const lines = [...head, ...body];
  lines.unshift("=".repeat(width));
  if (title) lines.unshift(center(title, width));
  lines.push("=".repeat(width));
  return lines;
}

/**
 * Joins tables as statsmodels does: every table but the last loses its bottom rule, so
 * the next table's top rule separates them.
 */
export function joinTables(tables: string[][]): string {
  return tables.map((lines, i) => (i < tables.length - 1 ? lines.slice(0, -1) : lines))
    .flat().join("\n");
}
