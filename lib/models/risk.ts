/**
 * A factor risk model of a portfolio: its exposures (the weighted betas of its assets), the
 * factor covariance matrix, the assets' specific variances, and the split of the portfolio's
 * variance into each factor's contribution and the specific part.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { DataFrame } from "../data/polars.ts";
import { type FrameLike, toPolars } from "../pipeline/interop.ts";
import { type Figure, riskDecompositionChart } from "../plot/mod.ts";
import { Displayable, type Summary, Table } from "../display/mod.ts";
import { LabeledMatrix } from "../stats/labeled_matrix.ts";
import { NamedValues } from "../stats/named.ts";
import { FactorAnalysis, PERIODS_PER_YEAR } from "./analysis.ts";
import { ManyAnalysis } from "./many.ts";

/** One asset of a risk model given by its numbers rather than by a {@linkcode FactorAnalysis}. */
export interface AssetExposure {
  /** Asset name, as used in the weights. */
  name: string;
  /** The asset's beta on every factor of the model, by factor name. */
  betas: Record<string, number> | NamedValues;
  /** Variance of the asset's specific (residual) return per period. */
  specificVariance: number;
}

/** Options of {@linkcode portfolioRisk}. */
export interface PortfolioRiskOptions {
  /**
   * Factor returns to estimate the factor covariance from: one column per factor (other columns,
   * such as `period` or `RF`, are ignored), no missing values. Default for analyses: the factor
   * columns of the analyses' own data, over the union of their periods.
   */
  factorReturns?: FrameLike;
  /** The factor covariance matrix itself (per period), instead of `factorReturns`. */
  factorCovariance?: LabeledMatrix;
  /**
   * What the weights must add up to: `"one"` (default) requires a sum of 1 (within 1e-6),
   * `"normalize"` divides them by their sum, `"any"` takes them as given (long-short or
   * zero-cost portfolios).
   */
  weightSum?: "one" | "normalize" | "any";
  /**
   * Specific variance of an analysed asset: `"sample"` (default) is the sample variance of its
   * residuals, SSR / (n − 1), so that for one asset the common and specific parts add up to the
   * sample variance of its return; `"unbiased"` is statsmodels' `mse_resid`, SSR / (n − k − 1).
   */
  specificVariance?: "sample" | "unbiased";
  /**
   * Periods per year for the annualized volatility: default 12, 52 or 252 from the analyses'
   * frequency; none for assets given by numbers (figures then stay per period).
   */
  periodsPerYear?: number;
  /** Portfolio name for titles (default "Portfolio"). */
  name?: string;
}

interface RiskParts extends ModelParts {
  name: string;
  weights: Float64Array;
}

/**
 * The risk decomposition of a portfolio under a linear factor model with uncorrelated specific
 * returns. With weights `w`, betas `B` (assets × factors), factor covariance `F` and specific
 * variances `s²`:
 *
 * - exposures `b = Bᵀ w`;
 * - variance `Var(p) = bᵀ F b + Σ wᵢ² sᵢ²` (common plus specific);
 * - factor k's contribution `b_k (F b)_k`: these Euler contributions add up to the common part
 *   (a negative one means the factor offsets the others);
 * - marginal contribution `(F b)_k / σ_p`: the change in volatility per unit of exposure;
 * - asset i's contribution `wᵢ (B F b)ᵢ + wᵢ² sᵢ²`: these add up to the total.
 *
 * Assumptions: specific returns are uncorrelated across assets (a diagonal specific matrix,
 * so residual co-movement the factors miss is not counted), the covariances are sample
 * covariances (n − 1) of returns at the data's frequency (per period), and annualized figures
 * multiply variances by the periods per year, which assumes returns uncorrelated over time.
 */
