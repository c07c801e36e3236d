/**
 * Ordinary least squares with statsmodels' results: the same names (camelCase), the same
 * definitions, and numbers that agree with statsmodels to 1e-8 or better.
 *
 * @module
 */

import {
  type CoefficientRow,
  Displayable,
  printf,
  regressionSummary,
  type Summary,
} from "../display/mod.ts";
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
  type MissingPolicy,
  readRegressors,
  type RegressorsInput,
  type ResponseInput,
} from "./design.ts";
import {
  durbinWatson,
  hetBreuschPagan,
  type HeteroscedasticityTest,
  hetWhite,
  type JarqueBera,
  jarqueBera,
  type Omnibus,
  omnibusTest,
} from "./diagnostics.ts";
import { InvalidArgumentError } from "../errors.ts";
import { fSf } from "./distributions.ts";
import { CollinearityError, RegressionInputError } from "./errors.ts";
import {
  checkAlpha,
  type Constraints,
  Inference,
  Memo,
  waldStatistic,
  type WaldTestOptions,
} from "./inference.ts";
import type { TestResult, TTestResult } from "./test_result.ts";
import { jacobiSingularValues, singularValues, sumSquares } from "./linalg.ts";
import {
  centeredSumSquares,
  type Degeneracy,
  fitLeastSquares,
  impliedConstantOf,
  ldexp,
  type LeastSquaresFit,
  unscaledCoefficients,
} from "./lstsq.ts";
import { LabeledMatrix } from "./labeled_matrix.ts";
import { firstDuplicate, labelOf, NamedValues } from "./named.ts";
import { type NeweyWestLagSelection, regressionNeweyWestLags } from "./newey_west.ts";

/** Options of {@linkcode ols}. */
export interface OLSOptions extends CovOptions {
  /**
   * Prepend a `const` column of ones, as `sm.add_constant` (default false, like `sm.OLS`).
   * Nothing is added when X already has a constant column.
   */
  addConstant?: boolean;
  /** Rows with NaN, null or ±Infinity: `"raise"` (default) names them; `"drop"` drops them. */
  missing?: MissingPolicy;
  /**
   * Covariance of the estimates (default `"nonrobust"`). A robust type here works like
   * statsmodels' `fit(cov_type=…)`: p-values and intervals use the normal distribution
   * unless `useT` is set, and the F statistic is the robust Wald F.
   */
  covType?: CovType;
  /** Use Student's t for inference. Default: true for `"nonrobust"`, false otherwise. */
  useT?: boolean;
  /** Name of the dependent variable for the summary (default: the Series name, else "y"). */
  yname?: string;
}

/** Options of {@linkcode OLSResults.summary}. */
export interface SummaryOptions {
  /** Name of the dependent variable (default: the fit's `yname`). */
  yname?: string;
  /** Title line (default "OLS Regression Results"). */
  title?: string;
  /** Significance level of the confidence intervals (default 0.05). */
  alpha?: number;
  /** Date and time printed in the header (default: now). */
  date?: Date;
}

/** Confidence intervals of the parameters. */
export interface ConfidenceIntervals {
  /** Significance level (0.05 gives 95% intervals). */
  alpha: number;
  /** Lower bounds by name. */
  lower: NamedValues;
  /** Upper bounds by name. */
  upper: NamedValues;
}

/**
 * What a fit and all its robust re-estimates share. The solution is kept in the units of the
 * power-of-two scaled problem (`fit`); every figure in the data's units is derived from it by
 * exact power-of-two factors, so nothing overflows or underflows on the way.
 */
interface FitCore {
  design: Design;
  fit: LeastSquaresFit;
  /** Coefficients in the data's units. */
  params: Float64Array;
  /** Residuals in the data's units. */
  resid: Float64Array;
  /** Fitted values `y − resid`. */
  fitted: Float64Array;
  /** 1 when the model has a constant (explicit or implied by the columns), else 0. */
  kConstant: number;
  yname: string;
  cache: Memo;
}

/**
 * Fits `y = X b + e` by ordinary least squares (Householder QR, never the normal
 * equations) and returns statsmodels-style results.
 *
 * @param y Dependent variable: numbers, a Float64Array, or a polars/danfojs Series.
 * @param X Regressors: a record of named columns, a polars or danfojs DataFrame (every
 *   column is a regressor), or an array of rows.
 * @param options Constant, missing values, covariance type; see {@linkcode OLSOptions}.
 * @returns The fitted results.
 * @throws {RegressionInputError} for unusable input (lengths, missing values, too few rows).
 * @throws {CollinearityError} when columns are perfectly collinear (names them).
 *
 * @example
 * ```ts
 * import { ols } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const mkt = [0.01, -0.02, 0.03, 0.015, -0.01, 0.02, 0.005, -0.03];
 * const smb = [0.002, 0.01, -0.004, 0.003, 0.006, -0.002, 0.001, 0.004];
 * const y = mkt.map((m, i) => 0.001 + 1.1 * m + 0.5 * smb[i] + (i % 2 ? 1e-3 : -1e-3));
 * const fit = ols(y, { MKT_RF: mkt, SMB: smb }, { addConstant: true });
 * assert.deepEqual(fit.names, ["const", "MKT_RF", "SMB"]);
 * assert.ok(Math.abs(fit.param("MKT_RF") - 1.1) < 0.05);
 * assert.ok(fit.rsquared > 0.99);
 * ```
 */
