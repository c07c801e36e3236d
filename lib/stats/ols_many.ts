/**
 * Many regressions on the same regressors at once: one Householder QR of X, then `Qᵀ` applied
 * to every dependent variable, so N assets cost one factorization and N cheap solves instead of
 * N factorizations. Every figure equals what {@linkcode ols} gives for each column on its own.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { type CoefficientRow, Displayable, type Summary, Table } from "../display/mod.ts";
import {
  type CovOptions,
  type CovSpec,
  covSpec,
  type CovType,
  normalizedCovariance,
  orthonormalBasis,
  robustCovariance,
} from "./covariance.ts";
import {
  buildDesign,
  type Design,
  missingValues,
  readRegressors,
  type RegressorsInput,
} from "./design.ts";
import { RegressionInputError } from "./errors.ts";
import { type Constraints, Inference, Memo, type WaldTestOptions } from "./inference.ts";
import { LabeledMatrix } from "./labeled_matrix.ts";
import {
  applyQ,
  applyReflection,
  backSubstitute,
  EPS,
  householderQr,
  invertUpper,
  norm2,
  type QrFactorization,
  singularValues,
  sumSquares,
} from "./linalg.ts";
import { centeredSumSquares, impliedConstantOf } from "./lstsq.ts";
import { firstDuplicate, NamedValues } from "./named.ts";
import { regressionNeweyWestLags } from "./newey_west.ts";
import { ols } from "./ols.ts";
import type { TestResult, TTestResult } from "./test_result.ts";

/** Options of {@linkcode olsMany}. */
export interface OLSManyOptions extends CovOptions {
  /** Prepend a `const` column of ones, as `sm.add_constant` (default false). */
  addConstant?: boolean;
  /** Covariance of the estimates (default `"nonrobust"`), as in {@linkcode ols}. */
  covType?: CovType;
  /** Use Student's t for inference. Default: true for `"nonrobust"`, false otherwise. */
  useT?: boolean;
}

/** A factored design shared by many right-hand sides. */
export interface SharedFactorization {
  /** Householder QR of X (full rank). */
  qr: QrFactorization;
  /** `R⁻¹`, column-major `k × k`. */
  rinv: Float64Array;
  /** Rows of X. */
  n: number;
  /** Columns of X. */
  k: number;
}

/** Least squares of many columns on one factored X. */
export interface ManySolution {
  /** Coefficients, `k` per column, column after column (column-major `k × m`). */
  coef: Float64Array;
  /** `Qᵀ Y`, column-major `n × m`: the first `k` rows are coordinates, the rest residual. */
  qty: Float64Array;
  /** Sum of squared residuals per column. */
  ssr: Float64Array;
}

/**
 * Factors a full-rank column-major `n × k` matrix once for {@linkcode solveShared}. Returns
 * `null` when X is rank deficient or numerically singular (the caller decides the message).
 */
export function factorShared(x: Float64Array, n: number, k: number): SharedFactorization | null {
  const qr = householderQr(x, n, k);
  if (qr.dependent.length > 0) return null;
  // Singularity is judged with every column scaled to unit length, so units play no part.
  const unit = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const norm = norm2(qr.r, j * k, j * k + j + 1);
    for (let i = 0; i <= j; i++) unit[j * k + i] = qr.r[j * k + i] / norm;
  }
  const sv = singularValues(unit, k);
  if (!(sv[k - 1] > sv[0] * Math.max(n, k) * EPS)) return null;
  return { qr, rinv: invertUpper(qr.r, k), n, k };
}

/**
 * Solves `min ‖y_j − X b_j‖²` for the `m` columns of the column-major `n × m` matrix `y`,
 * applying each Householder reflection of X to every column (`Qᵀ Y`), then back-substituting.
 * `y` is not modified; see {@linkcode solveSharedInPlace}.
 */
export function solveShared(f: SharedFactorization, y: Float64Array, m: number): ManySolution {
  return solveSharedInPlace(f, new Float64Array(y.subarray(0, f.n * m)), m);
}

