/**
 * Automatic lag selection for the Newey-West (Bartlett kernel) HAC estimator: the plug-in
 * bandwidth of Newey and West (1994), without pre-whitening.
 *
 * @module
 */

import { RegressionInputError } from "./errors.ts";

/** What {@linkcode neweyWestLags} chose, with the intermediate quantities of the rule. */
export interface NeweyWestLagSelection {
  /** Lags of the HAC window: `floor(bandwidth)`, at most `nobs − 1`. */
  lags: number;
  /** The plug-in bandwidth `γ̂ · T^(1/3)`. */
  bandwidth: number;
  /** `γ̂ = 1.1447 · ((s⁽¹⁾ / s⁽⁰⁾)²)^(1/3)`. */
  gamma: number;
  /** Pilot lag truncation `n = floor(4 · (T/100)^(2/9))`. */
  pilotLags: number;
  /** `s⁽⁰⁾ = σ̂₀ + 2 Σⱼ σ̂ⱼ` (j = 1..n). */
  s0: number;
  /** `s⁽¹⁾ = 2 Σⱼ j · σ̂ⱼ` (j = 1..n). */
  s1: number;
  /** Number of observations T. */
  nobs: number;
}

/** Options of {@linkcode neweyWestLags}. */
export interface NeweyWestLagOptions {
  /**
   * Weight of each score column in `hₜ = w'·scoresₜ` (default: 1 for every column). Regressions
   * give the constant weight 0, as the paper does.
   */
  weights?: ArrayLike<number>;
}

/**
 * Number of lags for a Newey-West (Bartlett kernel) HAC estimate by the automatic rule of
 * Newey and West (1994), "Automatic Lag Selection in Covariance Matrix Estimation", Review of
 * Economic Studies 61(4), 631–653 (section 3; Bartlett row of table I), without pre-whitening.
 * With T observations of the score columns and weights w:
 *
 * - `hₜ = Σₐ wₐ · scoresₐ(t)`, one series (for a regression, the scores are `xₜ·ûₜ` and w is 1
 *   except 0 for the constant);
 * - pilot truncation `n = floor(4 · (T/100)^(2/9))`;
 * - `σ̂ⱼ = (1/T) Σ_{t=j+1..T} hₜ·h_{t−j}` for j = 0..n;
 * - `s⁽⁰⁾ = σ̂₀ + 2 Σ_{j=1..n} σ̂ⱼ` and `s⁽¹⁾ = 2 Σ_{j=1..n} j·σ̂ⱼ`;
 * - `γ̂ = 1.1447 · ((s⁽¹⁾/s⁽⁰⁾)²)^(1/3)`, bandwidth `γ̂ · T^(1/3)`, lags `floor(bandwidth)`
 *   (capped at T − 1; 0 when `hₜ` is identically zero).
 *
 * The HAC estimate then uses these lags with statsmodels' Bartlett weights `1 − j/(lags + 1)`.
 *
 * @param scores One series, or score columns of equal length (e.g. `xⱼ·û` per regressor).
 * @param options Weights of the columns.
 * @returns The lags and the quantities of the rule.
 * @throws {RegressionInputError} for fewer than 2 observations, unequal lengths, missing
 *   values or a weight per column missing.
 *
 * @example Lags for the mean of an autocorrelated series
 * ```ts
 * import { neweyWestLags } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // A smooth (strongly autocorrelated) series around its mean.
 * const series = Array.from({ length: 200 }, (_, t) => Math.sin(t / 8) + 0.3 * Math.cos(t * 1.9));
 * const mean = series.reduce((a, b) => a + b) / series.length;
 * const selection = neweyWestLags(series.map((v) => v - mean));
 * assert.equal(selection.pilotLags, 4); // floor(4 · 2^(2/9))
 * assert.equal(selection.lags, Math.floor(selection.gamma * Math.cbrt(200)));
 * assert.ok(selection.lags > 4);
 * ```
 */
export function neweyWestLags(
  scores: ArrayLike<number> | readonly ArrayLike<number>[],
  options: NeweyWestLagOptions = {},
): NeweyWestLagSelection {
  const columns: readonly ArrayLike<number>[] = isColumns(scores) ? scores : [scores];
  if (columns.length === 0) {
    throw new RegressionInputError("neweyWestLags: pass at least one series of scores.");
  }
  const T = columns[0].length;
  if (T < 2) {
    throw new RegressionInputError(
      `neweyWestLags needs at least 2 observations to measure autocorrelation; got ${T}.`,
    );
  }
  const weights = options.weights ?? new Float64Array(columns.length).fill(1);
  if (weights.length !== columns.length) {
    throw new RegressionInputError(
      `neweyWestLags: ${weights.length} weights for ${columns.length} score columns; give one ` +
        "weight per column.",
    );
  }
  const h = new Float64Array(T);
  columns.forEach((col, a) => {
    if (col.length !== T) {
      throw new RegressionInputError(
        `neweyWestLags: score column ${a} has ${col.length} values, column 0 has ${T}.`,
      );
    }
    const w = weights[a];
    if (w === 0) return;
    for (let t = 0; t < T; t++) h[t] += w * col[t];
  });
  const bad = h.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RegressionInputError(
      `neweyWestLags: the scores have a missing or infinite value at row ${bad}; drop it first.`,
    );
  }
  const pilotLags = Math.min(Math.floor(4 * Math.pow(T / 100, 2 / 9)), T - 1);
  let s0 = 0;
  let s1 = 0;
  for (let j = 0; j <= pilotLags; j++) {
    let s = 0;
    for (let t = j; t < T; t++) s += h[t] * h[t - j];
    const sigma = s / T;
    s0 += j === 0 ? sigma : 2 * sigma;
    s1 += 2 * j * sigma;
  }
  if (s0 === 0) return { lags: 0, bandwidth: 0, gamma: 0, pilotLags, s0, s1, nobs: T };
  const gamma = 1.1447 * Math.cbrt((s1 / s0) * (s1 / s0));
  const bandwidth = gamma * Math.cbrt(T);
  return {
    lags: Math.min(Math.floor(bandwidth), T - 1),
    bandwidth,
    gamma,
    pilotLags,
    s0,
    s1,
    nobs: T,
  };
}

/**
 * The Newey-West (1994) lags for a regression: scores `xₜ·ûₜ` of the column-major design,
 * weighted 1 except 0 for the constant column (all 1 when the constant is the only regressor).
 */
export function regressionNeweyWestLags(
  x: Float64Array,
  resid: Float64Array,
  constIndex: number,
): NeweyWestLagSelection {
  const n = resid.length;
  const k = x.length / n;
  const columns = Array.from(
    { length: k },
    (_, j) => x.subarray(j * n, (j + 1) * n).map((v, t) => v * resid[t]),
  );
  const weights = columns.map((_, j) => (j === constIndex && k > 1 ? 0 : 1));
  return neweyWestLags(columns, { weights });
}

function isColumns(
  v: ArrayLike<number> | readonly ArrayLike<number>[],
): v is readonly ArrayLike<number>[] {
  return v.length > 0 && typeof (v as ArrayLike<unknown>)[0] === "object" &&
    (v as ArrayLike<unknown>)[0] !== null;
}
