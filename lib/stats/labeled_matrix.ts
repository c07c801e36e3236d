/**
 * A rectangular matrix with named rows and columns: what a pandas DataFrame of floats is to
 * linearmodels' `betas` (assets × factors) or a panel of estimates (periods × terms).
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { type Cell, Displayable, type Summary, Table } from "../display/mod.ts";
import { firstDuplicate, NamedValues } from "./named.ts";

/** Options of {@linkcode LabeledMatrix.toTable}. */
export interface LabeledTableOptions {
  /** Title line of the table. */
  title?: string;
  /** Note printed under the table. */
  note?: string;
  /** Header of the row-name column (default ""). */
  stub?: string;
  /** printf format of the values (default "%.4f"). */
  format?: string;
}

/**
 * A `rows × cols` matrix of numbers with a name for every row and every column, such as the
 * betas of many assets on the same factors. Values are stored row by row (`data[i * cols + j]`),
 * so a row is contiguous.
 *
 * @example Betas of two assets on two factors
 * ```ts
 * import { LabeledMatrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const betas = new LabeledMatrix(["VBR", "SPY"], ["MKT_RF", "SMB"], [1.01, 0.56, 0.99, -0.15]);
 * assert.equal(betas.get("SPY", "SMB"), -0.15);
 * assert.deepEqual(betas.column("MKT_RF").toRecord(), { VBR: 1.01, SPY: 0.99 });
 * assert.deepEqual(betas.row("VBR").toRecord(), { MKT_RF: 1.01, SMB: 0.56 });
 * ```
 */
export class LabeledMatrix extends Displayable {
  /** Row names, in order. */
  readonly rowNames: readonly string[];
  /** Column names, in order. */
  readonly colNames: readonly string[];
  /** Values, row by row: element (i, j) at `data[i * colNames.length + j]`. */
  readonly data: Float64Array;
  #rowIndex: Map<string, number> | undefined;
  #colIndex: Map<string, number> | undefined;
  readonly #format: string;

  /**
   * Creates the matrix.
   *
   * @param rowNames One name per row; names must be distinct.
   * @param colNames One name per column; names must be distinct.
   * @param data `rowNames.length × colNames.length` values, row by row.
   * @param format printf format of the values when printed (default "%.4f"; covariances use
   *   "%.6g").
   */
  constructor(
    rowNames: readonly string[],
    colNames: readonly string[],
    data: ArrayLike<number>,
    format = "%.4f",
  ) {
    super();
    if (data.length !== rowNames.length * colNames.length) {
      throw new InvalidArgumentError(
        `LabeledMatrix: ${data.length} values for ${rowNames.length} rows × ` +
          `${colNames.length} columns; give one value per cell, row by row.`,
      );
    }
    for (const [what, names] of [["row", rowNames], ["column", colNames]] as const) {
      const dup = firstDuplicate(names);
      if (dup !== undefined) {
        throw new InvalidArgumentError(`LabeledMatrix: two ${what}s are named "${dup}".`);
      }
    }
    this.rowNames = Object.freeze([...rowNames]);
    this.colNames = Object.freeze([...colNames]);
    this.data = data instanceof Float64Array ? data : Float64Array.from(data);
    this.#format = format;
  }

  /**
   * A square matrix whose rows and columns share `names`, such as a covariance matrix.
   *
   * @example
   * ```ts
   * import { LabeledMatrix } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const cov = LabeledMatrix.square(["a", "b"], [4, 1, 1, 9]);
   * assert.deepEqual(Array.from(cov.diagonal()), [4, 9]);
   * ```
   */
  static square(names: readonly string[], data: ArrayLike<number>, format = "%.6g"): LabeledMatrix {
    return new LabeledMatrix(names, names, data, format);
  }

  /** Number of rows. */
  get rows(): number {
    return this.rowNames.length;
  }

  /** Number of columns. */
  get cols(): number {
    return this.colNames.length;
  }

