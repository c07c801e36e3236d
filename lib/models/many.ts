/**
 * Factor regressions of many assets on the same factors at once: each asset on its own valid
 * periods, assets that share their periods solved together with one factorization, results as a
 * tidy frame and tables, per-asset analyses on demand, joint tests (GRS, Fama-MacBeth) and
 * comparison figures.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { Frequency } from "../data/dates.ts";
import type { FactorFile } from "../data/factors.ts";
import type { DataFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { FrameLike } from "../pipeline/interop.ts";
import type { JoinReport } from "../pipeline/joins.ts";
import { buildPanel, type Panel, panelFrame, type SourceOptions } from "../pipeline/panel.ts";
import { exposureComparisonChart, exposureHeatmap } from "../plot/comparison.ts";
import type { Figure } from "../plot/figure.ts";
import { type Cell, Displayable, type Summary, Table } from "../display/mod.ts";
import {
  famaMacBeth,
  type FamaMacBethOptions,
  type FamaMacBethResults,
  type GRSTest,
  grsTest,
} from "../stats/asset_pricing.ts";
import type { CovOptions, CovType } from "../stats/covariance.ts";
import { CollinearityError } from "../stats/errors.ts";
import { Memo } from "../stats/inference.ts";
import { LabeledMatrix } from "../stats/labeled_matrix.ts";
import { NamedValues } from "../stats/named.ts";
import { ols, type OLSResults } from "../stats/ols.ts";
import { fitColumns, type OLSManyOptions, type OLSManyResults } from "../stats/ols_many.ts";
import { buildDesign } from "../stats/design.ts";
import { centeredSumSquares } from "../stats/lstsq.ts";
import { Alpha, checkFrequencyAndLevel, FactorAnalysis, PERIODS_PER_YEAR } from "./analysis.ts";
import { type ModelInput, type ModelSpec, resolveModel } from "./specs.ts";

const PERIOD_UNIT: Record<Exclude<Frequency, "annual">, string> = {
  monthly: "months",
  weekly: "weeks",
  daily: "days",
};

/** Options of {@linkcode analyzeMany}: the data's source and range (see {@link SourceOptions}), the fits. */
export interface AnalyzeManyOptions extends Omit<SourceOptions, "returnCol" | "name">, CovOptions {
  /** Factor model: "capm", "ff3" (default), "carhart4", "ff5", "ff5mom", or `{ factors }`. */
  model?: ModelInput;
  /** Covariance of the estimates (default "nonrobust"); HAC needs `maxlags`. */
  covType?: CovType;
  /** Use Student's t for inference (default: true for "nonrobust", false otherwise). */
  useT?: boolean;
  /** Significance level of intervals and verdicts (default 0.05). */
  significance?: number;
  /**
   * Fewest periods an asset needs to be fitted (default: regressors + 1). Assets with fewer are
   * listed in `skipped` with the reason.
   */
  minObs?: number;
}

/** An asset left out, and why. */
export interface SkippedAsset {
  /** Asset name. */
  asset: string;
  /** What prevented the fit. */
  reason: string;
}

interface Fitted {
  rows: Int32Array;
  result: OLSManyResults;
  index: number;
}

interface ManyParts {
  model: ModelSpec;
  frequency: Exclude<Frequency, "annual">;
  panel: Panel;
  assets: string[];
  fitted: Map<string, Fitted>;
  /** The one result holding every asset in order, when they were all fitted together. */
  whole: OLSManyResults | undefined;
  skipped: SkippedAsset[];
  level: number;
  excess: boolean;
  options: AnalyzeManyOptions;
}

/**
 * Factor regressions of many assets on one model. Build it with {@linkcode analyzeMany}.
 */