/**
 * {@linkcode solveShared} overwriting `y` with `Qᵀ Y` (the solution's `qty` is `y`): no copy of
 * the right-hand sides, which is what many thousands of assets need.
 *
 * Four columns go through the reflections together, so that each Householder vector is loaded
 * once for four columns and the four dot products run side by side; each reflection's update is
 * fused with the next reflection's dot product. Every column still sees exactly the operations,
 * in the same order, of `applyQt` on that column alone, so the blocking changes no result, not
 * even in the last bit. With `fill`, columns `from..to` are written by the caller just before
 * they are solved, while they are in cache: one pass over memory instead of two.
 */
export function solveSharedInPlace(
  f: SharedFactorization,
  y: Float64Array,
  m: number,
  fill?: (from: number, to: number) => void,
): ManySolution {
  const { qr, n, k } = f;
  const coef = new Float64Array(k * m);
  const ssr = new Float64Array(m);
  const { householder, tau } = qr;
  const v = Array.from({ length: k }, (_, h) => householder.subarray(h * n, (h + 1) * n));
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    fill?.(j, j + 4);
    reduceFour(v, tau, k, n, y, j, ssr);
  }
  for (; j < m; j++) {
    fill?.(j, j + 1);
    const col = y.subarray(j * n, (j + 1) * n);
    for (let h = 0; h < k; h++) applyReflection(householder, tau[h], h, n, col);
    ssr[j] = sumSquares(col, k, n);
  }
  for (let c = 0; c < m; c++) {
    backSubstitute(qr.r, k, k, y.subarray(c * n, c * n + k), coef.subarray(c * k, (c + 1) * k));
  }
  return { coef, qty: y, ssr };
}

/**
 * Columns `j..j + 3` of `y` through every reflection of {@linkcode solveSharedInPlace}, with their
 * residual sums of squares into `ssr`. A function of its own so that V8 optimizes it whole: as a
 * loop inside one long call it was optimized on stack and thrown back to the interpreter at every
 * loop exit, where each intermediate number is boxed (about 4 KB of garbage per column).
 */
function reduceFour(
  v: Float64Array[],
  tau: Float64Array,
  k: number,
  n: number,
  y: Float64Array,
  j: number,
  ssr: Float64Array,
): void {
  const a = y.subarray(j * n, (j + 1) * n);
  const b = y.subarray((j + 1) * n, (j + 2) * n);
  const c = y.subarray((j + 2) * n, (j + 3) * n);
  const d = y.subarray((j + 3) * n, (j + 4) * n);
  // Dot products of reflection 0, then for each h: update rows h.. and, in the same pass,
  // the dot products of reflection h + 1 (or, after the last, the residual sums of squares).
  let w = v[0];
  let da = 0, db = 0, dc = 0, dd = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    da += wi * a[i];
    db += wi * b[i];
    dc += wi * c[i];
    dd += wi * d[i];
  }
  // With s = 0 (a column already reduced) the update x − 0·u leaves x as it is, bit for bit.
  for (let h = 0; h < k; h++) {
    const t = tau[h];
    const sa = t * da, sb = t * db, sc = t * dc, sd = t * dd;
    const u = v[h];
    a[h] -= sa * u[h];
    b[h] -= sb * u[h];
    c[h] -= sc * u[h];
    d[h] -= sd * u[h];
    da =
      db =
      dc =
      dd =
        0;
    if (h + 1 < k) {
      w = v[h + 1];
      for (let i = h + 1; i < n; i++) {
        const ui = u[i];
        const wi = w[i];
        const ai = a[i] - sa * ui;
        const bi = b[i] - sb * ui;
        const ci = c[i] - sc * ui;
        const di = d[i] - sd * ui;
        a[i] = ai;
        b[i] = bi;
        c[i] = ci;
        d[i] = di;
        da += wi * ai;
        db += wi * bi;
        dc += wi * ci;
        dd += wi * di;
      }
    } else {
      // After the last reflection: the residual sums of squares.
      for (let i = h + 1; i < n; i++) {
        const ui = u[i];
        const ai = a[i] - sa * ui;
        const bi = b[i] - sb * ui;
        const ci = c[i] - sc * ui;
        const di = d[i] - sd * ui;
        a[i] = ai;
        b[i] = bi;
        c[i] = ci;
        d[i] = di;
        da += ai * ai;
        db += bi * bi;
        dc += ci * ci;
        dd += di * di;
      }
    }
  }
  ssr[j] = da;
  ssr[j + 1] = db;
  ssr[j + 2] = dc;
  ssr[j + 3] = dd;
}

