/**
 * The numeric kernel of rolling and expanding least squares: one regression per window end
 * from moment sums that are updated as rows enter and leave the window (O(k²) per row), not
 * from a fresh factorization per window.
 *
 * Accuracy. Plain sums of squares and cross-products lose digits to cancellation when the
 * data have large means or the window's regressors are nearly collinear. So:
 *
 * - the sums are co-moments about the window mean (Welford-style updates for adding and
 *   removing a row), of data shifted by the mean of the last window recomputed from scratch;
 * - every update's magnitude is accumulated, and a window whose accumulated updates exceed a
 *   few times its current co-moments (a large row has just left, or the mean drifted far from
 *   the shift) is recomputed from its rows (two passes) before it is solved;
 * - each window is solved by a Cholesky factorization of the co-moments scaled to unit
 *   diagonal, which also bounds the condition number (`(k − 1) · trace(R⁻¹)`) and tells how
 *   many digits the residual sum of squares keeps (`1 − R²`);
 * - when that error bound exceeds 1e-9 relative (near-collinear regressors in the window, or a
 *   near-perfect fit), the window is solved by Householder QR of its rows instead.
 *
 * @module
 */

import { EPS, invertUpper, singularValues } from "./linalg.ts";
import { leastSquares } from "./lstsq.ts";

/** Rows of a regression, aligned (missing rows flagged rather than removed). */
export interface WindowedDesign {
  /** Dependent variable, one value per row. */
  y: Float64Array;
  /** Regressors, column-major `rows × k`. */
  x: Float64Array;
  /** 1 where the row has no missing or infinite value. */
  valid: Uint8Array;
  /** Number of rows. */
  rows: number;
  /** Number of regressors. */
  k: number;
  /** Column holding the constant, or -1 (the co-moments are then taken about zero). */
  constIndex: number;
  /** Value of the constant column (usually 1). */
  constValue: number;
}

/** Which windows to estimate. */
export interface WindowPlan {
  /** Rows per window. */
  window: number;
  /** Estimate windows shorter than `window` from the first row on (expanding start). */
  expanding: boolean;
  /** Fewest valid rows for an estimate. */
  minObs: number;
  /** Give no estimate for a window holding any missing row (otherwise drop those rows). */
  skipMissing: boolean;
}

/** Raw per-window least-squares results; entries of windows without an estimate are NaN. */
export interface WindowSolutions {
  /** Coefficients, column-major `rows × k`. */
  params: Float64Array;
  /** Diagonal of `(XᵀX)⁻¹` per window, column-major `rows × k`. */
  xtxInvDiag: Float64Array;
  /** Residual sum of squares. */
  ssr: Float64Array;
  /** Sum of squares of y about its window mean. */
  centeredTss: Float64Array;
  /** Sum of squares of y. */
  uncenteredTss: Float64Array;
  /** Valid rows used (0 where there is no estimate). */
  nobs: Int32Array;
  /** Window ends whose regressors were collinear within the window (no estimate). */
  rankDeficient: number[];
  /** Windows that were solved by QR because the moments could not guarantee the accuracy. */
  qrSolved: number;
}

/**
 * Worst-case relative error allowed for the moment solution before falling back to QR: a
 * tenth of the 1e-8 the results promise, since the bound below is pessimistic.
 */
const TOLERANCE = 1e-9;
/** Recompute a window from its rows when accumulated updates exceed this many co-moments. */
const REFRESH_RATIO = 8;

