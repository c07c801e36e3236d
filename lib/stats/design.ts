/**
 * Turns what users pass as regression data (arrays, records of named columns, rows,
 * nodejs-polars or danfojs frames) into a checked numeric design: `y` and a
 * column-major `X` with names. Frames are recognised by their shape (duck typing), so
 * this layer imports neither polars nor danfojs.
 *
 * @module
 */

import { danfoColumn, type DanfoFrameLike, isDanfoFrame } from "../frame_like.ts";
import { RegressionInputError } from "./errors.ts";

export type { DanfoFrameLike };

/** A one-dimensional column: polars Series and danfojs Series qualify by shape. */
export interface SeriesLike {
  /** Column name, used as the default dependent-variable name. */
  readonly name?: string;
  /** All values as a plain array (polars). */
  toArray?(): unknown[];
  /** All values (danfojs). */
  readonly values?: unknown;
}

/** A nodejs-polars DataFrame, recognised by `columns` and `getColumn`. */
export interface PolarsFrameLike {
  /** Column names in order. */
  readonly columns: string[];
  /** One column as a Series. */
  getColumn(name: string): { toArray(): unknown[] };
}

/** A nodejs-polars LazyFrame (`scanParquet`, `frame.lazy()`): collected before it is read. */
export interface LazyFrameLike {
  /** Runs the query. */
  collectSync(): PolarsFrameLike;
  /** The query plan (how a LazyFrame is told apart from other objects). */
  describePlan(): string;
}

/** Values of the dependent variable: numbers (null/undefined/NaN count as missing) or a Series. */
export type ResponseInput = ArrayLike<number | null | undefined> | SeriesLike;

/**
 * Regressors: a record of named columns, a polars or danfojs DataFrame (every column is a
 * regressor), or an array of rows (named `x1`, `x2`, … and `const` for a constant column,
 * as statsmodels names the columns of an array).
 */
export type RegressorsInput =
  | Record<string, ArrayLike<number | boolean | null | undefined>>
  | PolarsFrameLike
  | LazyFrameLike
  | DanfoFrameLike
  | ArrayLike<ArrayLike<number | null | undefined>>;

/** What to do with rows that have NaN, null or ±Infinity in `y` or any column of `X`. */
export type MissingPolicy = "raise" | "drop";

/** A checked design ready for least squares. */
export interface Design {
  /** Dependent variable, one value per kept row. */
  y: Float64Array;
  /** Regressors, column-major `nobs × k`. */
  x: Float64Array;
  /** Number of kept rows. */
  nobs: number;
  /** Number of regressors. */
  k: number;
  /** Regressor names, in column order. */
  names: string[];
  /** Name found on the response (a Series name), if any. */
  yname: string | undefined;
  /** Indices (in the input) of the rows dropped for missing values. */
  droppedRows: number[];
  /** Index of the constant column, or -1 when there is none. */
  constIndex: number;
}

/** Named numeric columns, as read from any accepted regressor input. */
export interface NamedColumns {
  /** Column names, in order. */
  names: string[];
  /** One `Float64Array` per name (missing values as NaN). */
  columns: Float64Array[];
}

/** Options of {@linkcode buildDesign}. */
export interface DesignOptions {
  /** Prepend a `const` column of ones (skipped when X already has a constant column). */
  addConstant?: boolean;
  /** Rows with missing or infinite values: `"raise"` (default) or `"drop"`. */
  missing?: MissingPolicy;
}

/** Reads the response into a `Float64Array` (missing as NaN) and its name, if it has one. */
export function readResponse(y: ResponseInput): { values: Float64Array; name: string | undefined } {
  if (y == null) throw new RegressionInputError("y is missing: pass the dependent variable.");
  const series = y as SeriesLike;
  let raw: ArrayLike<unknown>;
  if (typeof series.toArray === "function") raw = series.toArray();
  else if (!isArrayLike(y) && series.values !== undefined) raw = toArrayLike(series.values);
  else raw = y as ArrayLike<unknown>;
  if (!isArrayLike(raw)) {
    throw new RegressionInputError(
      "y must be an array of numbers, a Float64Array or a Series; got " + describe(y) + ".",
    );
  }
  const name = typeof series.name === "string" && series.name !== "" ? series.name : undefined;
  return { values: toNumbers(raw, "y"), name };
}

