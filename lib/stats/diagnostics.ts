/**
 * Residual diagnostics of a regression, with statsmodels' and scipy's definitions:
 * Durbin-Watson, skew and kurtosis (biased, kurtosis not in excess), Jarque-Bera, the
 * D'Agostino-Pearson omnibus test, and the White and Breusch-Pagan tests for
 * heteroscedasticity.
 *
 * @module
 */

import { chi2Sf, fSf } from "./distributions.ts";
import { Displayable, formatP, type Summary, Table } from "../display/mod.ts";
import { RegressionInputError } from "./errors.ts";
import { centeredSumSquares, leastSquares } from "./lstsq.ts";
import { sumSquares } from "./linalg.ts";

/**
 * Durbin-Watson statistic `Σ (e_t − e_{t−1})² / Σ e_t²`: about 2 without first-order
 * autocorrelation, towards 0 with positive and towards 4 with negative autocorrelation.
 *
 * @example
 * ```ts
 * import { durbinWatson } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(durbinWatson([1, -1, 1, -1]), 3);
 * ```
 */
export function durbinWatson(resid: ArrayLike<number>): number {
  let num = 0;
  for (let i = 1; i < resid.length; i++) {
    const d = resid[i] - resid[i - 1];
    num += d * d;
  }
  return num / sumSquares(resid);
}

/** Central moments 2, 3 and 4 (divided by n). */
function centralMoments(x: ArrayLike<number>): [number, number, number] {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return [m2 / n, m3 / n, m4 / n];
}

/**
 * Sample skewness `m₃ / m₂^{3/2}` (biased, as `scipy.stats.skew` and statsmodels).
 *
 * @example
 * ```ts
 * import { skewness } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(skewness([1, 2, 3]), 0);
 * ```
 */
export function skewness(x: ArrayLike<number>): number {
  const [m2, m3] = centralMoments(x);
  return m3 / Math.pow(m2, 1.5);
}

/**
 * Sample kurtosis `m₄ / m₂²` (biased and *not* in excess: 3 for a normal sample, as
 * statsmodels prints it).
 *
 * @example
 * ```ts
 * import { kurtosis } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(kurtosis([-1, 1, -1, 1]), 1);
 * ```
 */
export function kurtosis(x: ArrayLike<number>): number {
  const [m2, , m4] = centralMoments(x);
  return m4 / (m2 * m2);
}

/** Jarque-Bera normality test and the moments it is built from. */
export interface JarqueBera {
  /** JB statistic `n/6 · (S² + (K − 3)²/4)`. */
  statistic: number;
  /** χ²(2) upper-tail probability. */
  pvalue: number;
  /** @deprecated Use `pvalue`; this name goes in 0.2.0. */
  pValue: number;
  /** Skewness S. */
  skew: number;
  /** Kurtosis K (not in excess). */
  kurtosis: number;
}

/**
 * Jarque-Bera test that the residuals are normal (skew 0, kurtosis 3).
 *
 * @example
 * ```ts
 * import { jarqueBera } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const jb = jarqueBera([-1, 1, -1, 1]);
 * assert.equal(jb.kurtosis, 1);
 * assert.ok(Math.abs(jb.statistic - 2 / 3) < 1e-15);
 * ```
 */
export function jarqueBera(resid: ArrayLike<number>): JarqueBera {
  const n = resid.length;
  const skew = skewness(resid);
  const kurt = kurtosis(resid);
  const statistic = (n / 6) * (skew * skew + ((kurt - 3) * (kurt - 3)) / 4);
  const pvalue = chi2Sf(statistic, 2);
  return { statistic, pvalue, pValue: pvalue, skew, kurtosis: kurt };
}

/** The D'Agostino-Pearson omnibus normality test. */
export interface Omnibus {
  /** K² = Z(skew)² + Z(kurtosis)². */
  statistic: number;
  /** χ²(2) upper-tail probability. */
  pvalue: number;
  /** @deprecated Use `pvalue`; this name goes in 0.2.0. */
  pValue: number;
}

/**
 * D'Agostino-Pearson omnibus test of normality (`scipy.stats.normaltest`, statsmodels'
 * "Omnibus"): combines the skewness and kurtosis z-scores. Needs at least 8 values; with
 * fewer, the statistic and p-value are NaN.
 *
 * @example
 * ```ts
 * import { omnibusTest } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { statistic, pvalue } = omnibusTest([0.3, -1.2, 0.8, 0.1, -0.4, 1.9, -0.7, 0.2, -0.1, 0.5]);
 * assert.ok(statistic > 0 && pvalue > 0.05);
 * ```
 */