/** Residuals of column `j` of a {@linkcode ManySolution}: `Q [0; (Qᵀy)ₖ..]`. */
export function sharedResiduals(
  f: SharedFactorization,
  sol: ManySolution,
  j: number,
): Float64Array {
  const { n, k } = f;
  const part = new Float64Array(n);
  part.set(sol.qty.subarray(j * n + k, (j + 1) * n), k);
  return applyQ(f.qr, part);
}

/** `diag((XᵀX)⁻¹)`: the squared row norms of `R⁻¹`. */
export function normalizedVariances(f: SharedFactorization): Float64Array {
  const { rinv, k } = f;
  const d = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let i = 0; i <= c; i++) d[i] += rinv[c * k + i] ** 2;
  return d;
}

/**
 * Fits the same regressors to many dependent variables at once, e.g. the excess returns of
 * many assets on the same factors: one QR factorization of X, all right-hand sides together.
 * The estimates, standard errors (any covariance type of {@linkcode ols}), t statistics,
 * p-values and R² of each column equal those of `ols(column, X, options)` to rounding.
 *
 * All columns share one sample, so Y and X must be complete; to fit assets that each have
 * their own valid rows, use `analyzeMany`.
 *
 * @param Y Dependent variables: a record of named columns, or a polars/danfojs DataFrame
 *   (every column a dependent variable), or an array of rows (named y1, y2, …).
 * @param X Regressors, as for {@linkcode ols}.
 * @param options Constant and covariance type; see {@linkcode OLSManyOptions}.
 * @returns The results, with tables by dependent variable × regressor.
 * @throws {RegressionInputError} for unusable input (lengths, missing values, too few rows).
 * @throws {CollinearityError} when the regressors are perfectly collinear (names them).
 *
 * @example Two assets, one factorization
 * ```ts
 * import { ols, olsMany } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const mkt = [0.01, -0.02, 0.03, 0.015, -0.01, 0.02, 0.005, -0.03];
 * const smb = [0.002, 0.01, -0.004, 0.003, 0.006, -0.002, 0.001, 0.004];
 * const Y = {
 *   A: mkt.map((m, i) => 0.001 + 1.1 * m + (i % 2 ? 1e-3 : -1e-3)),
 *   B: mkt.map((m, i) => 0.8 * m + 0.4 * smb[i] + (i % 3 ? 2e-3 : -1e-3)),
 * };
 * const X = { MKT_RF: mkt, SMB: smb };
 * const many = olsMany(Y, X, { addConstant: true });
 * const one = ols(Y.B, X, { addConstant: true });
 * assert.deepEqual(many.ynames, ["A", "B"]);
 * assert.ok(Math.abs(many.params.get("B", "SMB") - one.params.get("SMB")) < 1e-12);
 * assert.ok(Math.abs(many.bse.get("B", "SMB") / one.bse.get("SMB") - 1) < 1e-12);
 * ```
 */
export function olsMany(
  Y: RegressorsInput,
  X: RegressorsInput,
  options: OLSManyOptions = {},
): OLSManyResults {
  const { names: ynames, columns } = readResponses(Y);
  const n = columns[0].length;
  const design = buildDesign(new Float64Array(n), X, { addConstant: options.addConstant });
  const m = ynames.length;
  const y = new Float64Array(n * m);
  columns.forEach((col, j) => {
    if (col.length !== n) {
      throw new RegressionInputError(
        `Length mismatch: Y column "${ynames[j]}" has ${col.length} values but ` +
          `"${ynames[0]}" and X have ${n}. Align the columns first (for example join on period).`,
      );
    }
    const missing = missingValues(`Y column "${ynames[j]}"`, col);
    if (missing !== null) {
      throw new RegressionInputError(
        `${missing}. olsMany fits every column on the same rows: drop those rows first, or use ` +
          "analyzeMany, which fits each asset on its own valid rows.",
      );
    }
    checkMagnitude(col, `Y column "${ynames[j]}"`);
    y.set(col, j * n);
  });
  return fitColumns(ynames, y, design, options, () => {
    // ols diagnoses rank deficiency with the names and the combination; reuse its message.
    ols(columns[0], X, { addConstant: options.addConstant });
  });
}

