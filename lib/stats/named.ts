/**
 * Name-keyed numeric vectors and matrices: what pandas Series and DataFrames are to
 * statsmodels results (`params["SMB"]`), in TypeScript.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { DENO_INSPECT } from "../display/mod.ts";

const nodeInspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A `Float64Array` whose entries also have names, like a pandas Series of floats:
 * index it by position (`params[1]`) or read it by name (`params.get("SMB")`).
 *
 * @example
 * ```ts
 * import { NamedValues } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const betas = new NamedValues(["MKT_RF", "SMB"], [1.01, 0.56]);
 * assert.equal(betas.get("SMB"), 0.56);
 * assert.equal(betas[0], 1.01);
 * assert.deepEqual(betas.toRecord(), { MKT_RF: 1.01, SMB: 0.56 });
 * ```
 */
export class NamedValues extends Float64Array {
  /** Names of the entries, in order. */
  readonly names: readonly string[];

  /** Typed-array methods such as `map` and `slice` return plain `Float64Array`s. */
  static get [Symbol.species](): Float64ArrayConstructor {
    return Float64Array;
  }

  /**
   * Creates a named vector.
   *
   * @param names One name per value; names must be distinct.
   * @param values The values.
   */
  constructor(names: readonly string[], values: ArrayLike<number>) {
    if (names.length !== values.length) {
      throw new InvalidArgumentError(
        `NamedValues: ${names.length} names for ${values.length} values.`,
      );
    }
    super(values.length);
    this.set(values);
    this.names = Object.freeze([...names]);
  }

  /** Position of the entry with this name, or -1. */
  position(name: string): number {
    return this.names.indexOf(name);
  }

  /**
   * The value with this name.
   *
   * @throws {InvalidArgumentError} when no entry has the name (the message lists the names).
   */
  get(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) {
      throw new InvalidArgumentError(
        `No entry named "${name}". Names: ${this.names.map((n) => `"${n}"`).join(", ")}.`,
      );
    }
    return this[i];
  }

  /** True when an entry has this name. */
  has(name: string): boolean {
    return this.names.includes(name);
  }

  /** A plain `{ name: value }` object. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    this.names.forEach((n, i) => (out[n] = this[i]));
    return out;
  }

  /** `[name, value]` pairs. */
  pairs(): [string, number][] {
    return this.names.map((n, i) => [n, this[i]]);
  }

  /** JSON form: the `{ name: value }` object. */
  toJSON(): Record<string, number> {
    return this.toRecord();
  }

  /** Prints like a pandas Series: one `name  value` line per entry. */
  override toString(): string {
    const width = Math.max(...this.names.map((n) => n.length), 0);
    const values = Array.from(this, (v) => formatValue(v));
    const vWidth = Math.max(...values.map((v) => v.length), 0);
    return this.names.map((n, i) => n.padEnd(width) + "   " + values[i].padStart(vWidth)).join(
      "\n",
    );
  }

  /** Shown by `console.log` in Deno and in the Jupyter kernel. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Shown by `console.log` under Node.js. */
  [nodeInspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A square matrix with named rows and columns, such as a covariance matrix of
 * parameter estimates.
 *
 * @example
 * ```ts
 * import { NamedMatrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const cov = new NamedMatrix(["a", "b"], Float64Array.from([4, 1, 1, 9]));
 * assert.equal(cov.get("a", "b"), 1);
 * assert.deepEqual(cov.toArray(), [[4, 1], [1, 9]]);
 * ```
 */
export class NamedMatrix {
  /** Names of the rows and columns. */
  readonly names: readonly string[];
  /** Values, column-major (element (i, j) at `data[j * n + i]`). */
  readonly data: Float64Array;

  /**
   * Creates the matrix.
   *
   * @param names Row and column names.
   * @param data Column-major values, `names.length²` of them.
   */
  constructor(names: readonly string[], data: Float64Array) {
    if (data.length !== names.length * names.length) {
      throw new InvalidArgumentError(
        `NamedMatrix: ${data.length} values for ${names.length} names.`,
      );
    }
    this.names = Object.freeze([...names]);
    this.data = data;
  }

  /** Number of rows (and columns). */
  get size(): number {
    return this.names.length;
  }

  /** Element by row and column, each given as a name or an index. */
  get(row: string | number, col: string | number): number {
    const n = this.names.length;
    return this.data[this.#index(col) * n + this.#index(row)];
  }

  /** The diagonal as a named vector. */
  diagonal(): NamedValues {
    const n = this.names.length;
    return new NamedValues(this.names, Array.from({ length: n }, (_, i) => this.data[i * n + i]));
  }

  /** Rows as nested arrays. */
  toArray(): number[][] {
    const n = this.names.length;
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => this.get(i, j)));
  }

  /** Prints like a pandas DataFrame. */
  toString(): string {
    const n = this.names.length;
    const cells = this.toArray().map((r) => r.map(formatValue));
    const stub = Math.max(0, ...this.names.map((s) => s.length));
    const widths = this.names.map((name, j) =>
      Math.max(name.length, ...cells.map((r) => r[j].length))
    );
    const header = " ".repeat(stub) + this.names.map((s, j) => "  " + s.padStart(widths[j])).join(
      "",
    );
    const lines = Array.from(
      { length: n },
      (_, i) =>
        this.names[i].padEnd(stub) + cells[i].map((c, j) => "  " + c.padStart(widths[j])).join(""),
    );
    return [header, ...lines].join("\n");
  }

  /** Shown by `console.log` in Deno and in the Jupyter kernel. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  #index(key: string | number): number {
    if (typeof key === "number") {
      if (key >= 0 && key < this.names.length && Number.isInteger(key)) return key;
      throw new InvalidArgumentError(`Index ${key} is outside 0..${this.names.length - 1}.`);
    }
    const i = this.names.indexOf(key);
    if (i < 0) {
      throw new InvalidArgumentError(
        `No row or column named "${key}". Names: ${this.names.map((s) => `"${s}"`).join(", ")}.`,
      );
    }
    return i;
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6)) return v.toExponential(6);
  return v.toFixed(6);
}