  /** Element by row and column, each given as a name or an index. */
  get(row: string | number, col: string | number): number {
    return this.data[this.#index(row, "row") * this.cols + this.#index(col, "column")];
  }

  /** The diagonal of a square matrix, named by the rows. */
  diagonal(): NamedValues {
    if (this.rows !== this.cols) {
      throw new InvalidArgumentError(
        `diagonal: the matrix is ${this.rows} × ${this.cols}, not square.`,
      );
    }
    return new NamedValues(
      this.rowNames,
      this.rowNames.map((_, i) => this.data[i * this.cols + i]),
    );
  }

  /** One row as a vector named by the columns. */
  row(row: string | number): NamedValues {
    const i = this.#index(row, "row");
    return new NamedValues(this.colNames, this.data.subarray(i * this.cols, (i + 1) * this.cols));
  }

  /** One column as a vector named by the rows. */
  column(col: string | number): NamedValues {
    const j = this.#index(col, "column");
    return new NamedValues(
      this.rowNames,
      Array.from({ length: this.rows }, (_, i) => this.data[i * this.cols + j]),
    );
  }

  /** Rows as nested arrays. */
  toArray(): number[][] {
    return Array.from(
      { length: this.rows },
      (_, i) => Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)),
    );
  }

  /** `{ row: { column: value } }`. */
  toRecord(): Record<string, Record<string, number>> {
    return Object.fromEntries(this.rowNames.map((r, i) => [r, this.row(i).toRecord()]));
  }

  /** JSON form: the nested record. */
  toJSON(): Record<string, Record<string, number>> {
    return this.toRecord();
  }

  /** A display table: the row names, then one column per column name. */
  toTable(options: LabeledTableOptions = {}): Table {
    const format = options.format ?? this.#format;
    return new Table(
      [{ header: options.stub ?? "" }, ...this.colNames.map((header) => ({ header, format }))],
      this.rowNames.map((r, i): Cell[] => [r, ...this.row(i)]),
      { title: options.title, note: options.note },
    );
  }

  /** The table as a summary: it prints as aligned text, like a printed DataFrame. */
  summary(): Summary {
    return this.toTable().summary();
  }

  #index(key: string | number, what: "row" | "column"): number {
    const names = what === "row" ? this.rowNames : this.colNames;
    if (typeof key === "number") {
      if (Number.isInteger(key) && key >= 0 && key < names.length) return key;
      throw new InvalidArgumentError(`${what} index ${key} is outside 0..${names.length - 1}.`);
    }
    // Names are looked up in a map built on first use: tables can have thousands of assets.
    const index = what === "row"
      ? (this.#rowIndex ??= new Map(names.map((n, i) => [n, i])))
      : (this.#colIndex ??= new Map(names.map((n, i) => [n, i])));
    const i = index.get(key) ?? -1;
    if (i < 0) {
      const shown = names.slice(0, 30).map((s) => `"${s}"`).join(", ");
      throw new InvalidArgumentError(
        `No ${what} named "${key}". ${what[0].toUpperCase() + what.slice(1)}s: ${shown}` +
          `${names.length > 30 ? ", …" : ""}.`,
      );
    }
    return i;
  }
}

/**
 * @deprecated Use {@link LabeledMatrix} (row by row; `LabeledMatrix.square(names, values)` for a
 * covariance); this name goes in 0.2.0. Its constructor still takes column-major values, and
 * stores them row by row like every `LabeledMatrix` (the same for the symmetric matrices it held).
 */
export class NamedMatrix extends LabeledMatrix {
  /** Creates a square matrix from column-major values, `names.length²` of them. */
  constructor(names: readonly string[], data: Float64Array) {
    const n = names.length;
    super(
      names,
      names,
      data.length === n * n ? data.map((_, at) => data[(at % n) * n + Math.floor(at / n)]) : data,
      "%.6g",
    );
  }

  /** Names of the rows and columns. */
  get names(): readonly string[] {
    return this.rowNames;
  }

  /** Number of rows (and columns). */
  get size(): number {
    return this.rows;
  }
}
