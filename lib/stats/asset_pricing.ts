/**
 * Asset-pricing tests on a balanced panel of excess returns and factors:
 *
 * - {@linkcode grsTest}: the Gibbons-Ross-Shanken (1989) F test that the alphas of all assets
 *   are jointly zero, with its asymptotic Wald (χ²) version.
 * - {@linkcode famaMacBeth}: the Fama-MacBeth (1973) two-pass regression: betas from time-series
 *   regressions (full sample or a rolling window), a cross-sectional regression of returns on
 *   betas each period, and risk premia with plain, Newey-West and Shanken-corrected standard
 *   errors.
 *
 * Numbers only: the inputs are named columns (records, or polars/danfojs frames by duck typing),
 * the results plain tables ({@linkcode LabeledMatrix}, {@linkcode NamedValues}) and small test
 * objects ({@linkcode TestResult}), as linearmodels' asset-pricing results.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { type Cell, DENO_INSPECT, Displayable, type Summary, Table } from "../display/mod.ts";
import type { RegressorsInput } from "./design.ts";
import { chi2Sf, fSf, studentTTwoSidedP } from "./distributions.ts";
import { RegressionInputError } from "./errors.ts";
import { LabeledMatrix } from "./labeled_matrix.ts";
import { EPS, householderQr, sumSquares } from "./linalg.ts";
import { NamedValues } from "./named.ts";
import { neweyWestLags } from "./newey_west.ts";
import {
  factorShared,
  type ManySolution,
  normalizedVariances,
  readResponses,
  type SharedFactorization,
  sharedResiduals,
  solveShared,
} from "./ols_many.ts";
import { longRunCovariance, normalizedCovariance } from "./covariance.ts";
import { type Constraints, Inference, type WaldTestOptions } from "./inference.ts";
import { TestResult, type TTestResult } from "./test_result.ts";

interface Panel {
  names: string[];
  columns: Float64Array[];
}

/** Reads named columns, checks they are complete. */
function readPanel(input: RegressorsInput, what: "returns" | "factors", prefix: string): Panel {
  const read = readResponses(input, what, prefix, prefix);
  read.columns.forEach((col, j) => {
    const bad = col.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new RegressionInputError(
        `${what} column "${read.names[j]}" has a missing or infinite value (row ${bad}). These ` +
          "tests need a balanced panel: keep the periods where every asset and factor has a " +
          "value (analyzeMany(...).grs() and .famaMacBeth() do this for you).",
      );
    }
  });
  return read;
}

function checkLengths(returns: Panel, factors: Panel): number {
  const t = returns.columns[0].length;
  for (const p of [returns, factors]) {
    p.columns.forEach((c, j) => {
      if (c.length !== t) {
        throw new RegressionInputError(
          `Length mismatch: column "${p.names[j]}" has ${c.length} values but "${
            returns.names[0]
          }" has ${t}. Align returns and factors on the same periods first.`,
        );
      }
    });
  }
  return t;
}

/** Column-major stack of the panel's columns, rows `from..to`. */
function stack(panel: Panel, from: number, to: number): Float64Array {
  const rows = to - from;
  const y = new Float64Array(rows * panel.columns.length);
  panel.columns.forEach((c, j) => y.set(c.subarray(from, to), j * rows));
  return y;
}

/**
 * `vᵀ (MᵀM / rows)⁻¹ v` for a column-major `rows × q` matrix M, through the QR of M (never the
 * inverse of MᵀM): with M = QR it is `rows · ‖R⁻ᵀ v‖²`. Null when M is rank deficient.
 */
function quadraticForm(
  m: Float64Array,
  rows: number,
  q: number,
  v: ArrayLike<number>,
): number | null {
  const qr = householderQr(m, rows, q);
  if (qr.dependent.length > 0) return null;
  const r = qr.r;
  const z = new Float64Array(q);
  let s = 0;
  for (let i = 0; i < q; i++) {
    let acc = v[i];
    for (let j = 0; j < i; j++) acc -= r[i * q + j] * z[j];
    z[i] = acc / r[i * q + i];
    s += z[i] * z[i];
  }
  return rows * s;
}

function centered(panel: Panel, from: number, to: number): Float64Array {
  const rows = to - from;
  const out = stack(panel, from, to);
  for (let j = 0; j < panel.columns.length; j++) {
    const col = out.subarray(j * rows, (j + 1) * rows);
    const m = mean(col);
    for (let i = 0; i < rows; i++) col[i] -= m;
  }
  return out;
}

/** The slopes (every coefficient but the intercept) of `n` fits on `l` factors, fit after fit. */
function slopes(coef: Float64Array, n: number, l: number): Float64Array {
  const out = new Float64Array(n * l);
  for (let j = 0; j < n; j++) out.set(coef.subarray(j * (l + 1) + 1, (j + 1) * (l + 1)), j * l);
  return out;
}