/** Reads any accepted regressor input into named numeric columns. */
export function readRegressors(x: RegressorsInput): NamedColumns {
  if (x == null) {
    throw new RegressionInputError("X is missing: pass the regressors (named columns or a frame).");
  }
  if (isThenable(x)) {
    throw new RegressionInputError(
      "X is a Promise, not a frame: the call that makes it was not awaited. Write await " +
        "before it (e.g. `const returns = await …`).",
    );
  }
  const lazy = x as Partial<LazyFrameLike>;
  if (typeof lazy.collectSync === "function" && typeof lazy.describePlan === "function") {
    // A polars LazyFrame: polars runs the query, and its result is read like any frame.
    return readRegressors(lazy.collectSync());
  }
  const frame = x as Partial<PolarsFrameLike>;
  if (Array.isArray(frame.columns) && typeof frame.getColumn === "function") {
    const names = [...frame.columns];
    // Every property read of a nodejs-polars frame lists all its columns first: read the
    // method once, not once per column, or a frame of thousands of columns takes seconds.
    const getColumn = frame.getColumn.bind(frame);
    return {
      names,
      columns: names.map((n) => toNumbers(getColumn(n).toArray(), n)),
    };
  }
  if (isDanfoFrame(x)) {
    const names = [...x.columns];
    return { names, columns: names.map((n) => toNumbers(toArrayLike(danfoColumn(x, n)), n)) };
  }
  if (isArrayLike(x)) return readRows(x as ArrayLike<ArrayLike<number | null | undefined>>);
  if (typeof x !== "object") {
    throw new RegressionInputError(
      "X must be a record of named columns, a DataFrame or an array of rows; got " +
        describe(x) + ".",
    );
  }
  const record = x as Record<string, unknown>;
  const names = Object.keys(record);
  return {
    names,
    columns: names.map((n) => {
      const col = record[n];
      if (!isArrayLike(col) || typeof col === "string") {
        throw new RegressionInputError(
          `X column "${n}" is ${describe(col)}, not an array of numbers.`,
        );
      }
      return toNumbers(col, n);
    }),
  };
}

function readRows(rows: ArrayLike<ArrayLike<number | null | undefined>>): NamedColumns {
  const n = rows.length;
  if (n === 0) return { names: [], columns: [] };
  const k = isArrayLike(rows[0]) ? rows[0].length : -1;
  if (k < 0) {
    throw new RegressionInputError(
      "X given as an array must be an array of rows (arrays of numbers); row 0 is " +
        describe(rows[0]) + ".",
    );
  }
  const columns = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!isArrayLike(row) || row.length !== k) {
      throw new RegressionInputError(
        `X row ${i} has ${isArrayLike(row) ? row.length : "no"} values, row 0 has ${k}: ` +
          "every row needs one value per regressor.",
      );
    }
    for (let j = 0; j < k; j++) columns[j][i] = toNumber(row[j], `x${j + 1}`);
  }
  // statsmodels' names for an array: x1..xk, with the (first) constant column called const.
  const constAt = columns.findIndex((c) => isConstant(c));
  const names: string[] = [];
  let next = 1;
  for (let j = 0; j < k; j++) names.push(j === constAt ? "const" : `x${next++}`);
  return { names, columns };
}

/**
 * Builds the checked design for `ols`: aligns y and X, handles missing values, adds the
 * constant on request and rejects inputs that cannot be estimated, with messages that
 * name the offending column.
 */
