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
 * @returns The factorization.
 */
export function householderQr(
  x: Float64Array,
  rows: number,
  cols: number,
): QrFactorization {
  const tolerance = Math.max(rows, cols) * EPS * 16;
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
export function applyReflection(
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
 * Singular values of a column-major square matrix, in decreasing order: Householder reduction to
 * bidiagonal form, then implicitly shifted QR sweeps on the bidiagonal (Golub and Kahan 1965;
 * Golub and Van Loan, algorithms 5.4.2 and 8.6.2), values only. Each value is accurate to a few
 * ulps of the largest, like LAPACK's; the work is about 8n³/3 flops, so a 300 × 300 factor takes
 * tens of milliseconds. Entries should be well inside the double range (scale the matrix first).
 *
 * @throws {RangeError} when the QR sweeps do not converge (only for non-finite input).
 */
export function singularValues(a: Float64Array, n: number): Float64Array {
  const { d, e } = bidiagonalize(a, n);
  bidiagonalSingularValues(d, e);
  return d.map(Math.abs).sort().reverse();
}

/**
 * Reduces a square matrix to upper bidiagonal form `Uᵀ A V = B` by alternating Householder
 * reflections from the left (zeroing below the diagonal) and the right (zeroing beyond the
 * superdiagonal). Returns the diagonal `d` and the superdiagonal `e` (`e[i]` is `B[i][i+1]`).
 */
function bidiagonalize(a: Float64Array, n: number): { d: Float64Array; e: Float64Array } {
  const w = new Float64Array(a);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // Left: column j, rows j..n-1.
    d[j] = reflect(w, n, j, j, n - j, 1, v, (r) => {
      for (let c = j + 1; c < n; c++) {
        let dot = 0;
        for (let i = j; i < n; i++) dot += v[i - j] * w[c * n + i];
        const t = r * dot;
        if (t !== 0) { for (let i = j; i < n; i++) w[c * n + i] -= t * v[i - j]; }
      }
    });
    if (j + 1 >= n) break;
    // Right: row j, columns j+1..n-1 (stride n in column-major storage).
    e[j] = reflect(w, n, j, j + 1, n - j - 1, n, v, (r) => {
      for (let i = j + 1; i < n; i++) {
        let dot = 0;
        for (let c = j + 1; c < n; c++) dot += v[c - j - 1] * w[c * n + i];
        const t = r * dot;
        if (t !== 0) { for (let c = j + 1; c < n; c++) w[c * n + i] -= t * v[c - j - 1]; }
      }
    });
  }
  return { d, e };
}

/**
 * Builds the Householder vector `v` that maps the `len` entries of `w` starting at row `i0`,
 * column `c0` and moving by `step` (1 along a column, n along a row) onto a multiple of the
 * first, calls `apply(tau)` so the caller can transform the rest of the matrix by `I − tau v vᵀ`,
 * and returns the value left in the first entry.
 */
function reflect(
  w: Float64Array,
  n: number,
  i0: number,
  c0: number,
  len: number,
  step: number,
  v: Float64Array,
  apply: (tau: number) => void,
): number {
  const first = c0 * n + i0;
  let scale = 0;
  for (let t = 0; t < len; t++) scale = Math.max(scale, Math.abs(w[first + t * step]));
  if (scale === 0) return 0;
  let ss = 0;
  for (let t = 0; t < len; t++) {
    const z = w[first + t * step] / scale;
    ss += z * z;
  }
  const norm = scale * Math.sqrt(ss);
  const x0 = w[first];
  const alpha = x0 >= 0 ? -norm : norm;
  v[0] = x0 - alpha;
  for (let t = 1; t < len; t++) v[t] = w[first + t * step];
  const vv = sumSquares(v, 0, len);
  if (vv === 0) return x0;
  apply(2 / vv);
  return alpha;
}

/**
 * Singular values of the upper bidiagonal matrix with diagonal `d` and superdiagonal `e`, in
 * place in `d` (not sorted, possibly negative): Golub-Kahan QR sweeps with a Wilkinson shift,
 * deflating where a superdiagonal entry falls below ε times its neighbours, and chasing out the
 * row or column of a negligible diagonal entry.
 */
function bidiagonalSingularValues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    norm = Math.max(norm, Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0));
  }
  if (norm === 0 || !Number.isFinite(norm)) return;
  const tiny = EPS * norm;
  let hi = n - 1;
  let sweeps = 0;
  while (hi > 0) {
    if (sweeps++ > 60 * n) throw new RangeError("singularValues: QR sweeps did not converge.");
    // Deflate: find the unreduced block lo..hi at the bottom.
    for (let i = 0; i < hi; i++) {
      if (Math.abs(e[i]) <= EPS * (Math.abs(d[i]) + Math.abs(d[i + 1]))) e[i] = 0;
    }
    if (e[hi - 1] === 0) {
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && e[lo - 1] !== 0) lo--;
    // A negligible diagonal entry splits the block once its row (or, last, column) is cleared.
    let zeroAt = -1;
    for (let i = lo; i <= hi; i++) {
      if (Math.abs(d[i]) <= tiny) {
        zeroAt = i;
        break;
      }
    }
    if (zeroAt >= 0) {
      d[zeroAt] = 0;
      if (zeroAt < hi) clearRow(d, e, zeroAt, hi);
      else clearColumn(d, e, lo, hi);
      continue;
    }
    qrSweep(d, e, lo, hi);
  }
}

