/**
 * Frames from elsewhere: every frame function accepts a nodejs-polars DataFrame or LazyFrame, a
 * danfojs DataFrame (recognised by its shape, danfojs is never imported), a record of columns or
 * an array of row objects. A Promise (a call not awaited) is refused with what to write.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame, LazyFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import { danfoColumn, type DanfoFrameLike, isDanfoFrame } from "../frame_like.ts";

/** @deprecated Use {@link DanfoFrameLike}, the one danfojs shape; this name goes in 0.2.0. */
export type DanfoLikeFrame = DanfoFrameLike;

/** Anything a frame function accepts. */
export type FrameLike =
  | DataFrame
  | LazyFrame
  | DanfoFrameLike
  | Record<string, ArrayLike<unknown>>
  | Record<string, unknown>[];

function isPolars(value: unknown): value is DataFrame {
  return value instanceof Object && typeof (value as DataFrame).getColumn === "function" &&
    typeof (value as DataFrame).lazy === "function" &&
    Array.isArray((value as DataFrame).columns);
}

/**
 * Whether a value is a nodejs-polars LazyFrame (from `scanParquet`, `scanCSV` or `frame.lazy()`),
 * recognised by its shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { isLazyFrame } from "./interop.ts";
 * const frame = pl.DataFrame({ period: ["2020-01"], ret: [0.01] });
 * assert.ok(isLazyFrame(frame.lazy()) && !isLazyFrame(frame));
 * ```
 */
export function isLazyFrame(value: unknown): value is LazyFrame {
  return value instanceof Object && typeof (value as LazyFrame).collectSync === "function" &&
    typeof (value as LazyFrame).describePlan === "function" &&
    typeof (value as DataFrame).getColumn !== "function";
}

/** Whether a value is a Promise (or any thenable): a call whose result was not awaited. */
function isThenable(value: unknown): boolean {
  return value instanceof Object && typeof (value as Promise<unknown>).then === "function";
}

/**
 * What a value is, in a few words for an error message ("a Promise", "a string (\"VBR\")").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./interop.ts";
 * assert.equal(describeValue(Promise.resolve(1)), "a Promise (a call that was not awaited)");
 * assert.equal(describeValue(42), "a number (42)");
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (isThenable(value)) return "a Promise (a call that was not awaited)";
  if (typeof value === "string") {
    return `a string ("${value.length > 20 ? value.slice(0, 20) + "…" : value}")`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return `a ${typeof value} (${String(value)})`;
}

/**
 * The error for a Promise passed where a frame is expected: it names the fix, `await`.
 *
 * @param where what received it ("analyze", "toMonthlyReturns")
 */
export function promiseError(where: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `${where} got a Promise where a frame was expected: the call that makes the frame was ` +
      "not awaited. Write await before it, e.g. `const prices = await readPriceCsv(path)` or " +
      '`(await yahooPrices("VBR", range)).prices`.',
  );
}

function dateString(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
}

function fromColumns(columns: Record<string, unknown[]>): DataFrame {
  const series = Object.entries(columns).map(([name, values]) => {
    const clean = values.map((v) =>
      v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : dateString(v)
    );
    return pl.Series(name, clean);
  });
  return pl.DataFrame(series);
}

/**
 * Converts what a user passes as a frame into a nodejs-polars DataFrame. A danfojs frame whose
 * index is not the default 0..n-1 gets it as a `period` column (or `date` for "YYYY-MM-DD"
 * labels), unless such a column exists; Date values become "YYYY-MM-DD" strings; NaN becomes null.
 * A LazyFrame is collected; a Promise is refused, naming `where` (the function given it).
 *
 * @example A danfojs-shaped frame indexed by period
 * ```ts
 * import assert from "node:assert/strict";
 * import { toPolars } from "./interop.ts";
 * const danfoLike = { columns: ["ret"], index: ["2020-01", "2020-02"], values: [[0.01], [NaN]] };
 * const frame = toPolars(danfoLike);
 * assert.ok(frame.columns.join() === "period,ret");
 * assert.ok(frame.getColumn("ret").get(1) === null);
 * ```
 */
