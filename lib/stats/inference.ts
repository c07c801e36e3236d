/**
 * The inference every regression result shares ({@linkcode Inference}): standard errors, t
 * statistics, p-values, intervals and Wald, F and t tests of restrictions written on the
 * coefficient names; the p-value and critical-value rule (Student's t with the residual degrees
 * of freedom, or the normal distribution); and the memo that computes each statistic once.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import type { CoefficientRow } from "../display/mod.ts";
import {
  chi2Sf,
  fSf,
  normalPpf,
  normalSf,
  studentTPpf,
  studentTTwoSidedP,
} from "./distributions.ts";
import { choleskySolve, householderQr } from "./linalg.ts";
import { TestResult, TTestResult } from "./test_result.ts";

/**
 * Two-sided p-value of a t (or z) statistic: Student's t with `df` degrees of freedom when
 * `useT`, else the normal distribution (statsmodels' `use_t`).
 *
 * @param stat The statistic.
 * @param df Residual degrees of freedom (ignored for the normal distribution).
 * @param useT Whether inference uses Student's t.
 * @returns The p-value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { twoSidedPValue } from "./inference.ts";
 * assert.equal(twoSidedPValue(1.959963984540054, 10, false).toFixed(6), "0.050000");
 * assert.ok(twoSidedPValue(1.96, 10, true) > 0.05);
 * ```
 */
export function twoSidedPValue(stat: number, df: number, useT: boolean): number {
  return useT ? studentTTwoSidedP(stat, df) : 2 * normalSf(Math.abs(stat));
}

/**
 * The critical value of a two-sided interval at level `1 − alpha`: Student's t quantile with
 * `df` degrees of freedom when `useT`, else the normal one.
 *
 * @param alpha Significance level, in (0, 1).
 * @param df Residual degrees of freedom.
 * @param useT Whether inference uses Student's t.
 * @returns The quantile at `1 − alpha / 2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { criticalValue } from "./inference.ts";
 * assert.equal(criticalValue(0.05, 30, false).toFixed(4), "1.9600");
 * assert.equal(criticalValue(0.05, 30, true).toFixed(4), "2.0423");
 * ```
 */
export function criticalValue(alpha: number, df: number, useT: boolean): number {
  return useT ? studentTPpf(1 - alpha / 2, df) : normalPpf(1 - alpha / 2);
}

/**
 * Statistics computed on first use and kept, by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Memo } from "./inference.ts";
 * const memo = new Memo();
 * let calls = 0;
 * const twice = () => memo.get("x", () => ++calls);
 * assert.equal(twice() + twice(), 2);
 * ```
 */
export class Memo {
  readonly #values = new Map<string, unknown>();