export class PortfolioRisk extends Displayable {
  /** Portfolio name. */
  readonly name: string;
  /** Assets held, in the order of the weights. */
  readonly assets: readonly string[];
  /** Factors of the model. */
  readonly factors: readonly string[];
  /** Portfolio weights by asset (after normalization, when asked). */
  readonly weights: NamedValues;
  /** Each asset's betas by factor: `assetBetas.VBR.get("SMB")`. */
  readonly assetBetas: Readonly<Record<string, NamedValues>>;
  /** Portfolio exposures (weighted betas) by factor. */
  readonly exposures: NamedValues;
  /** Factor covariance matrix per period. */
  readonly factorCovariance: LabeledMatrix;
  /** Specific variance of each asset per period. */
  readonly specificVariances: NamedValues;
  /** Number of periods the factor covariance was estimated on (undefined when given). */
  readonly factorPeriods: number | undefined;
  /** Periods per year used to annualize (undefined: figures are per period only). */
  readonly periodsPerYear: number | undefined;
  /** The common (factor) variance `bᵀ F b`. */
  readonly commonVariance: number;
  /** The specific variance `Σ wᵢ² sᵢ²`. */
  readonly specificVariance: number;
  /** Each factor's contribution to the variance, `b_k (F b)_k`; they sum to the common variance. */
  readonly factorContributions: NamedValues;
  /** Marginal contribution of each factor to volatility, `(F b)_k / σ_p`. */
  readonly marginalContributions: NamedValues;
  /** Each asset's contribution to the variance; they sum to the total variance. */
  readonly assetContributions: NamedValues;

  /** @internal Use {@linkcode portfolioRisk}. */
  constructor(parts: RiskParts) {
    super();
    const { assets, factors, weights, betas, specific, covariance } = parts;
    const k = factors.length;
    this.name = parts.name;
    this.assets = Object.freeze([...assets]);
    this.factors = Object.freeze([...factors]);
    this.weights = new NamedValues(assets, weights);
    this.assetBetas = Object.freeze(
      Object.fromEntries(assets.map((a, i) => [a, new NamedValues(factors, betas[i])])),
    );
    this.factorCovariance = LabeledMatrix.square(factors, covariance);
    this.specificVariances = new NamedValues(assets, specific);
    this.factorPeriods = parts.factorPeriods;
    this.periodsPerYear = parts.periodsPerYear;
    const b = new Float64Array(k);
    assets.forEach((_, i) => betas[i].forEach((beta, j) => (b[j] += weights[i] * beta)));
    this.exposures = new NamedValues(factors, b);
    const fb = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      for (let l = 0; l < k; l++) fb[j] += covariance[l * k + j] * b[l];
    }
    const contributions = b.map((bj, j) => bj * fb[j]);
    this.factorContributions = new NamedValues(factors, contributions);
    this.commonVariance = contributions.reduce((s, c) => s + c, 0);
    const specificParts = weights.map((w, i) => w * w * specific[i]);
    this.specificVariance = specificParts.reduce((s, c) => s + c, 0);
    const sigma = Math.sqrt(this.totalVariance);
    this.marginalContributions = new NamedValues(factors, fb.map((v) => v / sigma));
    this.assetContributions = new NamedValues(
      assets,
      assets.map((_, i) => {
        let common = 0;
        for (let j = 0; j < k; j++) common += betas[i][j] * fb[j];
        return weights[i] * common + specificParts[i];
      }),
    );
  }

  /** Total variance per period: common plus specific. */
  get totalVariance(): number {
    return this.commonVariance + this.specificVariance;
  }

  /** Volatility (standard deviation) per period. */
  get volatility(): number {
    return Math.sqrt(this.totalVariance);
  }

  /** Volatility × √(periods per year), or undefined without a frequency. */
  get annualizedVolatility(): number | undefined {
    return this.periodsPerYear === undefined
      ? undefined
      : this.volatility * Math.sqrt(this.periodsPerYear);
  }

  /** Share of the variance explained by the factors. */
  get commonShare(): number {
    return this.commonVariance / this.totalVariance;
  }

  /** Share of the variance that is specific. */
  get specificShare(): number {
    return this.specificVariance / this.totalVariance;
  }

  /**
   * The decomposition as a table: per factor its exposure, contribution to variance, share of
   * the variance and contribution to volatility (Euler: contribution / σ, annualized when the
   * frequency is known), then the common, specific and total rows.
   */
  table(): Table {
    const total = this.totalVariance;
    const sigma = this.volatility;
    const scale = Math.sqrt(this.periodsPerYear ?? 1);
    const volHeader = this.periodsPerYear === undefined
      ? "vol contribution"
      : "vol contribution (ann.)";
    const row = (label: string, exposure: number | null, variance: number) => [
      label,
      exposure,
      variance,
      (100 * variance) / total,
      (100 * variance * scale) / sigma,
    ];
    const rows = [
      ...this.factors.map((f, j) => row(f, this.exposures[j], this.factorContributions[j])),
      row("common factors", null, this.commonVariance),
      row("specific", null, this.specificVariance),
      row("total", null, total),
    ];
    const vol = this.periodsPerYear === undefined
      ? `volatility ${(100 * sigma).toFixed(2)}% per period`
      : `annualized volatility ${(100 * sigma * scale).toFixed(2)}% ` +
        `(${this.periodsPerYear} periods a year)`;
    return new Table(
      [
        { header: "component" },
        { header: "exposure", format: "%.4f" },
        { header: "variance", format: "%.3e" },
        { header: "share", format: "%.1f%%" },
        { header: volHeader, format: "%.2f%%" },
      ],
      rows,
      {
        title: `Risk decomposition: ${this.name} (${this.assets.length} assets, ` +
          `${this.factors.length} factors)`,
        note: `Variance per period = b'Fb + Σ w²s²; ${vol}. Specific returns assumed ` +
          "uncorrelated across assets; sample covariances (n − 1)" +
          (this.factorPeriods === undefined ? "." : ` over ${this.factorPeriods} periods.`),
      },
    );
  }

  /** Each asset's weight, specific variance and contribution to the portfolio's variance. */
  assetTable(): Table {
    const total = this.totalVariance;
    return new Table(
      [
        { header: "asset" },
        { header: "weight", format: "%.4f" },
        ...this.factors.map((f) => ({ header: `beta ${f}`, format: "%.3f" })),
        { header: "specific var", format: "%.3e" },
        { header: "contribution", format: "%.3e" },
        { header: "share", format: "%.1f%%" },
      ],
      this.assets.map((a, i) => [
        a,
        this.weights[i],
        ...Array.from(this.assetBetas[a]),
        this.specificVariances[i],
        this.assetContributions[i],
        (100 * this.assetContributions[i]) / total,
      ]),
      { title: `Assets of ${this.name}: contributions add up to the total variance` },
    );
  }

  /** Waterfall chart of the variance: factor contributions, common, specific, total. */
  plot(options: { title?: string } = {}): Figure {
    return riskDecompositionChart({
      names: [...this.factors],
      contributions: this.factorContributions,
      specific: this.specificVariance,
      periodsPerYear: this.periodsPerYear,
      title: options.title ?? `Risk decomposition: ${this.name}`,
    });
  }

  /** Machine-readable results. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      weights: this.weights.toRecord(),
      exposures: this.exposures.toRecord(),
      factorCovariance: this.factorCovariance.toArray(),
      factors: [...this.factors],
      specificVariances: this.specificVariances.toRecord(),
      commonVariance: this.commonVariance,
      specificVariance: this.specificVariance,
      totalVariance: this.totalVariance,
      volatility: this.volatility,
      annualizedVolatility: this.annualizedVolatility ?? null,
      factorContributions: this.factorContributions.toRecord(),
      marginalContributions: this.marginalContributions.toRecord(),
      assetContributions: this.assetContributions.toRecord(),
    };
  }

  /** The decomposition table as a summary: what the results print and display. */
  summary(): Summary {
    return this.table().summary();
  }
}