export function toPolars(frame: FrameLike, where = "A frame function"): DataFrame {
  if (isPolars(frame)) return frame;
  if (isThenable(frame)) throw promiseError(where);
  // A lazy query runs in polars' engine; only its result reaches JavaScript.
  if (isLazyFrame(frame)) return frame.collectSync();
  if (isDanfoFrame(frame)) {
    const columns: Record<string, unknown[]> = {};
    const index = frame.index ?? [];
    const defaultIndex = index.every((label, i) => label === i);
    if (!defaultIndex) {
      const labels = index.map((l) => String(dateString(l)));
      const name = labels.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l)) ? "date" : "period";
      if (!frame.columns.includes(name)) columns[name] = labels;
    }
    for (const name of frame.columns) {
      columns[name] = Array.from(danfoColumn(frame, name) as ArrayLike<unknown>);
    }
    return fromColumns(columns);
  }
  if (Array.isArray(frame)) {
    const names = [...new Set(frame.flatMap((row) => Object.keys(row)))];
    return fromColumns(Object.fromEntries(names.map((n) => [n, frame.map((row) => row[n])])));
  }
  // A record of columns is a plain object; a Map, a Set or a class instance is something else.
  const proto = frame instanceof Object ? Object.getPrototypeOf(frame) : undefined;
  if (proto === Object.prototype || (frame instanceof Object && proto === null)) {
    const entries = Object.entries(frame);
    if (
      entries.every(([, v]) => v !== null && typeof (v as ArrayLike<unknown>).length === "number")
    ) {
      return fromColumns(
        Object.fromEntries(entries.map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>)])),
      );
    }
  }
  throw new InvalidArgumentError(
    "Expected a frame: a nodejs-polars DataFrame or LazyFrame, a danfojs DataFrame, a record " +
      "of columns ({ period: [...], ret: [...] }) or an array of row objects; got " +
      `${describeValue(frame)}.`,
  );
}

/**
 * The columns of a polars frame as plain arrays, the shape `new dfd.DataFrame(...)` of danfojs
 * (and most charting libraries) accepts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { toColumns } from "./interop.ts";
 * const columns = toColumns(pl.DataFrame({ period: ["2020-01"], ret: [0.01] }));
 * assert.ok(columns.period[0] === "2020-01" && columns.ret[0] === 0.01);
 * ```
 */
export function toColumns(frame: DataFrame): Record<string, unknown[]> {
  // One property read of the frame, not one per column (each lists all the column names).
  const getColumn = frame.getColumn.bind(frame);
  return Object.fromEntries(frame.columns.map((c) => [c, getColumn(c).toArray()]));
}

/** Numeric dtypes of polars (what `Series.isNumeric()` accepts). */
const NUMERIC_VARIANTS = new Set([
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
  "Float32",
  "Float64",
]);

/**
 * The names of a polars frame and which columns are numeric, read once. Every property read of
 * a nodejs-polars frame (even `frame.getColumn`) first lists all its columns, so on a frame of
 * thousands of columns per-column calls add up to seconds; this reads the schema in one go.
 */
export function frameSchema(frame: DataFrame): { names: string[]; numeric: Set<string> } {
  const names = frame.columns;
  const dtypes = frame.dtypes;
  return {
    names,
    numeric: new Set(names.filter((_, j) => NUMERIC_VARIANTS.has(dtypes[j].variant))),
  };
}

/**
 * Columns of a polars frame as Float64Arrays, nulls as NaN: what the numeric kernels take.
 * Many columns come out of polars stacked into one column (`unpivot`) and one typed array, each
 * column a view of it: one transfer, instead of thousands of small arrays and Series objects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { numericColumns } from "./interop.ts";
 * const frame = pl.DataFrame({ period: ["2020-01", "2020-02"], A: [0.01, null], B: [1, 2] });
 * const [a, b] = numericColumns(frame, ["A", "B"]);
 * assert.ok(a[0] === 0.01 && Number.isNaN(a[1]) && b[1] === 2);
 * ```
 */
export function numericColumns(frame: DataFrame, names: readonly string[]): Float64Array[] {
  if (names.length === 0) return [];
  const stacked = frame.unpivot([], [...names])
    .select(pl.col("value").cast(pl.Float64).fillNull(pl.lit(NaN)))
    .getColumn("value").toTypedArray() as Float64Array;
  const height = stacked.length / names.length;
  return names.map((_, j) => stacked.subarray(j * height, (j + 1) * height));
}
