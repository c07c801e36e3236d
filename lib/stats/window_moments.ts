/**
 * The numeric kernel of rolling and expanding least squares: one regression per window end and
 * dependent variable, from moment sums that are updated as rows enter and leave the window, not
 * from a fresh factorization per window. Every dependent variable shares the regressors: their
 * co-moments are updated (O(k²) per row) and factored (O(k³) per window) once for all of them;
 * each variable updates only its own mean, its co-moments with the regressors and its sum of
 * squares (O(k) per row) and solves one triangular system per window (O(k²)). One variable is
 * the case of `rollingOls`, many that of `rollingOlsMany`: the same operations in the same order,
 * so a variable's figures are bit for bit the same either way.
 *
 * Accuracy. Plain sums of squares and cross-products lose digits to cancellation when the
 * data have large means or the window's regressors are nearly collinear. So:
 *
 * - the sums are co-moments about the window mean (Welford-style updates for adding and
 *   removing a row), of data shifted by the mean of the last window recomputed from scratch;
 * - every update's magnitude is accumulated, and a window whose accumulated updates exceed a
 *   few times its current co-moments (a large row has just left, or the mean drifted far from
 *   the shift) is recomputed from its rows (two passes) before it is solved: everything when the
 *   regressors' moments are stale, one variable's own moments when only they are;
 * - each window is solved by a Cholesky factorization of the co-moments scaled to unit
 *   diagonal, which also bounds the condition number (`(k − 1) · trace(R⁻¹)`) and tells how
 *   many digits the residual sum of squares keeps (`1 − R²`);
 * - when that error bound exceeds 1e-9 relative (near-collinear regressors in the window, or a
 *   near-perfect fit), the variable's window is solved from its rows by the solver of `ols`.
 *
 * @module
 */

import { EPS, sumSquares } from "./linalg.ts";
import { fitLeastSquares, ldexp, unscaledCoefficients } from "./lstsq.ts";

/** Rows of regressions on shared regressors, aligned (missing rows flagged, not removed). */
export interface WindowedDesign {
  /** Regressors, column-major `rows × k`. */
  x: Float64Array;
  /**
   * Dependent variables, row-major `rows × m` (`y[t * m + j]`): the variables of one row are
   * read together, as the rows enter and leave the window.
   */
  y: Float64Array;
  /** 1 where the row has no missing or infinite value (in x and in every variable). */
  valid: Uint8Array;
  /** Number of rows. */
  rows: number;
  /** Number of regressors. */
  k: number;
  /** Number of dependent variables. */
  m: number;
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

/** One variable's per-window least-squares results; windows without an estimate hold NaN. */
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

/** Results of {@linkcode solveWindows}, stored window after window. */
export interface WindowSolutionSet {
  /** Coefficients of every variable in the window ending at row `t`: `m × k`, row by row. */
  paramsAt(t: number): Float64Array;
  /** One variable's results (its coefficients copied out). */
  of(j: number): WindowSolutions;
}

/**
 * Worst-case relative error allowed for the moment solution before falling back to QR: a
 * tenth of the 1e-8 the results promise, since the bound below is pessimistic.
 */
const TOLERANCE = 1e-9;
/** Recompute a window from its rows when accumulated updates exceed this many co-moments. */
const REFRESH_RATIO = 8;

/** Solves every window of `plan` for every dependent variable of `design`. */
export function solveWindows(design: WindowedDesign, plan: WindowPlan): WindowSolutionSet {
  const { rows: T, m, valid } = design;
  const out = new Solved(design);
  const moments = new Moments(design);
  const w = plan.window;
  let missingInWindow = 0;
  for (let t = 0; t < T; t++) {
    if (valid[t]) moments.update(t, 1);
    else missingInWindow++;
    const leaving = t - w;
    if (leaving >= 0) {
      if (valid[leaving]) moments.update(leaving, -1);
      else missingInWindow--;
    }
    if (!plan.expanding && t < w - 1) continue;
    if (moments.n < plan.minObs) continue;
    if (plan.skipMissing && missingInWindow > 0) continue;
    const first = Math.max(0, t - w + 1);
    const xOk = moments.solve(first, t, out);
    for (let j = 0; j < m; j++) {
      if (xOk && moments.accepted[j]) out.keep(j, t);
      else out.solveByQr(j, first, t);
    }
  }
  // Nothing but the return after the loop: code that the loop's optimized version has never
  // run would send it back to the interpreter at every call.
  return out;
}

/**
 * Results window after window: per window and variable at `t · m + j` (`k` coefficients to an
 * entry; the variables of a window side by side, so each window writes one stretch of memory).
 * The diagonal of `(XᵀX)⁻¹` (column-major) and the row counts are the regressors', shared until
 * a variable's own QR solution (or rank deficiency) makes them differ.
 */
class Solved implements WindowSolutionSet {
  readonly params: Float64Array;
  readonly ssr: Float64Array;
  readonly centeredTss: Float64Array;
  readonly uncenteredTss: Float64Array;
  readonly xtxInvDiag: Float64Array;
  readonly nobs: Int32Array;
  readonly #d: WindowedDesign;
  readonly #xtxOwn: (Float64Array | undefined)[];
  readonly #nobsOwn: (Int32Array | undefined)[];
  readonly #rankDeficient: number[][];
  readonly #qrSolved: Int32Array;