export class ManyAnalysis extends Displayable {
  /** The model. */
  readonly model: ModelSpec;
  /** Return frequency. */
  readonly frequency: Exclude<Frequency, "annual">;
  /** The fitted assets, in input order. */
  readonly assets: string[];
  /** Assets left out (too few periods, collinear factors over their sample, failed download). */
  readonly skipped: SkippedAsset[];
  /** Periods kept and dropped when the returns met the factors (undefined if not joined). */
  readonly joinReport: JoinReport | undefined;
  /** The Ken French files the factors came from, with their vintages (empty for given data). */
  readonly factorFiles: FactorFile[];
  /** Significance level of intervals and verdicts. */
  readonly level: number;
  readonly #fitted: Map<string, Fitted>;
  readonly #whole: OLSManyResults | undefined;
  readonly #panel: Panel;
  readonly #excess: boolean;
  readonly #options: AnalyzeManyOptions;
  readonly #memo = new Memo();

  /** @internal Use {@linkcode analyzeMany}. */
  constructor(parts: ManyParts) {
    super();
    this.model = parts.model;
    this.frequency = parts.frequency;
    this.#panel = parts.panel;
    this.#whole = parts.whole;
    this.assets = parts.assets;
    this.skipped = parts.skipped;
    this.joinReport = parts.panel.joinReport;
    this.factorFiles = parts.panel.factorFiles;
    this.level = parts.level;
    this.#fitted = parts.fitted;
    this.#excess = parts.excess;
    this.#options = parts.options;
  }