/**
 * The fit behind {@linkcode olsMany} (and `analyzeMany`): the dependent variables as one
 * column-major `nobs × m` buffer of finite values, which becomes `Qᵀ Y` (no other copy is made).
 * `diagnoseSingular` is called when X is rank deficient, to throw a `CollinearityError` naming
 * the columns; a `RegressionInputError` follows if it returns. With `fill`, the buffer is
 * written by the caller block by block as it is solved (see {@linkcode solveSharedInPlace}), and
 * `fill` must also write each column's total sum of squares (about its mean if the model has a
 * constant) into `tss`.
 *
 * @internal
 */
export function fitColumns(
  ynames: string[],
  y: Float64Array,
  design: Design,
  options: OLSManyOptions,
  diagnoseSingular: () => void,
  fill?: { tss: Float64Array; columns: (from: number, to: number) => void },
): OLSManyResults {
  const { nobs: n, k } = design;
  const m = ynames.length;
  design.names.forEach((name, j) =>
    checkMagnitude(design.x.subarray(j * n, (j + 1) * n), `X column "${name}"`)
  );
  const shared = factorShared(design.x, n, k);
  if (shared === null) {
    diagnoseSingular();
    throw new RegressionInputError("X is numerically singular: drop or rescale collinear columns.");
  }
  const kConstant = design.constIndex >= 0 || impliedConstantOf(shared.qr) ? 1 : 0;
  // R² needs the total sum of squares of each column before it is overwritten.
  let tss = fill?.tss;
  if (tss === undefined) {
    tss = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const col = y.subarray(j * n, (j + 1) * n);
      if (kConstant) tss[j] = centeredSumSquares(col);
      else tss[j] = sumSquares(col);
    }
  }
  // A constant y (with a constant in the model) is fitted exactly: its coefficients and zero
  // residuals are set rather than left to rounding noise.
  const constants = fill === undefined && design.constIndex >= 0
    ? Array.from({ length: m }, (_, j) => (tss[j] === 0 ? y[j * n] : NaN))
    : [];
  const covType = options.covType ?? "nonrobust";
  const solution = solveSharedInPlace(shared, y, m, fill?.columns);
  constants.forEach((value, j) => {
    if (Number.isNaN(value)) return;
    solution.coef.fill(0, j * k, (j + 1) * k);
    solution.coef[j * k + design.constIndex] = value / design.x[design.constIndex * n];
    solution.qty.fill(0, j * n + k, (j + 1) * n);
    solution.ssr[j] = 0;
  });
  // With maxlags "auto" each column gets its own Newey-West (1994) lags, from its residuals.
  const specOf = (j: number): CovSpec =>
    covSpec(
      covType,
      options,
      n,
      () =>
        regressionNeweyWestLags(design.x, sharedResiduals(shared, solution, j), design.constIndex),
    );
  const first = specOf(0);
  return new OLSManyResults({
    design,
    ynames,
    tss,
    shared,
    solution,
    kConstant,
    specOf: first.lagSelection === "newey-west-1994" ? specOf : () => first,
    covType: first.covType,
    useT: options.useT ?? first.covType === "nonrobust",
  });
}

/**
 * Largest magnitude (2^250, about 1.8e75) of a column that the shared factorization takes as
 * is: products of a coefficient's variance factor (about 1/x²) and a residual variance (about
 * y²) stay finite within it. `ols` scales its data instead and has no such limit; here one
 * factorization of X serves every column, so the limit is stated rather than scaled away.
 */
const MAX_MAGNITUDE = 2 ** 250;

