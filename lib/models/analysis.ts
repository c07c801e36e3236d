/**
 * One call from a ticker (or a returns frame) to a complete factor analysis: aligned data,
 * the OLS fit, betas, alpha, the statsmodels summary, the tutorial's condensed report, a
 * plain-language interpretation, beta versus correlation, return attribution and figures.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { Frequency } from "../data/dates.ts";
import type { FactorFile } from "../data/factors.ts";
import type { DataFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import { excessReturns } from "../pipeline/excess.ts";
import type { FrameLike } from "../pipeline/interop.ts";
import type { JoinReport } from "../pipeline/joins.ts";
import { buildPanel, panelFrame, type SourceOptions } from "../pipeline/panel.ts";
import {
  attributionChart,
  exposureChart,
  type Figure,
  fittedChart,
  regressionScatterChart,
  residualChart,
} from "../plot/mod.ts";
import { Displayable, formatP, Summary, Table, TextPart } from "../display/mod.ts";
import { FactorReport, Interpretation } from "../report/factor_report.ts";
import type { CovOptions, CovType } from "../stats/covariance.ts";
import type { MissingPolicy } from "../stats/design.ts";
import type { HeteroscedasticityTest } from "../stats/diagnostics.ts";
import { NamedValues } from "../stats/named.ts";
import { ols, type OLSResults, type SummaryOptions } from "../stats/ols.ts";
import { interpretAnalysis } from "./interpret.ts";
import { type RollingBetas, rollingBetas, type RollingInput } from "./rolling.ts";
import { FACTOR_LABELS, type ModelInput, type ModelSpec, resolveModel } from "./specs.ts";

/**
 * Return frequencies an analysis can use.
 *
 * @deprecated Use `Exclude<Frequency, "annual">` ({@link Frequency}); this name goes in 0.2.0.
 */
export type AnalysisFrequency = Exclude<Frequency, "annual">;

/** Periods per year by frequency, for annualizing alpha. */
export const PERIODS_PER_YEAR: Readonly<Record<Exclude<Frequency, "annual">, number>> = {
  monthly: 12,
  weekly: 52,
  daily: 252,
};
const PERIOD_NAME: Record<Exclude<Frequency, "annual">, [string, string]> = {
  monthly: ["Monthly", "months"],
  weekly: ["Weekly", "weeks"],
  daily: ["Daily", "days"],
};

/** Options of {@linkcode analyze}: the data's source and range (see {@link SourceOptions}), the fit. */
export interface AnalyzeOptions
  extends Omit<SourceOptions, "assets" | "concurrency" | "progress" | "onError">, CovOptions {
  /** Factor model: "capm", "ff3" (default), "carhart4", "ff5", "ff5mom", or `{ factors }`. */
  model?: ModelInput;
  /** Covariance of the estimates (default "nonrobust"); HAC needs `maxlags` (or "auto"). */
  covType?: CovType;
  /**
   * Also fit the model on a moving window of this many periods (e.g. 36), or
   * `{ window, minObs, expanding }`: see `analysis.rolling` and `plotRollingBetas()`.
   */
  rolling?: RollingInput;
  /** Significance level for the verdicts and intervals (default 0.05). */
  significance?: number;
  /** Rows with missing values: "raise" (default) or "drop". */
  missing?: MissingPolicy;
}

/**
 * Alpha (the intercept) of a factor regression: per period, annualized by simple scaling
 * (×12, ×52 or ×252, as the tutorials do) and its significance. Prints as one sentence.
 */
export class Alpha extends Displayable {
  /** Alpha per period, as a decimal return. */
  readonly perPeriod: number;
  /** Alpha × periods per year, as the tutorials annualize it. */
  readonly annualized: number;
  /** t (or z) statistic. */
  readonly tvalue: number;
  /** Two-sided p-value. */
  readonly pvalue: number;
  /** Whether `pvalue` is below the significance level. */
  readonly significant: boolean;
  /** The significance level. */
  readonly level: number;
  /** Periods per year used to annualize (12, 52 or 252). */
  readonly periodsPerYear: number;