  /**
   * The aligned data as a polars frame: `period`, one column per asset holding the regressed
   * return (in excess of RF unless `excess: false`), the factors (and `RF`). Nulls where an asset
   * has no return. Built on first use (the fits work on the numbers directly).
   */
  get data(): DataFrame {
    return this.#memo.get("data", () => {
      const { periods, columns, assets } = this.#panel;
      const names = [...assets, ...this.model.factors, ...(columns.has("RF") ? ["RF"] : [])];
      return panelFrame(periods, new Map(names.map((c) => [c, this.#column(c)])));
    });
  }

  /** Factor names, in model order. */
  get factors(): string[] {
    return [...this.model.factors];
  }

  /** Regressor names: "const", then the factors. */
  get terms(): string[] {
    return ["const", ...this.model.factors];
  }

  /** Covariance type of the standard errors. */
  get covType(): CovType {
    return this.#get(this.assets[0]).result.covType;
  }

  /** Periods used by each asset. */
  get nobs(): NamedValues {
    return this.#memo.get(
      "nobs",
      () => new NamedValues(this.assets, this.assets.map((a) => this.#get(a).rows.length)),
    );
  }

  /** Estimates: assets × terms ("const" and the factors). */
  get params(): LabeledMatrix {
    return this.#memo.get("params", () => this.#gather((r) => r.params));
  }

  /** Standard errors: assets × terms. */
  get bse(): LabeledMatrix {
    return this.#memo.get("bse", () => this.#gather((r) => r.bse));
  }

  /** t (or z) statistics: assets × terms. */
  get tvalues(): LabeledMatrix {
    return this.#memo.get("t", () => this.#gather((r) => r.tvalues));
  }

  /** Two-sided p-values: assets × terms. */
  get pvalues(): LabeledMatrix {
    return this.#memo.get("p", () => this.#gather((r) => r.pvalues));
  }

  /** Factor loadings: assets × factors. */
  get betas(): LabeledMatrix {
    return this.#memo.get("betas", () => {
      // Each row of params without its first column, the constant.
      const k = this.terms.length;
      const out = this.params.data.filter((_, i) => i % k !== 0);
      return new LabeledMatrix(this.assets, this.factors, out);
    });
  }

  /** Alphas (intercepts) per period, by asset. */
  get alphas(): NamedValues {
    return this.params.column("const");
  }

  /** Adjusted R², by asset. */
  get rsquaredAdj(): NamedValues {
    return this.#memo.get(
      "r2adj",
      () => new NamedValues(this.assets, this.#each((r, i) => r.rsquaredAdj[i])),
    );
  }

  /** One asset's alpha per period and annualized, with its significance. */
  alpha(asset: string): Alpha {
    const { result, index } = this.#get(asset);
    const perYear = PERIODS_PER_YEAR[this.frequency];
    return new Alpha(
      result.params.get(index, "const"),
      result.tvalues.get(index, "const"),
      result.pvalues.get(index, "const"),
      this.level,
      perYear,
    );
  }

  /**
   * Every coefficient of every asset as a tidy polars frame: `asset`, `term`, `coef`, `stdErr`,
   * `t`, `pvalue`, one row per asset and term.
   */
  coefficientsFrame(): DataFrame {
    return this.#memo.get("tidy", () => {
      const terms = this.terms;
      return pl.DataFrame({
        asset: this.assets.flatMap((a) => terms.map(() => a)),
        term: this.assets.flatMap(() => terms),
        coef: Array.from(this.params.data),
        stdErr: Array.from(this.bse.data),
        t: Array.from(this.tvalues.data),
        pvalue: Array.from(this.pvalues.data),
      });
    });
  }

  /**
   * The tidy frame of {@linkcode ManyAnalysis.coefficientsFrame} with its last column named
   * `pValue`.
   *
   * @deprecated Use {@linkcode ManyAnalysis.coefficientsFrame} (its column is `pvalue`); in 0.2.0
   * `coefficients()` returns plain rows, as on every other result.
   */
  coefficients(): DataFrame {
    return this.coefficientsFrame().rename({ pvalue: "pValue" });
  }

  /**
   * One row per asset: periods used (first, last, count), alpha per period and annualized with
   * its p-value, the betas and the adjusted R².
   */
  table(): Table {
    const unit = PERIOD_UNIT[this.frequency];
    const periods = this.#panel.periods;
    const rows = this.assets.map((a, i): Cell[] => {
      const { rows } = this.#get(a);
      const alpha = this.alpha(a);
      return [
        a,
        periods[rows[0]],
        periods[rows[rows.length - 1]],
        rows.length,
        alpha.perPeriod,
        alpha.annualized * 100,
        alpha.pvalue,
        ...this.betas.row(i),
        this.rsquaredAdj[i],
      ];
    });
    const notes: string[] = [];
    if (this.covType !== "nonrobust") {
      const specs = this.#each((r, i) => r.covKwdsOf(i));
      if (specs[0].lagSelection === "newey-west-1994") {
        const lags = specs.map((s) => s.maxlags ?? 0);
        notes.push(
          "Standard Errors are heteroscedasticity and autocorrelation robust (HAC), with each " +
            `asset's lags by the Newey-West (1994) automatic selection (${Math.min(...lags)} to ${
              Math.max(...lags)
            }).`,
        );
      } else notes.push(specs[0].description);
    }
    if (this.skipped.length) {
      notes.push(
        `Skipped: ${this.skipped.map((s) => `${s.asset} (${s.reason})`).join("; ")}.`,
      );
    }
    return new Table(
      [
        { header: "asset" },
        { header: "first" },
        { header: "last" },
        { header: unit, format: "%d" },
        { header: "alpha", format: "%.4f" },
        { header: "alpha ann. %", format: "%.2f" },
        { header: "P(alpha)", format: "%.4f" },
        ...this.factors.map((f) => ({ header: f, format: "%.3f" })),
        { header: "adj. R²", format: "%.3f" },
      ],
      rows,
      {
        title: `${this.model.label}: ${this.assets.length} asset${
          this.assets.length === 1 ? "" : "s"
        }, ${this.frequency}`,
        note: notes.length ? notes.join("\n") : undefined,
      },
    );
  }

  /**
   * One asset's OLS results (statsmodels names), fitted on its own valid periods with the same
   * covariance settings: the figures equal those of the joint fit.
   */
  fit(asset: string): OLSResults {
    return this.#memo.get(`fit:${asset}`, () => {
      const { rows } = this.#get(asset);
      return ols(this.#rows([asset], rows)[asset], this.#rows(this.factors, rows), {
        ...fitOptions(this.#options),
        yname: this.#yColumn,
      });
    });
  }

  /** One asset as a {@linkcode FactorAnalysis}: report, interpretation, attribution, figures. */
  analysis(asset: string): FactorAnalysis {
    return this.#memo.get(`analysis:${asset}`, () => {
      const { rows } = this.#get(asset);
      const rf = this.#panel.columns.has("RF") ? ["RF"] : [];
      const columns = Object.entries(this.#rows([asset, ...this.factors, ...rf], rows));
      const data = panelFrame(
        Array.from(rows, (r) => this.#panel.periods[r]),
        new Map(columns.map(([c, v], j) => [j === 0 ? this.#yColumn : c, v])),
      );
      return new FactorAnalysis({
        name: asset,
        model: this.model,
        frequency: this.frequency,
        data,
        yColumn: this.#yColumn,
        joinReport: undefined,
        fit: this.fit(asset),
        level: this.level,
        factorFiles: this.factorFiles,
      });
    });
  }

  /**
   * The GRS test that all alphas are zero, on the periods every chosen asset has (a balanced
   * panel). The result's `nobs` says how many periods that is.
   *
   * @param options `assets`: test a subset (default every fitted asset).
   */
  grs(options: { assets?: string[] } = {}): GRSTest {
    const { returns, factors } = this.#balanced(options.assets);
    return grsTest(returns, factors);
  }

  /**
   * Fama-MacBeth two-pass regression of the assets on the model's factors, on the periods every
   * chosen asset has; see `famaMacBeth` for the options.
   */
  famaMacBeth(options: FamaMacBethOptions & { assets?: string[] } = {}): FamaMacBethResults {
    const { assets, ...rest } = options;
    const { returns, factors, periods } = this.#balanced(assets);
    return famaMacBeth(returns, factors, { periods, ...rest });
  }

  /**
   * Exposures compared across assets: grouped bars with confidence intervals (default up to 8
   * assets) or a heatmap with significance stars (default for more).
   */
  plotExposures(
    options: { kind?: "bars" | "heatmap"; groupBy?: "factor" | "asset"; title?: string } = {},
  ): Figure {
    const kind = options.kind ?? (this.assets.length <= 8 ? "bars" : "heatmap");
    const title = options.title ?? `${this.model.label} exposures`;
    const betas = this.assets.map((a) => Array.from(this.betas.row(a)));
    if (kind === "heatmap") {
      const p = this.pvalues;
      return exposureHeatmap({
        assets: this.assets,
        factors: this.factors,
        values: betas,
        pvalues: this.assets.map((a) => this.factors.map((f) => p.get(a, f))),
        significance: this.level,
        title,
      });
    }
    if (kind !== "bars") {
      throw new InvalidArgumentError(`kind must be "bars" or "heatmap", not "${kind}".`);
    }
    const ci = this.#each((r, i) => r.coefficients(i, this.level).slice(1));
    return exposureComparisonChart({
      assets: this.assets,
      factors: this.factors,
      betas,
      lower: ci.map((rows) => rows.map((r) => r.lower)),
      upper: ci.map((rows) => rows.map((r) => r.upper)),
      level: 1 - this.level,
      groupBy: options.groupBy,
      title,
    });
  }

  /** Machine-readable results. */
  toJSON(): Record<string, unknown> {
    return {
      model: this.model.name,
      factors: this.factors,
      frequency: this.frequency,
      covType: this.covType,
      assets: this.assets,
      nobs: this.nobs.toRecord(),
      params: this.params.toRecord(),
      bse: this.bse.toRecord(),
      pvalues: this.pvalues.toRecord(),
      rsquaredAdj: this.rsquaredAdj.toRecord(),
      skipped: this.skipped,
    };
  }

  /** The table of assets as a summary: what the analysis prints and displays. */
  summary(): Summary {
    return this.table().summary();
  }

  get #yColumn(): string {
    return this.#excess ? "excessReturn" : "return";
  }

  #get(asset: string): Fitted {
    const f = this.#fitted.get(asset);
    if (f === undefined) {
      const skipped = this.skipped.find((s) => s.asset === asset);
      throw new InvalidArgumentError(
        skipped
          ? `${asset} was not fitted: ${skipped.reason}.`
          : `No asset "${asset}". Assets: ${this.assets.slice(0, 30).join(", ")}${
            this.assets.length > 30 ? ", …" : ""
          }.`,
      );
    }
    return f;
  }

  /** `pick` of each asset's fit and its column there, in asset order. */
  #each<T>(pick: (result: OLSManyResults, index: number) => T): T[] {
    return this.assets.map((a) => {
      const { result, index } = this.#get(a);
      return pick(result, index);
    });
  }

  #gather(pick: (r: OLSManyResults) => LabeledMatrix): LabeledMatrix {
    // One fit holding every asset (the usual balanced panel): its table, in the same order.
    if (this.#whole !== undefined) return pick(this.#whole);
    const k = this.terms.length;
    const out = new Float64Array(this.assets.length * k);
    this.assets.forEach((a, i) => {
      const { result, index } = this.#get(a);
      out.set(pick(result).data.subarray(index * k, (index + 1) * k), i * k);
    });
    return new LabeledMatrix(this.assets, this.terms, out);
  }

  /** A column of the panel over all periods; an asset's is its regressed (excess) return. */
  #column(name: string): Float64Array {
    const { columns } = this.#panel;
    const values = columns.get(name)!;
    const isAsset = !this.model.factors.includes(name) && name !== "RF";
    if (!this.#excess || !isAsset) return values;
    const rf = columns.get("RF")!;
    return this.#memo.get(`excess:${name}`, () => values.map((v, t) => v - rf[t]));
  }

  /** Columns of the panel (an asset's as regressed) on the given rows. */
  #rows(names: string[], rows: ArrayLike<number>): Record<string, Float64Array> {
    return Object.fromEntries(names.map((c) => {
      const values = this.#column(c);
      return [c, Float64Array.from(rows, (r) => values[r])];
    }));
  }

  #balanced(assets: string[] = this.assets): {
    returns: Record<string, Float64Array>;
    factors: Record<string, Float64Array>;
    periods: string[];
  } {
    if (!Array.isArray(assets) || assets.length === 0) {
      throw new InvalidArgumentError("assets must be a non-empty list of fitted asset names.");
    }
    const all = this.#panel.periods;
    // A period is common when every asset's rows (distinct, so counted once each) hold it.
    const hits = new Uint32Array(all.length);
    for (const a of assets) for (const r of this.#get(a).rows) hits[r]++;
    const rows: number[] = [];
    hits.forEach((h, t) => h === assets.length && rows.push(t));
    if (rows.length === 0) {
      throw new InvalidArgumentError(
        "The assets have no period in common, so a joint test has no balanced panel. Test " +
          "assets with overlapping histories ({ assets: [...] }).",
      );
    }
    return {
      returns: this.#rows(assets, rows),
      factors: this.#rows(this.factors, rows),
      periods: rows.map((r) => all[r]),
    };
  }
}