/**
 * Builds the factor risk model of a portfolio and decomposes its variance: exposures (weighted
 * betas), factor covariance, specific variances, each factor's Euler contribution, the
 * common/specific split and each asset's contribution. See {@linkcode PortfolioRisk} for the
 * formulas and assumptions.
 *
 * @param weights Portfolio weights by asset name (assets of `assets` without a weight are not
 *   held).
 * @param assets {@linkcode FactorAnalysis} results (one per asset, same model and frequency), an
 *   {@linkcode ManyAnalysis} of `analyzeMany`, or {@linkcode AssetExposure}s with betas and
 *   specific variances.
 * @param options Factor returns or covariance, what the weights must sum to, and more.
 * @returns The decomposition.
 * @throws {InvalidArgumentError} on weights for unknown assets, weights that do not sum to 1
 *   (unless asked otherwise), analyses with different models, missing betas or factor data.
 *
 * @example Two assets, three factors, a covariance given directly
 * ```ts
 * import { LabeledMatrix, portfolioRisk } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const F = LabeledMatrix.square(
 *   ["MKT_RF", "SMB", "HML"],
 *   Float64Array.from([0.0020, 0.0003, 0.0001, 0.0003, 0.0008, 0.0001, 0.0001, 0.0001, 0.0009]),
 * );
 * const risk = portfolioRisk(
 *   { VBR: 0.6, SPY: 0.4 },
 *   [
 *     { name: "VBR", betas: { MKT_RF: 1.01, SMB: 0.56, HML: 0.40 }, specificVariance: 0.00004 },
 *     { name: "SPY", betas: { MKT_RF: 1.00, SMB: -0.15, HML: 0.02 }, specificVariance: 0.00001 },
 *   ],
 *   { factorCovariance: F, periodsPerYear: 12 },
 * );
 * assert.ok(Math.abs(risk.exposures.get("SMB") - (0.6 * 0.56 - 0.4 * 0.15)) < 1e-15);
 * const sum = risk.factorContributions.reduce((a, b) => a + b, 0);
 * assert.ok(Math.abs(sum - risk.commonVariance) < 1e-18);
 * assert.ok(risk.commonShare > 0.95);
 * ```
 */
