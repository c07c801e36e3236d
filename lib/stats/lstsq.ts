/**
 * The least-squares kernels: {@linkcode leastSquares}, plain Householder QR for the auxiliary
 * regressions of the diagnostic tests, and {@linkcode fitLeastSquares}, the solver behind `ols`
 * and the QR windows of `rollingOls`, which
 *
 * - scales y and every column of X by powers of two to a largest magnitude between 1 and 2
 *   (exact: the result is bit for bit that of the unscaled data wherever the unscaled
 *   computation neither overflows nor underflows, and data from 1e-300 to 1e300 are handled);
 * - decides rank from the Householder QR, column by column (the part of a column orthogonal to
 *   the earlier ones, relative to its own norm), and numerical singularity from the condition
 *   number of X with every column scaled to unit length: no decision depends on units;
 * - bounds the error of the double-precision solution (first order, from the backward error of
 *   Householder QR) for every coefficient and standard error, and when a bound exceeds 1e-11
 *   relative, solves again in double-double arithmetic (about 32 digits), so that the results
 *   keep at least 9 significant digits on every problem the rank checks accept.
 *
 * @module
 */

import { type Design, isConstant } from "./design.ts";
import { augmentedResiduals, ddLeastSquares } from "./double_double.ts";
import {
  applyQ,
  applyQt,
  backSubstitute,
  EPS,
  householderQr,
  invertUpper,
  norm2,
  type QrFactorization,
  singularValues,
  sumSquares,
} from "./linalg.ts";

/** What the auxiliary regressions need of a least-squares fit. */
export interface LeastSquares {
  /** The QR factorization of X (its `kept` columns are the ones estimated). */
  qr: QrFactorization;
  /** Sum of squared residuals. */
  ssr: number;
}

/**
 * Fits `min ‖y − X b‖²` for column-major `X` (`n × k`). Columns that are linear combinations
 * of earlier ones are left out (see `qr.dependent`), which gives the same fitted values as a
 * pseudo-inverse solution.
 */
export function leastSquares(y: Float64Array, x: Float64Array, n: number, k: number): LeastSquares {
  const qr = householderQr(x, n, k);
  return { qr, ssr: sumSquares(residualsFromQty(qr, applyQt(qr, y), n)) };
}

/** Residuals from the orthogonal part of Qᵀy: accurate even when the fit is nearly exact. */
function residualsFromQty(qr: QrFactorization, qty: Float64Array, n: number): Float64Array {
  const residPart = new Float64Array(n);
  for (let i = qr.rank; i < n; i++) residPart[i] = qty[i];
  return applyQ(qr, residPart);
}

/**
 * Sum of squares of deviations from the mean (two-pass, for accuracy): exactly 0 for a constant
 * series, whose computed mean may differ from its value in the last bit.
 */
export function centeredSumSquares(y: ArrayLike<number>): number {
  const n = y.length;
  let mean = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    mean += y[i];
    constant &&= y[i] === y[0];
  }
  if (constant) return 0;
  mean /= n;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i] - mean;
    s += d * d;
    c += d;
  }
  return s - (c * c) / n;
}

/** The regression data {@linkcode fitLeastSquares} needs. */
export type LeastSquaresInput = Pick<Design, "y" | "x" | "nobs" | "k" | "constIndex">;

/**
 * Why a design cannot be estimated: some columns are exact linear combinations of earlier ones
 * (`"rank"`), or X is too close to singular for double precision (`"singular"`).
 */
export type Degeneracy =
  | {
    kind: "rank";
    /** Rank found. */
    rank: number;
    /** Columns kept, in order. */
    kept: number[];
    /** Columns that are combinations of earlier ones. */
    dependent: number[];
    /** For each dependent column, its coefficients on the kept columns, in the data's units. */
    coefficients: Float64Array[];
    /**
     * For each dependent column, the norm of each term of that combination relative to the
     * column's own norm: units play no part, so terms of rounding size can be told apart.
     */
    weights: Float64Array[];
  }
  | {
    kind: "singular";
    /** Condition number of X with unit-length columns. */
    scaledCondition: number;
  };

/**
 * A least-squares fit on data scaled by powers of two: `xs = X · diag(2^colExp)` and
 * `ys = y · 2^yExp`. Every figure here is in those scaled units: coefficient j of the data is
 * `coef[j] · 2^(colExp[j] − yExp)` ({@linkcode unscaledCoefficients}), a residual is
 * `resid[i] · 2^−yExp`.
 */