/**
 * Fits a factor model to many assets at once: tickers (downloaded from Yahoo, factors from the
 * Ken French library), a wide frame of returns (`period` + one column per asset; factor columns
 * and `RF` are used when present, downloaded otherwise) or a wide frame of daily prices (`date` +
 * one price column per asset). Each asset is regressed on a constant and the factors over the
 * periods where it has a return; assets with the same periods share one QR factorization
 * (`olsMany`), and every figure equals that asset's own `analyze`/`ols` fit.
 *
 * @param input Tickers, or a wide returns or prices frame.
 * @param options Model, period range, frequency, covariance and data-source options.
 * @returns The analysis: tidy coefficients, a table per asset, joint tests, figures.
 *
 * @example Three of the 25 size/book-to-market portfolios on the Fama-French factors
 * ```ts
 * import { analyzeMany, frenchDataset } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const file = "data/samples/french/25_Portfolios_5x5_CSV_202412.zip";
 * const portfolios = (await frenchDataset(file, { start: "1990-01", end: "2019-12" })).tables[0];
 * const many = await analyzeMany(portfolios.frame, {
 *   model: "ff3",
 *   assets: ["SMALL LoBM", "SMALL HiBM", "BIG LoBM"],
 *   frenchSource: "data/samples/french",
 *   vintage: "202412",
 * });
 * assert.deepEqual(many.assets, ["SMALL LoBM", "SMALL HiBM", "BIG LoBM"]);
 * assert.equal(many.nobs.get("BIG LoBM"), 360);
 * assert.ok(many.betas.get("SMALL HiBM", "SMB") > 0.8);
 * assert.ok(many.betas.get("BIG LoBM", "HML") < 0);
 * assert.equal(many.coefficientsFrame().height, 3 * 4);
 * assert.ok(many.grs().pvalue < 0.05);
 * ```
 */