  constructor(design: WindowedDesign) {
    const { rows: T, k, m } = design;
    this.#d = design;
    this.params = new Float64Array(T * m * k).fill(NaN);
    this.ssr = new Float64Array(T * m).fill(NaN);
    this.centeredTss = new Float64Array(T * m).fill(NaN);
    this.uncenteredTss = new Float64Array(T * m).fill(NaN);
    this.xtxInvDiag = new Float64Array(T * k).fill(NaN);
    this.nobs = new Int32Array(T);
    this.#xtxOwn = new Array(m);
    this.#nobsOwn = new Array(m);
    this.#rankDeficient = Array.from({ length: m }, () => []);
    this.#qrSolved = new Int32Array(m);
  }

  /** Variable j's window ending at t was solved from the moments, with the shared figures. */
  keep(j: number, t: number): void {
    const own = this.#xtxOwn[j];
    if (own === undefined) return;
    const T = this.#d.rows;
    for (let c = 0; c < this.#d.k; c++) own[c * T + t] = this.xtxInvDiag[c * T + t];
    this.#nobsOwn[j]![t] = this.nobs[t];
  }

  /**
   * Solves variable j's window `first..t` by the solver of `ols` (scaled Householder QR,
   * unit-free rank and singularity decisions, double-double when its error bound asks for it);
   * the variable keeps its own copies of the shared figures from then on.
   */
  solveByQr(j: number, first: number, t: number): void {
    const { rows: T, k, m, valid } = this.#d;
    const xtx = (this.#xtxOwn[j] ??= this.xtxInvDiag.slice());
    const nobs = (this.#nobsOwn[j] ??= this.nobs.slice());
    const idx: number[] = [];
    for (let i = first; i <= t; i++) if (valid[i]) idx.push(i);
    const n = idx.length;
    const y = Float64Array.from(idx, (i) => this.#d.y[i * m + j]);
    const x = new Float64Array(n * k);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) x[c * n + i] = this.#d.x[c * T + idx[i]];
    }
    const fit = fitLeastSquares({ y, x, nobs: n, k, constIndex: this.#d.constIndex });
    if ("kind" in fit) {
      for (let c = 0; c < k; c++) xtx[c * T + t] = NaN;
      nobs[t] = 0;
      this.#rankDeficient[j].push(t);
      return;
    }
    const at = t * m + j;
    this.#qrSolved[j]++;
    this.params.set(unscaledCoefficients(fit), at * k);
    for (let c = 0; c < k; c++) {
      let inv = 0;
      for (let i = c; i < k; i++) inv += fit.rinv[i * k + c] * fit.rinv[i * k + c];
      xtx[c * T + t] = ldexp(inv, 2 * fit.colExp[c]);
    }
    let mean = 0;
    for (const v of y) mean += v;
    mean /= n;
    let centered = 0;
    for (const v of y) centered += (v - mean) * (v - mean);
    this.ssr[at] = ldexp(fit.ssr, -2 * fit.yExp);
    this.centeredTss[at] = centered;
    this.uncenteredTss[at] = sumSquares(y);
    nobs[t] = n;
  }

  paramsAt(t: number): Float64Array {
    const { k, m } = this.#d;
    return this.params.subarray(t * m * k, (t + 1) * m * k);
  }

  of(j: number): WindowSolutions {
    const { rows: T, k, m } = this.#d;
    const params = new Float64Array(T * k);
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < k; c++) params[c * T + t] = this.params[(t * m + j) * k + c];
    }
    // A single variable's sums are already one per row.
    const column = (v: Float64Array) =>
      m === 1 ? v : Float64Array.from({ length: T }, (_, t) => v[t * m + j]);
    return {
      params,
      xtxInvDiag: this.#xtxOwn[j] ?? this.xtxInvDiag,
      ssr: column(this.ssr),
      centeredTss: column(this.centeredTss),
      uncenteredTss: column(this.uncenteredTss),
      nobs: this.#nobsOwn[j] ?? this.nobs,
      rankDeficient: this.#rankDeficient[j],
      qrSolved: this.#qrSolved[j],
    };
  }
}

/**
 * Co-moments of the window's valid rows about their mean, for data shifted by `shift`: of the
 * regressors but the constant (`x`, `q × q`), and per variable (`y`) its co-moments with them and
 * its sum of squares; `growth` accumulates the magnitude of every update since the last
 * recomputation (a bound on the rounding they left behind).
 */
class Moments {
  n = 0;
  /** Whether each variable's window was solved by {@linkcode solve} (else solve it by QR). */
  readonly accepted: Uint8Array;
  readonly #d: WindowedDesign;
  /** Positions of the regressors but the constant among the design's columns, and their data. */
  readonly #cols: number[];
  readonly #xv: Float64Array[];
  readonly #q: number;
  readonly #x: { shift: Float64Array; mean: Float64Array; c: Float64Array; growth: Float64Array };
  readonly #y: {
    shift: Float64Array;
    mean: Float64Array;
    cXY: Float64Array;
    cYY: Float64Array;
    growth: Float64Array;
  };
  /** Scratch space (typed arrays are costly to allocate once per row or window). */
  readonly #w: Record<
    "dx" | "meanFull" | "sys" | "scale" | "l" | "linv" | "ly" | "beta" | "stale",
    Float64Array
  >;

  constructor(design: WindowedDesign) {
    const { rows, k, m } = design;
    this.#d = design;
    this.#cols = [];
    for (let j = 0; j < k; j++) if (j !== design.constIndex) this.#cols.push(j);
    this.#xv = this.#cols.map((j) => design.x.subarray(j * rows, (j + 1) * rows));
    const q = this.#cols.length;
    const v = (length: number) => new Float64Array(length);
    this.#q = q;
    this.accepted = new Uint8Array(m);
    this.#x = { shift: v(q), mean: v(q), c: v(q * q), growth: v(q) };
    this.#y = { shift: v(m), mean: v(m), cXY: v(m * q), cYY: v(m), growth: v(m) };
    this.#w = {
      dx: v(q),
      meanFull: v(q),
      sys: v(q * q),
      scale: v(q),
      l: v(q * q),
      linv: v(q * q),
      ly: v(q),
      beta: v(q),
      stale: v(m),
    };
  }

