/**
 * Factor regressions of many assets on the same factors at once: each asset on its own valid
 * periods, assets that share their periods solved together with one factorization, results as a
 * tidy frame and tables, per-asset analyses on demand, joint tests (GRS, Fama-MacBeth) and
 * comparison figures.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CacheOptions } from "../data/cache.ts";
import {
  addDays,
  type DateInput,
  filterPeriods,
  monthStart,
  normalizeDate,
} from "../data/dates.ts";
import { InvalidArgumentError } from "../data/errors.ts";
import { famaFrenchFactors } from "../data/factors.ts";
import type { HttpOptions } from "../data/http.ts";
import type { DataFrame } from "../data/polars.ts";
import type { ProgressOption } from "../data/progress.ts";
import { yahooPrices } from "../data/yahoo.ts";
import { type FrameLike, toPolars } from "../frame/interop.ts";
import { joinOnPeriod, type JoinReport } from "../frame/joins.ts";
import { toReturns } from "../frame/returns.ts";
import { exposureComparisonChart, exposureHeatmap } from "../plot/comparison.ts";
import type { Figure } from "../plot/figure.ts";
import { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle } from "../report/display.ts";
import { type Cell, Table } from "../report/table.ts";
import {
  famaMacBeth,
  type FamaMacBethOptions,
  type FamaMacBethResults,
  type GrsTest,
  grsTest,
} from "../stats/asset_pricing.ts";
import type { CovOptions, CovType } from "../stats/covariance.ts";
import { CollinearityError } from "../stats/errors.ts";
import { LabeledMatrix } from "../stats/labeled_matrix.ts";
import { NamedValues } from "../stats/named.ts";
import { ols, type OLSResults } from "../stats/ols.ts";
import { olsMany, type OlsManyResults } from "../stats/ols_many.ts";
import { Alpha, type AnalysisFrequency, FactorAnalysis, PERIODS_PER_YEAR } from "./analysis.ts";
import { type ModelInput, type ModelSpec, resolveModel } from "./specs.ts";

const PERIOD_UNIT: Record<AnalysisFrequency, string> = {
  monthly: "months",
  weekly: "weeks",
  daily: "days",
};

/** Columns never taken as assets from a wide frame: keys, the risk-free rate, library factors. */
const NOT_ASSETS = new Set([
  "period",
  "date",
  "RF",
  "MKT_RF",
  "Mkt-RF",
  "SMB",
  "HML",
  "RMW",
  "CMA",
  "MOM",
  "Mom",
]);

/** Options of {@linkcode analyzeMany}. */
export interface AnalyzeManyOptions extends CacheOptions, HttpOptions, CovOptions {
  /** Factor model: "capm", "ff3" (default), "carhart4", "ff5", "ff5mom", or `{ factors }`. */
  model?: ModelInput;
  /** First date or period (inclusive). Required for tickers. */
  start?: DateInput;
  /** Last date or period (inclusive). Required for tickers. */
  end?: DateInput;
  /** "monthly" (default), "weekly" or "daily". */
  frequency?: AnalysisFrequency;
  /** Covariance of the estimates (default "nonrobust"); HAC needs `maxlags`. */
  covType?: CovType;
  /** Use Student's t for inference (default: true for "nonrobust", false otherwise). */
  useT?: boolean;
  /** Significance level of intervals and verdicts (default 0.05). */
  significance?: number;
  /** Regress returns in excess of RF (default true). */
  excess?: boolean;
  /**
   * For a frame: the asset columns. Default: every numeric column except `period`/`date`, `RF`
   * and factor columns (MKT_RF, SMB, HML, RMW, CMA, MOM and the model's).
   */
  assets?: string[];
  /**
   * Fewest periods an asset needs to be fitted (default: regressors + 1). Assets with fewer are
   * listed in `skipped` with the reason.
   */
  minObs?: number;
  /** Factor region for library models (default "US"). */
  region?: string;
  /** Tickers: also fetch the period before `start`, so it gets a return too (default false). */
  includeFirstPeriod?: boolean;
  /** Base URL or mirror folder of the Ken French library. */
  frenchSource?: string;
  /** Base URL of the Yahoo chart API. */
  yahooSource?: string;
  /** Vintage of the factor files in a mirror folder. */
  vintage?: string;
  /** Tickers: downloads at once (default 4). */
  concurrency?: number;
  /** Tickers: progress display (default: in a terminal or notebook). */
  progress?: ProgressOption;
  /** Tickers: stop at the first failed download ("raise", default) or skip it ("collect"). */
  onError?: "raise" | "collect";
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
  result: OlsManyResults;
  index: number;
}