export function ols(y: ResponseInput, X: RegressorsInput, options: OLSOptions = {}): OLSResults {
  const design = buildDesign(y, X, { addConstant: options.addConstant, missing: options.missing });
  const { nobs: n, names } = design;
  const fit = fitLeastSquares(design);
  if ("kind" in fit) throw degeneracyError(fit, names);
  const params = unscaledCoefficients(fit);
  checkRepresentable(fit, params, names);
  // One multiplier when 2^-yExp is a normal number (always, but for data beyond 1e±300).
  const unscale = Math.abs(fit.yExp) < 1000 ? 2 ** -fit.yExp : NaN;
  const resid = Number.isNaN(unscale)
    ? fit.resid.map((r) => ldexp(r, -fit.yExp))
    : fit.resid.map((r) => r * unscale);
  const fitted = design.y.map((v, i) => v - resid[i]);
  const core: FitCore = {
    design,
    fit,
    params,
    resid,
    fitted,
    kConstant: design.constIndex >= 0 || impliedConstantOf(fit.qr) ? 1 : 0,
    yname: options.yname ?? design.yname ?? "y",
    cache: new Memo(),
  };
  const covType = options.covType ?? "nonrobust";
  const spec = covSpec(covType, options, n, () => neweyWestOf(core));
  return new OLSResults(core, spec, options.useT ?? spec.covType === "nonrobust");
}

/**
 * Refuses a fit whose coefficients or standard errors, exact in the scaled problem, fall outside
 * the range of doubles once brought back to the data's units (beyond about 1e308, or below
 * 2.2e-308): they would print as infinity or zero.
 */
function checkRepresentable(fit: LeastSquaresFit, params: Float64Array, names: string[]): void {
  const { k, n, rinv, colExp, yExp } = fit;
  const s2 = fit.ssr / (n - k);
  for (let j = 0; j < k; j++) {
    let row = 0;
    for (let c = j; c < k; c++) row += rinv[c * k + j] * rinv[c * k + j];
    const se = Math.sqrt(s2 * row);
    const e = colExp[j] - yExp;
    for (
      const [what, scaled, value] of [
        ["coefficient", fit.coef[j], params[j]],
        ["standard error", se, ldexp(se, e)],
      ] as const
    ) {
      if (scaled === 0 || (Number.isFinite(value) && Math.abs(value) >= MIN_NORMAL)) continue;
      const log10 = Math.log10(Math.abs(scaled)) + e * Math.LOG10E * Math.LN2;
      throw new RegressionInputError(
        `The ${what} of "${names[j]}" is about 1e${Math.round(log10)}, outside the range of ` +
          "double-precision numbers (1e-308 to 1e308). Rescale y or that column so that the " +
          "coefficient is nearer 1 (for example, express both in the same units).",
      );
    }
  }
}

/** Widest design whose unscaled singular values are refined by one-sided Jacobi. */
const JACOBI_MAX_COLUMNS = 60;

/** Smallest positive normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** Newey-West (1994) lags of a fit (`maxlags: "auto"`), computed once per fit. */
function neweyWestOf(core: FitCore): NeweyWestLagSelection {
  const { x, constIndex } = core.design;
  return core.cache.get("neweyWest", () => regressionNeweyWestLags(x, core.resid, constIndex));
}

function degeneracyError(d: Degeneracy, names: string[]): CollinearityError {
  if (d.kind === "singular") {
    return new CollinearityError(
      `X is numerically singular: even with every column scaled to unit length its condition ` +
        `number is ${d.scaledCondition.toExponential(2)}, so its columns are collinear to ` +
        "machine precision (units play no part in this). Drop one of the nearly collinear " +
        "columns, or replace them by their sum or difference.",
      [],
      names.length,
    );
  }
  const collinear = d.dependent.map((j) => names[j]);
  const explanations = d.dependent.map((j, i) => {
    const coef = d.coefficients[i];
    // Terms whose size is of the order of rounding next to the column are noise, whatever
    // their coefficient in the data's units.
    const terms = Array.from(coef, (c, t) => ({ c, name: names[d.kept[t]], w: d.weights[i][t] }))
      .filter(({ w }) => w > 1e-9);
    const rhs = terms.length === 0 ? "0" : terms.map(({ c, name }, t) => {
      const mag = Math.abs(c);
      const num = Math.abs(mag - 1) < 1e-9 ? "" : `${Number(mag.toPrecision(6))}·`;
      return `${t === 0 ? (c < 0 ? "−" : "") : c < 0 ? " − " : " + "}${num}"${name}"`;
    }).join("");
    return `"${names[j]}" = ${rhs}`;
  });
  return new CollinearityError(
    `X is rank deficient (rank ${d.rank} for ${names.length} columns): ` +
      `${explanations.join("; ")}. Perfectly collinear columns cannot all be estimated: drop ` +
      `${collinear.map((c) => `"${c}"`).join(", ")} (or another column of each combination).`,
    collinear,
    d.rank,
  );
}

/**
 * Results of an OLS fit: estimates, inference under the chosen covariance, goodness of
 * fit, residual diagnostics, prediction and the summary table. Expensive quantities are
 * computed on first use and kept.
 */
export class OLSResults extends Displayable {
  readonly #core: FitCore;
  readonly #spec: CovSpec;
  readonly #memo = new Memo();
  /** Whether inference uses Student's t (true) or the normal distribution (false). */
  readonly useT: boolean;