/** Refuses a column whose values are too large or too small for the shared factorization. */
function checkMagnitude(values: ArrayLike<number>, what: string): void {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  if (max === 0 || (max <= MAX_MAGNITUDE && max >= 1 / MAX_MAGNITUDE)) return;
  throw new RegressionInputError(
    `${what} has values of magnitude ${max.toExponential(1)}, outside the 1.8e-75 to 1.8e75 ` +
      "that olsMany and analyzeMany solve without rescaling (their squares would overflow or " +
      "lose digits). Rescale it (for example to percent or to units near 1), or fit each column " +
      "with ols, which scales its data internally.",
  );
}

/**
 * Named columns with messages that speak of them as `what` (Y, returns, factors) rather than X;
 * rows become columns `${prefix}1`, `${prefix}2`, …; at least one column, no name twice.
 */
export function readResponses(
  Y: RegressorsInput,
  what = "Y",
  prefix = "y",
  one = "dependent variable",
): { names: string[]; columns: Float64Array[] } {
  let read: { names: string[]; columns: Float64Array[] };
  try {
    read = readRegressors(Y);
  } catch (e) {
    if (!(e instanceof RegressionInputError)) throw e;
    throw new RegressionInputError(
      e.message.replace(/^X\b/, what).replace(/X column/g, `${what} column`).replace(
        "regressor",
        one,
      ),
    );
  }
  const isRows = !Array.isArray((Y as { columns?: unknown }).columns) &&
    typeof (Y as ArrayLike<unknown>).length === "number";
  const names = isRows ? read.names.map((_, j) => `${prefix}${j + 1}`) : read.names;
  if (names.length === 0) {
    throw new RegressionInputError(`${what} has no columns: pass at least one ${one}.`);
  }
  const dup = firstDuplicate(names);
  if (dup !== undefined) {
    throw new RegressionInputError(`${what} has two columns named "${dup}": rename one.`);
  }
  return { names, columns: read.columns };
}

/**
 * Position of a dependent variable given by name or position, or an error listing the names.
 */
export function responsePosition(names: readonly string[], y: string | number): number {
  const j = typeof y === "number" ? y : names.indexOf(y);
  if (Number.isInteger(j) && j >= 0 && j < names.length) return j;
  throw new InvalidArgumentError(
    typeof y === "number"
      ? `Column index ${y} is outside 0..${names.length - 1}.`
      : `No dependent variable named "${y}". Names: ${
        names.slice(0, 30).map((s) => `"${s}"`).join(", ")
      }${names.length > 30 ? ", …" : ""}.`,
  );
}

interface ManyCore {
  design: Design;
  ynames: string[];
  /** Total sum of squares of each column (about its mean when the model has a constant). */
  tss: Float64Array;
  shared: SharedFactorization;
  solution: ManySolution;
  kConstant: number;
  specOf: (j: number) => CovSpec;
  covType: CovType;
  useT: boolean;
}

/**
 * Results of {@linkcode olsMany}: tables with one row per dependent variable and one column per
 * regressor (`params`, `bse`, `tvalues`, `pvalues`), fit statistics per dependent variable, and
 * per-column residuals, covariance and coefficient rows. Computed on first use and kept.
 */
export class OLSManyResults extends Displayable {
  readonly #core: ManyCore;
  readonly #memo = new Memo();

  /** @internal Use {@linkcode olsMany}. */
  constructor(core: ManyCore) {
    super();
    this.#core = core;
  }