/** Solves every window of `plan` over the rows of `design`. */
export function solveWindows(design: WindowedDesign, plan: WindowPlan): WindowSolutions {
  const { rows: T, k } = design;
  const out: WindowSolutions = {
    params: new Float64Array(T * k).fill(NaN),
    xtxInvDiag: new Float64Array(T * k).fill(NaN),
    ssr: new Float64Array(T).fill(NaN),
    centeredTss: new Float64Array(T).fill(NaN),
    uncenteredTss: new Float64Array(T).fill(NaN),
    nobs: new Int32Array(T),
    rankDeficient: [],
    qrSolved: 0,
  };
  const moments = new Moments(design);
  const w = plan.window;
  let missingInWindow = 0;
  for (let t = 0; t < T; t++) {
    if (design.valid[t]) moments.add(t);
    else missingInWindow++;
    const leaving = t - w;
    if (leaving >= 0) {
      if (design.valid[leaving]) moments.remove(leaving);
      else missingInWindow--;
    }
    if (!plan.expanding && t < w - 1) continue;
    if (moments.n < plan.minObs) continue;
    if (plan.skipMissing && missingInWindow > 0) continue;
    const first = Math.max(0, t - w + 1);
    if (moments.staleness() > REFRESH_RATIO) moments.recompute(first, t);
    if (moments.solveInto(out, t)) continue;
    if (solveByQr(design, first, t, out)) out.qrSolved++;
    else out.rankDeficient.push(t);
  }
  return out;
}

/**
 * Co-moments of the window's valid rows of `[x without the constant…, y]` about their mean,
 * for data shifted by `shift`; `growth` accumulates the magnitude of every update since the
 * last recomputation (a bound on the rounding they left behind).
 */
class Moments {
  readonly #d: WindowedDesign;
  /** Design columns in moment order (the last entry, -1, is y). */
  readonly #cols: number[];
  /** The same columns as arrays over the rows. */
  readonly #values: Float64Array[];
  readonly #p: number;
  n = 0;
  readonly #shift: Float64Array;
  readonly #mean: Float64Array;
  readonly #c: Float64Array;
  readonly #growth: Float64Array;
  readonly #z: Float64Array;
  readonly #delta: Float64Array;
  // Scratch space of solveInto (typed arrays are costly to allocate once per window).
  readonly #full: Float64Array;
  readonly #sys: Float64Array;
  readonly #scale: Float64Array;
  readonly #l: Float64Array;
  readonly #linv: Float64Array;
  readonly #beta: Float64Array;