export function portfolioRisk(
  weights: Record<string, number> | NamedValues,
  assets: readonly FactorAnalysis[] | ManyAnalysis | readonly AssetExposure[],
  options: PortfolioRiskOptions = {},
): PortfolioRisk {
  if (assets instanceof ManyAnalysis) {
    const many = assets;
    assets = many.assets.map((a) => many.analysis(a));
  }
  if (!Array.isArray(assets) || assets.length === 0) {
    throw new InvalidArgumentError(
      "portfolioRisk needs the assets: FactorAnalysis results (from analyze), an analyzeMany " +
        "result, or { name, betas, specificVariance } objects, one per asset.",
    );
  }
  const analysed = assets.every((a) => a instanceof FactorAnalysis);
  if (!analysed && assets.some((a) => a instanceof FactorAnalysis)) {
    throw new InvalidArgumentError(
      "Pass either FactorAnalysis results or { name, betas, specificVariance } objects, not both.",
    );
  }
  const model = analysed
    ? fromAnalyses(assets as readonly FactorAnalysis[], options)
    : fromExposures(assets as readonly AssetExposure[], options);
  const names = model.assets;
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new InvalidArgumentError(
      `Asset "${twice}" is given twice; each asset needs one entry (name analyses with { name }).`,
    );
  }
  const seen = new Set(names);
  const entries: [string, number][] = weights instanceof NamedValues
    ? weights.pairs()
    : Object.entries(weights ?? {});
  if (entries.length === 0) {
    throw new InvalidArgumentError("The portfolio has no weights: pass { asset: weight, ... }.");
  }
  for (const [asset, w] of entries) {
    if (!seen.has(asset)) {
      throw new InvalidArgumentError(
        `The weights name "${asset}", which is not among the assets (${names.join(", ")}). ` +
          "Add its analysis or exposures, or remove the weight.",
      );
    }
    if (typeof w !== "number" || !Number.isFinite(w)) {
      throw new InvalidArgumentError(`The weight of "${asset}" is ${w}; weights must be numbers.`);
    }
  }
  const mode = options.weightSum ?? "one";
  if (!["one", "normalize", "any"].includes(mode)) {
    throw new InvalidArgumentError(
      `weightSum must be "one", "normalize" or "any", not ${JSON.stringify(mode)}.`,
    );
  }
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  let scale = 1;
  if (mode === "one" && Math.abs(sum - 1) > 1e-6) {
    throw new InvalidArgumentError(
      `The weights sum to ${+sum.toPrecision(10)}, not 1. Fix them, pass ` +
        `{ weightSum: "normalize" } to divide them by their sum, or { weightSum: "any" } for a ` +
        "long-short or zero-cost portfolio.",
    );
  }
  if (mode === "normalize") {
    if (!(Math.abs(sum) > 1e-12)) {
      throw new InvalidArgumentError(
        `The weights sum to ${sum}, so they cannot be normalized to sum to 1; use ` +
          `{ weightSum: "any" } for a zero-cost portfolio.`,
      );
    }
    scale = 1 / sum;
  }
  const index = new Map(names.map((n, i) => [n, i]));
  const held = entries.map(([asset]) => index.get(asset)!);
  return new PortfolioRisk({
    name: options.name ?? "Portfolio",
    assets: held.map((i) => names[i]),
    factors: model.factors,
    weights: Float64Array.from(entries, ([, w]) => w * scale),
    betas: held.map((i) => model.betas[i]),
    specific: Float64Array.from(held, (i) => model.specific[i]),
    covariance: model.covariance,
    factorPeriods: model.factorPeriods,
    periodsPerYear: checkedPeriodsPerYear(options.periodsPerYear) ?? model.periodsPerYear,
  });
}