export async function analyzeMany(
  input: string[] | FrameLike,
  options: AnalyzeManyOptions = {},
): Promise<ManyAnalysis> {
  const model = resolveModel(options.model);
  const { frequency, level } = checkFrequencyAndLevel(options);
  const excess = options.excess ?? true;
  const panel = await buildPanel(input, { ...options, model, frequency, excess });
  const { assets, failures } = panel;
  const k = model.factors.length + 1;
  const minObs = options.minObs ?? k + 1;
  if (!Number.isInteger(minObs) || minObs < k + 1) {
    throw new InvalidArgumentError(
      `minObs must be a whole number of at least ${k + 1} (more periods than the ${k} ` +
        `regressors), not ${minObs}.`,
    );
  }
  const skipped: SkippedAsset[] = failures.map((f) => ({
    asset: f.ticker,
    reason: `download failed: ${f.error.message}`,
  }));
  const { fitted, whole } = fitGroups(panel, minObs, options, skipped);
  if (fitted.size === 0) {
    throw new InvalidArgumentError(
      `No asset could be fitted: ${skipped.map((s) => `${s.asset} (${s.reason})`).join("; ")}.`,
    );
  }
  return new ManyAnalysis({
    model,
    frequency,
    panel,
    assets: whole === undefined ? assets.filter((a) => fitted.has(a)) : assets,
    fitted,
    whole,
    skipped,
    level,
    excess,
    options,
  });
}