export function buildDesign(
  yInput: ResponseInput,
  xInput: RegressorsInput,
  options: DesignOptions = {},
): Design {
  const missing = options.missing ?? "raise";
  if (missing !== "raise" && missing !== "drop") {
    throw new RegressionInputError(`missing must be "raise" or "drop", not ${describe(missing)}.`);
  }
  const { values: yAll, name: yname } = readResponse(yInput);
  let { names, columns } = readRegressors(xInput);
  if (names.length === 0) {
    throw new RegressionInputError(
      "X has no columns: pass at least one regressor (or use addConstant for a mean-only model " +
        "with a column of ones).",
    );
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new RegressionInputError(`X has two columns named "${duplicate}": rename one.`);
  }
  const nAll = yAll.length;
  for (let j = 0; j < names.length; j++) {
    if (columns[j].length !== nAll) {
      throw new RegressionInputError(
        `Length mismatch: y has ${nAll} values but X column "${names[j]}" has ` +
          `${columns[j].length}. Align y and X first (for example join them on the period).`,
      );
    }
  }
  if (options.addConstant && !columns.some((c) => isConstant(c))) {
    if (names.includes("const")) {
      throw new RegressionInputError(
        'addConstant would add a column "const" but X already has a non-constant column of ' +
          "that name: rename it.",
      );
    }
    names = ["const", ...names];
    columns = [new Float64Array(nAll).fill(1), ...columns];
  }

  const bad = new Uint8Array(nAll);
  const parts = [
    missingValues("y", yAll, bad),
    ...names.map((n, j) => missingValues(`X column "${n}"`, columns[j], bad)),
  ].filter((part) => part !== null);
  const droppedRows: number[] = [];
  for (let i = 0; i < nAll; i++) if (bad[i]) droppedRows.push(i);
  if (droppedRows.length > 0 && missing === "raise") {
    throw new RegressionInputError(
      `${parts.join("; ")}. Clean the data, or pass { missing: "drop" } to drop the ` +
        `${droppedRows.length} affected row${droppedRows.length === 1 ? "" : "s"}.`,
    );
  }
  const nobs = nAll - droppedRows.length;
  const k = names.length;
  const y = new Float64Array(nobs);
  const x = new Float64Array(nobs * k);
  for (let i = 0, r = 0; i < nAll; i++) {
    if (bad[i]) continue;
    y[r] = yAll[i];
    for (let j = 0; j < k; j++) x[j * nobs + r] = columns[j][i];
    r++;
  }

  if (nobs <= k) {
    const dropped = droppedRows.length > 0
      ? ` (after dropping ${droppedRows.length} rows with missing values)`
      : "";
    throw new RegressionInputError(
      `Too few observations: ${nobs}${dropped} for ${k} regressors (${names.join(", ")}). ` +
        "OLS needs more observations than regressors; use a longer sample or fewer regressors.",
    );
  }

  let constIndex = -1;
  const constants: string[] = [];
  for (let j = 0; j < k; j++) {
    const col = x.subarray(j * nobs, (j + 1) * nobs);
    if (!isConstant(col)) continue;
    if (col[0] === 0) {
      throw new RegressionInputError(
        `X column "${names[j]}" is all zeros: it carries no information and makes X rank ` +
          "deficient. Drop it.",
      );
    }
    constants.push(names[j]);
    if (constIndex < 0) constIndex = j;
  }
  if (constants.length > 1) {
    throw new RegressionInputError(
      `X has ${constants.length} constant columns (${
        constants.map((c) => `"${c}"`).join(", ")
      }): ` +
        "they are collinear. Keep one constant (addConstant does not add one when X has it).",
    );
  }
  return { y, x, nobs, k, names, yname, droppedRows, constIndex };
}

/**
 * Where `v` has missing or infinite values, as `<what> has 2 missing or infinite values (rows
 * 3, 7)` (the first five rows named), flagging those rows in `bad`; null when there are none.
 */
export function missingValues(what: string, v: ArrayLike<number>, bad?: Uint8Array): string | null {
  let count = 0;
  const first: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (Number.isFinite(v[i])) continue;
    if (bad) bad[i] = 1;
    if (count++ < 5) first.push(i);
  }
  if (count === 0) return null;
  const s = count === 1 ? "" : "s";
  return `${what} has ${count} missing or infinite value${s} (row${s} ${first.join(", ")}${
    count > first.length ? ", …" : ""
  })`;
}

/** True when every value of the column is the same (and the column is not empty). */
export function isConstant(col: ArrayLike<number>): boolean {
  if (col.length === 0) return false;
  const v = col[0];
  if (!Number.isFinite(v)) return false;
  for (let i = 1; i < col.length; i++) if (col[i] !== v) return false;
  return true;
}

function toNumbers(raw: ArrayLike<unknown>, name: string): Float64Array {
  if (raw instanceof Float64Array) return raw;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = toNumber(raw[i], name);
  return out;
}

function toNumber(v: unknown, name: string): number {
  if (typeof v === "number") return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  const label = name === "y" ? "y" : `X column "${name}"`;
  throw new RegressionInputError(
    `${label} is not numeric: it holds ${describe(v)}. Pass only numeric columns ` +
      '(for a frame, select the regressors, e.g. frame.select("MKT_RF", "SMB", "HML")).',
  );
}

function toArrayLike(values: unknown): ArrayLike<unknown> {
  if (isArrayLike(values)) return values as ArrayLike<unknown>;
  throw new RegressionInputError(`expected an array of values, got ${describe(values)}.`);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v != null && typeof v === "object" && typeof (v as ArrayLike<unknown>).length === "number";
}

function isThenable(v: unknown): boolean {
  return v instanceof Object && typeof (v as Promise<unknown>).then === "function";
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (isThenable(v)) return "a Promise (a call that was not awaited: write await before it)";
  if (typeof v === "string") return `a string ("${v.length > 20 ? v.slice(0, 20) + "…" : v}")`;
  if (v instanceof Date) return `a Date (${v.toISOString().slice(0, 10)})`;
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return `an object (${v.constructor?.name ?? "Object"})`;
  return `a ${typeof v} (${String(v)})`;
}