  /** The value kept under `key`, made by `make` the first time. */
  get<T>(key: string, make: () => T): T {
    if (!this.#values.has(key)) this.#values.set(key, make());
    return this.#values.get(key) as T;
  }
}

/** Linear restrictions `R b = q` as {@linkcode Inference.waldTest} and its kin accept them. */
export type Constraints =
  | string
  | readonly string[]
  | readonly (readonly number[])[]
  | { R: readonly (readonly number[])[]; q?: readonly number[] };

/** Options of {@linkcode Inference.waldTest}. */
export interface WaldTestOptions {
  /**
   * F form (statistic over the number of restrictions, F(J, df)) instead of the χ²(J) form.
   * Default: the fit's `useT`, as statsmodels' `wald_test`.
   */
  useF?: boolean;
}

/** What an {@linkcode Inference} is built from; every array is computed on first use. */
export interface InferenceParts {
  /** Coefficient names (the columns). */
  names: readonly string[];
  /** Estimates, `rows × k` row-major. */
  params: () => Float64Array;
  /** Standard errors, in the layout of `params`. */
  bse: () => Float64Array;
  /**
   * t statistics, where the caller has them more exactly than `params / bse` (the ratio in
   * power-of-two scaled units, where neither part over- or underflows).
   */
  tvalues?: () => Float64Array;
  /** Residual degrees of freedom of a row (the t and F denominators). */
  df: (row: number) => number;
  /** Whether inference uses Student's t (true) or the normal distribution (false). */
  useT: boolean;
  /** Covariance of the estimates of a row (symmetric `k × k`); without it no Wald tests. */
  cov?: (row: number) => Float64Array;
}

/**
 * The inference every regression result shares, for one fit or for many side by side (assets,
 * rolling windows): standard errors, t statistics, p-values and confidence intervals from the
 * estimates, their covariance, the degrees of freedom and the choice of t or normal; and Wald,
 * F and t tests of linear restrictions from the full covariance. Each array is computed once.
 *
 * @example A restriction on one fit
 * ```ts
 * import assert from "node:assert/strict";
 * import { Inference } from "./inference.ts";
 *
 * const inf = new Inference({
 *   names: ["a", "b"],
 *   params: () => Float64Array.of(1, 2),
 *   bse: () => Float64Array.of(0.5, 1),
 *   cov: () => Float64Array.of(0.25, 0, 0, 1),
 *   df: () => 30,
 *   useT: false,
 * });
 * assert.deepEqual(Array.from(inf.tvalues), [2, 2]);
 * const wald = inf.waldTest(0, "a = 0, b = 0");
 * assert.equal(wald.statistic, 8); // 2² + 2², χ²(2)
 * assert.equal(wald.distribution, "chi2");
 * ```
 */
export class Inference {
  /** Coefficient names. */
  readonly names: readonly string[];
  /** Whether inference uses Student's t. */
  readonly useT: boolean;
  readonly #parts: InferenceParts;
  readonly #memo = new Memo();

  /** Builds the inference; see {@linkcode InferenceParts}. */
  constructor(parts: InferenceParts) {
    this.#parts = parts;
    this.names = parts.names;
    this.useT = parts.useT;
  }

  /** Estimates, `rows × k` row-major. */
  get params(): Float64Array {
    return this.#memo.get("params", this.#parts.params);
  }

  /** Standard errors. */
  get bse(): Float64Array {
    return this.#memo.get("bse", this.#parts.bse);
  }

  /**
   * t statistics (z when `useT` is false); NaN where the standard error is zero (every residual
   * zero: the statistic is undefined).
   */
  get tvalues(): Float64Array {
    return this.#memo.get("t", () => {
      if (this.#parts.tvalues) return this.#parts.tvalues();
      const b = this.bse;
      return this.params.map((v, i) => (b[i] === 0 ? NaN : v / b[i]));
    });
  }