  /** Adds (`sign` 1) or removes (-1) row `t`. */
  update(t: number, sign: 1 | -1): void {
    const q = this.#q;
    const { m, y } = this.#d;
    const xv = this.#xv;
    const { shift: shiftX, mean: meanX, c: cX, growth: growthX } = this.#x;
    const { shift: shiftY, mean: meanY, cXY, cYY, growth: growthY } = this.#y;
    const dx = this.#w.dx;
    const n1 = this.n + sign;
    if (n1 === 0) {
      this.n = 0;
      for (const v of [meanX, cX, growthX, meanY, cXY, cYY, growthY]) v.fill(0);
      return;
    }
    const f = this.n / n1;
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
        const v = cX[a * q + b] + da * dx[b];
        cX[a * q + b] = v;
        cX[b * q + a] = v;
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
    this.n = n1;
  }

  /** Largest accumulated update of the regressors relative to their co-moment (∞ if zero). */
  #regressorStaleness(): number {
    const q = this.#q;
    const { c, growth } = this.#x;
    let worst = 0;
    for (let a = 0; a < q; a++) {
      const g = growth[a];
      if (g === 0) continue;
      const caa = c[a * q + a];
      worst = Math.max(worst, caa > 0 ? g / caa : Infinity);
    }
    return worst;
  }

