/**
 * Dense linear algebra for least squares, on column-major `Float64Array`s.
 *
 * A matrix with `rows` rows is stored column after column: element (i, j) is at
 * `data[j * rows + i]`. Least squares goes through Householder QR (never the
 * normal equations), so the conditioning of the problem is not squared.
 *
 * @module
 */

/** Machine epsilon for doubles. */
export const EPS = 2.220446049250313e-16;

/** Result of {@linkcode householderQr}. */
export interface QrFactorization {
  /** Number of rows of the factored matrix. */
  rows: number;
  /** Number of columns kept (the independent ones, in their original order). */
  rank: number;
  /** Original column index of each kept column. */
  kept: number[];
  /** Original column index of each column found to depend on earlier ones. */
  dependent: number[];
  /**
   * For each dependent column, its coefficients on the kept columns
   * (`x_dep ≈ Σ coef[i] · x_kept[i]`).
   */
  dependentCoefficients: Float64Array[];
  /** Householder vectors, column-major `rows × rank` (below and on the diagonal). */
  householder: Float64Array;
  /** Scaling factors `tau` of the reflections `I − tau v vᵀ`. */
  tau: Float64Array;
  /** Upper-triangular factor R, column-major `rank × rank`. */
  r: Float64Array;
}

/**
 * Factors `X = Q R` by Householder reflections, taking the columns in their given order
 * and setting aside a column whose part orthogonal to the earlier kept columns is
 * negligible (relative norm below `tolerance`): such a column is a linear combination
 * of earlier ones, and its coefficients are reported.
 *
 * @param x Column-major `rows × cols` matrix (not modified).
 * @param rows Number of rows.
 * @param cols Number of columns.
 * @param tolerance Relative size below which a column counts as dependent.
 * @returns The factorization.
 */
export function householderQr(
  x: Float64Array,
  rows: number,
  cols: number,
  tolerance: number = Math.max(rows, cols) * EPS * 16,
): QrFactorization {
  // Work columns are reflected in place, one at a time, against the kept reflections.
  const work = new Float64Array(x);
  const maxRank = Math.min(rows, cols);
  const householder = new Float64Array(rows * maxRank);
  const tau = new Float64Array(maxRank);
  const rDiag: number[] = [];
  const kept: number[] = [];
  const dependent: number[] = [];
  const dependentTop: Float64Array[] = [];
  for (let j = 0; j < cols; j++) {
    const col = work.subarray(j * rows, (j + 1) * rows);
    const originalNorm = norm2(col, 0, rows);
    const r = kept.length;
    for (let h = 0; h < r; h++) applyReflection(householder, tau[h], h, rows, col);
    const tailNorm = norm2(col, r, rows);
    if (r >= rows || tailNorm <= tolerance * originalNorm || originalNorm === 0) {
      dependent.push(j);
      dependentTop.push(col.slice(0, r));
      continue;
    }
    // Reflect col[r:] onto a multiple of e_r, choosing the sign that avoids cancellation.
    const alpha = col[r] >= 0 ? -tailNorm : tailNorm;
    const v = householder.subarray(r * rows, (r + 1) * rows);
    v[r] = col[r] - alpha;
    for (let i = r + 1; i < rows; i++) v[i] = col[i];
    const vNormSq = v[r] * v[r] + sumSquares(v, r + 1, rows);
    tau[r] = 2 / vNormSq;
    col[r] = alpha;
    for (let i = r + 1; i < rows; i++) col[i] = 0;
    rDiag.push(alpha);
    kept.push(j);
  }
  const rank = kept.length;
  const r = new Float64Array(rank * rank);
  for (let c = 0; c < rank; c++) {
    const src = kept[c] * rows;
    for (let i = 0; i <= c; i++) r[c * rank + i] = work[src + i];
  }
  // Coefficients of dependent columns: solve R11 c = (Qᵀx)[0:r] with the R available
  // when the column was met (a leading block of the final R).
  const dependentCoefficients = dependentTop.map((top) => {
    const coef = new Float64Array(top.length);
    backSubstitute(r, rank, top.length, top, coef);
    return coef;
  });
  return {
    rows,
    rank,
    kept,
    dependent,
    dependentCoefficients,
    householder: householder.slice(0, rows * rank),
    tau: tau.slice(0, rank),
    r,
  };
}