  /** Two-sided p-values of the t (or z) statistics. */
  get pvalues(): Float64Array {
    return this.#memo.get("p", () => {
      const k = this.names.length;
      return this.tvalues.map((v, i) =>
        Number.isFinite(v) ? twoSidedPValue(v, this.#parts.df(Math.floor(i / k)), this.useT) : NaN
      );
    });
  }

  /**
   * Lower and upper bounds of the `1 − alpha` confidence intervals, in the layout of `params`,
   * or of one row's coefficients only.
   */
  confInt(alpha = 0.05, row?: number): { lower: Float64Array; upper: Float64Array } {
    checkAlpha(alpha);
    const k = this.names.length;
    const critical = new Map<number, number>();
    const at = (i: number): number => {
      const df = this.#parts.df(row ?? Math.floor(i / k));
      if (!critical.has(df)) critical.set(df, criticalValue(alpha, df, this.useT));
      return critical.get(df)! * b[i];
    };
    const from = row === undefined ? 0 : row * k;
    const p = row === undefined ? this.params : this.params.subarray(from, from + k);
    const b = this.bse.subarray(from, from + p.length);
    return { lower: p.map((v, i) => v - at(i)), upper: p.map((v, i) => v + at(i)) };
  }

  /** One row's coefficients with standard error, statistic, p-value and interval. */
  coefficients(row: number, alpha = 0.05): CoefficientRow[] {
    const { lower, upper } = this.confInt(alpha, row);
    const at = row * this.names.length;
    return this.names.map((name, i) => ({
      name,
      coef: this.params[at + i],
      stdErr: this.bse[at + i],
      t: this.tvalues[at + i],
      pvalue: this.pvalues[at + i],
      pValue: this.pvalues[at + i],
      lower: lower[i],
      upper: upper[i],
    }));
  }

  /**
   * Wald test of the linear restrictions `R b = q` on the estimates of one row (statsmodels'
   * `wald_test`), with this fit's covariance (robust when the fit is): χ²(J) of
   * `(Rb − q)ᵀ (R V Rᵀ)⁻¹ (Rb − q)`, or that over J as F(J, df) with `useF`.
   *
   * @throws {InvalidArgumentError} for restrictions that do not parse or name no coefficient,
   *   linearly dependent restrictions, or a fit without a full covariance.
   */
  waldTest(row: number, constraints: Constraints, options: WaldTestOptions = {}): TestResult {
    const { r, q, labels } = parseConstraints(constraints, this.names);
    const J = q.length;
    const k = this.names.length;
    const b = this.params.subarray(row * k, (row + 1) * k);
    const wald = waldStatistic(r, q, b, this.#cov(row), true);
    if (wald === null) {
      throw new InvalidArgumentError(
        `The restrictions ${labels.join(", ")} are linearly dependent (or the covariance of ` +
          "the estimates is singular), so no Wald statistic exists: drop a redundant restriction.",
      );
    }
    const useF = options.useF ?? this.useT;
    const df = this.#parts.df(row);
    return new TestResult({
      name: useF ? "Wald (F)" : "Wald",
      statistic: useF ? wald / J : wald,
      pvalue: useF ? fSf(wald / J, J, df) : chi2Sf(wald, J),
      df: J,
      dfDenom: useF ? df : undefined,
      distribution: useF ? "F" : "chi2",
      nullHypothesis: labels.join(", "),
    });
  }

  /** One t (or z) test per restriction of `R b = q` (statsmodels' `t_test`). */
  tTest(row: number, constraints: Constraints): TTestResult {
    const { r, q, labels } = parseConstraints(constraints, this.names);
    const J = q.length;
    const k = this.names.length;
    const b = this.params.subarray(row * k, (row + 1) * k);
    const rvr = restrictedCov(r, this.#cov(row), J, k);
    const effect = Float64Array.from(q, (_, i) => dot(r, i * k, b));
    const sd = Float64Array.from(q, (_, i) => Math.sqrt(rvr[i * J + i]));
    const tvalue = effect.map((e, i) => (sd[i] === 0 ? NaN : (e - q[i]) / sd[i]));
    const df = this.#parts.df(row);
    return new TTestResult({
      names: labels,
      effect,
      sd,
      tvalue,
      pvalue: tvalue.map((t) => twoSidedPValue(t, df, this.useT)),
      df,
      distribution: this.useT ? "t" : "normal",
    });
  }

  #cov(row: number): Float64Array {
    if (this.#parts.cov === undefined) {
      throw new InvalidArgumentError(
        "These results keep only the standard errors, not the covariance of the estimates that " +
          "a joint test needs: fit the window or asset on its own (ols) to test restrictions.",
      );
    }
    return this.#parts.cov(row);
  }
}

/**
 * The Wald statistic `(Rb − q)ᵀ (R V Rᵀ)⁻¹ (Rb − q)` of row-major `R` (`q.length × b.length`)
 * and the symmetric covariance `V` of `b`; null when `R V Rᵀ` is not positive definite (or, with
 * `checkRank`, has numerically dependent columns).
 */