export interface LeastSquaresFit {
  /** Rows. */
  n: number;
  /** Columns. */
  k: number;
  /** Exponent of the power of two applied to each column of X. */
  colExp: Int32Array;
  /** Exponent of the power of two applied to y. */
  yExp: number;
  /** Scaled regressors, column-major. */
  xs: Float64Array;
  /** Scaled dependent variable. */
  ys: Float64Array;
  /** Householder QR of the scaled regressors. */
  qr: QrFactorization;
  /**
   * Condition number of X with every column scaled to unit length (the ratio of its extreme
   * singular values): the measure of collinearity that does not depend on units.
   */
  scaledCondition: number;
  /** Coefficients of the scaled problem. */
  coef: Float64Array;
  /** `R⁻¹` of the scaled problem (`(XsᵀXs)⁻¹ = R⁻¹R⁻ᵀ`), column-major `k × k`. */
  rinv: Float64Array;
  /** Scaled residuals. */
  resid: Float64Array;
  /** Sum of squares of the scaled residuals. */
  ssr: number;
  /**
   * Largest first-order bound on the relative error of a coefficient or standard error of the
   * double-precision solution (whether or not the fit was then redone in double-double).
   */
  errorBound: number;
  /** Whether the solution was computed in double-double arithmetic (see `errorBound`). */
  extended: boolean;
}

/** Widest design whose unit-column condition number is always computed at fit time. */
const EXACT_CONDITION_COLUMNS = 30;

/**
 * Relative error (first-order bound) beyond which the fit is refined (only the coefficients are
 * at risk) or redone in double-double (the standard errors are too).
 */
export const EXTENDED_PRECISION_THRESHOLD = 1e-11;

/**
 * Backward error per unit column norm assumed for Householder least squares: one rounding. The
 * worst case of the textbooks, `c·n·k·ε`, needs adversarial rounding; and the first-order bound
 * below adds its terms at their worst. On the NIST problems and the hard cases of the tests the
 * resulting bound exceeds the actual error of the double-precision solution 5 to 10⁴ times.
 */
const BACKWARD_ERROR = EPS;

/**
 * Fits `y = X b + e` by least squares: power-of-two scaling, Householder QR, rank and
 * singularity decisions that do not depend on units, and the error bound that decides whether
 * to solve again in double-double arithmetic. Returns the fit, or the reason X cannot be
 * estimated.
 */