/** Applies reflection `h` of a factorization to a vector in place (`v ← H_h v`). */
function applyReflection(
  householder: Float64Array,
  tauH: number,
  h: number,
  rows: number,
  vec: Float64Array,
): void {
  const off = h * rows;
  let dot = 0;
  for (let i = h; i < rows; i++) dot += householder[off + i] * vec[i];
  const s = tauH * dot;
  if (s === 0) return;
  for (let i = h; i < rows; i++) vec[i] -= s * householder[off + i];
}

/**
 * Computes `Qᵀ y` for a factorization (all `rows` entries: the first `rank` are the
 * coordinates in the column space, the rest the residual part).
 */
export function applyQt(qr: QrFactorization, y: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(y);
  for (let h = 0; h < qr.rank; h++) applyReflection(qr.householder, qr.tau[h], h, qr.rows, out);
  return out;
}

/** Computes `Q z` for a vector `z` of length `rows` (inverse of {@linkcode applyQt}). */
export function applyQ(qr: QrFactorization, z: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(z);
  for (let h = qr.rank - 1; h >= 0; h--) {
    applyReflection(qr.householder, qr.tau[h], h, qr.rows, out);
  }
  return out;
}

/**
 * Solves the leading `size × size` block of the upper-triangular column-major `r`
 * (leading dimension `ld`) against `b`, writing into `out`.
 */
export function backSubstitute(
  r: Float64Array,
  ld: number,
  size: number,
  b: ArrayLike<number>,
  out: Float64Array,
): void {
  for (let i = size - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < size; j++) s -= r[j * ld + i] * out[j];
    out[i] = s / r[i * ld + i];
  }
}

/** Inverse of an upper-triangular column-major `n × n` matrix (also upper triangular). */
export function invertUpper(r: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    backSubstitute(r, n, j + 1, e, col);
    for (let i = 0; i <= j; i++) inv[j * n + i] = col[i];
  }
  return inv;
}

/** `A Aᵀ` for a column-major `rows × cols` matrix, as a column-major `rows × rows` matrix. */
export function outerGram(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += a[c * rows + i] * a[c * rows + j];
      out[j * rows + i] = s;
      out[i * rows + j] = s;
    }
  }
  return out;
}

/**
 * `A M Aᵀ` for column-major `A` (`p × q`) and symmetric `M` (`q × q`): the sandwich
 * of covariance estimators.
 */
export function sandwich(a: Float64Array, p: number, q: number, m: Float64Array): Float64Array {
  // t = A M (p × q), then out = t Aᵀ.
  const t = new Float64Array(p * q);
  for (let j = 0; j < q; j++) {
    for (let l = 0; l < q; l++) {
      const mlj = m[j * q + l];
      if (mlj === 0) continue;
      const off = l * p;
      for (let i = 0; i < p; i++) t[j * p + i] += a[off + i] * mlj;
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < q; j++) s += t[j * p + i] * a[j * p + k];
      out[k * p + i] = s;
      out[i * p + k] = s;
    }
  }
  return out;
}

/**
 * Singular values of a small column-major square matrix, in decreasing order, by
 * one-sided Jacobi rotations (accurate to a few ulps relative to the largest value).
 */
export function singularValues(a: Float64Array, n: number): Float64Array {
  const u = new Float64Array(a);
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const up = u[p * n + i];
          const uq = u[q * n + i];
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const up = u[p * n + i];
          const uq = u[q * n + i];
          u[p * n + i] = c * up - s * uq;
          u[q * n + i] = s * up + c * uq;
        }
      }
    }
    if (!rotated) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) sv[j] = norm2(u.subarray(j * n, (j + 1) * n), 0, n);
  return sv.sort().reverse();
}

/**
 * Solves `A x = b` for a symmetric positive-definite column-major `n × n` matrix by
 * Cholesky factorization. Returns `null` when `A` is not numerically positive definite.
 */
export function choleskySolve(
  a: Float64Array,
  n: number,
  b: ArrayLike<number>,
): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[k * n + j] * l[k * n + j];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[j * n + i];
      for (let k = 0; k < j; k++) s -= l[k * n + i] * l[k * n + j];
      l[j * n + i] = s / ljj;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[k * n + i] * z[k];
    z[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Euclidean norm of `v[from:to]`, scaled to avoid overflow and underflow. */
export function norm2(v: ArrayLike<number>, from: number, to: number): number {
  let scale = 0;
  for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = from; i < to; i++) {
    const z = v[i] / scale;
    s += z * z;
  }
  return scale * Math.sqrt(s);
}

/** Sum of squares of `v[from:to]`. */
export function sumSquares(v: ArrayLike<number>, from = 0, to: number = v.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i] * v[i];
  return s;
}