  /** Regressor names, in column order. */
  get names(): string[] {
    return [...this.#core.design.names];
  }

  /** Names of the dependent variables. */
  get ynames(): string[] {
    return [...this.#core.ynames];
  }

  /** Number of observations (shared by every column). */
  get nobs(): number {
    return this.#core.design.nobs;
  }

  /** Residual degrees of freedom. */
  get dfResid(): number {
    return this.nobs - this.#core.design.k;
  }

  /** Model degrees of freedom: regressors minus the constant. */
  get dfModel(): number {
    return this.#core.design.k - this.#core.kConstant;
  }

  /** 1 when the model has a constant (explicit, or implied by the columns), else 0. */
  get kConstant(): number {
    return this.#core.kConstant;
  }

  /** Covariance type of the standard errors. */
  get covType(): CovType {
    return this.#core.covType;
  }

  /**
   * Covariance settings of one dependent variable, with the sentence a summary prints (HAC lags
   * differ between columns only with `maxlags: "auto"`).
   */
  covKwdsOf(y: string | number): Readonly<CovSpec> {
    const j = this.#position(y);
    return this.#memo.get(`spec${j}`, () => ({ ...this.#core.specOf(j) }));
  }

  /** Whether inference uses Student's t (true) or the normal distribution (false). */
  get useT(): boolean {
    return this.#core.useT;
  }

  /** Estimates: one row per dependent variable, one column per regressor. */
  get params(): LabeledMatrix {
    return this.#memo.get("params", () => this.#table(this.#core.solution.coef));
  }

  /** Standard errors under the covariance type, in the layout of {@linkcode params}. */
  get bse(): LabeledMatrix {
    return this.#memo.get("bse", () => this.#table(this.#inference.bse));
  }

  /** t statistics (z when `useT` is false). */
  get tvalues(): LabeledMatrix {
    return this.#memo.get("t", () => this.#table(this.#inference.tvalues));
  }

  /** Two-sided p-values of the t (or z) statistics. */
  get pvalues(): LabeledMatrix {
    return this.#memo.get("p", () => this.#table(this.#inference.pvalues));
  }

  get #inference(): Inference {
    return this.#memo.get("inference", () =>
      new Inference({
        names: this.#core.design.names,
        params: () => this.#core.solution.coef,
        bse: () => this.#bse(),
        cov: (j) => this.covParams(j).data,
        df: () => this.dfResid,
        useT: this.useT,
      }));
  }