  /** @internal Use {@linkcode ols} to fit a model. */
  constructor(core: FitCore, spec: CovSpec, useT: boolean) {
    super();
    this.#core = core;
    this.#spec = spec;
    this.useT = useT;
  }

  /** Regressor names, in column order. */
  get names(): string[] {
    return [...this.#core.design.names];
  }

  /** Name of the dependent variable. */
  get yname(): string {
    return this.#core.yname;
  }

  /** Number of observations used. */
  get nobs(): number {
    return this.#core.design.nobs;
  }

  /** Indices (in the input) of rows dropped for missing values (`missing: "drop"`). */
  get droppedRows(): number[] {
    return [...this.#core.design.droppedRows];
  }

  /** Covariance type of the standard errors. */
  get covType(): CovType {
    return this.#spec.covType;
  }

  /** Covariance settings: HAC lags and correction, and the sentence the summary prints. */
  get covKwds(): Readonly<CovSpec> {
    return { ...this.#spec };
  }

  /** 1 when the model has a constant (explicit, or implied by the columns), else 0. */
  get kConstant(): number {
    return this.#core.kConstant;
  }

  /** Model degrees of freedom: regressors minus the constant. */
  get dfModel(): number {
    return this.#core.design.k - this.#core.kConstant;
  }

  /** Residual degrees of freedom: observations minus regressors. */
  get dfResid(): number {
    return this.nobs - this.#core.design.k;
  }

  /** Estimated coefficients, by position or name (`params.get("SMB")`). */
  get params(): NamedValues {
    return this.#memo.get(
      "params",
      () => new NamedValues(this.#core.design.names, this.#core.params),
    );
  }

  /** The coefficient of one regressor. */
  param(name: string): number {
    return this.params.get(name);
  }

  /** Residuals `y − X b`. */
  get resid(): Float64Array {
    return this.#core.resid.slice();
  }

  /** Fitted values `X b`. */
  get fittedValues(): Float64Array {
    return this.#core.fitted.slice();
  }

  /** Sum of squared residuals. */
  get ssr(): number {
    return ldexp(this.#core.fit.ssr, -2 * this.#core.fit.yExp);
  }

  /** Total sum of squares around the mean. */
  get centeredTss(): number {
    return ldexp(this.#centeredTssScaled, -2 * this.#core.fit.yExp);
  }

  get #centeredTssScaled(): number {
    return this.#core.cache.get("centeredTss", () => centeredSumSquares(this.#core.fit.ys));
  }

  /** Total sum of squares around zero. */
  get uncenteredTss(): number {
    return ldexp(this.#uncenteredTssScaled, -2 * this.#core.fit.yExp);
  }

  get #uncenteredTssScaled(): number {
    return this.#core.cache.get("uncenteredTss", () => sumSquares(this.#core.fit.ys));
  }

  /** The total sum of squares R² is measured against, in the scaled units of the fit. */
  get #tssScaled(): number {
    return this.kConstant ? this.#centeredTssScaled : this.#uncenteredTssScaled;
  }

  /** Explained sum of squares (around the mean when the model has a constant). */
  get ess(): number {
    return (this.kConstant ? this.centeredTss : this.uncenteredTss) - this.ssr;
  }

  /**
   * R² (uncentered when the model has no constant, as statsmodels). NaN when y is constant in a
   * model with a constant: there is no variation to explain.
   */
  get rsquared(): number {
    return 1 - this.#core.fit.ssr / this.#tssScaled;
  }

  /** Adjusted R². */
  get rsquaredAdj(): number {
    return 1 - ((this.nobs - this.kConstant) / this.dfResid) * (1 - this.rsquared);
  }

  /** Error variance estimate `ssr / dfResid` (also called the scale). */
  get mseResid(): number {
    return this.ssr / this.dfResid;
  }

  /** Explained sum of squares per model degree of freedom. */
  get mseModel(): number {
    return this.ess / this.dfModel;
  }

  /** Total sum of squares per degree of freedom. */
  get mseTotal(): number {
    return (this.kConstant ? this.centeredTss : this.uncenteredTss) /
      (this.dfResid + this.dfModel);
  }

  /** Same as {@linkcode mseResid}. */
  get scale(): number {
    return this.mseResid;
  }

  /** Gaussian log-likelihood at the estimates (+∞ when every residual is zero). */
  get llf(): number {
    const n = this.nobs;
    const ssr = this.ssr;
    // When ssr itself is beyond the double range, its logarithm comes from the scaled units.
    const logSsr = Number.isFinite(ssr) && (ssr === 0 || ssr >= MIN_NORMAL)
      ? Math.log(ssr / n)
      : Math.log(this.#core.fit.ssr / n) - 2 * this.#core.fit.yExp * Math.LN2;
    return -(n / 2) * Math.log(2 * Math.PI) - (n / 2) * logSsr - n / 2;
  }

  /** Akaike information criterion `−2 llf + 2 k`. */
  get aic(): number {
    return -2 * this.llf + 2 * (this.dfModel + this.kConstant);
  }

  /** Bayesian information criterion `−2 llf + log(n) k`. */
  get bic(): number {
    return -2 * this.llf + Math.log(this.nobs) * (this.dfModel + this.kConstant);
  }

  /** `(XᵀX)⁻¹`, the covariance of the estimates divided by the scale. */
  normalizedCovParams(): LabeledMatrix {
    return this.#unscaled(this.#normalizedScaled(), 0);
  }

  /** `(XᵀX)⁻¹` of the scaled problem: `R⁻¹ R⁻ᵀ`. */
  #normalizedScaled(): Float64Array {
    return this.#core.cache.get(
      "normalized",
      () => normalizedCovariance(this.#core.fit.rinv, this.#core.design.k),
    );
  }

  /** Covariance matrix of the estimates under this fit's covariance type. */
  covParams(): LabeledMatrix {
    return this.#memo.get("cov", () => this.#unscaled(this.#covScaled(), -2 * this.#core.fit.yExp));
  }

  /** A `k × k` matrix of the scaled problem in the data's units (exact powers of two). */
  #unscaled(m: Float64Array, exp: number): LabeledMatrix {
    const { colExp } = this.#core.fit;
    const k = this.#core.design.k;
    const out = m.map((v, at) => ldexp(v, colExp[at % k] + colExp[Math.floor(at / k)] + exp));
    return LabeledMatrix.square(this.#core.design.names, out);
  }

  /** Covariance of the estimates of the scaled problem (column-major `k × k`). */
  #covScaled(): Float64Array {
    return this.#memo.get("covScaled", () => {
      const { fit } = this.#core;
      if (this.#spec.covType === "nonrobust") {
        const scale = fit.ssr / this.dfResid;
        return this.#normalizedScaled().map((v) => v * scale);
      }
      return robustCovariance(this.#basis(), fit.rinv, fit.resid, this.#spec);
    });
  }

  /** `Q₁ = X R⁻¹` (the same for the scaled problem) and the leverages. */
  #basis(): { q1: Float64Array; leverage: Float64Array } {
    return this.#core.cache.get("q1", () => {
      const { xs, rinv, n, k } = this.#core.fit;
      return orthonormalBasis(xs, rinv, n, k);
    });
  }

  /** Leverages: diagonal of the hat matrix `X (XᵀX)⁻¹ Xᵀ`. */
  get leverage(): Float64Array {
    return this.#basis().leverage;
  }

  /** Standard errors, t statistics, p-values, intervals and tests of this fit. */
  get #inference(): Inference {
    return this.#memo.get("inference", () => {
      const { colExp, yExp } = this.#core.fit;
      const k = this.#core.design.k;
      return new Inference({
        names: this.#core.design.names,
        params: () => this.#core.params,
        bse: () => {
          const cov = this.#covScaled();
          return Float64Array.from(
            { length: k },
            (_, j) => ldexp(Math.sqrt(cov[j * k + j]), colExp[j] - yExp),
          );
        },
        cov: () => this.covParams().data,
        df: () => this.dfResid,
        useT: this.useT,
      });
    });
  }

  /** Standard errors of the estimates. */
  get bse(): NamedValues {
    return this.#named("bse", this.#inference.bse);
  }

  /**
   * t statistics (z statistics when `useT` is false). NaN when every residual is zero: the
   * standard errors are then zero and the statistics undefined.
   */
  get tvalues(): NamedValues {
    return this.#named("t", this.#inference.tvalues);
  }

  /** Two-sided p-values of the t (or z) statistics. */
  get pvalues(): NamedValues {
    return this.#named("p", this.#inference.pvalues);
  }

  #named(key: string, values: Float64Array): NamedValues {
    return this.#memo.get(key, () => new NamedValues(this.#core.design.names, values));
  }

  /**
   * Confidence intervals of the parameters.
   *
   * @param alpha Significance level: 0.05 (default) gives 95% intervals.
   */
  confInt(alpha = 0.05): ConfidenceIntervals {
    const { lower, upper } = this.#inference.confInt(alpha);
    const names = this.#core.design.names;
    return { alpha, lower: new NamedValues(names, lower), upper: new NamedValues(names, upper) };
  }

  /**
   * Wald test of linear restrictions on the coefficients (statsmodels' `wald_test`), with this
   * fit's covariance, so robust under HC or HAC: F(J, dfResid) when the fit uses t (or with
   * `useF`), else χ²(J).
   *
   * @param constraints `"SMB = 0, HML = 0"`, `"MKT_RF = 1"`, `"SMB = HML"`, `"2*SMB - HML = 0.5"`,
   *   `"const"`, an array of such strings, a matrix R (one row per restriction, q = 0) or `{ R, q }`.
   * @param options `useF`: the F form (default: the fit's `useT`).
   * @throws {InvalidArgumentError} naming a term that is not a coefficient, or for dependent
   *   restrictions.
   *
   * @example Are SMB and HML jointly zero?
   * ```ts
   * import { ols, referenceDataset } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const { y, X } = referenceDataset("factor");
   * const fit = ols(y, X);
   * const test = fit.waldTest("SMB = 0, HML = 0");
   * assert.equal(test.distributionLabel, `F(2, ${fit.dfResid})`);
   * assert.ok(test.pvalue >= 0 && test.pvalue <= 1);
   * ```
   */
  waldTest(constraints: Constraints, options: WaldTestOptions = {}): TestResult {
    return this.#inference.waldTest(0, constraints, options);
  }

  /** The F form of {@linkcode waldTest} (statsmodels' `f_test`). */
  fTest(constraints: Constraints): TestResult {
    return this.waldTest(constraints, { useF: true });
  }

  /**
   * One t (z when `useT` is false) test per restriction (statsmodels' `t_test`): the effect
   * `R b`, its standard error, statistic and p-value.
   */
  tTest(constraints: Constraints): TTestResult {
    return this.#inference.tTest(0, constraints);
  }

  /** One coefficient with its standard error, statistic, p-value and interval. */
  coefficient(name: string, alpha = 0.05): CoefficientRow {
    const i = this.params.position(name);
    if (i < 0) this.params.get(name); // throws with the list of names
    return this.coefficients(alpha)[i];
  }

  /** All coefficients as rows `{ name, coef, stdErr, t, pvalue, lower, upper }`. */
  coefficients(alpha = 0.05): CoefficientRow[] {
    return this.#inference.coefficients(0, alpha);
  }

  /**
   * F statistic of the joint hypothesis that all coefficients but the constant are zero.
   * Under a robust covariance it is the Wald F built from that covariance (as statsmodels).
   */
  get fvalue(): number {
    return this.#fTest().f;
  }

  /** p-value of {@linkcode fvalue}. */
  get fPvalue(): number {
    return this.#fTest().p;
  }

  #fTest(): { f: number; p: number } {
    return this.#memo.get("F", () => {
      if (this.#spec.covType === "nonrobust") {
        // (ess / dfModel) / (ssr / dfResid), in the scaled units where nothing overflows.
        const { fit } = this.#core;
        const ess = this.#tssScaled - fit.ssr;
        const f = this.dfModel === 0 ? NaN : (ess / this.dfModel) / (fit.ssr / this.dfResid);
        return { f, p: fSf(f, this.dfModel, this.dfResid) };
      }
      const constIndex = this.#core.design.constIndex;
      // statsmodels cannot drop an implied constant from the restriction, so returns NaN.
      if (this.kConstant === 1 && constIndex < 0) return { f: NaN, p: NaN };
      const idx = this.names.map((_, i) => i).filter((i) => i !== constIndex);
      if (idx.length === 0) return { f: NaN, p: NaN };
      // The Wald statistic is the same in the scaled units, where nothing overflows.
      const k = this.#core.design.k;
      const q = idx.length;
      const r = new Float64Array(q * k);
      idx.forEach((a, i) => (r[i * k + a] = 1));
      const wald = waldStatistic(r, new Float64Array(q), this.#core.fit.coef, this.#covScaled());
      if (wald === null) return { f: NaN, p: NaN };
      const f = wald / q;
      return { f, p: fSf(f, q, this.dfResid) };
    });
  }

  /** Singular values of X, largest first (as statsmodels: of X itself, not scaled). */
  get singularValues(): Float64Array {
    const { values, exp } = this.#singular();
    return values.map((v) => ldexp(v, exp));
  }

  /** Eigenvalues of XᵀX, largest first (squares of the singular values of X). */
  get eigenvalues(): Float64Array {
    const { values, exp } = this.#singular();
    return values.map((v) => ldexp(v * v, 2 * exp));
  }

  /**
   * Condition number of X as statsmodels computes and prints it: `√(λ_max / λ_min)` of XᵀX,
   * for X as given. It depends on the units of the columns (multiplying one column by 1e6 can
   * multiply it by 1e6); {@linkcode scaledConditionNumber} does not.
   */
  get conditionNumber(): number {
    const { values } = this.#singular();
    return values[0] / values[values.length - 1];
  }

  /**
   * Condition number of X with every column scaled to unit length: the ratio of the extreme
   * singular values of `X D⁻¹`, D holding the column norms. It does not depend on the units of
   * any column, and it is what decides whether X is too close to singular to estimate (above
   * about `1 / (max(n, k) · 2.2e-16)`) and how many digits collinearity can cost (roughly its
   * log10, which the fit wins back in double-double arithmetic when needed; see
   * {@linkcode extendedPrecision}).
   *
   * @example
   * ```ts
   * import { ols } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const x = [1, 2, 3, 4, 5, 6, 7, 8];
   * const y = [1.1, 1.9, 3.2, 3.9, 5.1, 6.2, 6.8, 8.1];
   * const metres = ols(y, { x }, { addConstant: true });
   * const nanometres = ols(y, { x: x.map((v) => v * 1e9) }, { addConstant: true });
   * // statsmodels' condition number grows with the units; the scaled one does not.
   * assert.ok(nanometres.conditionNumber > 1e8 * metres.conditionNumber);
   * assert.ok(Math.abs(nanometres.scaledConditionNumber / metres.scaledConditionNumber - 1) < 1e-9);
   * ```
   */
  get scaledConditionNumber(): number {
    return this.#core.fit.scaledCondition;
  }

  /**
   * Whether the estimates were computed in double-double arithmetic (about 32 significant
   * digits): done when the first-order error bound of the double-precision solution exceeds
   * 1e-11 relative for some coefficient or standard error (ill-conditioned X, a coefficient
   * tiny next to its standard error, a near-perfect fit), so that every estimate keeps at least
   * 9 significant digits. Ordinary data never need it, and their results are unchanged.
   */
  get extendedPrecision(): boolean {
    return this.#core.fit.extended;
  }

  /**
   * Singular values of X brought into range by one power of two (exactly): `values · 2^exp` are
   * the singular values of X, computed from the R factor of the QR decomposition.
   */
  #singular(): { values: Float64Array; exp: number } {
    return this.#core.cache.get("singular", () => {
      const { qr, colExp, k } = this.#core.fit;
      // X = Xs · 2^-colExp, so R = Rs · 2^-colExp column by column; scale every column so the
      // largest factor is 1, then the singular values by that factor.
      let exp = -Infinity;
      for (let j = 0; j < k; j++) exp = Math.max(exp, -colExp[j]);
      const r = new Float64Array(k * k);
      for (let j = 0; j < k; j++) {
        const shift = -colExp[j] - exp;
        for (let i = 0; i <= j; i++) r[j * k + i] = ldexp(qr.r[j * k + i], shift);
      }
      const values = singularValues(r, k);
      // Values below ~1e-8 of the largest lose digits in the bidiagonal QR (its error is
      // relative to the largest); columns in very different units are the usual cause, and
      // one-sided Jacobi gets those relative to themselves. Its sweeps cost O(k³) each, so for
      // wide designs the figure statsmodels prints (itself no better: it comes from XᵀX) stays
      // as the bidiagonal QR gives it; no decision depends on it.
      if (!(values[k - 1] > values[0] * 1e-8) && k <= JACOBI_MAX_COLUMNS) {
        return { values: jacobiSingularValues(r, k), exp };
      }
      return { values, exp };
    });
  }

  /** Durbin-Watson statistic of the residuals. */
  get durbinWatson(): number {
    return this.#core.cache.get("dw", () => durbinWatson(this.#core.fit.resid));
  }

  /** Jarque-Bera test of normal residuals, with skew and kurtosis. */
  jarqueBera(): JarqueBera {
    return this.#core.cache.get("jb", () => jarqueBera(this.#core.fit.resid));
  }

  /** D'Agostino-Pearson omnibus test of normal residuals. */
  omnibus(): Omnibus {
    return this.#core.cache.get("omnibus", () => omnibusTest(this.#core.fit.resid));
  }

  /** Skewness of the residuals. */
  get skew(): number {
    return this.jarqueBera().skew;
  }

  /** Kurtosis of the residuals (3 for normal errors). */
  get kurtosis(): number {
    return this.jarqueBera().kurtosis;
  }

  /** White's test for heteroscedasticity (needs a constant). */
  hetWhite(): HeteroscedasticityTest {
    return this.#core.cache.get(
      "white",
      () => hetWhite(this.#core.fit.resid, this.#scaledDesign()),
    );
  }

  /** Breusch-Pagan test (Koenker's robust version unless `robust: false`). */
  hetBreuschPagan(options: { robust?: boolean } = {}): HeteroscedasticityTest {
    const robust = options.robust ?? true;
    return this.#core.cache.get(
      `bp${robust}`,
      () => hetBreuschPagan(this.#core.fit.resid, this.#scaledDesign(), robust),
    );
  }

  /**
   * The design in the fit's power-of-two scaled units: the residual diagnostics are the same
   * there (bit for bit), and their squares and cross products cannot overflow.
   */
  #scaledDesign(): Design {
    const { design, fit } = this.#core;
    return { ...design, x: fit.xs, y: fit.ys };
  }

  /**
   * A copy of these results with another covariance estimate, keeping this fit's choice
   * of t or normal inference (statsmodels' `get_robustcov_results`); the F statistic
   * becomes the robust Wald F.
   *
   * @param covType `"HC0"`–`"HC3"`, `"HAC"` (needs `maxlags`: a number, or `"auto"` for the
   *   Newey-West 1994 selection) or `"nonrobust"`.
   * @param options HAC lags and small-sample correction.
   */
  getRobustcovResults(
    covType: CovType = "HC1",
    options: CovOptions & { useT?: boolean } = {},
  ): OLSResults {
    const { useT, ...cov } = options;
    const spec = covSpec(covType, cov, this.nobs, () => neweyWestOf(this.#core));
    return new OLSResults(this.#core, spec, useT ?? this.useT);
  }

  /**
   * Predictions `X_new b`, labelled: a {@linkcode NamedValues} (a `Float64Array`, so
   * `pred[0]`, `pred.length` and `Array.from(pred)` work as before) whose names are the
   * periods. The labels are the `index` option if given, else the new data's `period` or `date`
   * column (read as labels, not as a regressor), else the row positions "0", "1", ….
   * Without new data, the fitted values, labelled by their row positions in the input (rows
   * dropped for missing values are skipped). Named inputs (records, frames) are matched to the
   * regressors by name, in any order; a constant added by `addConstant` is added again. Arrays
   * of rows must follow the regressor order.
   *
   * @example
   * ```ts
   * import { ols } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const fit = ols([1.1, 2.0, 2.9, 4.2], { mkt: [1, 2, 3, 4] }, { addConstant: true });
   * const pred = fit.predict({ period: ["2024-01", "2024-02"], mkt: [5, 6] });
   * assert.deepEqual(pred.names, ["2024-01", "2024-02"]);
   * assert.ok(Math.abs(pred.get("2024-02") - (fit.params[0] + 6 * fit.params[1])) < 1e-12);
   * assert.ok(pred instanceof Float64Array); // numeric access as before
   * console.log(pred); // 2024-01   5.1000 …, one "period  value" line per row
   * ```
   *
   * @param exog New regressors; omit for the fitted values.
   * @param options `index`: one label per row (e.g. "YYYY-MM" periods).
   * @throws {RegressionInputError} for missing regressors, wrong lengths or non-finite values.
   * @throws {InvalidArgumentError} for an index of the wrong length or with repeated labels.
   */
  predict(exog?: PredictInput, options: { index?: readonly string[] } = {}): NamedValues {
    if (exog === undefined) {
      const { design } = this.#core;
      const dropped = new Set(design.droppedRows);
      const positions: string[] = [];
      for (let i = 0; positions.length < design.nobs; i++) {
        if (!dropped.has(i)) positions.push(String(i));
      }
      return labelled(this.fittedValues, options.index ?? positions, "fitted values");
    }
    const { data, labels } = splitLabels(exog, this.#core.design.names);
    const values = this.#predictValues(data);
    const positions = Array.from({ length: values.length }, (_, i) => String(i));
    return labelled(values, options.index ?? labels ?? positions, "predictions");
  }

  #predictValues(exog: RegressorsInput): Float64Array {
    const names = this.#core.design.names;
    const { names: given, columns } = readRegressors(exog);
    const isRows = Array.isArray(exog) && exog.length > 0 && typeof exog[0] === "object";
    const n = columns[0]?.length ?? 0;
    const ordered = names.map((name, j) => {
      if (isRows) {
        if (columns.length !== names.length) {
          throw new RegressionInputError(
            `predict: rows have ${columns.length} values but the model has ${names.length} ` +
              `regressors (${names.join(", ")}).`,
          );
        }
        return columns[j];
      }
      const at = given.indexOf(name);
      if (at >= 0) return columns[at];
      if (j === this.#core.design.constIndex) return new Float64Array(n).fill(1);
      throw new RegressionInputError(
        `predict: column "${name}" is missing. The model needs ${names.join(", ")}.`,
      );
    });
    const out = new Float64Array(n);
    ordered.forEach((col, j) => {
      if (col.length !== n) {
        throw new RegressionInputError(
          `predict: column "${names[j]}" has ${col.length} values, expected ${n}.`,
        );
      }
      const b = this.params[j];
      for (let i = 0; i < n; i++) out[i] += b * col[i];
    });
    const badRow = out.findIndex((v) => !Number.isFinite(v));
    if (badRow >= 0) {
      throw new RegressionInputError(
        `predict: row ${badRow} has a missing or infinite value; clean the new data first.`,
      );
    }
    return out;
  }

  /**
   * The summary table (statsmodels' text layout; HTML and Markdown too).
   *
   * @param options Dependent-variable name, title, interval level, date printed.
   */
  summary(options: SummaryOptions = {}): Summary {
    checkSummaryOptions(options);
    const alpha = options.alpha ?? 0.05;
    const jb = this.jarqueBera();
    const omni = this.omnibus();
    return regressionSummary({
      title: options.title,
      yname: options.yname ?? this.yname,
      modelName: "OLS",
      method: "Least Squares",
      date: options.date ?? new Date(),
      nobs: this.nobs,
      dfResid: this.dfResid,
      dfModel: this.dfModel,
      covType: this.covType,
      covDescription: this.#spec.description,
      centered: this.kConstant === 1,
      rsquared: this.rsquared,
      rsquaredAdj: this.rsquaredAdj,
      fvalue: this.fvalue,
      fPvalue: this.fPvalue,
      llf: this.llf,
      aic: this.aic,
      bic: this.bic,
      coefficients: this.coefficients(alpha),
      useT: this.useT,
      alpha,
      diagnostics: {
        omnibus: omni.statistic,
        omnibusPvalue: omni.pvalue,
        skew: jb.skew,
        kurtosis: jb.kurtosis,
        durbinWatson: this.durbinWatson,
        jarqueBera: jb.statistic,
        jarqueBeraPvalue: jb.pvalue,
        conditionNumber: this.conditionNumber,
      },
      smallestEigenvalue: this.eigenvalues[this.eigenvalues.length - 1],
      droppedRows: this.#core.design.droppedRows.length,
      notes: this.#numericalNotes(),
    });
  }

  /** Notes on what the statistics of this fit can and cannot say, after statsmodels' own. */
  #numericalNotes(): string[] {
    const { fit, design } = this.#core;
    const notes: string[] = [];
    if (this.kConstant && this.#centeredTssScaled === 0) {
      notes.push(
        `y is constant (every value is ${design.y[0]}): there is no variation to explain, so ` +
          "R², adjusted R² and the F statistic are undefined (nan).",
      );
    }
    if (fit.ssr === 0) {
      notes.push(
        "Every residual is zero (y is fitted exactly): the standard errors are zero and the t " +
          "statistics and p-values undefined (nan).",
      );
    } else if (fit.extended && fit.errorBound > 1e-6) {
      // Only where statsmodels' own figures could be visibly wrong: otherwise the text stays
      // statsmodels' line for line.
      const digits = Math.max(0, Math.floor(-Math.log10(fit.errorBound)));
      const kept = digits === 0 ? "no correct digit" : `as few as ${digits} significant digits`;
      notes.push(
        `The condition number of X with every column scaled to unit length is ` +
          `${printf("%.3g", fit.scaledCondition)} (Cond. No. above is statsmodels' figure, ` +
          `for X as given); solved in double precision, these estimates could keep ${kept}, ` +
          "so they were computed with double-double arithmetic (about 32 digits).",
      );
    } else if (
      this.eigenvalues[this.eigenvalues.length - 1] < 1e-10 || this.conditionNumber > 1000
    ) {
      // statsmodels warns from the condition number of X as given, which the units of a column
      // alone can make large; say what the unit-free figure, the one decisions use, is.
      const scaled = this.scaledConditionNumber;
      notes.push(
        `With every column scaled to unit length the condition number is ` +
          `${printf("%.3g", scaled)} (Cond. No. above is statsmodels' figure, for X as given);\n` +
          (scaled < 1000
            ? "so the large figure comes from the units of the columns, not from collinearity."
            : "the regressors are close to collinear whatever their units."),
      );
    }
    return notes;
  }
}

/**
 * New data for {@linkcode OLSResults.predict}: the regressors as for {@linkcode ols}, and
 * optionally a `period` or `date` column of labels (text, numbers or `Date`s).
 */
export type PredictInput =
  | RegressorsInput
  | Record<string, ArrayLike<number | boolean | null | undefined> | ArrayLike<string | Date>>;

/** Names of the columns read as the labels of predictions (any letter case). */
const LABEL_COLUMNS = ["period", "date"];

/**
 * Takes the `period` or `date` column (when it is not one of the model's regressors) out of
 * new data for `predict`, as labels; returns the rest of the data.
 */
function splitLabels(
  exog: PredictInput,
  regressors: readonly string[],
): { data: RegressorsInput; labels: string[] | null } {
  const frame = exog as {
    columns?: unknown;
    getColumn?: (n: string) => { toArray(): unknown[] };
    column?: (n: string) => { values: unknown };
  };
  const isLabel = (n: string) => LABEL_COLUMNS.includes(n.toLowerCase()) && !regressors.includes(n);
  if (Array.isArray(frame.columns)) {
    const names = frame.columns as string[];
    const key = names.find(isLabel);
    if (key === undefined) return { data: exog as RegressorsInput, labels: null };
    const rest = names.filter((n) => n !== key);
    if (typeof frame.getColumn === "function") {
      const get = frame.getColumn.bind(frame);
      return {
        data: { columns: rest, getColumn: get } as unknown as RegressorsInput,
        labels: get(key).toArray().map(labelOf),
      };
    }
    if (typeof frame.column === "function") {
      const col = frame.column.bind(frame);
      return {
        data: { columns: rest, column: col } as unknown as RegressorsInput,
        labels: Array.from(col(key).values as ArrayLike<unknown>, labelOf),
      };
    }
  }
  if (
    exog !== null && typeof exog === "object" && !Array.isArray(exog) && !ArrayBuffer.isView(exog)
  ) {
    const record = exog as Record<string, unknown>;
    const key = Object.keys(record).find(isLabel);
    if (key === undefined) return { data: exog as RegressorsInput, labels: null };
    const { [key]: column, ...rest } = record;
    return {
      data: rest as RegressorsInput,
      labels: Array.from(column as ArrayLike<unknown>, labelOf),
    };
  }
  return { data: exog as RegressorsInput, labels: null };
}

/** Values named by labels, checked to be one per value and distinct. */
function labelled(values: Float64Array, labels: readonly string[], what: string): NamedValues {
  if (labels.length !== values.length) {
    throw new InvalidArgumentError(
      `predict: ${labels.length} labels for ${values.length} ${what}; give one label per row.`,
    );
  }
  const dup = firstDuplicate(labels);
  if (dup !== undefined) {
    throw new InvalidArgumentError(
      `predict: the label "${dup}" appears twice; labels (periods) must be distinct.`,
    );
  }
  return new NamedValues(labels, values);
}

/** Checks the options of `summary()` before anything is computed. */
function checkSummaryOptions(options: SummaryOptions): void {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(
      `summary options must be an object such as { alpha: 0.1 }, not ${String(options)}.`,
    );
  }
  if (options.alpha !== undefined) checkAlpha(options.alpha);
  for (const key of ["yname", "title"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "string") {
      throw new InvalidArgumentError(
        `summary option ${key} must be a string, not ${String(options[key])}.`,
      );
    }
  }
  const date = options.date;
  if (date !== undefined && !(date instanceof Date && !Number.isNaN(date.getTime()))) {
    throw new InvalidArgumentError(
      `summary option date must be a valid Date (it is printed in the header), not ${
        String(date)
      }.`,
    );
  }
}

/**
 * Adds a `const` column of ones in front of the regressors, like `sm.add_constant`.
 *
 * @param X Regressors as named columns (or any accepted input; frames become records).
 * @param options `hasConstant`: what to do when X already has a constant column:
 *   `"skip"` (default: return the columns unchanged), `"add"` (add anyway) or `"raise"`.
 * @returns A record of named columns with `const` first.
 *
 * @example
 * ```ts
 * import { addConstant } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const X = addConstant({ MKT_RF: [0.01, -0.02, 0.03] });
 * assert.deepEqual(Object.keys(X), ["const", "MKT_RF"]);
 * assert.deepEqual(Array.from(X.const), [1, 1, 1]);
 * ```
 */
export function addConstant(
  X: RegressorsInput,
  options: { hasConstant?: "skip" | "add" | "raise" } = {},
): Record<string, Float64Array> {
  const { names, columns } = readRegressors(X);
  const out: Record<string, Float64Array> = {};
  const hasConstant = options.hasConstant ?? "skip";
  const existing = columns.findIndex((c) => c.length > 0 && c.every((v) => v === c[0] && v !== 0));
  if (existing >= 0 && hasConstant === "raise") {
    throw new RegressionInputError(
      `X already has a constant column ("${names[existing]}"); addConstant would add a second.`,
    );
  }
  if (existing < 0 || hasConstant === "add") {
    if (names.includes("const")) {
      throw new RegressionInputError('X already has a column named "const": rename it first.');
    }
    out.const = new Float64Array(columns[0]?.length ?? 0).fill(1);
  }
  names.forEach((n, j) => (out[n] = columns[j]));
  return out;
}

/** @deprecated Use {@link OLSOptions}; this name goes in 0.2.0. */
export type OlsOptions = OLSOptions;