export function omnibusTest(resid: ArrayLike<number>): Omnibus {
  const n = resid.length;
  if (n < 8) return { statistic: NaN, pvalue: NaN, pValue: NaN };
  const zs = skewZ(skewness(resid), n);
  const zk = kurtosisZ(kurtosis(resid), n);
  const statistic = zs * zs + zk * zk;
  const pvalue = chi2Sf(statistic, 2);
  return { statistic, pvalue, pValue: pvalue };
}

/** D'Agostino's transformation of sample skewness to a standard normal score. */
function skewZ(b2: number, n: number): number {
  let y = b2 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) /
    ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  if (y === 0) y = 1;
  const r = y / alpha;
  return delta * Math.log(r + Math.sqrt(r * r + 1));
}

/** Anscombe and Glynn's transformation of sample kurtosis to a standard normal score. */
function kurtosisZ(b2: number, n: number): number {
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const x = (b2 - e) / Math.sqrt(varb2);
  const sqrtBeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) *
    Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtBeta1) * (2 / sqrtBeta1 + Math.sqrt(1 + 4 / (sqrtBeta1 * sqrtBeta1)));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + x * Math.sqrt(2 / (a - 4));
  if (denom === 0) return NaN;
  const term2 = Math.sign(denom) * Math.cbrt((1 - 2 / a) / Math.abs(denom));
  return (term1 - term2) / Math.sqrt(2 / (9 * a));
}

/** The numbers of a {@linkcode HeteroscedasticityTest}. */
export interface HeteroscedasticityFields {
  /** Which test: "White" or "Breusch-Pagan". */
  test: string;
  /** LM statistic. */
  lm: number;
  /** p-value of the LM statistic. */
  lmPvalue: number;
  /** Degrees of freedom of the LM statistic. */
  lmDf: number;
  /** F statistic of the auxiliary regression. */
  fvalue: number;
  /** p-value of the F statistic. */
  fPvalue: number;
  /** Degrees of freedom of the F statistic (numerator, denominator). */
  fDf: [number, number];
  /** The null hypothesis tested. */
  nullHypothesis: string;
}

/**
 * A Lagrange-multiplier test for heteroscedasticity, in both forms statsmodels
 * returns: the LM statistic with its χ² p-value, and the F statistic of the auxiliary
 * regression with its p-value. Prints as a two-row table and displays itself in Jupyter.
 *
 * @example
 * ```ts
 * import { ols, referenceDataset } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { y, X } = referenceDataset("small");
 * const white = ols(y, X).hetWhite();
 * assert.ok(white.lmPvalue < 0.05); // variance depends on the regressors
 * assert.equal(white.pvalue, white.lmPvalue); // the LM form, as every test's `pvalue`
 * assert.match(white.toString(), /^White test for heteroscedasticity/);
 * ```
 */
export class HeteroscedasticityTest extends Displayable {
  /** Which test: "White" or "Breusch-Pagan". */
  readonly test: string;
  /** LM statistic (n·R² of the auxiliary regression; ESS/2 for non-robust Breusch-Pagan). */
  readonly lm: number;
  /** p-value of the LM statistic (χ² with `lmDf` degrees of freedom). */
  readonly lmPvalue: number;
  /** Degrees of freedom of the LM statistic. */
  readonly lmDf: number;
  /** F statistic of the auxiliary regression. */
  readonly fvalue: number;
  /** p-value of the F statistic. */
  readonly fPvalue: number;
  /** Degrees of freedom of the F statistic (numerator, denominator). */
  readonly fDf: [number, number];
  /** The null hypothesis tested. */
  readonly nullHypothesis: string;

  /** Creates the result from its fields. */
  constructor(fields: HeteroscedasticityFields) {
    super();
    this.test = fields.test;
    this.lm = fields.lm;
    this.lmPvalue = fields.lmPvalue;
    this.lmDf = fields.lmDf;
    this.fvalue = fields.fvalue;
    this.fPvalue = fields.fPvalue;
    this.fDf = fields.fDf;
    this.nullHypothesis = fields.nullHypothesis;
  }

  /** The LM statistic, under the name every single test has (`lm`). */
  get statistic(): number {
    return this.lm;
  }

  /** The p-value of the LM statistic (`lmPvalue`). */
  get pvalue(): number {
    return this.lmPvalue;
  }

  /** The LM form's reference distribution. */
  get distribution(): "chi2" {
    return "chi2";
  }