  /** Creates the estimate from the intercept, its t and p, the level and periods per year. */
  constructor(perPeriod: number, tvalue: number, pvalue: number, level: number, perYear: number) {
    super();
    this.perPeriod = perPeriod;
    this.annualized = perPeriod * perYear;
    this.tvalue = tvalue;
    this.pvalue = pvalue;
    this.significant = pvalue < level;
    this.level = level;
    this.periodsPerYear = perYear;
  }

  /** @deprecated Use {@linkcode Alpha.tvalue}; this name goes in 0.2.0. */
  get tValue(): number {
    return this.tvalue;
  }

  /** @deprecated Use {@linkcode Alpha.pvalue}; this name goes in 0.2.0. */
  get pValue(): number {
    return this.pvalue;
  }

  /** One sentence: alpha per period and annualized, t, p and the verdict. */
  summary(): Summary {
    const period = { 12: "month", 52: "week", 252: "day" }[this.periodsPerYear] ?? "period";
    const pct = (x: number) => `${(100 * x).toFixed(3)}%`;
    const sentence = `Alpha ${pct(this.perPeriod)} a ${period} (annualized ≈ ${
      (100 * this.annualized).toFixed(2)
    }%), t = ${this.tvalue.toFixed(2)}, p = ${formatP(this.pvalue)}: ${
      this.significant ? "significant" : "not significant"
    } at the ${this.level * 100}% level.`;
    return Summary.of(new TextPart([sentence]));
  }

  /** Plain fields. */
  toJSON(): Record<string, number | boolean> {
    const { perPeriod, annualized, tvalue, pvalue, significant, level, periodsPerYear } = this;
    return { perPeriod, annualized, tvalue, pvalue, significant, level, periodsPerYear };
  }
}

/** Per-period return attribution; components add up to the excess return exactly. */
export interface Attribution {
  /** `period`, the return regressed, `alpha`, one column per factor and `residual`. */
  frame: DataFrame;
  /** Component names in column order: "alpha", the factors, "residual". */
  components: string[];
  /** Sum of each component over all periods. */
  totals: NamedValues;
  /** The totals as a table with each component's share of the total. */
  table: Table;
}

/** The fields of a {@link FactorAnalysis}; `rolling` and `factorFiles` may be left out. */
type AnalysisParts =
  & Pick<
    FactorAnalysis,
    "name" | "model" | "frequency" | "data" | "yColumn" | "joinReport" | "fit" | "level"
  >
  & Partial<Pick<FactorAnalysis, "rolling" | "factorFiles">>;

/**
 * A fitted factor model for one asset. Build it with {@linkcode analyze}.
 */
export class FactorAnalysis extends Displayable {
  /** Asset name (ticker). */
  readonly name!: string;
  /** The model. */
  readonly model!: ModelSpec;
  /** Return frequency. */
  readonly frequency!: Exclude<Frequency, "annual">;
  /** The aligned data: `period`, returns, factor columns (and `RF`). */
  readonly data!: DataFrame;
  /** Column of `data` used as the dependent variable. */
  readonly yColumn!: string;
  /** Periods kept and dropped when returns met factors (undefined when nothing was joined). */
  readonly joinReport!: JoinReport | undefined;
  /** The OLS results (statsmodels names: `params`, `bse`, `pvalues`, `summary()`, …). */
  readonly fit!: OLSResults;
  /** Significance level of the verdicts. */
  readonly level!: number;
  /**
   * Rolling-window betas keyed by the period ending each window, when `analyze` was given
   * `{ rolling }` (e.g. `analysis.rolling?.at("2015-06")?.get("MKT_RF")`).
   */
  readonly rolling!: RollingBetas | undefined;
  /**
   * The Ken French files the factors came from, each with its vintage ("YYYYMM CRSP
   * database"), origin and download time; empty when the factors were given as data.
   */
  readonly factorFiles: FactorFile[];