/**
 * Fits every asset on the periods where it has a return and the factors. First, in one pass over
 * the returns, every asset on all the periods with factors (each block of columns written just
 * before the solver reaches it); an asset with a missing value there shows as a missing sum of
 * squares. Those assets are then grouped by their own valid periods, each group fitted with one
 * factorization.
 */
function fitGroups(
  panel: Panel,
  minObs: number,
  options: AnalyzeManyOptions,
  skipped: SkippedAsset[],
): Pick<ManyParts, "fitted" | "whole"> {
  const { assets, factors } = panel;
  const height = panel.periods.length;
  const factorCols = factors.map((f) => panel.columns.get(f)!);
  // The panel holds RF exactly when excess returns are regressed.
  const rf = panel.columns.get("RF");
  const factorOk = new Uint8Array(height);
  let withFactors = 0;
  for (let t = 0; t < height; t++) {
    let ok = rf === undefined || Number.isFinite(rf[t]);
    for (const c of factorCols) ok &&= Number.isFinite(c[t]);
    factorOk[t] = ok ? 1 : 0;
    if (ok) withFactors++;
  }
  const fitted = new Map<string, Fitted>();
  let rest = assets;
  let whole: OLSManyResults | undefined;
  // (Not with HAC lags chosen per asset: they are chosen from a column's residuals at once.)
  if (withFactors >= minObs && options.maxlags !== "auto") {
    const rows = new Int32Array(withFactors);
    for (let t = 0, i = 0; t < height; t++) if (factorOk[t]) rows[i++] = t;
    const columns = assets.map((a) => panel.columns.get(a)!);
    const result = fitGroup(rows, columns, assets, factors, factorCols, rf, options);
    if (!(result instanceof CollinearityError)) {
      const tss = result.tss;
      rest = [];
      assets.forEach((a, index) => {
        if (tss[index] - tss[index] === 0) fitted.set(a, { rows, result: result.fit, index });
        else rest.push(a);
      });
      if (rest.length === 0) whole = result.fit;
    }
  }
  // Assets with the same valid periods share a group, keyed by the runs of those periods
  // ("0-239" for a full history), which is short for the usual contiguous histories.
  const groups = new Map<string, { assets: string[]; rows: Int32Array }>();
  for (const a of rest) {
    const col = panel.columns.get(a)!;
    let count = 0;
    let key = "";
    let runStart = -1;
    for (let t = 0; t < height; t++) {
      const v = col[t];
      // v - v is 0 for a finite number, NaN for NaN and ±Infinity.
      if (factorOk[t] === 1 && v - v === 0) {
        count++;
        if (runStart < 0) runStart = t;
      } else if (runStart >= 0) {
        key += `${runStart}-${t - 1},`;
        runStart = -1;
      }
    }
    if (runStart >= 0) key += `${runStart}-${height - 1}`;
    if (count < minObs) {
      skipped.push({
        asset: a,
        reason: `only ${count} period${count === 1 ? "" : "s"} with a return and ` +
          `factors (needs ${minObs})`,
      });
      continue;
    }
    let g = groups.get(key);
    if (g === undefined) {
      const rows = new Int32Array(count);
      for (let t = 0, i = 0; t < height; t++) {
        const v = col[t];
        if (factorOk[t] === 1 && v - v === 0) rows[i++] = t;
      }
      g = { assets: [], rows };
      groups.set(key, g);
    }
    g.assets.push(a);
  }
  for (const g of groups.values()) {
    const columns = g.assets.map((a) => panel.columns.get(a)!);
    const result = fitGroup(g.rows, columns, g.assets, factors, factorCols, rf, options);
    if (result instanceof CollinearityError) {
      for (const a of g.assets) {
        skipped.push({
          asset: a,
          reason: `the factors are collinear over its periods (${result.message})`,
        });
      }
      continue;
    }
    g.assets.forEach((a, index) => fitted.set(a, { rows: g.rows, result: result.fit, index }));
  }
  return { fitted, whole };
}