  constructor(design: WindowedDesign) {
    this.#d = design;
    this.#cols = [];
    for (let j = 0; j < design.k; j++) if (j !== design.constIndex) this.#cols.push(j);
    this.#cols.push(-1);
    this.#values = this.#cols.map((j) =>
      j < 0 ? design.y : design.x.subarray(j * design.rows, (j + 1) * design.rows)
    );
    const p = this.#cols.length;
    this.#p = p;
    this.#shift = new Float64Array(p);
    this.#mean = new Float64Array(p);
    this.#c = new Float64Array(p * p);
    this.#growth = new Float64Array(p);
    this.#z = new Float64Array(p);
    this.#delta = new Float64Array(p);
    this.#full = new Float64Array(p);
    this.#sys = new Float64Array(p * p);
    this.#scale = new Float64Array(p);
    this.#l = new Float64Array(p * p);
    this.#linv = new Float64Array((p - 1) * (p - 1));
    this.#beta = new Float64Array(p - 1);
  }

  add(t: number): void {
    const p = this.#p;
    const n1 = this.n + 1;
    const f = this.n / n1;
    for (let a = 0; a < p; a++) {
      const delta = this.#values[a][t] - this.#shift[a] - this.#mean[a];
      this.#delta[a] = delta;
      this.#growth[a] += delta * delta * f + 2 * Math.abs(this.#mean[a] * delta);
      this.#mean[a] += delta / n1;
    }
    this.#rankOne(f);
    this.n = n1;
  }

  remove(t: number): void {
    const p = this.#p;
    const n1 = this.n - 1;
    if (n1 === 0) {
      this.n = 0;
      this.#mean.fill(0);
      this.#c.fill(0);
      this.#growth.fill(0);
      return;
    }
    const f = this.n / n1;
    for (let a = 0; a < p; a++) {
      const delta = this.#values[a][t] - this.#shift[a] - this.#mean[a];
      this.#delta[a] = delta;
      this.#mean[a] -= delta / n1;
      this.#growth[a] += delta * delta * f + 2 * Math.abs(this.#mean[a] * delta);
    }
    this.#rankOne(-f);
    this.n = n1;
  }

  /** `C += s · δ δᵀ`. */
  #rankOne(s: number): void {
    const p = this.#p;
    const c = this.#c;
    const delta = this.#delta;
    for (let a = 0; a < p; a++) {
      const da = s * delta[a];
      for (let b = 0; b <= a; b++) {
        const v = c[a * p + b] + da * delta[b];
        c[a * p + b] = v;
        c[b * p + a] = v;
      }
    }
  }

  /** Largest accumulated update relative to the current co-moment (∞ if that is zero). */
  staleness(): number {
    let worst = 0;
    for (let a = 0; a < this.#p; a++) {
      const g = this.#growth[a];
      if (g === 0) continue;
      const c = this.#c[a * this.#p + a];
      worst = Math.max(worst, c > 0 ? g / c : Infinity);
    }
    return worst;
  }

  /** Recomputes the co-moments from the valid rows `first..last` (two passes). */
  recompute(first: number, last: number): void {
    const p = this.#p;
    const valid = this.#d.valid;
    let n = 0;
    this.#shift.fill(0);
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      n++;
      for (let a = 0; a < p; a++) this.#shift[a] += this.#values[a][t];
    }
    for (let a = 0; a < p; a++) this.#shift[a] /= n;
    this.#mean.fill(0);
    this.#c.fill(0);
    const z = this.#z;
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      for (let a = 0; a < p; a++) {
        z[a] = this.#values[a][t] - this.#shift[a];
        this.#mean[a] += z[a];
      }
      for (let a = 0; a < p; a++) {
        for (let b = 0; b <= a; b++) this.#c[a * p + b] += z[a] * z[b];
      }
    }
    for (let a = 0; a < p; a++) {
      this.#mean[a] /= n;
      for (let b = 0; b <= a; b++) {
        const v = this.#c[a * p + b] - n * this.#mean[a] * this.#mean[b];
        this.#c[a * p + b] = v;
        this.#c[b * p + a] = v;
      }
    }
    this.#growth.fill(0);
    this.n = n;
  }

  /**
   * Solves the current window into `out` at row `t`. Returns false when the moments cannot
   * give the answer to the required accuracy (or the window is singular): solve by QR then.
   */
  solveInto(out: WindowSolutions, t: number): boolean {
    const p = this.#p;
    const q = p - 1;
    const n = this.n;
    const { rows, constIndex } = this.#d;
    const centered = constIndex >= 0;
    const mean = this.#full;
    for (let a = 0; a < p; a++) mean[a] = this.#shift[a] + this.#mean[a];
    // The system: co-moments about the mean (with a constant) or about zero (without).
    const s = this.#sys;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        const v = this.#c[a * p + b] + (centered ? 0 : n * mean[a] * mean[b]);
        s[a * p + b] = v;
        s[b * p + a] = v;
      }
    }
    const scale = this.#scale;
    for (let a = 0; a < q; a++) {
      if (!(s[a * p + a] > 0)) return false;
      scale[a] = Math.sqrt(s[a * p + a]);
    }
    const syy = s[q * p + q];
    scale[q] = syy > 0 ? Math.sqrt(syy) : 1;
    // Cholesky of the unit-diagonal scaling, lower triangle, row-major.
    const l = this.#l;
    for (let j = 0; j < p; j++) {
      let d = s[j * p + j] / (scale[j] * scale[j]);
      for (let m = 0; m < j; m++) d -= l[j * p + m] * l[j * p + m];
      if (!(d > 0)) return false;
      const ljj = Math.sqrt(d);
      l[j * p + j] = ljj;
      for (let i = j + 1; i < p; i++) {
        let v = s[i * p + j] / (scale[i] * scale[j]);
        for (let m = 0; m < j; m++) v -= l[i * p + m] * l[j * p + m];
        l[i * p + j] = v / ljj;
      }
    }
    // Inverse of the regressor block of L (lower triangular), by columns.
    const linv = this.#linv;
    let trace = 0;
    for (let c = 0; c < q; c++) {
      for (let i = c; i < q; i++) {
        let v = i === c ? 1 : 0;
        for (let m = c; m < i; m++) v -= l[i * p + m] * linv[m * q + c];
        v /= l[i * p + i];
        linv[i * q + c] = v;
        trace += v * v;
      }
    }
    // Slopes of the scaled system: Lᵀ β̃ = (last row of L); β = β̃ · scale_y / scale_a.
    const beta = this.#beta;
    let betaSum = 0;
    for (let i = q - 1; i >= 0; i--) {
      let v = l[q * p + i];
      for (let m = i + 1; m < q; m++) v -= l[m * p + i] * beta[m];
      beta[i] = v / l[i * p + i];
      betaSum += Math.abs(beta[i]);
    }
    // Rounding left in the scaled moments is about ε = EPS · (rows summed + accumulated
    // updates). It moves the slopes by up to κ·ε relative, with κ = q · trace(R⁻¹) ≥ cond(R),
    // and ssr / syy = 1 − R² by up to ε · (1 + Σ|β̃|)².
    const eps = EPS * (n + this.staleness());
    if (eps * Math.max(q, 1) * Math.max(trace, 1) > TOLERANCE) return false;
    const pivotY = l[q * p + q] * l[q * p + q];
    if (syy > 0 && eps * (1 + betaSum) * (1 + betaSum) > TOLERANCE * pivotY) return false;
    const ssr = syy > 0 ? pivotY * syy : 0;
    let intercept = mean[q];
    for (let a = 0; a < q; a++) {
      const b = (beta[a] * scale[q]) / scale[a];
      const j = this.#cols[a];
      out.params[j * rows + t] = b;
      let inv = 0;
      for (let i = a; i < q; i++) inv += linv[i * q + a] * linv[i * q + a];
      out.xtxInvDiag[j * rows + t] = inv / (scale[a] * scale[a]);
      intercept -= b * mean[a];
    }
    if (centered) {
      // Var factor of the intercept: 1/n + x̄ᵀ C⁻¹ x̄, as ‖L⁻¹ (x̄ / scale)‖².
      let quad = 0;
      for (let i = 0; i < q; i++) {
        let v = 0;
        for (let m = 0; m <= i; m++) v += linv[i * q + m] * (mean[m] / scale[m]);
        quad += v * v;
      }
      const c = this.#d.constValue;
      out.params[constIndex * rows + t] = intercept / c;
      out.xtxInvDiag[constIndex * rows + t] = (1 / n + quad) / (c * c);
    }
    const cyy = this.#c[q * p + q];
    out.ssr[t] = ssr;
    out.centeredTss[t] = cyy;
    out.uncenteredTss[t] = cyy + n * mean[q] * mean[q];
    out.nobs[t] = n;
    return true;
  }
}

