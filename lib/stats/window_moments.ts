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
 *   near-perfect fit), the window is solved from its rows by the solver of `ols` instead.
 *
 * @module
 */

import { EPS } from "./linalg.ts";
import { fitLeastSquares, ldexp, unscaledCoefficients } from "./lstsq.ts";

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
    // Stale regressor moments: recompute everything; only y's: recompute y's row.
    if (moments.regressorStaleness() > REFRESH_RATIO) moments.recompute(first, t);
    else if (moments.responseStaleness() > REFRESH_RATIO) moments.recomputeResponse(first, t);
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
    return Math.max(this.regressorStaleness(), this.responseStaleness());
  }

  /** {@linkcode staleness} of the regressors' columns. */
  regressorStaleness(): number {
    let worst = 0;
    for (let a = 0; a < this.#p - 1; a++) worst = Math.max(worst, this.#stale(a));
    return worst;
  }

  /** {@linkcode staleness} of y's column. */
  responseStaleness(): number {
    return this.#stale(this.#p - 1);
  }

  #stale(a: number): number {
    const g = this.#growth[a];
    if (g === 0) return 0;
    const c = this.#c[a * this.#p + a];
    return c > 0 ? g / c : Infinity;
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
   * Recomputes y's mean and co-moments from the valid rows `first..last` (two passes), keeping
   * the regressors' (not stale) moments: its row of {@linkcode recompute}, against the
   * regressors' current shift and mean. `solveWindowsShared` does the same per variable.
   */
  recomputeResponse(first: number, last: number): void {
    const p = this.#p;
    const q = p - 1;
    const valid = this.#d.valid;
    const ys = this.#values[q];
    let n = 0;
    let sum = 0;
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      n++;
      sum += ys[t];
    }
    const shift = sum / n;
    this.#shift[q] = shift;
    let mean = 0;
    for (let b = 0; b <= q; b++) this.#c[q * p + b] = 0;
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      const z = ys[t] - shift;
      mean += z;
      for (let b = 0; b < q; b++) this.#c[q * p + b] += z * (this.#values[b][t] - this.#shift[b]);
      this.#c[q * p + q] += z * z;
    }
    mean /= n;
    this.#mean[q] = mean;
    for (let b = 0; b <= q; b++) {
      const v = this.#c[q * p + b] - n * mean * this.#mean[b];
      this.#c[q * p + b] = v;
      this.#c[b * p + q] = v;
    }
    this.#growth[q] = 0;
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

/**
 * Solves the window `first..last` by the solver of `ols` (scaled Householder QR, unit-free rank
 * and singularity decisions, double-double when its error bound asks for it); false if singular.
 */
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
  const fit = fitLeastSquares({ y, x, nobs: n, k, constIndex: design.constIndex });
  if ("kind" in fit) return false;
  const coef = unscaledCoefficients(fit);
  for (let j = 0; j < k; j++) {
    out.params[j * rows + last] = coef[j];
    let inv = 0;
    for (let c = j; c < k; c++) inv += fit.rinv[c * k + j] * fit.rinv[c * k + j];
    out.xtxInvDiag[j * rows + last] = ldexp(inv, 2 * fit.colExp[j]);
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
  out.ssr[last] = ldexp(fit.ssr, -2 * fit.yExp);
  out.centeredTss[last] = centered;
  out.uncenteredTss[last] = sum2;
  out.nobs[last] = n;
  return true;
}

/** Regressors shared by many dependent variables, all complete (no missing value). */
export interface SharedWindowedDesign {
  /** Regressors, column-major `rows × k`. */
  x: Float64Array;
  /**
   * Dependent variables, row-major `rows × m` (`y[t * m + j]`): the variables of one row are
   * read together, as the rows enter and leave the window.
   */
  y: Float64Array;
  /** Number of rows. */
  rows: number;
  /** Number of regressors. */
  k: number;
  /** Number of dependent variables. */
  m: number;
  /** Column holding the constant, or -1. */
  constIndex: number;
  /** Value of the constant column (usually 1). */
  constValue: number;
}