  #bse(): Float64Array {
    const { shared, solution, covType, ynames } = this.#core;
    const k = shared.k;
    const m = ynames.length;
    const out = new Float64Array(k * m);
    if (covType === "nonrobust") {
      const d = normalizedVariances(shared);
      const df = this.dfResid;
      for (let j = 0; j < m; j++) {
        const scale = solution.ssr[j] / df;
        for (let i = 0; i < k; i++) out[j * k + i] = Math.sqrt(d[i] * scale);
      }
    } else {
      for (let j = 0; j < m; j++) {
        const cov = this.#robustCov(j);
        for (let i = 0; i < k; i++) out[j * k + i] = Math.sqrt(cov[i * k + i]);
      }
    }
    return out;
  }

  /**
   * Wald test of linear restrictions on one dependent variable's coefficients, with its
   * covariance (statsmodels' `wald_test` on that column's own fit); see
   * `OLSResults.waldTest` for the forms of `constraints`.
   *
   * @example Does SMB matter for asset B?
   * ```ts
   * import { olsMany, referenceDataset } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const { y, X } = referenceDataset("factor");
   * const many = olsMany({ A: y, B: y.map((v) => 2 * v) }, X);
   * assert.equal(many.waldTest("B", "SMB = 0").distribution, "F");
   * ```
   */
  waldTest(
    y: string | number,
    constraints: Constraints,
    options: WaldTestOptions = {},
  ): TestResult {
    return this.#inference.waldTest(this.#position(y), constraints, options);
  }

  /** The F form of {@linkcode waldTest} for one dependent variable. */
  fTest(y: string | number, constraints: Constraints): TestResult {
    return this.waldTest(y, constraints, { useF: true });
  }

  /** One t (or z) test per restriction on one dependent variable's coefficients. */
  tTest(y: string | number, constraints: Constraints): TTestResult {
    return this.#inference.tTest(this.#position(y), constraints);
  }

  /** Sum of squared residuals per dependent variable. */
  get ssr(): NamedValues {
    return this.#memo.get("ssr", () => new NamedValues(this.#core.ynames, this.#core.solution.ssr));
  }

  /** R² per dependent variable (uncentered when the model has no constant, as statsmodels). */
  get rsquared(): NamedValues {
    return this.#memo.get("r2", () => {
      const { tss, ynames, solution } = this.#core;
      // A constant y has nothing to explain: R² is undefined (statsmodels' nan), not −∞.
      return new NamedValues(
        ynames,
        ynames.map((_, j) => (tss[j] === 0 ? NaN : 1 - solution.ssr[j] / tss[j])),
      );
    });
  }

  /** Adjusted R² per dependent variable. */
  get rsquaredAdj(): NamedValues {
    return this.#memo.get("r2adj", () => {
      const c = (this.nobs - this.kConstant) / this.dfResid;
      return new NamedValues(this.#core.ynames, this.rsquared.map((r) => 1 - c * (1 - r)));
    });
  }

  /** Residuals of one dependent variable (by name or position). */
  resid(y: string | number): Float64Array {
    return sharedResiduals(this.#core.shared, this.#core.solution, this.#position(y));
  }

  /** Fitted values of one dependent variable: `X b`, as `Q [(Qᵀy)₁..ₖ; 0]`. */
  fittedValues(y: string | number): Float64Array {
    const j = this.#position(y);
    const { shared, solution } = this.#core;
    const { n, k } = shared;
    const part = new Float64Array(n);
    part.set(solution.qty.subarray(j * n, j * n + k));
    return applyQ(shared.qr, part);
  }

  /** Covariance matrix of the estimates of one dependent variable. */
  covParams(y: string | number): LabeledMatrix {
    const j = this.#position(y);
    if (this.#core.covType !== "nonrobust") {
      return LabeledMatrix.square(this.names, this.#robustCov(j));
    }
    const scale = this.#core.solution.ssr[j] / this.dfResid;
    const normalized = this.#memo.get(
      "normalized",
      () => normalizedCovariance(this.#core.shared.rinv, this.#core.shared.k),
    );
    return LabeledMatrix.square(this.names, normalized.map((v) => v * scale));
  }

  /** Coefficient rows `{ name, coef, stdErr, t, pvalue, lower, upper }` of one variable. */
  coefficients(y: string | number, alpha = 0.05): CoefficientRow[] {
    return this.#inference.coefficients(this.#position(y), alpha);
  }

  /** A table with one row per dependent variable: estimates, then R² and adjusted R². */
  toTable(): Table {
    return new Table(
      [
        { header: "" },
        ...this.names.map((header) => ({ header, format: "%.4f" })),
        { header: "R²", format: "%.3f" },
        { header: "adj. R²", format: "%.3f" },
      ],
      this.#core.ynames.map((name, j) => [
        name,
        ...this.params.row(j),
        this.rsquared[j],
        this.rsquaredAdj[j],
      ]),
      {
        title: `OLS estimates of ${this.#core.ynames.length} regressions on ${this.nobs} rows`,
      },
    );
  }

  /** The table of estimates as a summary: what the results print and display. */
  summary(): Summary {
    return this.toTable().summary();
  }

  #robustCov(j: number): Float64Array {
    return this.#memo.get(`cov${j}`, () => {
      const { rinv } = this.#core.shared;
      return robustCovariance(this.#sandwichParts(), rinv, this.resid(j), this.covKwdsOf(j));
    });
  }

  #sandwichParts(): { q1: Float64Array; leverage: Float64Array } {
    const { x, nobs, k } = this.#core.design;
    return this.#memo.get("q1", () => orthonormalBasis(x, this.#core.shared.rinv, nobs, k));
  }

  #table(values: Float64Array): LabeledMatrix {
    return new LabeledMatrix(this.#core.ynames, this.#core.design.names, values);
  }

  #position(y: string | number): number {
    return responsePosition(this.#core.ynames, y);
  }
}

/** @deprecated Use {@link OLSManyResults}; this name goes in 0.2.0. */
export const OlsManyResults: typeof OLSManyResults = OLSManyResults;
/** @deprecated Use {@link OLSManyResults}; this name goes in 0.2.0. */
export type OlsManyResults = OLSManyResults;

/** @deprecated Use {@link OLSManyOptions}; this name goes in 0.2.0. */
export type OlsManyOptions = OLSManyOptions;