export function fitLeastSquares(input: LeastSquaresInput): LeastSquaresFit | Degeneracy {
  const { nobs: n, k, constIndex } = input;
  const colExp = new Int32Array(k);
  const xs = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const col = input.x.subarray(j * n, (j + 1) * n);
    colExp[j] = scalingExponent(col);
    const s = 2 ** colExp[j];
    for (let i = 0; i < n; i++) xs[j * n + i] = col[i] * s;
  }
  const yExp = scalingExponent(input.y);
  const yScale = 2 ** yExp;
  const ys = input.y.map((v) => v * yScale);
  const qr = householderQr(xs, n, k);
  if (qr.dependent.length > 0) {
    return {
      kind: "rank",
      rank: qr.rank,
      kept: qr.kept,
      dependent: qr.dependent,
      coefficients: qr.dependent.map((j, d) =>
        qr.dependentCoefficients[d].map((c, i) => (c * 2 ** colExp[qr.kept[i]]) / 2 ** colExp[j])
      ),
      weights: qr.dependent.map((j, d) => {
        const own = norm2(xs, j * n, (j + 1) * n);
        return qr.dependentCoefficients[d].map((c, i) =>
          Math.abs(c) * norm2(xs, qr.kept[i] * n, (qr.kept[i] + 1) * n) / own
        );
      }),
    };
  }
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) norms[j] = norm2(xs, j * n, (j + 1) * n);
  const rUnit = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) rUnit[j * k + i] = qr.r[j * k + i] / norms[j];
  }
  let rinv: Float64Array = invertUpper(qr.r, k);
  // The condition number of the unit-column design decides singularity and enters the error
  // bound through 1/σ_min. Its SVD costs ~3k³ flops (a fifth of a second at k = 300), so wide
  // designs first try ‖R_unit⁻¹‖_F, a bound on 1/σ_min within a factor √k, from the R⁻¹ that
  // the standard errors need anyway; the SVD is computed only when that bound is inconclusive
  // (and when asked for, by `scaledCondition`).
  let sv: Float64Array | null = k <= EXACT_CONDITION_COLUMNS ? singularValues(rUnit, k) : null;
  let invSigmaMin: number;
  if (sv === null) {
    let frob = 0;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i <= c; i++) frob += (norms[i] * rinv[c * k + i]) ** 2;
    }
    invSigmaMin = Math.sqrt(frob);
    if (!(Math.sqrt(k) * invSigmaMin * Math.max(n, k) * EPS < 1)) sv = singularValues(rUnit, k);
  }
  if (sv !== null) {
    const scaledCondition = sv[0] / sv[k - 1];
    if (!(scaledCondition * Math.max(n, k) * EPS < 1)) return { kind: "singular", scaledCondition };
    invSigmaMin = 1 / sv[k - 1];
  }
  let conditionCache = sv === null ? NaN : sv[0] / sv[k - 1];
  const scaledCondition = (): number => {
    if (Number.isNaN(conditionCache)) {
      const values = singularValues(rUnit, k);
      conditionCache = values[0] / values[k - 1];
    }
    return conditionCache;
  };

  const qty = applyQt(qr, ys);
  let coef: Float64Array = new Float64Array(k);
  backSubstitute(qr.r, k, k, qty, coef);
  let resid: Float64Array = residualsFromQty(qr, qty, n);
  let ssr = sumSquares(resid);
  const bounds = errorBoundOf(
    { n, k, coef, rinv, norms, ys, ssr },
    invSigmaMin!,
  );
  const errorBound = Math.max(bounds.coef, bounds.se);
  let extended = false;
  const constantY = isConstant(ys) && impliedConstantOf(qr);
  if (constantY && constIndex >= 0) {
    // y is a multiple of the constant column: the exact coefficients are y's value over the
    // constant's on it and zero elsewhere.
    coef = new Float64Array(k);
    coef[constIndex] = ys[0] / xs[constIndex * n];
  } else if (bounds.se <= EXTENDED_PRECISION_THRESHOLD && !constantY) {
    // R⁻¹ (so every standard error) is accurate enough; when only the coefficients may not be
    // (a coefficient tiny next to its standard error, a large residual), refinement in O(nk)
    // per step recovers them at a fraction of the cost of the double-double solve.
    if (bounds.coef > EXTENDED_PRECISION_THRESHOLD) {
      const refined = refine(qr, xs, ys, coef, resid);
      if (refined !== null) {
        ({ coef, resid } = refined);
        ssr = sumSquares(resid);
        extended = true;
      }
    }
  }
  if (errorBound > EXTENDED_PRECISION_THRESHOLD && !extended && !(constantY && constIndex >= 0)) {
    const dd = ddLeastSquares(xs, ys, n, k);
    if (dd !== null) {
      ({ coef, rinv, resid, ssr } = dd);
      extended = true;
      // The double-double normal equations leave an error of about κ² · 1e-32 in the
      // coefficients; refinement on the QR takes them to double precision whenever κ ε < 1.
      const refined = refine(qr, xs, ys, coef, resid);
      if (refined !== null) coef = refined.coef;
    }
  }
  if (constantY) {
    // y lies in the column space (a constant does): the exact residuals are zero.
    resid = new Float64Array(n);
    ssr = 0;
  }
  return {
    n,
    k,
    colExp,
    yExp,
    xs,
    ys,
    qr,
    get scaledCondition(): number {
      return scaledCondition();
    },
    coef,
    rinv,
    resid,
    ssr,
    errorBound,
    extended,
  };
}

/**
 * The largest first-order bound on the relative error of a coefficient or a standard error of
 * the double-precision QR solution. With unit-length columns, Householder least squares solves
 * a problem whose columns and y are perturbed by about `γ = backwardError(n)` of their norms;
 * to first order (Wedin; Higham, Accuracy and Stability, ch. 20) coefficient j moves by at most
 * `γ ρⱼ (‖y‖ + ‖b‖₁ + √k ‖r‖ / σ_min)`, where `ρⱼ` is the norm of row j of `R⁻¹`, and the
 * standard errors, `ρⱼ ‖r‖ / √df`, by `γ (2√k / σ_min + (‖y‖ + ‖b‖₁) / ‖r‖)` relative.
 */
function errorBoundOf(
  f: {
    n: number;
    k: number;
    coef: Float64Array;
    rinv: Float64Array;
    norms: Float64Array;
    ys: Float64Array;
    ssr: number;
  },
  invSigmaMin: number,
): { coef: number; se: number } {
  const { n, k, coef, rinv, norms, ys, ssr } = f;
  const gamma = BACKWARD_ERROR;
  const ny = norm2(ys, 0, n);
  const nr = Math.sqrt(ssr);
  let b1 = 0;
  for (let j = 0; j < k; j++) b1 += Math.abs(coef[j] * norms[j]);
  const sqrtK = Math.sqrt(k);
  const se = gamma * (2 * sqrtK * invSigmaMin + (ny + b1) / nr);
  let worst = 0;
  const spread = ny + b1 + sqrtK * invSigmaMin * nr;
  for (let j = 0; j < k; j++) {
    let row = 0;
    for (let c = j; c < k; c++) row += rinv[c * k + j] * rinv[c * k + j];
    const rho = norms[j] * Math.sqrt(row);
    const bound = (gamma * rho * spread) / Math.abs(coef[j] * norms[j]);
    if (!(bound <= worst)) worst = Number.isNaN(bound) ? Infinity : bound;
  }
  return { coef: worst, se: Number.isNaN(se) ? Infinity : se };
}