/** Results of {@linkcode solveWindowsShared}, stored window after window. */
export interface SharedWindowSolutions {
  /** Coefficients of every variable in the window ending at row `t`: `m × k`, row by row. */
  paramsAt(t: number): Float64Array;
  /** One variable's results in the layout of {@linkcode solveWindows} (copied out). */
  of(j: number): WindowSolutions;
}

/**
 * {@linkcode solveWindows} for many dependent variables on the same complete regressors: the
 * co-moments of the regressors, their scaled Cholesky factor, its inverse and the error bound's
 * condition number are updated and computed once per row and window for all of them; each
 * dependent variable only updates its own mean, its co-moments with the regressors and its sum of
 * squares (O(k) per row) and solves one triangular system per window (O(k²)). The updates, the
 * recomputations (the regressors' moments when they go stale, a variable's own when its own
 * do), the error bounds and the QR fallback are those of `solveWindows`, operation for operation,
 * so each variable's results are bit for bit what `solveWindows` gives it alone.
 */
export function solveWindowsShared(
  design: SharedWindowedDesign,
  plan: WindowPlan,
): SharedWindowSolutions {
  const { rows: T, k, m, x, y, constIndex } = design;
  const cols: number[] = [];
  for (let j = 0; j < k; j++) if (j !== constIndex) cols.push(j);
  const q = cols.length;
  const p = q + 1;
  const xv = cols.map((j) => x.subarray(j * T, (j + 1) * T));
  // Results window after window (all variables of a window side by side, so each window writes
  // one stretch of memory); the diagonal of (XᵀX)⁻¹ and the row counts are the regressors' and
  // shared until a variable's own QR solution (or rank deficiency) makes them differ.
  const paramsW = new Float64Array(T * m * k).fill(NaN);
  const ssrW = new Float64Array(T * m).fill(NaN);
  const centeredW = new Float64Array(T * m).fill(NaN);
  const uncenteredW = new Float64Array(T * m).fill(NaN);
  const xtxShared = new Float64Array(T * k).fill(NaN);
  const nobsShared = new Int32Array(T);
  const xtxOwn = new Map<number, Float64Array>();
  const nobsOwn = new Map<number, Int32Array>();
  const rankDeficient = new Map<number, number[]>();
  const qrSolved = new Int32Array(m);
  // One variable's column and results, for its QR solutions.
  const single: WindowedDesign = {
    y: new Float64Array(T),
    x,
    valid: new Uint8Array(T).fill(1),
    rows: T,
    k,
    constIndex,
    constValue: design.constValue,
  };
  const scratch: WindowSolutions = {
    params: new Float64Array(T * k),
    xtxInvDiag: new Float64Array(T * k),
    ssr: new Float64Array(T),
    centeredTss: new Float64Array(T),
    uncenteredTss: new Float64Array(T),
    nobs: new Int32Array(T),
    rankDeficient: [],
    qrSolved: 0,
  };
  // Regressors: shift, mean about the shift, co-moments (p × p layout, the last row and column
  // unused), accumulated update magnitudes.
  const shiftX = new Float64Array(q);
  const meanX = new Float64Array(q);
  const cX = new Float64Array(p * p);
  const growthX = new Float64Array(q);
  const dx = new Float64Array(q);
  // Each dependent variable: the same, and its co-moments with the regressors.
  const shiftY = new Float64Array(m);
  const meanY = new Float64Array(m);
  const cXY = new Float64Array(m * q);
  const cYY = new Float64Array(m);
  const growthY = new Float64Array(m);
  let n = 0;

  const update = (t: number, sign: 1 | -1) => {
    const n1 = n + sign;
    if (n1 === 0) {
      n = 0;
      meanX.fill(0);
      cX.fill(0);
      growthX.fill(0);
      meanY.fill(0);
      cXY.fill(0);
      cYY.fill(0);
      growthY.fill(0);
      return;
    }
    const f = n / n1;
    const s = sign * f;
    for (let a = 0; a < q; a++) {
      const delta = xv[a][t] - shiftX[a] - meanX[a];
      dx[a] = delta;
      if (sign > 0) {
        growthX[a] += delta * delta * f + 2 * Math.abs(meanX[a] * delta);
        meanX[a] += delta / n1;
      } else {
        meanX[a] -= delta / n1;
        growthX[a] += delta * delta * f + 2 * Math.abs(meanX[a] * delta);
      }
    }
    for (let a = 0; a < q; a++) {
      const da = s * dx[a];
      for (let b = 0; b <= a; b++) {
        const v = cX[a * p + b] + da * dx[b];
        cX[a * p + b] = v;
        cX[b * p + a] = v;
      }
    }
    const row = t * m;
    for (let j = 0; j < m; j++) {
      const delta = y[row + j] - shiftY[j] - meanY[j];
      if (sign > 0) {
        growthY[j] += delta * delta * f + 2 * Math.abs(meanY[j] * delta);
        meanY[j] += delta / n1;
      } else {
        meanY[j] -= delta / n1;
        growthY[j] += delta * delta * f + 2 * Math.abs(meanY[j] * delta);
      }
      const dy = s * delta;
      const off = j * q;
      for (let b = 0; b < q; b++) cXY[off + b] += dy * dx[b];
      cYY[j] += dy * delta;
    }
    n = n1;
  };

  const stalenessX = (): number => {
    let worst = 0;
    for (let a = 0; a < q; a++) {
      const g = growthX[a];
      if (g === 0) continue;
      const c = cX[a * p + a];
      worst = Math.max(worst, c > 0 ? g / c : Infinity);
    }
    return worst;
  };
  const stalenessY = (j: number): number => {
    const g = growthY[j];
    if (g === 0) return 0;
    return cYY[j] > 0 ? g / cYY[j] : Infinity;
  };

  // Recomputed from the rows first..last in two passes, as Moments.recompute does.
  const zx = new Float64Array(q);
  const recomputeX = (first: number, last: number) => {
    const count = last - first + 1;
    for (let a = 0; a < q; a++) {
      let sum = 0;
      for (let t = first; t <= last; t++) sum += xv[a][t];
      shiftX[a] = sum / count;
    }
    meanX.fill(0);
    cX.fill(0);
    for (let t = first; t <= last; t++) {
      for (let a = 0; a < q; a++) {
        zx[a] = xv[a][t] - shiftX[a];
        meanX[a] += zx[a];
      }
      for (let a = 0; a < q; a++) {
        for (let b = 0; b <= a; b++) cX[a * p + b] += zx[a] * zx[b];
      }
    }
    for (let a = 0; a < q; a++) {
      meanX[a] /= count;
      for (let b = 0; b <= a; b++) {
        const v = cX[a * p + b] - count * meanX[a] * meanX[b];
        cX[a * p + b] = v;
        cX[b * p + a] = v;
      }
    }
    growthX.fill(0);
  };
  const recomputeY = (j: number, first: number, last: number) => {
    const count = last - first + 1;
    let sum = 0;
    for (let t = first; t <= last; t++) sum += y[t * m + j];
    shiftY[j] = sum / count;
    let mean = 0;
    let cyy = 0;
    const off = j * q;
    for (let b = 0; b < q; b++) cXY[off + b] = 0;
    for (let t = first; t <= last; t++) {
      const z = y[t * m + j] - shiftY[j];
      mean += z;
      for (let b = 0; b < q; b++) cXY[off + b] += z * (xv[b][t] - shiftX[b]);
      cyy += z * z;
    }
    mean /= count;
    meanY[j] = mean;
    // The regressors' means about their shift, over the same rows (meanX after recomputeX).
    for (let b = 0; b < q; b++) cXY[off + b] -= count * mean * meanX[b];
    cYY[j] = cyy - count * mean * mean;
    growthY[j] = 0;
  };

  const scale = new Float64Array(p);
  const l = new Float64Array(p * p);
  const linv = new Float64Array(q * q);
  const meanFull = new Float64Array(p);
  const xtxX = new Float64Array(k);
  const centered = constIndex >= 0;
  // Per variable, for the window being solved.
  const staleA = new Float64Array(m);
  const myA = new Float64Array(m);
  const syyA = new Float64Array(m);
  const scaleYA = new Float64Array(m);
  const dA = new Float64Array(m);
  const ly = new Float64Array(m * q);
  const betaA = new Float64Array(m * q);
  const betaSumA = new Float64Array(m);
  const w = plan.window;
  for (let t = 0; t < T; t++) {
    update(t, 1);
    const leaving = t - w;
    if (leaving >= 0) update(leaving, -1);
    if (!plan.expanding && t < w - 1) continue;
    if (n < plan.minObs) continue;
    const first = Math.max(0, t - w + 1);
    let xStale = stalenessX();
    if (xStale > REFRESH_RATIO) {
      recomputeX(first, t);
      for (let j = 0; j < m; j++) recomputeY(j, first, t);
      xStale = 0;
    }
    // The regressors' part of the scaled Cholesky factor (rows 0..q-1 of Moments.solveInto's).
    for (let a = 0; a < q; a++) meanFull[a] = shiftX[a] + meanX[a];
    const sx = (a: number, b: number) =>
      cX[a * p + b] + (centered ? 0 : n * meanFull[a] * meanFull[b]);
    let xOk = true;
    for (let a = 0; a < q && xOk; a++) {
      const d = sx(a, a);
      if (!(d > 0)) xOk = false;
      else scale[a] = Math.sqrt(d);
    }
    for (let j = 0; j < q && xOk; j++) {
      let d = sx(j, j) / (scale[j] * scale[j]);
      for (let c = 0; c < j; c++) d -= l[j * p + c] * l[j * p + c];
      if (!(d > 0)) {
        xOk = false;
        break;
      }
      const ljj = Math.sqrt(d);
      l[j * p + j] = ljj;
      for (let i = j + 1; i < q; i++) {
        let v = sx(i, j) / (scale[i] * scale[j]);
        for (let c = 0; c < j; c++) v -= l[i * p + c] * l[j * p + c];
        l[i * p + j] = v / ljj;
      }
    }
    let trace = 0;
    let quad = 0;
    if (xOk) {
      for (let c = 0; c < q; c++) {
        for (let i = c; i < q; i++) {
          let v = i === c ? 1 : 0;
          for (let s = c; s < i; s++) v -= l[i * p + s] * linv[s * q + c];
          v /= l[i * p + i];
          linv[i * q + c] = v;
          trace += v * v;
        }
      }
      for (let a = 0; a < q; a++) {
        let inv = 0;
        for (let i = a; i < q; i++) inv += linv[i * q + a] * linv[i * q + a];
        xtxX[cols[a]] = inv / (scale[a] * scale[a]);
      }
      if (centered) {
        for (let i = 0; i < q; i++) {
          let v = 0;
          for (let s = 0; s <= i; s++) v += linv[i * q + s] * (meanFull[s] / scale[s]);
          quad += v * v;
        }
        const c = design.constValue;
        xtxX[constIndex] = (1 / n + quad) / (c * c);
      }
    }
    if (xOk) {
      nobsShared[t] = n;
      for (let c = 0; c < k; c++) xtxShared[c * T + t] = xtxX[c];
    }
    // Each variable's part of Moments.solveInto, one step at a time for all of them (their
    // chains of divisions and square roots then overlap instead of waiting on each other).
    for (let j = 0; j < m; j++) {
      let stale = Math.max(xStale, stalenessY(j));
      if (stale > REFRESH_RATIO) {
        recomputeY(j, first, t);
        stale = Math.max(xStale, 0);
      }
      staleA[j] = stale;
      const my = shiftY[j] + meanY[j];
      const syy = cYY[j] + (centered ? 0 : n * my * my);
      const sy = syy > 0 ? Math.sqrt(syy) : 1;
      myA[j] = my;
      syyA[j] = syy;
      scaleYA[j] = sy;
      dA[j] = syy / (sy * sy);
    }
    if (xOk) {
      // The last row of the scaled Cholesky factor, column by column.
      for (let c = 0; c < q; c++) {
        const lcc = l[c * p + c];
        const sc = scale[c];
        const mc = meanFull[c];
        for (let j = 0; j < m; j++) {
          let v = (cXY[j * q + c] + (centered ? 0 : n * myA[j] * mc)) / (scaleYA[j] * sc);
          for (let s = 0; s < c; s++) v -= ly[j * q + s] * l[c * p + s];
          const lyc = v / lcc;
          ly[j * q + c] = lyc;
          dA[j] -= lyc * lyc;
        }
      }
      // The slopes of the scaled system, Lᵀ β̃ = that row.
      betaSumA.fill(0);
      for (let i = q - 1; i >= 0; i--) {
        const lii = l[i * p + i];
        for (let j = 0; j < m; j++) {
          let v = ly[j * q + i];
          for (let s = i + 1; s < q; s++) v -= l[s * p + i] * betaA[j * q + s];
          const b = v / lii;
          betaA[j * q + i] = b;
          betaSumA[j] += Math.abs(b);
        }
      }
    }
    for (let j = 0; j < m; j++) {
      const at = t * m + j;
      const ownXtx = xtxOwn.get(j);
      const ownNobs = nobsOwn.get(j);
      if (xOk && accept(j, trace)) {
        const my = myA[j];
        const sy = scaleYA[j];
        const syy = syyA[j];
        let intercept = my;
        for (let a = 0; a < q; a++) {
          const b = (betaA[j * q + a] * sy) / scale[a];
          paramsW[at * k + cols[a]] = b;
          intercept -= b * meanFull[a];
        }
        if (ownXtx !== undefined) { for (let c = 0; c < k; c++) ownXtx[c * T + t] = xtxX[c]; }
        if (ownNobs !== undefined) ownNobs[t] = n;
        if (centered) paramsW[at * k + constIndex] = intercept / design.constValue;
        const lyy = Math.sqrt(dA[j]);
        ssrW[at] = syy > 0 ? lyy * lyy * syy : 0;
        centeredW[at] = cYY[j];
        uncenteredW[at] = cYY[j] + n * my * my;
        continue;
      }
      // This variable's own QR solution: its own copies of the shared figures from now on.
      const xtx = ownXtx ?? xtxShared.slice();
      const nobs = ownNobs ?? nobsShared.slice();
      xtxOwn.set(j, xtx);
      nobsOwn.set(j, nobs);
      for (let i = 0; i < T; i++) single.y[i] = y[i * m + j];
      for (let c = 0; c < k; c++) scratch.params[c * T + t] = NaN;
      if (solveByQr(single, first, t, scratch)) {
        qrSolved[j]++;
        for (let c = 0; c < k; c++) {
          paramsW[at * k + c] = scratch.params[c * T + t];
          xtx[c * T + t] = scratch.xtxInvDiag[c * T + t];
        }
        ssrW[at] = scratch.ssr[t];
        centeredW[at] = scratch.centeredTss[t];
        uncenteredW[at] = scratch.uncenteredTss[t];
        nobs[t] = scratch.nobs[t];
      } else {
        for (let c = 0; c < k; c++) xtx[c * T + t] = NaN;
        nobs[t] = 0;
        const list = rankDeficient.get(j) ?? [];
        list.push(t);
        rankDeficient.set(j, list);
      }
    }
  }
  return {
    paramsAt: (t: number) => paramsW.subarray(t * m * k, (t + 1) * m * k),
    of: (j: number): WindowSolutions => {
      const params = new Float64Array(T * k);
      const ssr = new Float64Array(T);
      const centeredTss = new Float64Array(T);
      const uncenteredTss = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        const at = t * m + j;
        for (let c = 0; c < k; c++) params[c * T + t] = paramsW[at * k + c];
        ssr[t] = ssrW[at];
        centeredTss[t] = centeredW[at];
        uncenteredTss[t] = uncenteredW[at];
      }
      return {
        params,
        xtxInvDiag: xtxOwn.get(j) ?? xtxShared,
        ssr,
        centeredTss,
        uncenteredTss,
        nobs: nobsOwn.get(j) ?? nobsShared,
        rankDeficient: rankDeficient.get(j) ?? [],
        qrSolved: qrSolved[j],
      };
    },
  };

  /** The error bounds of Moments.solveInto for variable j (its staleness, the regressors'). */
  function accept(j: number, trace: number): boolean {
    const d = dA[j];
    if (!(d > 0)) return false;
    const lyy = Math.sqrt(d);
    const eps = EPS * (n + staleA[j]);
    if (eps * Math.max(q, 1) * Math.max(trace, 1) > TOLERANCE) return false;
    const pivotY = lyy * lyy;
    const betaSum = betaSumA[j];
    return !(syyA[j] > 0 && eps * (1 + betaSum) * (1 + betaSum) > TOLERANCE * pivotY);
  }
}
