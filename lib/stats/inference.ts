/**
 * The pieces of inference every regression result shares: the p-value and critical-value rule
 * (Student's t with the residual degrees of freedom, or the normal distribution), statsmodels'
 * implicit-constant check, and the memo that computes each statistic once.
 *
 * @module
 */

import { normalPpf, normalSf, studentTPpf, studentTTwoSidedP } from "./distributions.ts";
import type { Design } from "./design.ts";
import { leastSquares } from "./lstsq.ts";

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
 * statsmodels' check for an implicit constant: 1 when adding a column of ones keeps the rank of
 * X (dummies that add up to one, say), else 0.
 *
 * @param design The regressors.
 * @returns 1 or 0.
 */
export function impliedConstant(design: Design): number {
  const { nobs: n, k, x } = design;
  const withOnes = new Float64Array(n * (k + 1));
  withOnes.set(x);
  withOnes.fill(1, n * k);
  return leastSquares(new Float64Array(n), withOnes, n, k + 1).qr.rank === k ? 1 : 0;
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