interface ManyParts {
  model: ModelSpec;
  frequency: AnalysisFrequency;
  data: DataFrame;
  assets: string[];
  fitted: Map<string, Fitted>;
  skipped: SkippedAsset[];
  joinReport: JoinReport | undefined;
  level: number;
  excess: boolean;
  options: AnalyzeManyOptions;
}

/**
 * Factor regressions of many assets on one model. Build it with {@linkcode analyzeMany}.
 */
export class ManyAnalysis {
  /** The model. */
  readonly model: ModelSpec;
  /** Return frequency. */
  readonly frequency: AnalysisFrequency;
  /**
   * The aligned data: `period`, one column per asset holding the regressed return (in excess
   * of RF unless `excess: false`), the factors (and `RF`). Nulls where an asset has no return.
   */
  readonly data: DataFrame;
  /** The fitted assets, in input order. */
  readonly assets: string[];
  /** Assets left out (too few periods, collinear factors over their sample, failed download). */
  readonly skipped: SkippedAsset[];
  /** Periods kept and dropped when the returns met the factors (undefined if not joined). */
  readonly joinReport: JoinReport | undefined;
  /** Significance level of intervals and verdicts. */
  readonly level: number;
  readonly #fitted: Map<string, Fitted>;
  readonly #excess: boolean;
  readonly #options: AnalyzeManyOptions;
  readonly #cache = new Map<string, unknown>();

  /** @internal Use {@linkcode analyzeMany}. */
  constructor(parts: ManyParts) {
    this.model = parts.model;
    this.frequency = parts.frequency;
    this.data = parts.data;
    this.assets = parts.assets;
    this.skipped = parts.skipped;
    this.joinReport = parts.joinReport;
    this.level = parts.level;
    this.#fitted = parts.fitted;
    this.#excess = parts.excess;
    this.#options = parts.options;
  }

  #memo<T>(key: string, make: () => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, make());
    return this.#cache.get(key) as T;
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
    return this.#memo(
      "nobs",
      () => new NamedValues(this.assets, this.assets.map((a) => this.#get(a).rows.length)),
    );
  }

  /** Estimates: assets × terms ("const" and the factors). */
  get params(): LabeledMatrix {
    return this.#memo("params", () => this.#gather((r) => r.params));
  }

  /** Standard errors: assets × terms. */
  get bse(): LabeledMatrix {
    return this.#memo("bse", () => this.#gather((r) => r.bse));
  }

  /** t (or z) statistics: assets × terms. */
  get tvalues(): LabeledMatrix {
    return this.#memo("t", () => this.#gather((r) => r.tvalues));
  }

  /** Two-sided p-values: assets × terms. */
  get pvalues(): LabeledMatrix {
    return this.#memo("p", () => this.#gather((r) => r.pvalues));
  }