/** Solves the window `first..last` by Householder QR of its valid rows; false if singular. */
function solveByQr(
  design: WindowedDesign,
  first: number,
  last: number,
  out: WindowSolutions,
): boolean {
  const { k, rows, valid } = design;
  const idx: number[] = [];
  for (let t = first; t <= last; t++) if (valid[t]) idx.push(t);
  const n = idx.length;
  const y = Float64Array.from(idx, (t) => design.y[t]);
  const x = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) x[j * n + i] = design.x[j * rows + idx[i]];
  }
  const ls = leastSquares(y, x, n, k);
  if (ls.qr.rank < k) return false;
  const sv = singularValues(ls.qr.r, k);
  if (sv[k - 1] <= sv[0] * Math.max(n, k) * EPS) return false;
  const rinv = invertUpper(ls.qr.r, k);
  for (let j = 0; j < k; j++) {
    out.params[j * rows + last] = ls.coef[j];
    let inv = 0;
    for (let c = j; c < k; c++) inv += rinv[c * k + j] * rinv[c * k + j];
    out.xtxInvDiag[j * rows + last] = inv;
  }
  let mean = 0;
  let sum2 = 0;
  for (const v of y) {
    mean += v;
    sum2 += v * v;
  }
  mean /= n;
  let centered = 0;
  for (const v of y) centered += (v - mean) * (v - mean);
  out.ssr[last] = ls.ssr;
  out.centeredTss[last] = centered;
  out.uncenteredTss[last] = sum2;
  out.nobs[last] = n;
  return true;
}