  /** The same for variable j's sum of squares. */
  #responseStaleness(j: number): number {
    const g = this.#y.growth[j];
    if (g === 0) return 0;
    const cyy = this.#y.cYY[j];
    return cyy > 0 ? g / cyy : Infinity;
  }

  /** Recomputes the regressors' co-moments from the valid rows `first..last` (two passes). */
  #recomputeRegressors(first: number, last: number): void {
    const q = this.#q;
    const valid = this.#d.valid;
    const xv = this.#xv;
    const { shift, mean, c, growth } = this.#x;
    const z = this.#w.dx;
    let n = 0;
    for (let t = first; t <= last; t++) n += valid[t];
    for (let a = 0; a < q; a++) {
      let sum = 0;
      for (let t = first; t <= last; t++) if (valid[t]) sum += xv[a][t];
      shift[a] = sum / n;
    }
    mean.fill(0);
    c.fill(0);
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      for (let a = 0; a < q; a++) {
        z[a] = xv[a][t] - shift[a];
        mean[a] += z[a];
      }
      for (let a = 0; a < q; a++) {
        for (let b = 0; b <= a; b++) c[a * q + b] += z[a] * z[b];
      }
    }
    for (let a = 0; a < q; a++) {
      mean[a] /= n;
      for (let b = 0; b <= a; b++) {
        const v = c[a * q + b] - n * mean[a] * mean[b];
        c[a * q + b] = v;
        c[b * q + a] = v;
      }
    }
    growth.fill(0);
  }

  /**
   * Recomputes variable j's mean, co-moments with the regressors and sum of squares from the
   * valid rows `first..last` (two passes), against the regressors' current shift and mean.
   */
  #recomputeResponse(j: number, first: number, last: number): void {
    const q = this.#q;
    const { valid, y, m } = this.#d;
    const xv = this.#xv;
    const { shift: shiftX, mean: meanX } = this.#x;
    const { cXY } = this.#y;
    let n = 0;
    let sum = 0;
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      n++;
      sum += y[t * m + j];
    }
    const shift = sum / n;
    this.#y.shift[j] = shift;
    let mean = 0;
    let cyy = 0;
    const off = j * q;
    for (let b = 0; b < q; b++) cXY[off + b] = 0;
    for (let t = first; t <= last; t++) {
      if (!valid[t]) continue;
      const z = y[t * m + j] - shift;
      mean += z;
      for (let b = 0; b < q; b++) cXY[off + b] += z * (xv[b][t] - shiftX[b]);
      cyy += z * z;
    }
    mean /= n;
    this.#y.mean[j] = mean;
    for (let b = 0; b < q; b++) cXY[off + b] -= n * mean * meanX[b];
    this.#y.cYY[j] = cyy - n * mean * mean;
    this.#y.growth[j] = 0;
  }

  /**
   * Solves the window `first..last` (whose rows are the ones added and not removed) into `out`
   * for every variable whose error bound allows it, marking them in {@linkcode accepted}.
   * Returns false when the regressors' moments are singular (none accepted).
   */
  solve(first: number, last: number, out: Solved): boolean {
    const q = this.#q;
    const n = this.n;
    const { m, k, rows, constIndex, constValue } = this.#d;
    const centered = constIndex >= 0;
    const cols = this.#cols;
    const { shift: shiftX, mean: meanX, c: cX } = this.#x;
    const { shift: shiftY, mean: meanY, cXY, cYY } = this.#y;
    const { meanFull, sys, scale, l, linv, ly, beta, stale } = this.#w;
    let xStale = this.#regressorStaleness();
    if (xStale > REFRESH_RATIO) {
      this.#recomputeRegressors(first, last);
      for (let j = 0; j < m; j++) this.#recomputeResponse(j, first, last);
      xStale = 0;
    }
    // The regressors' part of the Cholesky factor of the co-moments (about the mean with a
    // constant, about zero without) scaled to unit diagonal.
    for (let a = 0; a < q; a++) meanFull[a] = shiftX[a] + meanX[a];
    for (let a = 0; a < q; a++) {
      for (let b = 0; b < q; b++) {
        sys[a * q + b] = cX[a * q + b] + (centered ? 0 : n * meanFull[a] * meanFull[b]);
      }
    }
    let xOk = true;
    for (let a = 0; a < q && xOk; a++) {
      const d = sys[a * q + a];
      if (!(d > 0)) xOk = false;
      else scale[a] = Math.sqrt(d);
    }
    for (let j = 0; j < q && xOk; j++) {
      let d = sys[j * q + j] / (scale[j] * scale[j]);
      for (let c = 0; c < j; c++) d -= l[j * q + c] * l[j * q + c];
      if (!(d > 0)) {
        xOk = false;
        break;
      }
      const ljj = Math.sqrt(d);
      l[j * q + j] = ljj;
      for (let i = j + 1; i < q; i++) {
        let v = sys[i * q + j] / (scale[i] * scale[j]);
        for (let c = 0; c < j; c++) v -= l[i * q + c] * l[j * q + c];
        l[i * q + j] = v / ljj;
      }
    }
    // Each variable's staleness, after recomputing its moments if they alone are stale.
    for (let j = 0; j < m; j++) {
      stale[j] = Math.max(xStale, this.#responseStaleness(j));
      if (stale[j] > REFRESH_RATIO) {
        this.#recomputeResponse(j, first, last);
        stale[j] = xStale;
      }
    }
    if (!xOk) {
      this.accepted.fill(0);
      return false;
    }
    // Inverse of L (lower triangular), by columns; trace(R⁻¹) for the error bound.
    let trace = 0;
    for (let c = 0; c < q; c++) {
      for (let i = c; i < q; i++) {
        let v = i === c ? 1 : 0;
        for (let s = c; s < i; s++) v -= l[i * q + s] * linv[s * q + c];
        v /= l[i * q + i];
        linv[i * q + c] = v;
        trace += v * v;
      }
    }
    const xtx = out.xtxInvDiag;
    for (let a = 0; a < q; a++) {
      let inv = 0;
      for (let i = a; i < q; i++) inv += linv[i * q + a] * linv[i * q + a];
      xtx[cols[a] * rows + last] = inv / (scale[a] * scale[a]);
    }
    if (centered) {
      // Var factor of the intercept: 1/n + x̄ᵀ C⁻¹ x̄, as ‖L⁻¹ (x̄ / scale)‖².
      let quad = 0;
      for (let i = 0; i < q; i++) {
        let v = 0;
        for (let s = 0; s <= i; s++) v += linv[i * q + s] * (meanFull[s] / scale[s]);
        quad += v * v;
      }
      xtx[constIndex * rows + last] = (1 / n + quad) / (constValue * constValue);
    }
    out.nobs[last] = n;
    // Each variable's last row of the scaled factor, then its slopes Lᵀ β̃ = that row.
    for (let j = 0; j < m; j++) {
      const my = shiftY[j] + meanY[j];
      const syy = cYY[j] + (centered ? 0 : n * my * my);
      const sy = syy > 0 ? Math.sqrt(syy) : 1;
      let d = syy / (sy * sy);
      for (let c = 0; c < q; c++) {
        let v = (cXY[j * q + c] + (centered ? 0 : n * my * meanFull[c])) / (sy * scale[c]);
        for (let s = 0; s < c; s++) v -= ly[s] * l[c * q + s];
        const lyc = v / l[c * q + c];
        ly[c] = lyc;
        d -= lyc * lyc;
      }
      let betaSum = 0;
      for (let i = q - 1; i >= 0; i--) {
        let v = ly[i];
        for (let s = i + 1; s < q; s++) v -= l[s * q + i] * beta[s];
        const b = v / l[i * q + i];
        beta[i] = b;
        betaSum += Math.abs(b);
      }
      // Rounding left in the scaled moments is about ε = EPS · (rows summed + accumulated
      // updates). It moves the slopes by up to κ·ε relative, with κ = q · trace(R⁻¹) ≥ cond(R),
      // and ssr / syy = 1 − R² by up to ε · (1 + Σ|β̃|)².
      const eps = EPS * (n + stale[j]);
      const lyy = Math.sqrt(d);
      const ok = d > 0 && !(eps * Math.max(q, 1) * Math.max(trace, 1) > TOLERANCE) &&
        !(syy > 0 && eps * (1 + betaSum) * (1 + betaSum) > TOLERANCE * (lyy * lyy));
      this.accepted[j] = ok ? 1 : 0;
      if (!ok) continue;
      const at = last * m + j;
      let intercept = my;
      for (let a = 0; a < q; a++) {
        const b = (beta[a] * sy) / scale[a];
        out.params[at * k + cols[a]] = b;
        intercept -= b * meanFull[a];
      }
      if (centered) out.params[at * k + constIndex] = intercept / constValue;
      out.ssr[at] = syy > 0 ? lyy * lyy * syy : 0;
      out.centeredTss[at] = cYY[j];
      out.uncenteredTss[at] = cYY[j] + n * my * my;
    }
    return true;
  }
}
