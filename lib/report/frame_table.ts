/**
 * A data frame shown for people: fixed decimals instead of `-0.043757000000000004` or
 * `142.5800018310547`, returns in percent with the unit in the header, and a head and tail of a
 * long frame. It reads any frame by shape (nodejs-polars, or a record of columns), so it loads no
 * dataframe library itself.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { type Cell, Table, type TableColumn } from "../display/mod.ts";

/** A frame as {@link formatFrame} reads it: nodejs-polars' shape, or a record of columns. */
export type FrameToFormat =
  | {
    readonly columns: string[];
    readonly height: number;
    getColumn(name: string): { toArray(): unknown[] };
  }
  | Record<string, ArrayLike<unknown>>;

/** Options of {@link formatFrame}. */
export interface FormatFrameOptions {
  /**
   * Columns holding decimal returns (0.0123) to show in percent (1.23), with " (%)" added to their
   * header; `true` for every numeric column. Default: none.
   */
  percent?: readonly string[] | boolean;
  /**
   * Decimals of numbers: one count for all numeric columns, or a count per column (default 4; 2 in
   * percent columns).
   */
  decimals?: number | Readonly<Record<string, number>>;
  /** Rows shown: a longer frame shows its first and last `maxRows / 2` rows (default 10). */
  maxRows?: number;
  /** A title line above the table. */
  title?: string;
}

/**
 * Formats a frame for reading: numbers with fixed decimals, decimal returns in percent with the
 * unit in the header, integers and text as they are, missing values empty, and the first and last
 * rows of a long frame with the count of those left out. The result displays itself in a notebook
 * (HTML) and prints as aligned text.
 *
 * @param frame A nodejs-polars DataFrame or a record of equal-length columns.
 * @param options Percent columns, decimals, rows shown and a title.
 * @returns a {@link Table}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFrame } from "./frame_table.ts";
 * const table = formatFrame(
 *   { period: ["2010-02", "2010-03"], return: [0.0436, -0.043757000000000004], adjClose: [142.58000183, 148.7] },
 *   { percent: ["return"], decimals: { adjClose: 2 } },
 * );
 * assert.equal(
 *   table.toString(),
 *   "period   return (%)  adjClose\n2010-02        4.36    142.58\n2010-03       -4.38    148.70",
 * );
 * ```
 */
export function formatFrame(frame: FrameToFormat, options: FormatFrameOptions = {}): Table {
  const { names, column, height } = read(frame);
  const maxRows = Math.max(2, options.maxRows ?? 10);
  // A long frame shows its first `head` rows and last `tail` rows, with a gap row between.
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  const shown = height <= maxRows
    ? [...Array(height).keys()]
    : [...Array(head).keys(), ...Array.from({ length: tail }, (_, i) => height - tail + i)];
  const values = names.map((name) => column(name));
  const numeric = values.map((v) =>
    v.every((x) => x === null || x === undefined || typeof x === "number" || typeof x === "bigint")
  );
  const integer = values.map((v, j) =>
    numeric[j] &&
    v.every((x) => x === null || x === undefined || typeof x === "bigint" || Number.isInteger(x))
  );
  const percent = (name: string, j: number) =>
    numeric[j] && !integer[j] &&
    (options.percent === true ||
      (Array.isArray(options.percent) && options.percent.includes(name)));
  const decimals = (name: string, j: number) => {
    const d = options.decimals;
    if (typeof d === "number") return d;
    if (d && d[name] !== undefined) return d[name];
    return percent(name, j) ? 2 : 4;
  };
  const columns: TableColumn[] = names.map((name, j) => {
    if (!numeric[j]) return { header: name, align: "left" };
    if (integer[j]) return { header: name, format: "%d" };
    return {
      header: percent(name, j) ? `${name} (%)` : name,
      format: `%.${decimals(name, j)}f`,
    };
  });
  const rows: Cell[][] = shown.map((t) =>
    values.map((v, j) => {
      const x = v[t];
      if (x === null || x === undefined) return null;
      if (!numeric[j]) return String(x);
      const n = Number(x);
      if (Number.isNaN(n)) return "NaN";
      return percent(names[j], j) ? n * 100 : n;
    })
  );
  if (shown.length < height) rows.splice(head, 0, names.map((_, j) => (j === 0 ? "…" : null)));
  const left = height - shown.length;
  return new Table(columns, rows, {
    title: options.title,
    note: left > 0 ? `${height} rows (${left} not shown)` : undefined,
  });
}

function read(frame: FrameToFormat): {
  names: string[];
  column: (name: string) => unknown[];
  height: number;
} {
  if (
    "getColumn" in frame && typeof frame.getColumn === "function" && Array.isArray(frame.columns)
  ) {
    const polars = frame as Extract<FrameToFormat, { getColumn: unknown }>;
    return {
      names: [...polars.columns],
      column: (name) => polars.getColumn(name).toArray(),
      height: polars.height,
    };
  }
  const record = frame as Record<string, ArrayLike<unknown>>;
  const names = Object.keys(record);
  const height = names.length === 0 ? 0 : record[names[0]].length;
  for (const name of names) {
    if (record[name].length !== height) {
      throw new InvalidArgumentError(
        `formatFrame: column "${name}" has ${record[name].length} values, "${
          names[0]
        }" has ${height}.`,
      );
    }
  }
  return { names, column: (name) => Array.from(record[name]), height };
}