/**
 * statsmodels' check for an implicit constant, on a full-rank factorization: a column of ones
 * would be a combination of the columns (its part orthogonal to them is below the tolerance
 * `householderQr` applies to a column `k + 1`).
 */
export function impliedConstantOf(qr: QrFactorization): boolean {
  const n = qr.rows;
  const k = qr.rank;
  const ones = applyQt(qr, new Float64Array(n).fill(1));
  const tolerance = Math.max(n, k + 1) * EPS * 16;
  return norm2(ones, k, n) <= tolerance * Math.sqrt(n);
}

/** The coefficients of a fit in the data's own units. */
export function unscaledCoefficients(fit: LeastSquaresFit): Float64Array {
  return fit.coef.map((b, j) => ldexp(b, fit.colExp[j] - fit.yExp));
}

/** `x · 2^e`, exact unless the result overflows or underflows, for any integer e. */
export function ldexp(x: number, e: number): number {
  while (e > 1023) {
    x *= 2 ** 1023;
    e -= 1023;
  }
  while (e < -1022) {
    x *= 2 ** -1022;
    e += 1022;
  }
  return x * 2 ** e;
}

/**
 * The exponent e for which `2^e` brings the largest magnitude of `v` into [1, 2) (0 for a vector
 * of zeros). Scaling by a power of two is exact, so it changes no digit of any result.
 */
export function scalingExponent(v: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
  if (max === 0 || !Number.isFinite(max)) return 0;
  let e = Math.floor(Math.log2(max));
  // log2 can round across a power of two; settle the exponent exactly.
  if (2 ** e > max) e--;
  else if (2 ** (e + 1) <= max) e++;
  // 2^1023 is the largest power of two: columns of subnormal numbers are scaled up only that far.
  return Math.min(-e, 1023);
}

/**
 * Relative size of the last corrections below which a refined solution is accepted: the error
 * left is about that size, so at least 10 significant digits.
 */
const REFINED_ENOUGH = 1e-10;

/** Most refinement steps; each gains about −log10(κ ε) digits, so three or four suffice. */
const MAX_REFINEMENTS = 6;

/**
 * Iterative refinement of a QR least-squares solution on the augmented system (Björck 1967;
 * Higham, Accuracy and Stability, §20.5): the corrections `f = y − r − X b` and `g = −Xᵀ r` are
 * computed in double-double, the correction of `(r, b)` is solved with the same QR factors. It
 * converges whenever `κ ε` is well below 1, and the result is correct to about double precision.
 * Returns null when it does not converge (the caller then solves in double-double).
 */
function refine(
  qr: QrFactorization,
  x: Float64Array,
  y: Float64Array,
  coef0: Float64Array,
  resid0: Float64Array,
): { coef: Float64Array; resid: Float64Array } | null {
  const n = qr.rows;
  const k = qr.rank;
  const coef = coef0.slice();
  const resid = resid0.slice();
  const h = new Float64Array(k);
  const db = new Float64Array(k);
  let previous = Infinity;
  for (let step = 0; step < MAX_REFINEMENTS; step++) {
    const { f, g } = augmentedResiduals(x, y, n, k, coef, resid);
    // Rᵀ h = g, then δb = R⁻¹ ((Qᵀ f)₁ − h) and δr = Q [h; (Qᵀ f)₂].
    for (let i = 0; i < k; i++) {
      let s = g[i];
      for (let m = 0; m < i; m++) s -= qr.r[i * k + m] * h[m];
      h[i] = s / qr.r[i * k + i];
    }
    const qtf = applyQt(qr, f);
    const top = new Float64Array(k);
    for (let i = 0; i < k; i++) top[i] = qtf[i] - h[i];
    backSubstitute(qr.r, k, k, top, db);
    for (let i = 0; i < k; i++) qtf[i] = h[i];
    const dr = applyQ(qr, qtf);
    let change = 0;
    for (let j = 0; j < k; j++) {
      coef[j] += db[j];
      change = Math.max(change, Math.abs(db[j]) / Math.abs(coef[j]));
    }
    for (let i = 0; i < n; i++) resid[i] += dr[i];
    if (!Number.isFinite(change)) return null;
    // Converged, or down to the noise of rounding b and r to doubles (the corrections then
    // stop shrinking: a coefficient tiny next to the others keeps a relative noise of κε‖b‖/|bⱼ|).
    if (change <= EPS || (change > previous / 2 && change <= REFINED_ENOUGH)) {
      return { coef, resid };
    }
    previous = change;
  }
  return previous <= REFINED_ENOUGH ? { coef, resid } : null;
}