/**
 * One factorization for the assets `names` (their return `columns`) on the panel rows `rows`.
 * The returns minus RF go into one buffer, each block of columns written just before the solver
 * reaches it, with its sum of squares about its mean (as centeredSumSquares computes it; NaN when
 * the column has a missing value on those rows), or the error naming the collinear factors.
 */
function fitGroup(
  rows: Int32Array,
  columns: Float64Array[],
  names: string[],
  factors: string[],
  factorCols: Float64Array[],
  rf: Float64Array | undefined,
  options: AnalyzeManyOptions,
): { fit: OLSManyResults; tss: Float64Array } | CollinearityError {
  const n = rows.length;
  const m = columns.length;
  const X = Object.fromEntries(
    factorCols.map((c, j) => [factors[j], Float64Array.from(rows, (t) => c[t])]),
  );
  const y = new Float64Array(n * m);
  const tss = new Float64Array(m);
  const first = rows[0];
  const contiguous = rows[n - 1] - first === n - 1;
  const fill = (from: number, to: number) => {
    for (let j = from; j < to; j++) {
      const col = columns[j];
      const out = y.subarray(j * n, (j + 1) * n);
      if (contiguous && rf === undefined) out.set(col.subarray(first, first + n));
      else if (contiguous) { for (let i = 0; i < n; i++) out[i] = col[first + i] - rf![first + i]; }
      else if (rf === undefined) { for (let i = 0; i < n; i++) out[i] = col[rows[i]]; }
      else for (let i = 0; i < n; i++) out[i] = col[rows[i]] - rf[rows[i]];
      tss[j] = centeredSumSquares(out);
    }
  };
  const design = buildDesign(new Float64Array(n), X, { addConstant: true });
  try {
    const fit = fitColumns(
      names,
      y,
      design,
      fitOptions(options),
      () => {
        fill(0, 1);
        ols(y.subarray(0, n), X, { addConstant: true });
      },
      { tss, columns: fill },
    );
    return { fit, tss };
  } catch (e) {
    if (!(e instanceof CollinearityError)) throw e;
    return e;
  }
}

/** Every asset's regression: on a constant and the factors, with the analysis's covariance. */
function fitOptions(options: AnalyzeManyOptions): OLSManyOptions {
  const { covType, maxlags, useCorrection, useT } = options;
  return { addConstant: true, covType, maxlags, useCorrection, useT };
}