/** With `d[i] = 0`, rotates rows i and j = i+1..hi to move `e[i]` out of row i. */
function clearRow(d: Float64Array, e: Float64Array, i: number, hi: number): void {
  let x = e[i];
  e[i] = 0;
  for (let j = i + 1; j <= hi && x !== 0; j++) {
    const r = Math.hypot(d[j], x);
    const c = d[j] / r;
    const s = x / r;
    d[j] = r;
    if (j < hi) {
      x = -s * e[j];
      e[j] *= c;
    }
  }
}

/** With `d[hi] = 0`, rotates columns j = hi-1..lo and hi to move `e[hi-1]` out of column hi. */
function clearColumn(d: Float64Array, e: Float64Array, lo: number, hi: number): void {
  let x = e[hi - 1];
  e[hi - 1] = 0;
  for (let j = hi - 1; j >= lo && x !== 0; j--) {
    const r = Math.hypot(d[j], x);
    const c = d[j] / r;
    const s = x / r;
    d[j] = r;
    if (j > lo) {
      x = -s * e[j - 1];
      e[j - 1] *= c;
    }
  }
}

/** One implicit QR sweep on the unreduced block lo..hi, shifted by the Wilkinson shift. */
function qrSweep(d: Float64Array, e: Float64Array, lo: number, hi: number): void {
  // Eigenvalue of the trailing 2 × 2 block of BᵀB nearer its last diagonal entry.
  const dm = d[hi - 1];
  const em = hi - 2 >= lo ? e[hi - 2] : 0;
  const dn = d[hi];
  const en = e[hi - 1];
  const t11 = dm * dm + em * em;
  const t12 = dm * en;
  const t22 = dn * dn + en * en;
  const half = (t11 - t22) / 2;
  const root = Math.hypot(half, t12);
  const mu = t22 - (t12 * t12) / (half + (half >= 0 ? root : -root) || 1);
  let y = d[lo] * d[lo] - mu;
  let z = d[lo] * e[lo];
  for (let k = lo; k < hi; k++) {
    // Rotation of columns k, k+1 that zeroes z against y.
    let r = Math.hypot(y, z);
    let c = r === 0 ? 1 : y / r;
    let s = r === 0 ? 0 : -z / r;
    if (k > lo) e[k - 1] = r;
    let a = d[k];
    let b = e[k];
    d[k] = c * a - s * b;
    e[k] = s * a + c * b;
    const bulge = -s * d[k + 1];
    d[k + 1] *= c;
    // Rotation of rows k, k+1 that zeroes the bulge below the diagonal.
    y = d[k];
    z = bulge;
    r = Math.hypot(y, z);
    c = r === 0 ? 1 : y / r;
    s = r === 0 ? 0 : z / r;
    d[k] = r;
    a = e[k];
    b = d[k + 1];
    e[k] = c * a + s * b;
    d[k + 1] = -s * a + c * b;
    if (k + 1 < hi) {
      z = s * e[k + 1];
      e[k + 1] *= c;
      y = e[k];
    }
  }
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

/**
 * Singular values of a column-major square matrix, in decreasing order, by one-sided Jacobi
 * rotations (Hestenes). Slower than {@linkcode singularValues} (a sweep costs 2n³ and several
 * are needed), but each value is accurate relative to itself when the matrix is a
 * well-conditioned one with columns of very different lengths (Demmel and Veselić 1992): the
 * small singular values of a design whose columns are in wildly different units.
 */
export function jacobiSingularValues(a: Float64Array, n: number): Float64Array {
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
