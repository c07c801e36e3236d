/**
 * Least squares in double-double arithmetic (an unevaluated sum `hi + lo` of two doubles, about
 * 32 significant digits), for the fits whose double-precision error bound is too large: the
 * Gram matrix `XᵀX` and `Xᵀy` are accumulated with error-free products and sums (Dekker,
 * Knuth; the Dot2 scheme of Ogita, Rump and Oishi 2005), factored by Cholesky in double-double,
 * and the residuals `y − X b` of the rounded coefficients are computed the same way.
 *
 * The Cholesky route squares the condition number, but in 32 digits: with a condition number
 * κ of the column-scaled design the coefficients carry a relative error of about κ² · 1e-32 before
 * they are rounded to doubles, so every design that the rank checks accept (κ below about
 * 1e13) comes out correct to double precision or nearly so.
 *
 * @module
 */

/** Dekker's splitting constant 2^27 + 1: `a` splits into two halves of 26 bits. */
const SPLIT = 134217729;

/** A vector (or matrix) of double-double values: high parts and low parts. */
interface DoubleDoubles {
  hi: Float64Array;
  lo: Float64Array;
}

/** Result of {@linkcode ddLeastSquares}, rounded to doubles. */
export interface DoubleDoubleSolution {
  /** Coefficients (each the double nearest the double-double solution). */
  coef: Float64Array;
  /** `R⁻¹` of the Cholesky factor `XᵀX = RᵀR`, column-major `k × k`, upper triangular. */
  rinv: Float64Array;
  /**
   * Residuals `y − X b` of the double-double solution b (not of the rounded `coef`: rounding a
   * coefficient to double moves the residuals of a near-exact fit by more than their size).
   */
  resid: Float64Array;
  /** Sum of squared residuals. */
  ssr: number;
}

// The double-double operations below return their result in these two variables: allocating a
// pair per operation would cost more than the arithmetic.
let rh = 0;
let rl = 0;

/** `(a_hi + a_lo) + (b_hi + b_lo)` into `rh + rl`. */
function add(ah: number, al: number, bh: number, bl: number): void {
  let s = ah + bh;
  let v = s - ah;
  let e = (ah - (s - v)) + (bh - v);
  const t = al + bl;
  v = t - al;
  const f = (al - (t - v)) + (bl - v);
  e += t;
  let h = s + e;
  e -= h - s;
  s = h;
  e += f;
  h = s + e;
  rl = e - (h - s);
  rh = h;
}

/** `(a_hi + a_lo) · (b_hi + b_lo)` into `rh + rl`. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let c = SPLIT * ah;
  const ahh = c - (c - ah);
  const ahl = ah - ahh;
  c = SPLIT * bh;
  const bhh = c - (c - bh);
  const bhl = bh - bhh;
  let e = ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
  e += ah * bl + al * bh;
  const h = p + e;
  rl = e - (h - p);
  rh = h;
}

/** `(a_hi + a_lo) / (b_hi + b_lo)` into `rh + rl` (one correction of the double quotient). */
function div(ah: number, al: number, bh: number, bl: number): void {
  const q = ah / bh;
  mul(q, 0, bh, bl);
  add(ah, al, -rh, -rl);
  const q2 = rh / bh;
  const h = q + q2;
  rl = q2 - (h - q);
  rh = h;
}

/** `√(a_hi + a_lo)` into `rh + rl` (one Newton step from the double square root). */
function sqrt(ah: number, al: number): void {
  const x = Math.sqrt(ah);
  mul(x, 0, x, 0);
  add(ah, al, -rh, -rl);
  const d = rh / (2 * x);
  const h = x + d;
  rl = d - (h - x);
  rh = h;
}

/** Splits every value of `v` into Dekker halves (`hi` has the top 26 bits). */
function splitAll(v: Float64Array): { hi: Float64Array; lo: Float64Array } {
  const hi = new Float64Array(v.length);
  const lo = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const c = SPLIT * v[i];
    const h = c - (c - v[i]);
    hi[i] = h;
    lo[i] = v[i] - h;
  }
  return { hi, lo };
}

/**
 * `Σ a[i] · b[i]` over `a = x[offA .. offA + n)` and `b = x[offB ..)` as a double-double (into
 * `rh + rl`), from pre-split halves: every product is split into its rounded value and its exact
 * error, and both are summed with the rounding error of each addition kept (Dot2).
 */
