/**
 * Name-keyed numeric vectors and matrices: what pandas Series and DataFrames are to
 * statsmodels results (`params["SMB"]`), in TypeScript.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { DENO_INSPECT } from "../display/mod.ts";

const nodeInspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** A period or date as a label: dates as YYYY-MM-DD (UTC), the rest as text. */
export function labelOf(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** The first name that occurs twice in `names`, or undefined when all differ. */
export function firstDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  return names.find((n) => seen.size === seen.add(n).size);
}

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

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6)) return v.toExponential(6);
  return v.toFixed(6);
}