  /** Factor loadings: assets × factors. */
  get betas(): LabeledMatrix {
    return this.#memo("betas", () => {
      const p = this.params;
      const l = this.factors.length;
      const out = new Float64Array(this.assets.length * l);
      this.assets.forEach((_, i) => {
        for (let j = 0; j < l; j++) out[i * l + j] = p.data[i * (l + 1) + j + 1];
      });
      return new LabeledMatrix(this.assets, this.factors, out);
    });
  }

  /** Alphas (intercepts) per period, by asset. */
  get alphas(): NamedValues {
    return this.params.column("const");
  }

  /** Adjusted R², by asset. */
  get rsquaredAdj(): NamedValues {
    return this.#memo(
      "r2adj",
      () =>
        new NamedValues(
          this.assets,
          this.assets.map((a) => {
            const f = this.#get(a);
            return f.result.rsquaredAdj[f.index];
          }),
        ),
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
   * `t`, `pValue`, one row per asset and term.
   */
  coefficients(): DataFrame {
    return this.#memo("tidy", () => {
      const terms = this.terms;
      const k = terms.length;
      const n = this.assets.length;
      const asset: string[] = new Array(n * k);
      const term: string[] = new Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          asset[i * k + j] = this.assets[i];
          term[i * k + j] = terms[j];
        }
      }
      return pl.DataFrame({
        asset,
        term,
        coef: Array.from(this.params.data),
        stdErr: Array.from(this.bse.data),
        t: Array.from(this.tvalues.data),
        pValue: Array.from(this.pvalues.data),
      });
    });
  }

  /**
   * One row per asset: periods used (first, last, count), alpha per period and annualized with
   * its p-value, the betas and the adjusted R².
   */
  table(): Table {
    const unit = PERIOD_UNIT[this.frequency];
    const periods = this.data.getColumn("period").toArray() as string[];
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
        alpha.pValue,
        ...this.betas.row(i),
        this.rsquaredAdj[i],
      ];
    });
    const notes: string[] = [];
    if (this.covType !== "nonrobust") {
      const specs = this.assets.map((a) => {
        const { result, index } = this.#get(a);
        return result.covKwdsOf(index);
      });
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
    return this.#memo(`fit:${asset}`, () => {
      const { y, X } = this.#rowsOf(asset);
      return ols(y, X, {
        addConstant: true,
        covType: this.#options.covType,
        maxlags: this.#options.maxlags,
        useCorrection: this.#options.useCorrection,
        useT: this.#options.useT,
        yname: this.#yColumn,
      });
    });
  }

  /** One asset as a {@linkcode FactorAnalysis}: report, interpretation, attribution, figures. */
  analysis(asset: string): FactorAnalysis {
    return this.#memo(`analysis:${asset}`, () => {
      const { rows } = this.#get(asset);
      const periods = this.data.getColumn("period").toArray() as string[];
      const pick = (name: string) => Array.from(rows, (r) => this.#column(name)[r]);
      const extra = this.data.columns.includes("RF") ? ["RF"] : [];
      const data = pl.DataFrame({
        period: Array.from(rows, (r) => periods[r]),
        [this.#yColumn]: pick(asset),
        ...Object.fromEntries([...this.factors, ...extra].map((c) => [c, pick(c)])),
      });
      return new FactorAnalysis({
        name: asset,
        model: this.model,
        frequency: this.frequency,
        data,
        yColumn: this.#yColumn,
        joinReport: undefined,
        fit: this.fit(asset),
        level: this.level,
      });
    });
  }

  /**
   * The GRS test that all alphas are zero, on the periods every chosen asset has (a balanced
   * panel). The result's `nobs` says how many periods that is.
   *
   * @param options `assets`: test a subset (default every fitted asset).
   */
  grs(options: { assets?: string[] } = {}): GrsTest {
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
        pValues: this.assets.map((a) => this.factors.map((f) => p.get(a, f))),
        significance: this.level,
        title,
      });
    }
    if (kind !== "bars") {
      throw new InvalidArgumentError(`kind must be "bars" or "heatmap", not "${kind}".`);
    }
    const ci = this.assets.map((a) => {
      const { result, index } = this.#get(a);
      return result.coefficients(index, this.level).slice(1);
    });
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

  /** In Jupyter: the table of assets. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.table()[JUPYTER_DISPLAY]();
  }

  /** `console.log` prints the table of assets. */
  [DENO_INSPECT](): string {
    return this.table().toString();
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

  #gather(pick: (r: OlsManyResults) => LabeledMatrix): LabeledMatrix {
    const k = this.terms.length;
    const out = new Float64Array(this.assets.length * k);
    this.assets.forEach((a, i) => {
      const { result, index } = this.#get(a);
      out.set(pick(result).data.subarray(index * k, (index + 1) * k), i * k);
    });
    return new LabeledMatrix(this.assets, this.terms, out);
  }

  #column(name: string): Float64Array {
    return this.#memo(`col:${name}`, () => numbers(this.data, name));
  }

  #rowsOf(asset: string): { y: Float64Array; X: Record<string, Float64Array> } {
    const { rows } = this.#get(asset);
    const pick = (c: Float64Array) => Float64Array.from(rows, (r) => c[r]);
    return {
      y: pick(this.#column(asset)),
      X: Object.fromEntries(this.factors.map((f) => [f, pick(this.#column(f))])),
    };
  }

  #balanced(assets: string[] = this.assets): {
    returns: Record<string, Float64Array>;
    factors: Record<string, Float64Array>;
    periods: string[];
  } {
    if (!Array.isArray(assets) || assets.length === 0) {
      throw new InvalidArgumentError("assets must be a non-empty list of fitted asset names.");
    }
    const all = this.data.getColumn("period").toArray() as string[];
    const keep = new Uint8Array(this.data.height).fill(1);
    for (const a of assets) {
      const mask = new Uint8Array(this.data.height);
      for (const r of this.#get(a).rows) mask[r] = 1;
      for (let t = 0; t < keep.length; t++) keep[t] &= mask[t];
    }
    const rows: number[] = [];
    keep.forEach((v, t) => v && rows.push(t));
    if (rows.length === 0) {
      throw new InvalidArgumentError(
        "The assets have no period in common, so a joint test has no balanced panel. Test " +
          "assets with overlapping histories ({ assets: [...] }).",
      );
    }
    const pick = (name: string) => Float64Array.from(rows, (r) => this.#column(name)[r]);
    return {
      returns: Object.fromEntries(assets.map((a) => [a, pick(a)])),
      factors: Object.fromEntries(this.factors.map((f) => [f, pick(f)])),
      periods: rows.map((r) => all[r]),
    };
  }
}

function numbers(frame: DataFrame, name: string): Float64Array {
  return Float64Array.from(
    frame.getColumn(name).toArray() as (number | null)[],
    (v) => (v === null || v === undefined ? NaN : Number(v)),
  );
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
 * const file = "../shared/data/french/25_Portfolios_5x5_202412.CSV";
 * const portfolios = (await frenchDataset(file, { start: "1990-01", end: "2019-12" })).tables[0];
 * const many = await analyzeMany(portfolios.frame, {
 *   model: "ff3",
 *   assets: ["SMALL LoBM", "SMALL HiBM", "BIG LoBM"],
 *   frenchSource: "../shared/data/french",
 *   vintage: "202412",
 * });
 * assert.deepEqual(many.assets, ["SMALL LoBM", "SMALL HiBM", "BIG LoBM"]);
 * assert.equal(many.nobs.get("BIG LoBM"), 360);
 * assert.ok(many.betas.get("SMALL HiBM", "SMB") > 0.8);
 * assert.ok(many.betas.get("BIG LoBM", "HML") < 0);
 * assert.equal(many.coefficients().height, 3 * 4);
 * assert.ok(many.grs().pValue < 0.05);
 * ```
 */
export async function analyzeMany(
  input: string[] | FrameLike,
  options: AnalyzeManyOptions = {},
): Promise<ManyAnalysis> {
  const model = resolveModel(options.model);
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
  const excess = options.excess ?? true;
  const { frame: returns, assets, failures } = await wideReturns(input, model, frequency, options);
  let { frame: data, report } = await withFactors(
    returns,
    assets,
    model,
    frequency,
    excess,
    options,
  );
  if (excess) {
    data = data.withColumns(...assets.map((a) => pl.col(a).sub(pl.col("RF")).alias(a)));
  }
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
  const fitted = fitGroups(data, assets, model.factors, minObs, options, skipped);
  if (fitted.size === 0) {
    throw new InvalidArgumentError(
      `No asset could be fitted: ${skipped.map((s) => `${s.asset} (${s.reason})`).join("; ")}.`,
    );
  }
  return new ManyAnalysis({
    model,
    frequency,
    data,
    assets: assets.filter((a) => fitted.has(a)),
    fitted,
    skipped,
    joinReport: report,
    level,
    excess,
    options,
  });
}

/** Groups assets by their valid periods and fits each group with one factorization. */
function fitGroups(
  data: DataFrame,
  assets: string[],
  factors: string[],
  minObs: number,
  options: AnalyzeManyOptions,
  skipped: SkippedAsset[],
): Map<string, Fitted> {
  const height = data.height;
  const factorCols = factors.map((f) => numbers(data, f));
  const factorOk = new Uint8Array(height);
  for (let t = 0; t < height; t++) {
    factorOk[t] = factorCols.every((c) => Number.isFinite(c[t])) ? 1 : 0;
  }
  const groups = new Map<string, { assets: string[]; columns: Float64Array[]; rows: Int32Array }>();
  for (const a of assets) {
    const col = numbers(data, a);
    const rows: number[] = [];
    for (let t = 0; t < height; t++) if (factorOk[t] && Number.isFinite(col[t])) rows.push(t);
    if (rows.length < minObs) {
      skipped.push({
        asset: a,
        reason: `only ${rows.length} period${rows.length === 1 ? "" : "s"} with a return and ` +
          `factors (needs ${minObs})`,
      });
      continue;
    }
    const key = rows.join(",");
    let g = groups.get(key);
    if (g === undefined) {
      g = { assets: [], columns: [], rows: Int32Array.from(rows) };
      groups.set(key, g);
    }
    g.assets.push(a);
    g.columns.push(Float64Array.from(rows, (t) => col[t]));
  }
  const fitted = new Map<string, Fitted>();
  for (const g of groups.values()) {
    const X = Object.fromEntries(
      factors.map((f, j) => [f, Float64Array.from(g.rows, (t) => factorCols[j][t])]),
    );
    const Y = Object.fromEntries(g.assets.map((a, j) => [a, g.columns[j]]));
    let result: OlsManyResults;
    try {
      result = olsMany(Y, X, {
        addConstant: true,
        covType: options.covType,
        maxlags: options.maxlags,
        useCorrection: options.useCorrection,
        useT: options.useT,
      });
    } catch (e) {
      if (!(e instanceof CollinearityError)) throw e;
      for (const a of g.assets) {
        skipped.push({
          asset: a,
          reason: `the factors are collinear over its periods (${e.message})`,
        });
      }
      continue;
    }
    g.assets.forEach((a, index) => fitted.set(a, { rows: g.rows, result, index }));
  }
  return fitted;
}

function firstPriceDate(start: string, frequency: AnalysisFrequency): string {
  if (frequency === "monthly") return monthStart(start, -1);
  return addDays(start, frequency === "weekly" ? -10 : -7);
}

function fetchOptions(options: AnalyzeManyOptions): CacheOptions & HttpOptions {
  const { cache, cacheDir, refresh, offline, ttlMs, headers, timeoutMs, retry, onRetry, signal } =
    options;
  return { cache, cacheDir, refresh, offline, ttlMs, headers, timeoutMs, retry, onRetry, signal };
}

/** Outer join of one-column return frames on period. */
function joinWide(frames: DataFrame[]): DataFrame {
  let wide = frames[0];
  for (const f of frames.slice(1)) {
    wide = wide.join(f, { on: "period", how: "full", coalesce: true });
  }
  return wide.sort("period");
}

async function wideReturns(
  input: string[] | FrameLike,
  model: ModelSpec,
  frequency: AnalysisFrequency,
  options: AnalyzeManyOptions,
): Promise<{ frame: DataFrame; assets: string[]; failures: { ticker: string; error: Error }[] }> {
  if (typeof input === "string") {
    throw new InvalidArgumentError(
      `analyzeMany takes a list of tickers (["${input}"]) or a wide frame; for one asset use ` +
        `analyze("${input}").`,
    );
  }
  if (Array.isArray(input) && input.every((v) => typeof v === "string")) {
    const tickers = input as string[];
    if (tickers.length === 0) throw new InvalidArgumentError("Pass at least one ticker.");
    if (options.start === undefined || options.end === undefined) {
      throw new InvalidArgumentError(
        'analyzeMany(tickers) needs the period: { start: "2010-01-01", end: "2020-12-31" }.',
      );
    }
    const start = normalizeDate(options.start, "start");
    const end = normalizeDate(options.end, "end");
    const set = await yahooPrices(tickers, {
      ...fetchOptions(options),
      start: options.includeFirstPeriod ? firstPriceDate(start, frequency) : start,
      end,
      source: options.yahooSource,
      concurrency: options.concurrency,
      progress: options.progress,
      onError: options.onError,
    });
    if (set.histories.length === 0) {
      throw new InvalidArgumentError(
        `No prices could be downloaded for ${tickers.join(", ")}: ${
          set.failures.map((f) => `${f.ticker}: ${f.error.message}`).join("; ")
        }`,
      );
    }
    const frames = set.histories.map((h) => {
      let r = toReturns(h.prices, frequency).select("period", pl.col("return").alias(h.ticker));
      if (options.includeFirstPeriod) r = filterPeriods(r, start, end);
      return r;
    });
    return {
      frame: joinWide(frames),
      assets: set.histories.map((h) => h.ticker),
      failures: set.failures,
    };
  }
  const frame = toPolars(input as FrameLike);
  const key = frame.columns.includes("period")
    ? "period"
    : frame.columns.includes("date")
    ? "date"
    : undefined;
  if (key === undefined) {
    throw new InvalidArgumentError(
      `A frame given to analyzeMany needs a "period" column (returns, one column per asset) or a ` +
        `"date" column (daily prices, one column per asset); it has ${frame.columns.join(", ")}.`,
    );
  }
  const assets = options.assets ??
    frame.columns.filter((c) =>
      !NOT_ASSETS.has(c) && !model.factors.includes(c) &&
      frame.getColumn(c).isNumeric()
    );
  if (!Array.isArray(assets) || assets.length === 0) {
    throw new InvalidArgumentError(
      `The frame has no asset columns (columns: ${frame.columns.join(", ")}). Name them with ` +
        "{ assets: [...] }.",
    );
  }
  const missing = assets.filter((a) => !frame.columns.includes(a));
  if (missing.length) {
    throw new InvalidArgumentError(
      `The frame has no column${missing.length > 1 ? "s" : ""} ${
        missing.map((m) => `"${m}"`).join(", ")
      } (columns: ${frame.columns.join(", ")}).`,
    );
  }
  const clash = assets.find((a) => model.factors.includes(a) || a === "RF" || a === key);
  if (clash !== undefined) {
    throw new InvalidArgumentError(
      `"${clash}" is a factor or key column, not an asset; drop it from assets.`,
    );
  }
  const seen = new Set<string>();
  const dup = assets.find((a) => seen.size === seen.add(a).size);
  if (dup !== undefined) throw new InvalidArgumentError(`Asset "${dup}" is listed twice.`);
  if (key === "period") {
    const kept = filterPeriods(frame, options.start, options.end);
    const others = frame.columns.filter((c) => c !== "period" && !assets.includes(c));
    return {
      frame: kept.select(
        "period",
        ...assets.map((a) => pl.col(a).cast(pl.Float64)),
        ...others,
      ),
      assets,
      failures: [],
    };
  }
  const prices = filterPeriods(frame, options.start, options.end, "date");
  const frames = assets.map((a) =>
    toReturns(
      prices.select("date", pl.col(a).cast(pl.Float64)).filter(pl.col(a).isNotNull()),
      frequency,
      {
        priceCol: a,
      },
    ).select("period", pl.col("return").alias(a))
  );
  return { frame: joinWide(frames), assets, failures: [] };
}

/** Adds the model's factors (and RF) unless the frame has them; inner join on period. */
async function withFactors(
  returns: DataFrame,
  assets: string[],
  model: ModelSpec,
  frequency: AnalysisFrequency,
  excess: boolean,
  options: AnalyzeManyOptions,
): Promise<{ frame: DataFrame; report: JoinReport | undefined }> {
  const needed = [...model.factors, ...(excess ? ["RF"] : [])];
  if (needed.every((c) => returns.columns.includes(c))) {
    return { frame: returns.select("period", ...assets, ...needed), report: undefined };
  }
  let factors: DataFrame;
  if (model.data !== undefined) {
    factors = toPolars(model.data);
  } else {
    if (model.library === undefined) {
      throw new InvalidArgumentError(
        `The Ken French library has no model with all of ${model.factors.join(", ")}. Pass your ` +
          "factors as { factors: [...], data: frameWithPeriodAndFactors }, or put them in the " +
          "returns frame.",
      );
    }
    const periods = returns.getColumn("period").toArray() as string[];
    if (periods.length === 0) {
      throw new InvalidArgumentError("The returns are empty for the requested period.");
    }
    factors = await famaFrenchFactors({
      ...fetchOptions(options),
      model: model.library,
      frequency,
      region: options.region,
      start: normalizeDate(periods[0], "start"),
      end: normalizeDate(periods[periods.length - 1], "end"),
      source: options.frenchSource,
      vintage: options.vintage,
    });
  }
  const fromFactors = needed.filter((c) => !returns.columns.includes(c));
  const absent = fromFactors.filter((c) => !factors.columns.includes(c));
  if (absent.length > 0) {
    throw new InvalidArgumentError(
      `The factor data has no ${absent.map((c) => `"${c}"`).join(", ")} column` +
        `${absent.length > 1 ? "s" : ""} (it has ${factors.columns.join(", ")}).`,
    );
  }
  const own = needed.filter((c) => returns.columns.includes(c));
  const { frame, report } = joinOnPeriod(
    returns.select("period", ...assets, ...own),
    factors.select("period", ...fromFactors),
    { leftName: "asset returns", rightName: `${model.label} factors` },
  );
  return { frame: frame.select("period", ...assets, ...needed), report };
}