function dot2(
  av: Float64Array,
  ah: Float64Array,
  al: Float64Array,
  offA: number,
  bv: Float64Array,
  bh: Float64Array,
  bl: Float64Array,
  offB: number,
  n: number,
): void {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const a = av[offA + i];
    const b = bv[offB + i];
    const p = a * b;
    const ahi = ah[offA + i];
    const alo = al[offA + i];
    const bhi = bh[offB + i];
    const blo = bl[offB + i];
    const e = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
    const t = s + p;
    const v = t - s;
    c += ((s - (t - v)) + (p - v)) + e;
    s = t;
  }
  const h = s + c;
  rl = c - (h - s);
  rh = h;
}

/**
 * Solves `min ‖y − X b‖` for a full-rank column-major `X` (`n × k`) in double-double
 * arithmetic. The columns should be of comparable size (scale them first): the accuracy of the
 * Cholesky factorization depends on the condition number of the column-scaled matrix.
 *
 * Returns null when `XᵀX` is not positive definite even in double-double arithmetic.
 */
export function ddLeastSquares(
  x: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
): DoubleDoubleSolution | null {
  const xs = splitAll(x);
  const ys = splitAll(y);
  // Gram matrix (lower triangle, row-major k × k) and Xᵀy.
  const g: DoubleDoubles = { hi: new Float64Array(k * k), lo: new Float64Array(k * k) };
  const c: DoubleDoubles = { hi: new Float64Array(k), lo: new Float64Array(k) };
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      dot2(x, xs.hi, xs.lo, a * n, x, xs.hi, xs.lo, b * n, n);
      g.hi[a * k + b] = rh;
      g.lo[a * k + b] = rl;
    }
    dot2(x, xs.hi, xs.lo, a * n, y, ys.hi, ys.lo, 0, n);
    c.hi[a] = rh;
    c.lo[a] = rl;
  }
  // Cholesky XᵀX = L Lᵀ (L lower triangular, row-major).
  const l: DoubleDoubles = { hi: new Float64Array(k * k), lo: new Float64Array(k * k) };
  for (let j = 0; j < k; j++) {
    let dh = g.hi[j * k + j];
    let dl = g.lo[j * k + j];
    for (let m = 0; m < j; m++) {
      mul(l.hi[j * k + m], l.lo[j * k + m], l.hi[j * k + m], l.lo[j * k + m]);
      add(dh, dl, -rh, -rl);
      dh = rh;
      dl = rl;
    }
    if (!(dh > 0)) return null;
    sqrt(dh, dl);
    const ljh = rh;
    const ljl = rl;
    l.hi[j * k + j] = ljh;
    l.lo[j * k + j] = ljl;
    for (let i = j + 1; i < k; i++) {
      let sh = g.hi[i * k + j];
      let sl = g.lo[i * k + j];
      for (let m = 0; m < j; m++) {
        mul(l.hi[i * k + m], l.lo[i * k + m], l.hi[j * k + m], l.lo[j * k + m]);
        add(sh, sl, -rh, -rl);
        sh = rh;
        sl = rl;
      }
      div(sh, sl, ljh, ljl);
      l.hi[i * k + j] = rh;
      l.lo[i * k + j] = rl;
    }
  }
  // L z = Xᵀy, then Lᵀ b = z.
  const z: DoubleDoubles = { hi: new Float64Array(k), lo: new Float64Array(k) };
  for (let i = 0; i < k; i++) {
    let sh = c.hi[i];
    let sl = c.lo[i];
    for (let m = 0; m < i; m++) {
      mul(l.hi[i * k + m], l.lo[i * k + m], z.hi[m], z.lo[m]);
      add(sh, sl, -rh, -rl);
      sh = rh;
      sl = rl;
    }
    div(sh, sl, l.hi[i * k + i], l.lo[i * k + i]);
    z.hi[i] = rh;
    z.lo[i] = rl;
  }
  const b: DoubleDoubles = { hi: new Float64Array(k), lo: new Float64Array(k) };
  for (let i = k - 1; i >= 0; i--) {
    let sh = z.hi[i];
    let sl = z.lo[i];
    for (let m = i + 1; m < k; m++) {
      mul(l.hi[m * k + i], l.lo[m * k + i], b.hi[m], b.lo[m]);
      add(sh, sl, -rh, -rl);
      sh = rh;
      sl = rl;
    }
    div(sh, sl, l.hi[i * k + i], l.lo[i * k + i]);
    b.hi[i] = rh;
    b.lo[i] = rl;
  }
  // R⁻¹ = (L⁻¹)ᵀ: column c of L⁻¹ by forward substitution, stored as row c of R⁻¹.
  const rinv = new Float64Array(k * k);
  const col: DoubleDoubles = { hi: new Float64Array(k), lo: new Float64Array(k) };
  for (let cc = 0; cc < k; cc++) {
    for (let i = cc; i < k; i++) {
      let sh = i === cc ? 1 : 0;
      let sl = 0;
      for (let m = cc; m < i; m++) {
        mul(l.hi[i * k + m], l.lo[i * k + m], col.hi[m], col.lo[m]);
        add(sh, sl, -rh, -rl);
        sh = rh;
        sl = rl;
      }
      div(sh, sl, l.hi[i * k + i], l.lo[i * k + i]);
      col.hi[i] = rh;
      col.lo[i] = rl;
      // (L⁻¹)[i][cc] is R⁻¹ at row cc, column i: column-major index i·k + cc.
      rinv[i * k + cc] = rh + rl;
    }
  }
  const coef = new Float64Array(k);
  for (let j = 0; j < k; j++) coef[j] = b.hi[j] + b.lo[j];
  const { resid, ssr } = ddResiduals(x, xs, y, n, k, b);
  return { coef, rinv, resid, ssr };
}

