/**
 * The numeric assertions of the test suite, next to node:assert: one closeness rule for single
 * numbers and for arrays, with failure messages that name what was compared.
 *
 * @module
 */

import assert from "node:assert/strict";

/**
 * How close a number must be to its reference. With neither bound given only an identical
 * number passes; with both, meeting either one is enough.
 */
export interface CloseOptions {
  /** Largest allowed relative error |actual − expected| / |expected|; never met when expected is 0. */
  rel?: number;
  /** Largest allowed absolute error |actual − expected|. */
  abs?: number;
  /** What is compared (a function call, a statistic, a coefficient), shown on failure. */
  label?: string;
}

/**
 * Asserts that `actual` equals `expected` within the relative bound `rel` or the absolute bound
 * `abs` (both default to 0). Identical numbers, infinities included, always pass; NaN never does.
 * An expected 0 is met only within `abs`, so `{ rel }` alone demands an exact 0 there.
 *
 * @example Relative, absolute and exact comparisons
 * ```ts
 * import { assertClose } from "./assert.ts";
 * import assert from "node:assert/strict";
 *
 * assertClose(1.0000000001, 1, { rel: 1e-9, label: "ratio" });
 * assertClose(3e-17, 0, { abs: 1e-16 });
 * assertClose(0, 0, { rel: 1e-10 });
 * assert.throws(() => assertClose(1e-300, 0, { rel: 1e-10 }), /relative error/);
 * assert.throws(() => assertClose(NaN, 1, { rel: 1 }));
 * ```
 */
export function assertClose(actual: number, expected: number, options: CloseOptions = {}): void {
  const { rel = 0, abs = 0, label = "value" } = options;
  assert.equal(typeof actual, "number", `${label}: expected a number, got ${actual}`);
  if (actual === expected) return;
  const absolute = Math.abs(actual - expected);
  const relative = absolute / Math.abs(expected);
  assert.ok(
    absolute <= abs || relative <= rel,
    `${label}: got ${actual}, expected ${expected} (relative error ${relative.toExponential(2)}, ` +
      `absolute error ${absolute.toExponential(2)}; allowed rel ${rel}, abs ${abs})`,
  );
}

/**
 * Asserts that two arrays have the same length and that every element passes
 * {@linkcode assertClose} with `options`; failures name the element as `label[i]`.
 *
 * @example Coefficients against a reference
 * ```ts
 * import { assertAllClose } from "./assert.ts";
 * import assert from "node:assert/strict";
 *
 * assertAllClose(new Float64Array([0.5, -2]), [0.5000000001, -2], { rel: 1e-9, label: "params" });
 * assert.throws(() => assertAllClose([1, 2], [1, 2, 3], { label: "params" }), /length/);
 * assert.throws(() => assertAllClose([1, 2.1], [1, 2], { rel: 1e-9, label: "p" }), /p\[1\]/);
 * ```
 */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: CloseOptions = {},
): void {
  const label = options.label ?? "values";
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    assertClose(actual[i], expected[i], { ...options, label: `${label}[${i}]` });
  }
}

/**
 * Asserts that `actual` is a number within the absolute `tolerance` of `expected`: the
 * {@linkcode assertClose} rule with `{ abs: tolerance }`, for values of unknown type.
 *
 * @example A frame cell read back from a file
 * ```ts
 * import { assertNear } from "./assert.ts";
 * import assert from "node:assert/strict";
 *
 * assertNear(0.1 + 0.2, 0.3);
 * assert.throws(() => assertNear("0.3", 0.3));
 * assert.throws(() => assertNear(0.3001, 0.3, 1e-6));
 * ```
 */
export function assertNear(actual: unknown, expected: number, tolerance = 1e-12): void {
  assertClose(actual as number, expected, { abs: tolerance });
}