  /** @internal Use {@linkcode analyze}. */
  constructor(parts: AnalysisParts) {
    super();
    Object.assign(this, parts);
    this.factorFiles = parts.factorFiles ?? [];
  }

  /** Factor names, in model order. */
  get factors(): string[] {
    return [...this.model.factors];
  }

  /** Periods of the sample ("YYYY-MM" or "YYYY-MM-DD"). */
  get periods(): string[] {
    return this.data.getColumn("period").toArray() as string[];
  }

  /** Number of periods used. */
  get nobs(): number {
    return this.fit.nobs;
  }

  /** Factor loadings (betas) by factor name, without the constant. */
  get betas(): NamedValues {
    const p = this.fit.params;
    return new NamedValues(this.factors, this.factors.map((f) => p.get(f)));
  }

  /** Alpha per period and annualized, with its significance. */
  get alpha(): Alpha {
    return new Alpha(
      this.fit.params.get("const"),
      this.fit.tvalues.get("const"),
      this.fit.pvalues.get("const"),
      this.level,
      PERIODS_PER_YEAR[this.frequency],
    );
  }

  /** Title line: model, asset, first and last period, number of periods. */
  get title(): string {
    const periods = this.periods;
    return `${this.model.label} Analysis: ${this.name} (${periods[0]} to ${
      periods[periods.length - 1]
    }, ${this.nobs} ${PERIOD_NAME[this.frequency][1]})`;
  }

  /** The statsmodels summary table of the regression. */
  summary(options: SummaryOptions = {}): Summary {
    return this.fit.summary({ alpha: this.level, ...options });
  }

  /** The tutorial's condensed report (betas, alpha, adj. R², Durbin-Watson, White test). */
  report(): FactorReport {
    const fit = this.fit;
    const alpha = this.alpha;
    return new FactorReport({
      title: this.title,
      betas: this.factors.map((f) => ({
        name: f,
        label: FACTOR_LABELS[f] ?? "",
        beta: fit.params.get(f),
        pvalue: fit.pvalues.get(f),
      })),
      periodName: PERIOD_NAME[this.frequency][0],
      alpha: alpha.perPeriod,
      alphaAnnualized: alpha.annualized,
      alphaPvalue: alpha.pvalue,
      level: this.level,
      rsquaredAdj: fit.rsquaredAdj,
      durbinWatson: fit.durbinWatson,
      whitePvalue: this.#white()?.lmPvalue ?? null,
      covNote: fit.covType === "nonrobust" ? undefined : fit.covKwds.description,
      dataNote: factorFilesNote(this.factorFiles),
    });
  }

  /** Plain-language sentences about the exposures, alpha and diagnostics. */
  interpret(): Interpretation {
    return new Interpretation(`What the ${this.name} regression says`, interpretAnalysis(this));
  }