function fmt4(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/** What {@linkcode GRSTest} is built from. */
interface GrsParts {
  f: number;
  wald: number;
  nobs: number;
  assets: string[];
  factors: string[];
  coef: Float64Array;
  alphaStd: Float64Array;
  factorSharpe: number;
  tangencySharpe: number;
}

/**
 * The Gibbons-Ross-Shanken test that all alphas are zero: an F statistic with `(N, T − N − L)`
 * degrees of freedom (`statistic`, `pvalue`, `df`, `dfDenom`), its asymptotic χ²(N) Wald version
 * (`wald`), and the tables behind it: alphas with their t tests, betas, and the Sharpe ratios
 * whose gap the statistic measures.
 */
export class GRSTest extends TestResult {
  /** The asymptotic Wald version: `T (1 + θ²)⁻¹ α̂ᵀ Σ̂⁻¹ α̂ ~ χ²(N)`. */
  readonly wald: TestResult;
  /** Number of periods T. */
  readonly nobs: number;
  /** Asset names. */
  readonly assets: string[];
  /** Factor names. */
  readonly factors: string[];
  /** Intercepts of the time-series regressions, by asset. */
  readonly alphas: NamedValues;
  /** Alphas with their standard errors, t statistics and p-values (t(T − L − 1)), by asset. */
  readonly alphaStats: LabeledMatrix;
  /** Slopes of the time-series regressions: assets × factors. */
  readonly betas: LabeledMatrix;
  /**
   * Highest Sharpe ratio (per period) of a portfolio of the factors, `√(μ̂ᵀ Ω̂⁻¹ μ̂)`.
   */
  readonly factorSharpe: number;
  /**
   * Highest Sharpe ratio of a portfolio of the factors and the assets,
   * `√(θ² + α̂ᵀ Σ̂⁻¹ α̂)`; the test asks whether it exceeds {@linkcode factorSharpe} by chance.
   */
  readonly tangencySharpe: number;

  /** @internal Use {@linkcode grsTest}. */
  constructor(parts: GrsParts) {
    const n = parts.assets.length;
    const l = parts.factors.length;
    const t = parts.nobs;
    const nullHypothesis = `all ${n} alpha${n === 1 ? " is" : "s are"} zero`;
    super({
      name: "GRS",
      statistic: parts.f,
      pvalue: fSf(parts.f, n, t - n - l),
      df: n,
      dfDenom: t - n - l,
      distribution: "F",
      nullHypothesis,
      alternative: "at least one alpha is not zero",
    });
    this.wald = new TestResult({
      name: "GRS Wald",
      statistic: parts.wald,
      pvalue: chi2Sf(parts.wald, n),
      df: n,
      distribution: "chi2",
      nullHypothesis,
      alternative: "at least one alpha is not zero",
    });
    this.nobs = t;
    this.assets = parts.assets;
    this.factors = parts.factors;
    const k = l + 1;
    const alphas = parts.assets.map((_, j) => parts.coef[j * k]);
    this.alphas = new NamedValues(parts.assets, alphas);
    const stats: number[] = [];
    alphas.forEach((a, j) => {
      const se = parts.alphaStd[j];
      stats.push(a, se, a / se, studentTTwoSidedP(a / se, t - k));
    });
    this.alphaStats = new LabeledMatrix(parts.assets, ["alpha", "stdErr", "t", "pValue"], stats);
    this.betas = new LabeledMatrix(parts.assets, parts.factors, slopes(parts.coef, n, l));
    this.factorSharpe = parts.factorSharpe;
    this.tangencySharpe = parts.tangencySharpe;
  }

  /**
   * The test (F and Wald) as a table, with the sample and Sharpe ratios in its note, then the
   * alphas ({@linkcode alphaTable}): what the test displays in Jupyter and `console.log` prints.
   */
  override summary(): Summary {
    const n = this.assets.length;
    const l = this.factors.length;
    const row = (t: TestResult): Cell[] => [t.name, t.statistic, t.distributionLabel, t.pvalue];
    return new Table(
      [
        { header: "test" },
        { header: "statistic", format: "%.4f" },
        { header: "distribution" },
        { header: "p-value", format: "%.4g" },
      ],
      [row(this), row(this.wald)],
      {
        title: `GRS test: ${this.nullHypothesis} (${n} assets, ${l} factor${l === 1 ? "" : "s"}: ${
          this.factors.join(", ")
        }; ${this.nobs} periods)`,
        note: `Sharpe ratio per period: factors ${fmt4(this.factorSharpe)}, factors and assets ` +
          `${fmt4(this.tangencySharpe)}. F is exact under normal errors; the Wald χ² is ` +
          "asymptotic.",
      },
    ).summary().add(this.alphaTable());
  }

  /** The alphas with their t tests, one row per asset. */
  alphaTable(): Table {
    return new Table(
      [
        { header: "asset" },
        { header: "alpha", format: "%.5f" },
        { header: "std err", format: "%.5f" },
        { header: "t", format: "%.3f" },
        { header: "P>|t|", format: "%.4f" },
      ],
      this.assets.map((a, i) => [a, ...this.alphaStats.row(i)]),
      { title: "Alphas (time-series intercepts, per period)" },
    );
  }

  /** `console.log` prints the summary (`toString()` stays the one-line test result). */
  override [DENO_INSPECT](): string {
    return this.summary().toString();
  }
}

/**
 * Gibbons-Ross-Shanken test that the alphas of all N assets are jointly zero, from the
 * time-series regressions of each asset's excess return on a constant and L factors over T
 * periods (Campbell, Lo & MacKinlay 1997, eq. 5.3.23):
 *
 * `F = (T − N − L)/N · α̂ᵀ Σ̂⁻¹ α̂ / (1 + μ̂ᵀ Ω̂⁻¹ μ̂) ~ F(N, T − N − L)`,
 *
 * with Σ̂ the residual covariance and Ω̂ the factor covariance (both divided by T) and μ̂ the factor
 * means; exact when the errors are normal. Also the asymptotic Wald version
 * `T α̂ᵀ Σ̂⁻¹ α̂ / (1 + μ̂ᵀ Ω̂⁻¹ μ̂) ~ χ²(N)` (`result.wald`). The quadratic forms go through QR
 * factorizations of the residuals and the centred factors, never an explicit inverse.
 *
 * @param returns Excess returns of the assets: named columns (a record or a DataFrame), one per
 *   asset, all complete and of equal length.
 * @param factors Factor returns (traded factors, excess returns), named columns, same periods.
 * @returns The test, with `wald`, `alphas`, `alphaStats`, `betas` and the Sharpe ratios.
 * @throws {RegressionInputError} for missing values, mismatched lengths, too few periods
 *   (T must exceed N + L) or residuals that are linearly dependent.
 *
 * @example Alphas that are zero by construction give F = 0 and p = 1
 * ```ts
 * import { grsTest } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const T = 60;
 * const mkt = Array.from({ length: T }, (_, t) => 0.01 * Math.sin(t) + 0.004);
 * const noise = (s: number) => Array.from({ length: T }, (_, t) => 0.01 * Math.sin(s * t * t));
 * // Residuals with zero mean and no correlation with the factor, so every alpha is 0.
 * const clean = (e: number[]) => {
 *   const me = e.reduce((a, b) => a + b) / T, mm = mkt.reduce((a, b) => a + b) / T;
 *   const c = e.reduce((s, v, t) => s + (v - me) * (mkt[t] - mm), 0) /
 *     mkt.reduce((s, v) => s + (v - mm) ** 2, 0);
 *   return e.map((v, t) => v - me - c * (mkt[t] - mm));
 * };
 * const returns = {
 *   A: clean(noise(1.3)).map((e, t) => 1.2 * mkt[t] + e),
 *   B: clean(noise(2.9)).map((e, t) => 0.7 * mkt[t] + e),
 * };
 * const grs = grsTest(returns, { MKT_RF: mkt });
 * assert.equal(grs.df, 2);
 * assert.equal(grs.dfDenom, T - 2 - 1);
 * assert.ok(grs.statistic < 1e-20 && grs.pvalue > 0.999999);
 * assert.ok(Math.abs(grs.betas.get("A", "MKT_RF") - 1.2) < 1e-12);
 * ```
 */
export function grsTest(returns: RegressorsInput, factors: RegressorsInput): GRSTest {
  const r = readPanel(returns, "returns", "asset");
  const f = readPanel(factors, "factors", "factor");
  const t = checkLengths(r, f);
  const n = r.names.length;
  const l = f.names.length;
  if (t - n - l < 1) {
    throw new RegressionInputError(
      `The GRS test needs more periods than assets plus factors: T = ${t}, N = ${n}, L = ${l}, ` +
        `so T − N − L = ${t - n - l}. Use a longer sample or fewer assets (e.g. portfolios).`,
    );
  }
  const shared = factorTimeSeries(f, 0, t);
  const sol = solveShared(shared, stack(r, 0, t), n);
  // An asset the factors span exactly has residuals at rounding level: Σ̂ would be singular.
  const spanned = r.names.filter((_, j) =>
    sol.ssr[j] <= (Math.max(t, n) * 16 * EPS) ** 2 * sumSquares(r.columns[j])
  );
  if (spanned.length > 0) {
    throw new RegressionInputError(
      `${spanned.map((a) => `"${a}"`).join(", ")} ${
        spanned.length === 1 ? "is" : "are"
      } an exact combination of the factors (zero residuals), so the residual covariance cannot ` +
        "be inverted. Drop such assets (a factor itself among the test assets, for example).",
    );
  }
  const resid = residualMatrix(shared, sol, n);
  const alphas = Float64Array.from(r.names, (_, j) => sol.coef[j * (l + 1)]);
  const aSa = quadraticForm(resid, t, n, alphas);
  if (aSa === null) {
    throw new RegressionInputError(
      "The residuals of the assets are linearly dependent, so their covariance cannot be " +
        "inverted: an asset is a combination of the factors or of other assets (a factor " +
        "among the assets, or an average of them). Drop it.",
    );
  }
  const theta2 = quadraticForm(centered(f, 0, t), t, l, Float64Array.from(f.columns, mean))!;
  const d0 = normalizedVariances(shared)[0];
  return new GRSTest({
    f: ((t - n - l) / n) * aSa / (1 + theta2),
    wald: (t * aSa) / (1 + theta2),
    nobs: t,
    assets: r.names,
    factors: f.names,
    coef: sol.coef,
    alphaStd: sol.ssr.map((s) => Math.sqrt((d0 * s) / (t - l - 1))),
    factorSharpe: Math.sqrt(theta2),
    tangencySharpe: Math.sqrt(theta2 + aSa),
  });
}

/** The factorization of `[1, F]` over periods `from..to` (the time-series regressions' X). */
function factorTimeSeries(factors: Panel, from: number, to: number): SharedFactorization {
  const rows = to - from;
  const x = new Float64Array(rows * (factors.columns.length + 1));
  x.fill(1, 0, rows);
  factors.columns.forEach((c, j) => x.set(c.subarray(from, to), (j + 1) * rows));
  const shared = factorShared(x, rows, factors.columns.length + 1);
  if (shared === null) {
    throw new RegressionInputError(
      `The factors (${factors.names.join(", ")}) are collinear, or constant, over these ${rows} ` +
        "periods: the time-series regressions are not identified. Drop a factor.",
    );
  }
  return shared;
}

function residualMatrix(shared: SharedFactorization, sol: ManySolution, m: number): Float64Array {
  const out = new Float64Array(shared.n * m);
  for (let j = 0; j < m; j++) out.set(sharedResiduals(shared, sol, j), j * shared.n);
  return out;
}

/** Standard errors of Fama-MacBeth risk premia. */
export type FamaMacBethSE = "famaMacBeth" | "neweyWest" | "shanken";

const SE_LABEL: Record<FamaMacBethSE, string> = {
  famaMacBeth: "Fama-MacBeth",
  neweyWest: "Newey-West",
  shanken: "Shanken",
};

/** Options of {@linkcode famaMacBeth}. */
export interface FamaMacBethOptions {
  /**
   * Rolling first pass: the betas used for period t come from the `window` periods before t
   * (t − window … t − 1), so the first `window` periods have no cross-section. Default: one
   * full-sample first pass for every period.
   */
  window?: number;
  /** Include a constant (the zero-beta excess return) in the cross-sections (default true). */
  intercept?: boolean;
  /**
   * Lags of the Newey-West standard errors: a number, or `"auto"` for the Newey-West (1994)
   * plug-in selection on the series of estimates. Default: `floor(4 (T/100)^(2/9))` for T
   * cross-sections.
   */
  maxlags?: number | "auto";
  /** Labels of the periods (e.g. "2010-01"), one per row of the inputs. Default "0", "1", …. */
  periods?: readonly string[];
}

interface FamaMacBethParts {
  terms: string[];
  assets: string[];
  factors: string[];
  lambdas: LabeledMatrix;
  rsquared: NamedValues;
  pricingErrors: NamedValues;
  betas: LabeledMatrix;
  covs: Record<FamaMacBethSE, Float64Array | null>;
  shankenC: number | null;
  window: number | undefined;
  intercept: boolean;
  maxlags: number;
  lagRule: LagRule;
}

/** How the Newey-West lags were chosen. */
type LagRule = "given" | "rule" | "auto";

const LAG_RULE: Record<LagRule, string> = {
  given: "as given",
  rule: "by the rule floor(4·(T/100)^(2/9))",
  auto: "Newey-West 1994 automatic selection",
};

/**
 * Results of {@linkcode famaMacBeth}: risk premia with three kinds of standard errors, the
 * per-period estimates, cross-sectional R², pricing errors and first-pass betas.
 */
export class FamaMacBethResults extends Displayable {
  /** Names of the risk premia: "const" (with an intercept), then the factors. */
  readonly terms: string[];
  /** Asset names. */
  readonly assets: string[];
  /** Factor names. */
  readonly factors: string[];
  /** Risk premia: the averages of the per-period cross-sectional estimates. */
  readonly riskPremia: NamedValues;
  /** Per-period cross-sectional estimates: periods × terms. */
  readonly lambdas: LabeledMatrix;
  /** R² of each cross-sectional regression (centred with an intercept, else uncentred). */
  readonly rsquaredByPeriod: NamedValues;
  /** Average of {@linkcode rsquaredByPeriod}. */
  readonly avgRsquared: number;
  /** Pricing errors: each asset's average cross-sectional residual. */
  readonly alphas: NamedValues;
  /** Full-sample first-pass betas: assets × factors (also with a rolling window). */
  readonly betas: LabeledMatrix;
  /** The rolling window of the first pass, or undefined for full-sample betas. */
  readonly window: number | undefined;
  /** Whether the cross-sections have an intercept. */
  readonly intercept: boolean;
  /** Newey-West lags. */
  readonly maxlags: number;
  /** Shanken's `c = λᵀ Σ_f⁻¹ λ` (null with a rolling window). */
  readonly shankenC: number | null;
  readonly #covs: Record<FamaMacBethSE, Float64Array | null>;
  readonly #lagRule: LagRule;
  readonly #kinds: Partial<Record<FamaMacBethSE, Inference>> = {};

  /** @internal Use {@linkcode famaMacBeth}. */
  constructor(parts: FamaMacBethParts) {
    super();
    this.terms = parts.terms;
    this.assets = parts.assets;
    this.factors = parts.factors;
    this.lambdas = parts.lambdas;
    this.riskPremia = new NamedValues(
      parts.terms,
      parts.terms.map((_, j) => mean(parts.lambdas.column(j))),
    );
    this.rsquaredByPeriod = parts.rsquared;
    this.avgRsquared = mean(parts.rsquared);
    this.alphas = parts.pricingErrors;
    this.betas = parts.betas;
    this.window = parts.window;
    this.intercept = parts.intercept;
    this.maxlags = parts.maxlags;
    this.shankenC = parts.shankenC;
    this.#covs = parts.covs;
    this.#lagRule = parts.lagRule;
  }

  /** Number of cross-sections (periods with an estimate). */
  get nobs(): number {
    return this.lambdas.rows;
  }

  /**
   * Covariance of the risk premia: `"famaMacBeth"` (sample covariance of the per-period
   * estimates over T), `"neweyWest"` (Bartlett kernel, `maxlags` lags) or `"shanken"`
   * (errors-in-variables correction; full-sample betas only).
   */
  cov(kind: FamaMacBethSE = "famaMacBeth"): LabeledMatrix {
    return LabeledMatrix.square(this.terms, this.#cov(kind));
  }

  /** Standard errors of the risk premia of one kind (see {@linkcode cov}). */
  bse(kind: FamaMacBethSE = "famaMacBeth"): NamedValues {
    return new NamedValues(this.terms, this.#inference(kind).bse);
  }

  /** t statistics of the risk premia. */
  tvalues(kind: FamaMacBethSE = "famaMacBeth"): NamedValues {
    return new NamedValues(this.terms, this.#inference(kind).tvalues);
  }

  /** Two-sided p-values of the t statistics, from the normal distribution (large T). */
  pvalues(kind: FamaMacBethSE = "famaMacBeth"): NamedValues {
    return new NamedValues(this.terms, this.#inference(kind).pvalues);
  }

  /**
   * Wald test of linear restrictions on the risk premia with the covariance of one kind: χ²(J),
   * or F(J, T − 1) with `useF`; see `OLSResults.waldTest` for the forms of `constraints`.
   *
   * @example Are the SMB and HML premia jointly zero (Newey-West covariance)?
   * ```ts
   * import { famaMacBeth } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const wave = (a: number) => Array.from({ length: 60 }, (_, t) => 0.01 * Math.sin(a * t + a));
   * const factors = { MKT_RF: wave(1), SMB: wave(2), HML: wave(3) };
   * const returns = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [
   *   `P${i}`,
   *   wave(1).map((m, t) => (0.5 + i / 10) * m + (i / 20) * factors.SMB[t] + wave(4 + i)[t]),
   * ]));
   * const fm = famaMacBeth(returns, factors);
   * const test = fm.waldTest("SMB = 0, HML = 0", { kind: "neweyWest" });
   * assert.equal(test.distributionLabel, "chi2(2)");
   * ```
   */
  waldTest(
    constraints: Constraints,
    options: WaldTestOptions & { kind?: FamaMacBethSE } = {},
  ): TestResult {
    return this.#inference(options.kind ?? "famaMacBeth").waldTest(0, constraints, options);
  }

  /** The F form of {@linkcode waldTest}. */
  fTest(constraints: Constraints, options: { kind?: FamaMacBethSE } = {}): TestResult {
    return this.waldTest(constraints, { ...options, useF: true });
  }

  /** One z test per restriction on the risk premia, with the covariance of one kind. */
  tTest(constraints: Constraints, options: { kind?: FamaMacBethSE } = {}): TTestResult {
    return this.#inference(options.kind ?? "famaMacBeth").tTest(0, constraints);
  }

  #inference(kind: FamaMacBethSE): Inference {
    const cov = this.#cov(kind);
    const p = this.terms.length;
    return this.#kinds[kind] ??= new Inference({
      names: this.terms,
      params: () => this.riskPremia,
      bse: () => Float64Array.from({ length: p }, (_, i) => Math.sqrt(cov[i * p + i])),
      cov: () => cov,
      df: () => this.nobs - 1,
      useT: false,
    });
  }

  /** Whether Shanken-corrected standard errors exist (full-sample betas). */
  get hasShanken(): boolean {
    return this.#covs.shanken !== null;
  }

  /**
   * The risk premia with their standard errors and t statistics of every kind (default), or with
   * one kind's standard error, z, p-value and 95% interval.
   */
  riskPremiaTable(kind?: FamaMacBethSE): Table {
    const title =
      `Fama-MacBeth risk premia (${this.nobs} cross-sections of ${this.assets.length} ` +
      `assets; average R² ${this.avgRsquared.toFixed(4)})`;
    if (kind !== undefined) {
      return new Table(
        [
          { header: "" },
          { header: "coef", format: "%.4f" },
          { header: "std err", format: "%.4f" },
          { header: "z", format: "%.3f" },
          { header: "P>|z|", format: "%.3f" },
          { header: "[0.025", format: "%.4f" },
          { header: "0.975]", format: "%.4f" },
        ],
        this.#inference(kind).coefficients(0).map((
          { name, coef, stdErr, t, pvalue, lower, upper },
        ) => [name, coef, stdErr, t, pvalue, lower, upper]),
        { title, note: this.notes().join("\n") },
      );
    }
    const kinds = (["famaMacBeth", "neweyWest", "shanken"] as FamaMacBethSE[]).filter((k) =>
      this.#covs[k] !== null
    );
    return new Table(
      [
        { header: "" },
        { header: "risk premium", format: "%.5f" },
        ...kinds.flatMap((k) => [
          { header: `se ${SE_LABEL[k]}`, format: "%.5f" },
          { header: `t ${SE_LABEL[k]}`, format: "%.2f" },
        ]),
      ],
      this.terms.map((name, i) => [
        name,
        this.riskPremia[i],
        ...kinds.flatMap((k) => [this.bse(k)[i], this.tvalues(k)[i]]),
      ]),
      { title, note: this.notes().join("\n") },
    );
  }

  /** Sentences saying how the estimates and standard errors were computed. */
  notes(): string[] {
    return [
      this.window === undefined
        ? "Betas: one full-sample time-series regression per asset."
        : `Betas: rolling time-series regressions on the ${this.window} periods before each ` +
          "cross-section.",
      `Cross-sections ${this.intercept ? "with" : "without"} an intercept; risk premia are the ` +
      "averages of the per-period estimates.",
      `Newey-West standard errors use ${this.maxlags} lag${this.maxlags === 1 ? "" : "s"} (${
        LAG_RULE[this.#lagRule]
      }), Bartlett weights.`,
      this.hasShanken
        ? `Shanken (1992) correction factor 1 + c = ${(1 + this.shankenC!).toFixed(4)}.`
        : "No Shanken correction: it is defined for full-sample betas only.",
      "p-values from the normal distribution.",
    ];
  }

  /**
   * The risk-premia table ({@linkcode riskPremiaTable}) as a summary: what the results print and
   * display; its table is `summary(kind).tables[0]`.
   */
  summary(kind?: FamaMacBethSE): Summary {
    return this.riskPremiaTable(kind).summary();
  }

  #cov(kind: FamaMacBethSE): Float64Array {
    if (!(kind in this.#covs)) {
      throw new InvalidArgumentError(
        `Unknown standard error "${kind}": use "famaMacBeth", "neweyWest" or "shanken".`,
      );
    }
    const c = this.#covs[kind];
    if (c === null) {
      throw new InvalidArgumentError(
        "Shanken-corrected standard errors need full-sample betas; this estimate used a rolling " +
          `window of ${this.window} periods. Use "famaMacBeth" or "neweyWest".`,
      );
    }
    return c;
  }
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/**
 * Fama-MacBeth two-pass regression. First pass: each asset's excess return on a constant and
 * the factors, over the full sample (default) or a rolling window before each period, gives its
 * betas. Second pass: each period, the assets' excess returns on a constant (optional) and their
 * betas give that period's risk premia λ_t; the estimates are their averages. Standard errors:
 *
 * - Fama-MacBeth: `√(Σ (λ_t − λ̄)² / (T − 1) / T)`;
 * - Newey-West: the long-run variance of λ_t with Bartlett weights and `maxlags` lags
 *   (autocovariances over T), divided by T;
 * - Shanken (1992) errors-in-variables correction, as Cochrane (2005, eq. 12.19):
 *   `[(1 + c) (XᵀX)⁻¹ Xᵀ Σ̂ X (XᵀX)⁻¹ + Σ_f] / T` with X the constant and betas, Σ̂ the first-pass
 *   residual covariance, Σ_f the factor covariance (bordered by zeros for the constant, both over
 *   T) and `c = λᵀ Σ_f⁻¹ λ` over the factor premia.
 *
 * With full-sample betas every cross-section shares one design, solved with one factorization.
 *
 * @param returns Excess returns of the assets: named columns, complete, equal lengths.
 * @param factors Factor returns over the same periods.
 * @param options Rolling window, intercept, Newey-West lags, period labels.
 * @returns Risk premia, standard errors, per-period estimates, R², pricing errors and betas.
 * @throws {RegressionInputError} for missing values, mismatched lengths, fewer assets than
 *   cross-sectional regressors, a bad window or lag count, or collinear betas.
 *
 * @example A market premium recovered exactly when returns are exactly beta times the factor
 * ```ts
 * import { famaMacBeth } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const mkt = Array.from({ length: 48 }, (_, t) => 0.005 + 0.04 * Math.sin(1.7 * t));
 * const betas = [0.6, 0.9, 1.1, 1.4];
 * const returns = Object.fromEntries(betas.map((b, i) => [`P${i + 1}`, mkt.map((m) => b * m)]));
 * const fm = famaMacBeth(returns, { MKT_RF: mkt });
 * const meanMkt = mkt.reduce((a, b) => a + b) / mkt.length;
 * assert.ok(Math.abs(fm.riskPremia.get("MKT_RF") - meanMkt) < 1e-12);
 * assert.ok(Math.abs(fm.riskPremia.get("const")) < 1e-12);
 * assert.ok(fm.avgRsquared > 1 - 1e-12);
 * ```
 */
export function famaMacBeth(
  returns: RegressorsInput,
  factors: RegressorsInput,
  options: FamaMacBethOptions = {},
): FamaMacBethResults {
  const r = readPanel(returns, "returns", "asset");
  const f = readPanel(factors, "factors", "factor");
  const t = checkLengths(r, f);
  const n = r.names.length;
  const l = f.names.length;
  const intercept = options.intercept ?? true;
  if (typeof intercept !== "boolean") {
    throw new RegressionInputError(`intercept must be true or false, not ${String(intercept)}.`);
  }
  const p = l + (intercept ? 1 : 0);
  if (n <= p) {
    throw new RegressionInputError(
      `Each cross-section regresses ${n} asset returns on ${p} columns (${
        intercept ? "a constant and " : ""
      }${l} beta${l === 1 ? "" : "s"}): it needs more assets than that. Add assets or drop ` +
        "factors.",
    );
  }
  const window = options.window;
  if (window !== undefined) {
    if (!Number.isInteger(window) || window < l + 2 || window >= t) {
      throw new RegressionInputError(
        `window must be a whole number of periods from ${l + 2} (factors + 2) to ${t - 1} ` +
          `(the sample has ${t}), not ${window}.`,
      );
    }
  }
  const periods = options.periods ?? Array.from({ length: t }, (_, i) => String(i));
  if (periods.length !== t) {
    throw new RegressionInputError(
      `periods has ${periods.length} labels for ${t} rows of returns: give one label per row.`,
    );
  }
  const tc = window === undefined ? t : t - window;
  const lagRule: LagRule = options.maxlags === undefined
    ? "rule"
    : options.maxlags === "auto"
    ? "auto"
    : "given";
  if (lagRule === "given") {
    const m = options.maxlags as number;
    if (!Number.isInteger(m) || m < 0 || m >= tc) {
      throw new RegressionInputError(
        `maxlags must be a whole number from 0 to ${tc - 1} (there are ${tc} cross-sections) ` +
          `or "auto", not ${typeof m === "string" ? JSON.stringify(m) : m}.`,
      );
    }
  }

  // First pass over the full sample: betas (reported in every case) and residuals (Shanken).
  const full = factorTimeSeries(f, 0, t);
  const fullSol = solveShared(full, stack(r, 0, t), n);
  const betaValues = slopes(fullSol.coef, n, l);
  const betas = new LabeledMatrix(r.names, f.names, betaValues);

  const terms = [...(intercept ? ["const"] : []), ...f.names];
  const lambdas = new Float64Array(tc * p);
  const r2 = new Float64Array(tc);
  const errorSums = new Float64Array(n);
  const crossDesign = (b: Float64Array): Float64Array => {
    const x = new Float64Array(n * p);
    if (intercept) x.fill(1, 0, n);
    const off = intercept ? 1 : 0;
    for (let j = 0; j < n; j++) for (let i = 0; i < l; i++) x[(i + off) * n + j] = b[j * l + i];
    return x;
  };
  const collinearBetas = (label: string) =>
    new RegressionInputError(
      `The betas of the ${n} assets are collinear${label}: the cross-sectional regression is ` +
        "not identified. Use assets with more varied exposures, or fewer factors.",
    );
  const record = (
    row: number,
    ys: Float64Array,
    sol: ManySolution,
    shared: SharedFactorization,
    col: number,
  ) => {
    for (let i = 0; i < p; i++) lambdas[row * p + i] = sol.coef[col * p + i];
    const e = sharedResiduals(shared, sol, col);
    const m = mean(ys);
    const tss = intercept ? ys.reduce((s, v) => s + (v - m) ** 2, 0) : sumSquares(ys);
    let ssr = 0;
    for (let j = 0; j < n; j++) {
      ssr += e[j] * e[j];
      errorSums[j] += e[j];
    }
    r2[row] = 1 - ssr / tss;
  };
  // Cross-sections as columns: column s holds the n returns of period s.
  const crossReturns = (from: number, to: number): Float64Array => {
    const y = new Float64Array(n * (to - from));
    for (let s = from; s < to; s++) {
      for (let j = 0; j < n; j++) y[(s - from) * n + j] = r.columns[j][s];
    }
    return y;
  };

  if (window === undefined) {
    const shared = factorShared(crossDesign(betaValues), n, p);
    if (shared === null) throw collinearBetas("");
    const y = crossReturns(0, t);
    const sol = solveShared(shared, y, t);
    for (let s = 0; s < t; s++) record(s, y.subarray(s * n, (s + 1) * n), sol, shared, s);
  } else {
    for (let s = window; s < t; s++) {
      const ts = factorTimeSeries(f, s - window, s);
      const wsol = solveShared(ts, stack(r, s - window, s), n);
      const shared = factorShared(crossDesign(slopes(wsol.coef, n, l)), n, p);
      if (shared === null) throw collinearBetas(` in the window before period ${periods[s]}`);
      const y = crossReturns(s, s + 1);
      record(s - window, y, solveShared(shared, y, 1), shared, 0);
    }
  }

  // Covariances of the mean of λ_t.
  const lamMean = new Float64Array(p);
  for (let s = 0; s < tc; s++) for (let i = 0; i < p; i++) lamMean[i] += lambdas[s * p + i] / tc;
  // The deviations λ_t − λ̄, column-major (one series per term).
  const dev = new Float64Array(tc * p);
  for (let s = 0; s < tc; s++) {
    for (let i = 0; i < p; i++) dev[i * tc + s] = lambdas[s * p + i] - lamMean[i];
  }
  const maxlags = lagRule === "given"
    ? options.maxlags as number
    : lagRule === "auto"
    ? neweyWestLags(Array.from({ length: p }, (_, i) => dev.subarray(i * tc, (i + 1) * tc))).lags
    : Math.min(Math.floor(4 * Math.pow(tc / 100, 2 / 9)), tc - 1);
  const fm = longRunCovariance(dev, tc, p, 0).map((v) => v / (tc - 1) / tc);
  const nw = longRunCovariance(dev, tc, p, maxlags).map((v) => v / (tc * tc));

  let shanken: Float64Array | null = null;
  let shankenC: number | null = null;
  if (window === undefined) {
    const x = crossDesign(betaValues);
    ({ cov: shanken, c: shankenC } = shankenCov({
      f,
      t,
      n,
      intercept,
      lambdaFactors: lamMean.subarray(intercept ? 1 : 0),
      x,
      cross: factorShared(x, n, p)!,
      residuals: residualMatrix(full, fullSol, n),
    }));
  }

  const usedPeriods = periods.slice(window ?? 0);
  return new FamaMacBethResults({
    terms,
    assets: r.names,
    factors: f.names,
    lambdas: new LabeledMatrix(usedPeriods, terms, lambdas),
    rsquared: new NamedValues(usedPeriods, r2),
    pricingErrors: new NamedValues(r.names, errorSums.map((v) => v / tc)),
    betas,
    covs: { famaMacBeth: fm, neweyWest: nw, shanken },
    shankenC,
    window,
    intercept,
    maxlags,
    lagRule,
  });
}

/** Shanken's corrected covariance `[(1 + c) A Σ̂ Aᵀ + Σ_f*] / T` with `A = (XᵀX)⁻¹Xᵀ`. */
function shankenCov(input: {
  f: Panel;
  t: number;
  n: number;
  intercept: boolean;
  lambdaFactors: Float64Array;
  x: Float64Array;
  cross: SharedFactorization;
  residuals: Float64Array;
}): { cov: Float64Array; c: number } {
  const { f, t, n, intercept, lambdaFactors, x, cross, residuals } = input;
  const p = cross.k;
  const l = f.names.length;
  const fc = centered(f, 0, t);
  const c = quadraticForm(fc, t, l, lambdaFactors)!;
  // (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ, from the factorization of the cross-sectional design.
  const xtxInv = normalizedCovariance(cross.rinv, p);
  // A = (XᵀX)⁻¹ Xᵀ, p × n column-major.
  const a = new Float64Array(p * n);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let q = 0; q < p; q++) s += xtxInv[q * p + r] * x[q * n + i];
      a[i * p + r] = s;
    }
  }
  // A Σ̂ Aᵀ = G Gᵀ / T with G = A Eᵀ (p × T): no N × N matrix is formed.
  const g = new Float64Array(p * t);
  for (let s = 0; s < t; s++) {
    for (let r = 0; r < p; r++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += a[i * p + r] * residuals[i * t + s];
      g[s * p + r] = acc;
    }
  }
  const cov = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let q = 0; q < p; q++) {
      let acc = 0;
      for (let s = 0; s < t; s++) acc += g[s * p + r] * g[s * p + q];
      cov[q * p + r] = ((1 + c) * acc) / t;
    }
  }
  const off = intercept ? 1 : 0;
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < l; j++) {
      let acc = 0;
      for (let s = 0; s < t; s++) acc += fc[i * t + s] * fc[j * t + s];
      cov[(j + off) * p + (i + off)] += acc / t;
    }
  }
  return { cov: cov.map((v) => v / t), c };
}

/** @deprecated Use {@link GRSTest}; this name goes in 0.2.0. */
export const GrsTest: typeof GRSTest = GRSTest;
/** @deprecated Use {@link GRSTest}; this name goes in 0.2.0. */
export type GrsTest = GRSTest;
