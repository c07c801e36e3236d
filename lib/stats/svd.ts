/**
 * Thin singular value decomposition of a tall or wide column-major matrix by one-sided
 * (Hestenes) Jacobi rotations: accurate to a few ulps relative to the largest singular value,
 * and for the singular vectors to about `ε · σ₁ / gap`, like LAPACK's SVD.
 *
 * @module
 */

import { EPS, norm2 } from "./linalg.ts";

/** Result of {@linkcode thinSvd}: `A = U diag(s) Vᵀ` with the singular values decreasing. */
export interface ThinSvd {
  /** The `cols` singular values, decreasing (those beyond the rank are zero or tiny). */
  s: Float64Array;
  /**
   * `U diag(s)`, column-major `rows × cols`: column j is `A vⱼ` (the scores of a principal
   * component analysis); columns are mutually orthogonal.
   */
  us: Float64Array;
  /** Right singular vectors, column-major `cols × cols`, orthonormal. */
  v: Float64Array;
}

const MAX_SWEEPS = 80;

/**
 * Thin SVD of a column-major `rows × cols` matrix by one-sided Jacobi: plane rotations applied
 * to pairs of columns until every pair is orthogonal to working precision; the rotated columns
 * are `U diag(s)` and the accumulated rotations are `V`. Each sweep costs `O(cols² · rows)`,
 * so it suits panels of up to a few hundred columns. No sign convention is applied here.
 *
 * @param a Column-major matrix (not modified).
 * @param rows Number of rows.
 * @param cols Number of columns.
 * @returns The decomposition, sorted by decreasing singular value.
 * @throws {RangeError} when the sizes do not match `a`, or the rotations do not converge.
 *
 * @example
 * ```ts
 * import { thinSvd } from "./svd.ts";
 * import assert from "node:assert/strict";
 *
 * // Columns (3, 4, 0) and (0, 0, 2): already orthogonal, singular values 5 and 2.
 * const { s, v } = thinSvd(Float64Array.from([3, 4, 0, 0, 0, 2]), 3, 2);
 * assert.deepEqual(Array.from(s), [5, 2]);
 * assert.deepEqual(Array.from(v), [1, 0, 0, 1]);
 * ```
 */
export function thinSvd(a: Float64Array, rows: number, cols: number): ThinSvd {
  if (a.length !== rows * cols) {
    throw new RangeError(`thinSvd: ${a.length} values for a ${rows} × ${cols} matrix.`);
  }
  const w = new Float64Array(a);
  const v = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) v[j * cols + j] = 1;
  // Rotate a pair only when its columns are measurably not orthogonal (LAPACK's dgesvj uses
  // the same sqrt(rows)·ε threshold on the cosine of their angle).
  const tolerance = Math.sqrt(Math.max(rows, 1)) * EPS;
  // Columns reduced to rounding noise (the null space of a rank-deficient matrix) are left
  // alone: their angles are meaningless and rotating them would never settle.
  let frobenius = 0;
  for (const x of a) frobenius += x * x;
  const negligible = EPS * EPS * frobenius;
  let sweeps = 0;
  let converged = cols < 2;
  while (!converged && sweeps < MAX_SWEEPS) {
    sweeps++;
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const po = p * rows;
      for (let q = p + 1; q < cols; q++) {
        const qo = q * rows;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const wp = w[po + i];
          const wq = w[qo + i];
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        if (alpha <= negligible || beta <= negligible) continue;
        rotated = true;
        // The rotation that zeroes the off-diagonal entry of the 2 × 2 Gram matrix of the pair.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const wp = w[po + i];
          const wq = w[qo + i];
          w[po + i] = c * wp - s * wq;
          w[qo + i] = s * wp + c * wq;
        }
        const pv = p * cols;
        const qv = q * cols;
        for (let i = 0; i < cols; i++) {
          const vp = v[pv + i];
          const vq = v[qv + i];
          v[pv + i] = c * vp - s * vq;
          v[qv + i] = s * vp + c * vq;
        }
      }
    }
    converged = !rotated;
  }
  if (!converged) {
    throw new RangeError(
      `thinSvd: Jacobi rotations did not converge in ${MAX_SWEEPS} sweeps (non-finite values?).`,
    );
  }
  const norms = Array.from({ length: cols }, (_, j) => norm2(w, j * rows, (j + 1) * rows));
  const order = norms.map((_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const s = new Float64Array(cols);
  const us = new Float64Array(rows * cols);
  const vSorted = new Float64Array(cols * cols);
  order.forEach((from, to) => {
    s[to] = norms[from];
    us.set(w.subarray(from * rows, (from + 1) * rows), to * rows);
    vSorted.set(v.subarray(from * cols, (from + 1) * cols), to * cols);
  });
  return { s, us, v: vSorted };
}