  /** The LM and F forms as a table, with the null hypothesis as its note. */
  toTable(): Table {
    return new Table(
      [
        { header: "form" },
        { header: "statistic", format: "%.4f" },
        { header: "df" },
        { header: "p-value" },
      ],
      [
        ["LM (χ²)", this.lm, String(this.lmDf), formatP(this.lmPvalue)],
        ["F", this.fvalue, `${this.fDf[0]}, ${this.fDf[1]}`, formatP(this.fPvalue)],
      ],
      { title: `${this.test} test for heteroscedasticity`, note: `H0: ${this.nullHypothesis}.` },
    );
  }

  /** The table as a summary: what the test prints and displays. */
  summary(): Summary {
    return this.toTable().summary();
  }

  /** Plain fields, as statsmodels' tuple (lm, lm p-value, F, F p-value) with names. */
  toJSON(): Record<string, unknown> {
    const { test, lm, lmPvalue, lmDf, fvalue, fPvalue, fDf, nullHypothesis } = this;
    return { test, lm, lmPvalue, lmDf, fvalue, fPvalue, fDf, nullHypothesis };
  }
}

/** Design of the model being tested: column-major `X` (`nobs × k`) with a constant column. */
export interface TestDesign {
  /** Column-major regressors. */
  x: Float64Array;
  /** Rows. */
  nobs: number;
  /** Columns. */
  k: number;
  /** Index of the constant column (-1 if none). */
  constIndex: number;
}

function requireConstant(design: TestDesign, test: string): void {
  if (design.constIndex < 0 || design.k < 2) {
    throw new RegressionInputError(
      `The ${test} test needs a model with a constant and at least one other regressor ` +
        "(its auxiliary regression is judged by a centered R²). Fit with { addConstant: true }.",
    );
  }
}

function auxiliaryTest(
  test: string,
  resid: ArrayLike<number>,
  x: Float64Array,
  n: number,
  k: number,
  lmDfFromColumns: boolean,
  robust: boolean,
): HeteroscedasticityTest {
  const squares = Float64Array.from({ length: n }, (_, i) => resid[i] * resid[i]);
  let mean = 0;
  for (const v of squares) mean += v;
  mean /= n;
  const y = robust ? squares : squares.map((v) => v / mean);
  const fit = leastSquares(y, x, n, k);
  const rank = fit.qr.rank;
  if (n <= rank) {
    throw new RegressionInputError(
      `The ${test} test's auxiliary regression has ${rank} regressors but only ${n} ` +
        "observations; it needs more observations than that.",
    );
  }
  const tss = centeredSumSquares(y);
  const ess = tss - fit.ssr;
  const dfModel = rank - 1;
  const dfResid = n - rank;
  const fvalue = (ess / dfModel) / (fit.ssr / dfResid);
  const lm = robust ? n * (1 - fit.ssr / tss) : ess / 2;
  const lmDf = lmDfFromColumns ? k - 1 : dfModel;
  return new HeteroscedasticityTest({
    test,
    lm,
    lmPvalue: chi2Sf(lm, lmDf),
    lmDf,
    fvalue,
    fPvalue: fSf(fvalue, dfModel, dfResid),
    fDf: [dfModel, dfResid],
    nullHypothesis: "homoscedasticity: the error variance does not depend on the regressors",
  });
}

/**
 * White's test: regresses squared residuals on the regressors, their squares and their
 * cross products (duplicated products are dropped, as their rank is used for the degrees
 * of freedom), as `statsmodels.stats.diagnostic.het_white`.
 */
export function hetWhite(resid: ArrayLike<number>, design: TestDesign): HeteroscedasticityTest {
  requireConstant(design, "White");
  const { x, nobs: n, k } = design;
  const m = (k * (k + 1)) / 2;
  const aux = new Float64Array(n * m);
  let c = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++, c++) {
      for (let i = 0; i < n; i++) aux[c * n + i] = x[a * n + i] * x[b * n + i];
    }
  }
  return auxiliaryTest("White", resid, aux, n, m, false, true);
}

/**
 * Breusch-Pagan test: regresses squared residuals on the regressors. `robust` (default
 * true) is Koenker's studentized version (LM = n·R²); false is the original test
 * (LM = ESS/2 of the scaled squared residuals), as `het_breuschpagan`.
 */
export function hetBreuschPagan(
  resid: ArrayLike<number>,
  design: TestDesign,
  robust = true,
): HeteroscedasticityTest {
  requireConstant(design, "Breusch-Pagan");
  return auxiliaryTest("Breusch-Pagan", resid, design.x, design.nobs, design.k, true, robust);
}