  /**
   * Beta versus correlation for each factor: the multivariate beta, the correlation of the
   * asset's return with the factor, and the one-factor beta `corr · σ_asset / σ_factor`.
   */
  factorCorrelations(): Table {
    const y = this.#column(this.yColumn);
    const sd = (squares: number) => Math.sqrt(squares / (y.length - 1));
    const rows = this.factors.map((f) => {
      const { r, saa, sbb } = correlation(y, this.#column(f));
      return [f, this.fit.params.get(f), r, (r * sd(saa)) / sd(sbb)];
    });
    return new Table(
      [
        { header: "factor" },
        { header: "beta (model)", format: "%.4f" },
        { header: "correlation", format: "%.4f" },
        { header: "beta (alone)", format: "%.4f" },
      ],
      rows,
      {
        title: `Beta vs correlation: ${this.name}`,
        note: "Beta: how much the asset's return moves per unit of factor return, other factors " +
          "held fixed (the factor explains the asset). Correlation: co-movement scaled to " +
          "[-1, 1], the same both ways.",
      },
    );
  }

  /**
   * Splits each period's return into alpha, each factor's contribution (beta × factor
   * return) and the residual; the parts add up to the return exactly.
   */
  attribution(): Attribution {
    const y = this.#column(this.yColumn);
    const a = this.fit.params.get("const");
    const contributions = this.factors.map((f) => {
      const beta = this.fit.params.get(f);
      return this.#column(f).map((v) => beta * v);
    });
    const residual = y.map((v, t) => contributions.reduce((s, c) => s - c[t], v - a));
    const components = ["alpha", ...this.factors, "residual"];
    const columns: Record<string, unknown> = {
      period: this.periods,
      [this.yColumn]: Array.from(y),
      alpha: new Array(y.length).fill(a),
    };
    this.factors.forEach((f, k) => (columns[f] = Array.from(contributions[k])));
    columns.residual = Array.from(residual);
    const sums = [a * y.length, ...contributions.map(sum), sum(residual)];
    const total = sum(y);
    const totals = new NamedValues(components, sums);
    return {
      frame: pl.DataFrame(columns),
      components,
      totals,
      table: new Table(
        [
          { header: "component" },
          // Percent, as the attribution chart shows them (returns are decimals in the frame).
          { header: "sum of returns (%)", format: "%.2f" },
          { header: "share", format: "%.1f%%" },
        ],
        components.map((c, i) => [c, 100 * sums[i], total === 0 ? null : (100 * sums[i]) / total]),
        {
          title: `Return attribution: ${this.name}, ${this.periods[0]} to ${
            this.periods[this.periods.length - 1]
          }`,
          note: `Simple sums over ${y.length} periods, in percent; they add up to the summed ` +
            `${this.yColumn} (${(100 * total).toFixed(2)}%).`,
        },
      ),
    };
  }

  /**
   * The same analysis with another covariance estimate (e.g. Newey-West): estimates are
   * unchanged, standard errors, p-values and intervals change.
   */
  getRobustcovResults(covType: CovType, options: CovOptions = {}): FactorAnalysis {
    return new FactorAnalysis({ ...this, fit: this.fit.getRobustcovResults(covType, options) });
  }

  /** @deprecated Use {@linkcode FactorAnalysis.getRobustcovResults}; this name goes in 0.2.0. */
  robust(covType: CovType, options: CovOptions = {}): FactorAnalysis {
    return this.getRobustcovResults(covType, options);
  }

  /** Standard errors and p-values side by side: these results versus `other`'s covariance. */
  compareStandardErrors(other: FactorAnalysis): Table {
    const a = this.fit;
    const b = other.fit;
    const label = (f: OLSResults) => f.covType === "HAC" ? `HAC(${f.covKwds.maxlags})` : f.covType;
    return new Table(
      [
        { header: "term" },
        { header: "coef", format: "%.4f" },
        { header: `std err ${label(a)}`, format: "%.4f" },
        { header: `std err ${label(b)}`, format: "%.4f" },
        { header: "ratio", format: "%.2f" },
        { header: `P ${label(a)}` },
        { header: `P ${label(b)}` },
      ],
      a.names.map((n, i) => [
        n,
        a.params[i],
        a.bse[i],
        b.bse[i],
        b.bse[i] / a.bse[i],
        formatP(a.pvalues[i]),
        formatP(b.pvalues[i]),
      ]),
      { title: `Standard errors: ${label(a)} vs ${label(b)}` },
    );
  }

  /** Bar chart of the betas with (1 − significance) confidence intervals. */
  plotExposures(options: { title?: string } = {}): Figure {
    const ci = this.fit.confInt(this.level);
    return exposureChart({
      names: this.factors,
      betas: this.factors.map((f) => this.fit.params.get(f)),
      lower: this.factors.map((f) => ci.lower.get(f)),
      upper: this.factors.map((f) => ci.upper.get(f)),
      level: 1 - this.level,
      title: options.title ?? `Factor Exposures for ${this.name}`,
      yTitle: "Beta",
    });
  }

  /** Actual versus fitted returns over time. */
  plotFitted(options: { title?: string } = {}): Figure {
    return fittedChart({
      periods: this.periods,
      actual: Array.from(this.#column(this.yColumn)),
      fitted: Array.from(this.fit.fittedValues),
      title: options.title ??
        `Actual vs fitted ${
          this.yColumn === "excessReturn" ? "excess returns" : "returns"
        }: ${this.name}`,
      yTitle: this.yColumn === "excessReturn" ? "Excess return" : "Return",
    });
  }

  /**
   * The regression refresher: the asset's return against one factor's, with the least-squares
   * line of that simple regression (alpha and the factor's beta *alone*, which differs from its
   * beta in the model when factors are correlated) and each residual as a vertical gap.
   *
   * @param factor One of the model's factors (default the first, usually the market).
   * @param options Chart title.
   * @returns The figure.
   * @throws {InvalidArgumentError} when `factor` is not one of the model's factors.
   */
  plotScatter(factor: string = this.factors[0], options: { title?: string } = {}): Figure {
    if (!this.factors.includes(factor)) {
      throw new InvalidArgumentError(
        `plotScatter: "${factor}" is not a factor of this model; choose one of ${
          this.factors.join(", ")
        }`,
      );
    }
    const y = this.#column(this.yColumn);
    const x = this.#column(factor);
    const simple = ols(y, { [factor]: x }, { addConstant: true });
    const label = FACTOR_LABELS[factor] ?? factor;
    return regressionScatterChart({
      x,
      y,
      intercept: simple.params.get("const"),
      slope: simple.params.get(factor),
      labels: this.periods,
      xTitle: `${label} factor (${factor})`,
      yTitle: `${this.name} ${this.yColumn === "excessReturn" ? "excess return" : "return"}`,
      title: options.title ?? `${this.name} against ${label}: one factor, one line`,
    });
  }

  /** Residual histogram with the normal curve, and a normal QQ plot. */
  plotResiduals(options: { title?: string } = {}): Figure {
    return residualChart({
      resid: Array.from(this.fit.resid),
      periods: this.periods,
      title: options.title ?? `Residuals: ${this.name}`,
    });
  }

  /**
   * Rolling betas over time with (1 − significance) confidence bands; needs
   * `analyze(..., { rolling: 36 })`.
   *
   * @param options Title, and which factors to draw (default all).
   */
  plotRollingBetas(options: { title?: string; factors?: string[] } = {}): Figure {
    if (this.rolling === undefined) {
      throw new InvalidArgumentError(
        `The analysis of ${this.name} has no rolling regressions: pass a window to analyze, ` +
          "e.g. { rolling: 36 } for 36-period windows.",
      );
    }
    return this.rolling.plot(options);
  }

  /** Cumulative return attribution: alpha, factor contributions and residual. */
  plotAttribution(options: { title?: string } = {}): Figure {
    const { frame, components } = this.attribution();
    return attributionChart({
      periods: this.periods,
      components: components.map((c) => ({
        name: c,
        values: frame.getColumn(c).toArray() as number[],
      })),
      total: Array.from(this.#column(this.yColumn)),
      title: options.title ?? `Cumulative return attribution: ${this.name}`,
    });
  }

  /** Machine-readable results (used by `--json` on the command line). */
  toJSON(): Record<string, unknown> {
    const fit = this.fit;
    const ci = fit.confInt(this.level);
    const jb = fit.jarqueBera();
    const omni = fit.omnibus();
    const w = this.#white();
    const periods = this.periods;
    return {
      name: this.name,
      model: this.model.name,
      factors: this.factors,
      frequency: this.frequency,
      start: periods[0],
      end: periods[periods.length - 1],
      nobs: fit.nobs,
      covType: fit.covType,
      dependent: this.yColumn,
      coefficients: fit.coefficients(this.level),
      confidenceLevel: 1 - this.level,
      params: fit.params.toRecord(),
      bse: fit.bse.toRecord(),
      pvalues: fit.pvalues.toRecord(),
      confInt: Object.fromEntries(fit.names.map((n) => [n, [ci.lower.get(n), ci.upper.get(n)]])),
      alpha: this.alpha,
      betas: this.betas.toRecord(),
      rsquared: fit.rsquared,
      rsquaredAdj: fit.rsquaredAdj,
      fvalue: fit.fvalue,
      fPvalue: fit.fPvalue,
      durbinWatson: fit.durbinWatson,
      jarqueBera: { statistic: jb.statistic, pvalue: jb.pvalue },
      omnibus: omni,
      skew: jb.skew,
      kurtosis: jb.kurtosis,
      white: w && { lm: w.lm, lmPvalue: w.lmPvalue, fvalue: w.fvalue, fPvalue: w.fPvalue },
      factorFiles: this.factorFiles.map((f) => ({
        name: f.name,
        vintage: f.vintage ?? null,
        source: f.source,
        origin: f.origin,
        fetchedAt: f.fetchedAt?.toISOString() ?? null,
      })),
      ...(this.rolling ? { rolling: rollingJson(this.rolling) } : {}),
    };
  }

  /** Printed and displayed: the condensed report followed by the statsmodels summary. */
  protected override display(): Summary {
    return Summary.of(this.report(), this.summary());
  }

  /** White's test, or null: its auxiliary regression needs more observations than regressors. */
  #white(): HeteroscedasticityTest | null {
    try {
      return this.fit.hetWhite();
    } catch {
      return null;
    }
  }

  #column(name: string): Float64Array {
    return Float64Array.from(this.data.getColumn(name).toArray() as number[]);
  }
}

/**
 * Runs a factor regression for one asset: downloads (or takes) its returns and the model's
 * factors, aligns them on year-month (or day) periods, subtracts the risk-free rate and fits
 * OLS with a constant.
 *
 * @param asset A ticker ("VBR"), daily prices (`date`, `adjClose`), or a returns frame with a
 *   `period` column and a return column (factor columns and `RF` are used when present,
 *   otherwise downloaded).
 * @param options Model, period range, frequency, covariance and data-source options.
 * @returns The analysis.
 *
 * @example The tutorial's VBR regression, from local copies of the data
 * ```ts
 * import { analyze, readPriceCsv } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const prices = await readPriceCsv("data/samples/prices/VBR_daily_yfinance_2005-01-03_2026-05-01.csv");
 * const vbr = await analyze(prices, {
 *   name: "VBR",
 *   model: "ff3",
 *   start: "2010-01-01",
 *   end: "2020-12-31",
 *   frenchSource: "data/samples/french",
 *   vintage: "202601",
 * });
 * assert.equal(vbr.nobs, 131);
 * assert.equal(vbr.betas.get("MKT_RF").toFixed(4), "1.0137");
 * assert.equal(vbr.alpha.significant, false);
 * ```
 */
export async function analyze(
  asset: string | FrameLike,
  options: AnalyzeOptions = {},
): Promise<FactorAnalysis> {
  const model = resolveModel(options.model);
  const { frequency, level } = checkFrequencyAndLevel(options);
  const panel = await buildPanel(asset, { ...options, model, frequency, single: true });
  const { periods, columns, assets: [returnCol] } = panel;
  const excess = (options.excess ?? true) && returnCol !== "excessReturn";
  const yColumn = excess ? "excessReturn" : returnCol;
  // Rolling windows span periods, so they see the data before rows with gaps are dropped.
  let everyPeriod = panelFrame(periods, columns);
  if (excess) {
    everyPeriod = excessReturns(everyPeriod, { returnCol })
      .select("period", returnCol, yColumn, ...model.factors, "RF");
  }
  let data = everyPeriod;
  if (options.missing === "drop") {
    for (const c of [yColumn, ...model.factors]) data = data.filter(pl.col(c).isFinite());
  }
  const column = (c: string) =>
    Float64Array.from(data.getColumn(c).toArray() as (number | null)[], (v) => v ?? NaN);
  const X = Object.fromEntries(model.factors.map((f) => [f, column(f)]));
  const fit = ols(column(yColumn), X, {
    addConstant: true,
    covType: options.covType,
    maxlags: options.maxlags,
    useCorrection: options.useCorrection,
    yname: yColumn,
  });
  const name = options.name ?? (typeof asset === "string" ? asset.toUpperCase() : "asset");
  const rolling = options.rolling === undefined ? undefined : rollingBetas({
    data: everyPeriod,
    yColumn,
    factors: model.factors,
    rolling: options.rolling,
    name,
    level,
    unit: { monthly: "month", weekly: "week", daily: "day" }[frequency],
  });
  return new FactorAnalysis({
    name,
    model,
    frequency,
    data,
    yColumn,
    joinReport: panel.joinReport,
    fit,
    level,
    rolling,
    factorFiles: panel.factorFiles,
  });
}

/**
 * The frequency (default monthly) and significance level (default 0.05) of an analysis,
 * checked: an unknown frequency or a level outside (0, 1) is refused with what to pass.
 */
export function checkFrequencyAndLevel(
  options: { frequency?: Exclude<Frequency, "annual">; significance?: number },
): { frequency: Exclude<Frequency, "annual">; level: number } {
  const frequency = options.frequency ?? "monthly";
  if (!(frequency in PERIODS_PER_YEAR)) {
    throw new InvalidArgumentError(
      `frequency must be "monthly", "weekly" or "daily", not "${frequency}".`,
    );
  }
  const level = options.significance ?? 0.05;
  if (!(level > 0 && level < 1)) {
    throw new InvalidArgumentError(
      `significance must be between 0 and 1 (e.g. 0.05), not ${level}.`,
    );
  }
  return { frequency, level };
}

/**
 * "Obtaining betas quickly": fits the model and returns only the factor loadings, by name.
 *
 * @example
 * ```ts
 * import { betasOnly } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const returns = {
 *   period: ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"],
 *   excessReturn: [0.011, -0.052, -0.118, 0.121, 0.049, 0.021],
 *   MKT_RF: [-0.0011, -0.0813, -0.1339, 0.1365, 0.0558, 0.0246],
 * };
 * const betas = await betasOnly(returns, { model: "capm" });
 * assert.deepEqual(betas.names, ["MKT_RF"]);
 * assert.ok(betas.get("MKT_RF") > 0.8);
 * ```
 */
export async function betasOnly(
  asset: string | FrameLike,
  options: AnalyzeOptions = {},
): Promise<NamedValues> {
  return (await analyze(asset, options)).betas;
}

/** One line naming the files and vintages (and an older copy used because the library failed). */
function factorFilesNote(files: FactorFile[]): string | undefined {
  if (files.length === 0) return undefined;
  return "Ken French " + files.map((f) => {
    const stale = f.origin.startsWith("stale") && f.fetchedAt
      ? `, an older copy from ${f.fetchedAt.toISOString().slice(0, 10)} (the library failed)`
      : "";
    return `${f.name} (vintage ${f.vintage ?? "unknown"}${stale})`;
  }).join(", ");
}

/** The rolling betas for `--json`: window, periods, and alpha and betas per period (null: none). */
function rollingJson(rolling: RollingBetas): Record<string, unknown> {
  const values = (v: ArrayLike<number>) => Array.from(v, (x) => (Number.isNaN(x) ? null : x));
  return {
    window: rolling.window,
    periods: rolling.periods,
    alpha: values(rolling.alpha),
    betas: Object.fromEntries(
      rolling.factors.map((f) => [f, values(rolling.results.params.column(f))]),
    ),
  };
}

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/** The correlation of a and b, with the sums of squares about their means. */
function correlation(
  a: Float64Array,
  b: Float64Array,
): { r: number; saa: number; sbb: number } {
  const ma = sum(a) / a.length;
  const mb = sum(b) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return { r: sab / Math.sqrt(saa * sbb), saa, sbb };
}