interface ModelParts {
  assets: string[];
  factors: string[];
  betas: Float64Array[];
  specific: Float64Array;
  covariance: Float64Array;
  factorPeriods: number | undefined;
  periodsPerYear: number | undefined;
}

function fromAnalyses(
  analyses: readonly FactorAnalysis[],
  options: PortfolioRiskOptions,
): ModelParts {
  const first = analyses[0];
  const factors = first.factors;
  for (const a of analyses) {
    if (a.factors.join() !== factors.join()) {
      throw new InvalidArgumentError(
        `The analyses use different factors (${first.name}: ${factors.join(", ")}; ${a.name}: ` +
          `${a.factors.join(", ")}). Analyse every asset with the same model.`,
      );
    }
    if (a.frequency !== first.frequency) {
      throw new InvalidArgumentError(
        `The analyses mix frequencies (${first.name}: ${first.frequency}, ${a.name}: ` +
          `${a.frequency}); variances of different frequencies cannot be added.`,
      );
    }
  }
  const specificMode = options.specificVariance ?? "sample";
  if (specificMode !== "sample" && specificMode !== "unbiased") {
    throw new InvalidArgumentError(
      `specificVariance must be "sample" or "unbiased", not ${JSON.stringify(specificMode)}.`,
    );
  }
  const { covariance, periods: factorPeriods } = givenCovariance(options, factors) ??
    analysesCovariance(analyses, factors);
  return {
    assets: analyses.map((a) => a.name),
    factors,
    betas: analyses.map((a) => Float64Array.from(a.betas)),
    specific: Float64Array.from(
      analyses,
      (a) => specificMode === "sample" ? a.fit.ssr / (a.fit.nobs - 1) : a.fit.mseResid,
    ),
    covariance,
    factorPeriods,
    periodsPerYear: PERIODS_PER_YEAR[first.frequency],
  };
}

function fromExposures(
  exposures: readonly AssetExposure[],
  options: PortfolioRiskOptions,
): ModelParts {
  const betaRecords = exposures.map((e, i) => {
    if (e === null || typeof e !== "object" || typeof e.name !== "string" || e.name === "") {
      throw new InvalidArgumentError(
        `Asset ${i} has no name: give each asset as { name, betas, specificVariance }.`,
      );
    }
    const record = e.betas instanceof NamedValues ? e.betas.toRecord() : e.betas;
    if (record === null || typeof record !== "object" || Object.keys(record).length === 0) {
      throw new InvalidArgumentError(
        `Asset "${e.name}" has no betas: give them as { MKT_RF: 1.02, SMB: 0.3, ... }.`,
      );
    }
    if (
      typeof e.specificVariance !== "number" || !Number.isFinite(e.specificVariance) ||
      e.specificVariance < 0
    ) {
      throw new InvalidArgumentError(
        `Asset "${e.name}" has specificVariance ${e.specificVariance}; it must be a variance ` +
          "≥ 0 per period (the residual variance of its factor regression).",
      );
    }
    return record;
  });
  const factors = Object.keys(betaRecords[0]);
  exposures.forEach((e, i) => {
    const missing = factors.filter((f) => !(f in betaRecords[i]));
    const extra = Object.keys(betaRecords[i]).filter((f) => !factors.includes(f));
    if (missing.length > 0 || extra.length > 0) {
      throw new InvalidArgumentError(
        `Asset "${e.name}" has betas on ${Object.keys(betaRecords[i]).join(", ")} but ` +
          `"${exposures[0].name}" on ${factors.join(", ")}; every asset needs a beta on every ` +
          "factor (use 0 for none).",
      );
    }
    for (const f of factors) {
      if (!Number.isFinite(betaRecords[i][f])) {
        throw new InvalidArgumentError(`The beta of "${e.name}" on ${f} is ${betaRecords[i][f]}.`);
      }
    }
  });
  const given = givenCovariance(options, factors);
  if (given === undefined) {
    throw new InvalidArgumentError(
      "Assets given by their betas need the factors' covariance: pass { factorReturns } " +
        "(a frame with one column per factor) or { factorCovariance }.",
    );
  }
  return {
    assets: exposures.map((e) => e.name),
    factors,
    betas: betaRecords.map((r) => Float64Array.from(factors, (f) => r[f])),
    specific: Float64Array.from(exposures, (e) => e.specificVariance),
    covariance: given.covariance,
    factorPeriods: given.periods,
    periodsPerYear: undefined,
  };
}