/** `y − X b` with every row's sum in double-double, rounded once; and its sum of squares. */
function ddResiduals(
  x: Float64Array,
  xs: { hi: Float64Array; lo: Float64Array },
  y: Float64Array,
  n: number,
  k: number,
  b: DoubleDoubles,
): { resid: Float64Array; ssr: number } {
  const bs = splitAll(b.hi);
  const resid = new Float64Array(n);
  let ssrH = 0;
  let ssrL = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i];
    let c = 0;
    for (let j = 0; j < k; j++) {
      const a = x[j * n + i];
      const bh = b.hi[j];
      const p = -(a * bh);
      const ahi = xs.hi[j * n + i];
      const alo = xs.lo[j * n + i];
      // The exact error of a · b_hi, and a · b_lo (tiny: its own rounding is negligible).
      const e = -(((ahi * bs.hi[j] - a * bh) + ahi * bs.lo[j] + alo * bs.hi[j]) + alo * bs.lo[j]) -
        a * b.lo[j];
      const t = s + p;
      const v = t - s;
      c += ((s - (t - v)) + (p - v)) + e;
      s = t;
    }
    const r = s + c;
    const rlo = c - (r - s);
    resid[i] = r;
    mul(r, rlo, r, rlo);
    add(ssrH, ssrL, rh, rl);
    ssrH = rh;
    ssrL = rl;
  }
  return { resid, ssr: ssrH + ssrL };
}

/**
 * Corrections for one step of iterative refinement of the least-squares problem as the augmented
 * system `r + X b = y`, `Xᵀ r = 0` (Björck 1967): `f = y − r − X b` and `g = −Xᵀ r`, every sum
 * accumulated in double-double and rounded once, so that they are accurate even when they are
 * tiny next to the terms that cancel in them.
 */
export function augmentedResiduals(
  x: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
  b: Float64Array,
  r: Float64Array,
): { f: Float64Array; g: Float64Array } {
  const xs = splitAll(x);
  const bs = splitAll(b);
  const rs = splitAll(r);
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    let c = -r[i];
    for (let j = 0; j < k; j++) {
      const a = x[j * n + i];
      const p = -(a * b[j]);
      const ahi = xs.hi[j * n + i];
      const alo = xs.lo[j * n + i];
      const e = -(((ahi * bs.hi[j] - a * b[j]) + ahi * bs.lo[j] + alo * bs.hi[j]) + alo * bs.lo[j]);
      const t = s + p;
      const v = t - s;
      c += ((s - (t - v)) + (p - v)) + e;
      s = t;
    }
    f[i] = s + c;
  }
  const g = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    dot2(x, xs.hi, xs.lo, j * n, r, rs.hi, rs.lo, 0, n);
    g[j] = -(rh + rl);
  }
  return { f, g };
}