export function waldStatistic(
  r: Float64Array,
  q: Float64Array,
  b: ArrayLike<number>,
  v: Float64Array,
  checkRank = false,
): number | null {
  const J = q.length;
  const diff = Float64Array.from(q, (qi, i) => dot(r, i * b.length, b) - qi);
  const rvr = restrictedCov(r, v, J, b.length);
  // Rounding can leave a dependent set of restrictions barely positive definite.
  if (checkRank && householderQr(rvr, J, J).dependent.length > 0) return null;
  const sol = choleskySolve(rvr, J, diff);
  if (sol === null) return null;
  let wald = 0;
  for (let i = 0; i < J; i++) wald += diff[i] * sol[i];
  return wald;
}

function dot(r: Float64Array, from: number, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < b.length; j++) s += r[from + j] * b[j];
  return s;
}

/** `R V Rᵀ` (symmetric `J × J`) for row-major `R` (`J × k`) and symmetric `V`. */
function restrictedCov(r: Float64Array, v: Float64Array, J: number, k: number): Float64Array {
  const rv = new Float64Array(J * k);
  for (let i = 0; i < J; i++) {
    for (let c = 0; c < k; c++) {
      const ric = r[i * k + c];
      if (ric === 0) continue;
      for (let j = 0; j < k; j++) rv[i * k + j] += ric * v[c * k + j];
    }
  }
  const out = new Float64Array(J * J);
  for (let i = 0; i < J; i++) {
    for (let j = 0; j < J; j++) out[j * J + i] = dot(r, j * k, rv.subarray(i * k, (i + 1) * k));
  }
  return out;
}

/**
 * Reads restrictions `R b = q` given as text on the coefficient names (statsmodels' and patsy's
 * form: `"SMB = 0, HML = 0"`, `"MKT_RF = 1"`, `"SMB = HML"`, `"2*SMB - HML = 0.5"`, `"const"`
 * for `const = 0`), as a matrix R (restrictions × coefficients, q = 0), or as `{ R, q }`.
 *
 * @returns R row-major, q, and each restriction as text.
 * @throws {InvalidArgumentError} naming the term that is not a coefficient (with the names), or
 *   a malformed restriction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConstraints } from "./inference.ts";
 *
 * const { r, q } = parseConstraints("2*SMB - HML = 0.5", ["const", "SMB", "HML"]);
 * assert.deepEqual(Array.from(r), [0, 2, -1]);
 * assert.deepEqual(Array.from(q), [0.5]);
 * ```
 */
export function parseConstraints(
  constraints: Constraints,
  names: readonly string[],
): { r: Float64Array; q: Float64Array; labels: string[] } {
  const k = names.length;
  if (typeof constraints === "string" || isStrings(constraints)) {
    const texts = (typeof constraints === "string" ? [constraints] : constraints)
      .flatMap((c) => c.split(","))
      .map((c) => c.trim());
    if (texts.length === 0 || texts.some((t) => t === "")) {
      throw new InvalidArgumentError(
        `Empty restriction in ${JSON.stringify(constraints)}: write them as "SMB = 0, HML = 0".`,
      );
    }
    const r = new Float64Array(texts.length * k);
    const q = new Float64Array(texts.length);
    texts.forEach((text, i) => {
      const sides = text.split("=");
      if (sides.length > 2) {
        throw new InvalidArgumentError(`Restriction "${text}" has more than one "=".`);
      }
      const [left, right = "0"] = sides;
      for (const [side, sign] of [[left, 1], [right, -1]] as const) {
        const terms = linearTerms(side, names, text);
        terms.coefs.forEach((c, j) => (r[i * k + j] += sign * c));
        q[i] -= sign * terms.constant;
      }
    });
    return { r, q, labels: texts.map((t) => (t.includes("=") ? t : `${t} = 0`)) };
  }
  const isMatrix = Array.isArray(constraints);
  const rows = isMatrix
    ? constraints as readonly (readonly number[])[]
    : (constraints as { R: readonly (readonly number[])[] }).R;
  const qIn = isMatrix ? undefined : (constraints as { q?: readonly number[] }).q;
  if (
    !Array.isArray(rows) || rows.length === 0 ||
    rows.some((row) => !Array.isArray(row) || row.length !== k)
  ) {
    throw new InvalidArgumentError(
      `R must have one row per restriction and ${k} columns (${names.join(", ")}).`,
    );
  }
  if (qIn !== undefined && qIn.length !== rows.length) {
    throw new InvalidArgumentError(
      `q has ${qIn.length} values for ${rows.length} restrictions: give one per row of R.`,
    );
  }
  const r = Float64Array.from(rows.flatMap((row) => Array.from(row)));
  const q = Float64Array.from(qIn ?? rows.map(() => 0));
  if (![...r, ...q].every(Number.isFinite)) {
    throw new InvalidArgumentError("R and q must hold finite numbers.");
  }
  const labels = rows.map((row, i) => {
    const lhs = names.flatMap((n, j) => (row[j] === 0 ? [] : [`${row[j]}*${n}`])).join(" + ");
    return `${lhs || "0"} = ${q[i]}`;
  });
  return { r, q, labels };
}