/** The sub-matrix of `matrix` for `factors`, in their order, checked to be symmetric. */
/**
 * The sample covariance of the factors over every period any asset was analysed on; a period
 * seen twice must carry the same factor returns.
 */
function analysesCovariance(
  analyses: readonly FactorAnalysis[],
  factors: string[],
): { covariance: Float64Array; periods: number } {
  const stacked = pl.concat(analyses.map((a) => a.data.select("period", ...factors)));
  const distinct = stacked.unique();
  if (distinct.getColumn("period").nUnique() !== distinct.height) {
    throw new InvalidArgumentError(
      "The analyses carry different factor returns for the same period (different vintages " +
        "of the factor data?). Pass the factor returns to use as { factorReturns }.",
    );
  }
  return sampleCovariance(distinct.sort("period"), factors, "the analyses' factor data");
}

/** The factor covariance the caller gave, as a matrix or as factor returns, if any. */
function givenCovariance(
  options: { factorCovariance?: LabeledMatrix; factorReturns?: FrameLike },
  factors: string[],
): { covariance: Float64Array; periods: number | undefined } | undefined {
  if (options.factorCovariance !== undefined) {
    return { covariance: covarianceFor(options.factorCovariance, factors), periods: undefined };
  }
  if (options.factorReturns !== undefined) {
    return sampleCovariance(toPolars(options.factorReturns), factors, "factorReturns");
  }
  return undefined;
}

function covarianceFor(matrix: LabeledMatrix, factors: string[]): Float64Array {
  if (!(matrix instanceof LabeledMatrix)) {
    throw new InvalidArgumentError(
      "factorCovariance must be a LabeledMatrix (LabeledMatrix.square(names, values)).",
    );
  }
  const names = matrix.rowNames;
  const missing = factors.filter((f) => !names.includes(f) || !matrix.colNames.includes(f));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `factorCovariance has no ${missing.join(", ")} (it has ${names.join(", ")}).`,
    );
  }
  const k = factors.length;
  const out = new Float64Array(k * k);
  factors.forEach((fi, i) =>
    factors.forEach((fj, j) => {
      const v = matrix.get(fi, fj);
      if (!Number.isFinite(v) || Math.abs(v - matrix.get(fj, fi)) > 1e-12 * Math.abs(v)) {
        throw new InvalidArgumentError(
          `factorCovariance is not a finite symmetric matrix at (${fi}, ${fj}).`,
        );
      }
      out[j * k + i] = v;
    })
  );
  return out;
}

/** Sample covariance (n − 1) of the `factors` columns of `frame`, column-major. */
function sampleCovariance(
  frame: DataFrame,
  factors: string[],
  what: string,
): { covariance: Float64Array; periods: number } {
  const missing = factors.filter((f) => !frame.columns.includes(f));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `${what} has no ${missing.map((m) => `"${m}"`).join(", ")} column (it has ` +
        `${frame.columns.join(", ")}).`,
    );
  }
  const n = frame.height;
  if (n < 2) {
    throw new InvalidArgumentError(
      `${what} has ${n} period(s); a covariance needs at least 2 (and many more to be useful).`,
    );
  }
  const columns = factors.map((f) => {
    const values = frame.getColumn(f).toArray() as (number | null)[];
    const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) {
      throw new InvalidArgumentError(
        `${what}: column "${f}" has a missing or non-numeric value in row ${bad}; drop such ` +
          "rows first.",
      );
    }
    const m = (values as number[]).reduce((s, v) => s + v, 0) / n;
    return Float64Array.from(values as number[], (v) => v - m);
  });
  const k = factors.length;
  const covariance = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += columns[i][t] * columns[j][t];
      covariance[j * k + i] = covariance[i * k + j] = s / (n - 1);
    }
  }
  return { covariance, periods: n };
}

function checkedPeriodsPerYear(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `periodsPerYear must be a positive number (12 monthly, 52 weekly, 252 daily), not ${value}.`,
    );
  }
  return value;
}
