/**
 * The least-squares kernel shared by `ols` and the auxiliary regressions of the
 * diagnostic tests: Householder QR of X, coefficients, fitted values and residuals.
 *
 * @module
 */

import { applyQ, applyQt, backSubstitute, householderQr, type QrFactorization } from "./linalg.ts";

/** A least-squares solution. */
export interface LeastSquares {
  /** The QR factorization of X (its `kept` columns are the ones estimated). */
  qr: QrFactorization;
  /** Coefficients of the kept columns, in `qr.kept` order. */
  coef: Float64Array;
  /** Fitted values `X b`. */
  fitted: Float64Array;
  /** Residuals `y − X b`. */
  resid: Float64Array;
  /** Sum of squared residuals. */
  ssr: number;
}

/**
 * Solves `min ‖y − X b‖²` for column-major `X` (`n × k`). Columns that are linear
 * combinations of earlier ones are left out (see `qr.dependent`), which gives the same
 * fitted values as a pseudo-inverse solution.
 */
export function leastSquares(y: Float64Array, x: Float64Array, n: number, k: number): LeastSquares {
  const qr = householderQr(x, n, k);
  const qty = applyQt(qr, y);
  const coef = new Float64Array(qr.rank);
  backSubstitute(qr.r, qr.rank, qr.rank, qty, coef);
  // Residuals from the orthogonal part of Qᵀy: accurate even when the fit is nearly exact.
  const residPart = new Float64Array(n);
  for (let i = qr.rank; i < n; i++) residPart[i] = qty[i];
  const resid = applyQ(qr, residPart);
  const fitted = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    fitted[i] = y[i] - resid[i];
    ssr += resid[i] * resid[i];
  }
  return { qr, coef, fitted, resid, ssr };
}

/** Sum of squares of deviations from the mean (two-pass, for accuracy). */
export function centeredSumSquares(y: ArrayLike<number>): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
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