function isStrings(c: Constraints): c is readonly string[] {
  return Array.isArray(c) && c.length > 0 && c.every((s) => typeof s === "string");
}

/**
 * The coefficients and constant of one side of a restriction: terms `[±][number[*]]name` or
 * `±number`. Names are matched longest first, so names holding "-" or "*" ("Mkt-RF") read as
 * one term.
 */
function linearTerms(
  side: string,
  names: readonly string[],
  text: string,
): { coefs: Float64Array; constant: number } {
  const coefs = new Float64Array(names.length);
  let constant = 0;
  const byLength = names.map((n, j) => ({ n, j })).sort((a, b) => b.n.length - a.n.length);
  let s = side.trim();
  if (s === "") throw new InvalidArgumentError(`Restriction "${text}" has an empty side.`);
  let first = true;
  while (s.length > 0) {
    let sign = 1;
    const op = /^([+-])\s*/.exec(s);
    if (op) {
      sign = op[1] === "-" ? -1 : 1;
      s = s.slice(op[0].length);
    } else if (!first) {
      throw new InvalidArgumentError(
        `Restriction "${text}": expected "+", "-" or "=" before "${s}" (terms are ` +
          `"2*SMB", "HML", "0.5"; names: ${names.join(", ")}).`,
      );
    }
    first = false;
    if (s === "") throw incomplete(text, names);
    const num = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\s*/.exec(s);
    let factor = 1;
    if (num) {
      factor = Number(num[1]);
      s = s.slice(num[0].length);
      const times = /^\*\s*/.exec(s);
      if (!times) {
        constant += sign * factor;
        continue;
      }
      s = s.slice(times[0].length);
      if (s === "") throw incomplete(text, names);
    }
    const hit = byLength.find(({ n }) => s.startsWith(n) && !/^[\w.]/.test(s.slice(n.length)));
    if (hit === undefined) throw bad(s, text, names);
    coefs[hit.j] += sign * factor;
    s = s.slice(hit.n.length).trimStart();
  }
  return { coefs, constant };
}

function incomplete(text: string, names: readonly string[]): InvalidArgumentError {
  return new InvalidArgumentError(
    `Restriction "${text}" ends with "+", "-" or "*": a coefficient name or number must follow ` +
      `(names: ${names.join(", ")}).`,
  );
}

function bad(rest: string, text: string, names: readonly string[]): InvalidArgumentError {
  const term = rest.split(/\s*[+\-=,]\s*/)[0] || rest;
  return new InvalidArgumentError(
    `Restriction "${text}": "${term}" is not a coefficient. Write restrictions on the ` +
      `coefficient names (${names.join(", ")}), such as "${names.at(-1)} = 0".`,
  );
}

/** Refuses a significance level outside (0, 1). */
export function checkAlpha(alpha: unknown): void {
  if (!(typeof alpha === "number" && alpha > 0 && alpha < 1)) {
    throw new InvalidArgumentError(
      `alpha must be between 0 and 1 (e.g. 0.05 for 95% intervals), not ${String(alpha)}.`,
    );
  }
}
