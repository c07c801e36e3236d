/**
 * Rolling factor exposures: the factor model fitted on a moving window of periods, with the
 * betas per window end keyed by period, their confidence bands, a polars frame and a figure.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "../data/polars.ts";
import { Displayable, type Summary } from "../display/mod.ts";
import { InvalidArgumentError } from "../errors.ts";
import { type Figure, rollingBetasChart } from "../plot/mod.ts";
import { LabeledMatrix } from "../stats/labeled_matrix.ts";
import { NamedValues } from "../stats/named.ts";
import { rollingOls, type RollingOLSResults } from "../stats/rolling.ts";

/** Rolling regressions in `analyze`: a window of periods, or the window with more settings. */
export type RollingInput = number | {
  /** Periods per regression (e.g. 36 months). */
  window: number;
  /** Fewest complete periods for an estimate (default: the number of coefficients). */
  minObs?: number;
  /** Also estimate the first windows, from `minObs` periods on (default false). */
  expanding?: boolean;
};

/** What {@linkcode rollingBetas} needs: the aligned data and what to regress on what. */
export interface RollingBetasInput {
  /** Aligned data with a `period` column, the return column and the factor columns. */
  data: DataFrame;
  /** Column of `data` regressed on the factors. */
  yColumn: string;
  /** Factor columns, in model order. */
  factors: readonly string[];
  /** Window (and settings) of the rolling regressions. */
  rolling: RollingInput;
  /** Asset name, for titles. */
  name: string;
  /** Significance level of the confidence bands (0.05 gives 95% bands). */
  level: number;
  /** What one period is ("month", "week", "day"), for titles (default "period"). */
  unit?: string;
}

/**
 * Fits the factor model (with a constant) on every window of periods of `data`: periods with
 * a missing value are left out of the windows that hold them.
 *
 * @param input Data, columns, window, name and band level.
 * @returns The rolling betas, keyed by the period that ends each window.
 * @throws {InvalidArgumentError} for a window that is not a whole number of periods.
 * @throws {RegressionInputError} for a window longer than the data or too short for the model.
 *
 * @example Three-year betas from a returns frame
 * ```ts
 * import { rollingBetas } from "../../mod.ts";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import assert from "node:assert/strict";
 *
 * const periods = Array.from({ length: 48 }, (_, i) =>
 *   `${2016 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
 * const mkt = periods.map((_, i) => 0.04 * Math.sin(0.9 * i));
 * const data = pl.DataFrame({
 *   period: periods,
 *   MKT_RF: mkt,
 *   excessReturn: mkt.map((m, i) => 0.001 + (i < 24 ? 0.8 : 1.2) * m + 0.002 * Math.cos(3 * i)),
 * });
 * const rolling = rollingBetas({
 *   data, yColumn: "excessReturn", factors: ["MKT_RF"], rolling: 12, name: "demo", level: 0.05,
 * });
 * assert.equal(rolling.at("2016-11"), null); // 11 periods: no estimate yet
 * assert.ok(Math.abs(rolling.at("2017-12")!.get("MKT_RF") - 0.8) < 0.05);
 * assert.ok(Math.abs(rolling.at("2019-12")!.get("MKT_RF") - 1.2) < 0.05);
 * ```
 */
export function rollingBetas(input: RollingBetasInput): RollingBetas {
  const settings = typeof input.rolling === "number" ? { window: input.rolling } : input.rolling;
  if (typeof settings?.window !== "number" || !Number.isInteger(settings.window)) {
    throw new InvalidArgumentError(
      `rolling must be a whole number of periods (e.g. { rolling: 36 }) or { window, minObs, ` +
        `expanding }, not ${JSON.stringify(input.rolling)}.`,
    );
  }
  const { data, yColumn, factors } = input;
  const column = (c: string) =>
    Float64Array.from(data.getColumn(c).toArray() as (number | null)[], (v) => v ?? NaN);
  const results = rollingOls(
    column(yColumn),
    Object.fromEntries(factors.map((f) => [f, column(f)])),
    {
      window: settings.window,
      minObs: settings.minObs,
      expanding: settings.expanding,
      addConstant: true,
      missing: "drop",
      index: data.getColumn("period").toArray() as string[],
    },
  );
  return new RollingBetas(results, [...factors], input.name, input.level, input.unit);
}

/**
 * Betas of a factor model fitted on a moving window of periods. Build it with
 * `analyze(..., { rolling: 36 })` (then `analysis.rolling`) or {@linkcode rollingBetas}.
 * Periods whose window has no estimate (the first `window − 1`, or too few complete periods)
 * hold NaN, or null in the frame.
 */
export class RollingBetas extends Displayable {
  /** The rolling regressions, keyed by period (`results.at("2015-06")`, `results.bse`, …). */
  readonly results: RollingOLSResults;
  /** Factor names, in model order. */
  readonly factors: readonly string[];
  /** Asset name. */
  readonly name: string;
  /** Significance level of the bands (0.05 gives 95% bands). */
  readonly level: number;
  /** What one period is ("month", "week", "day" or "period"), for titles. */
  readonly unit: string;

  /** @internal Use {@linkcode rollingBetas} or `analyze(..., { rolling })`. */
  constructor(
    results: RollingOLSResults,
    factors: string[],
    name: string,
    level: number,
    unit = "period",
  ) {
    super();
    this.results = results;
    this.factors = Object.freeze(factors);
    this.name = name;
    this.level = level;
    this.unit = unit;
  }

  /**
   * What the betas print and display: the windows, then each coefficient in the first and last
   * window and its mean, lowest and highest over the windows.
   */
  summary(): Summary {
    return this.results.summary({
      title: `Rolling betas of ${this.name}, ${this.window}-${this.unit} windows`,
    });
  }

  /** Periods per window. */
  get window(): number {
    return this.results.window;
  }

  /** Every period of the data; each ends a window. */
  get periods(): string[] {
    return [...this.results.labels];
  }

  /** Betas per window end: periods × factors. */
  get betas(): LabeledMatrix {
    const params = this.results.params;
    const k = this.factors.length;
    const rows = params.rows;
    const data = new Float64Array(rows * k);
    for (let t = 0; t < rows; t++) {
      this.factors.forEach((f, j) => (data[t * k + j] = params.get(t, f)));
    }
    return new LabeledMatrix(this.results.labels, this.factors, data);
  }

  /** Alpha (the intercept) per window end, keyed by period. */
  get alpha(): NamedValues {
    return this.results.params.column("const");
  }

  /** The betas of the window ending at a period, or null when that window has none. */
  at(period: string): NamedValues | null {
    const w = this.results.at(period);
    if (w === null) return null;
    return new NamedValues(this.factors, this.factors.map((f) => w.params.get(f)));
  }

  /**
   * The rolling estimates as a polars frame: `period`, `nobs`, `alpha`, one column per factor
   * and `rsquaredAdj`; null where a window has no estimate.
   */
  get frame(): DataFrame {
    const r = this.results;
    const values = (v: ArrayLike<number>) => Array.from(v, (x) => (Number.isNaN(x) ? null : x));
    const columns: Record<string, unknown> = {
      period: this.periods,
      nobs: Array.from(r.nobs),
      alpha: values(this.alpha),
    };
    for (const f of this.factors) columns[f] = values(r.params.column(f));
    columns.rsquaredAdj = values(r.rsquaredAdj);
    return pl.DataFrame(columns).withColumns(pl.col("nobs").cast(pl.Int32));
  }

  /**
   * Rolling betas with their (1 − level) confidence bands over time.
   *
   * @param options Title, and which factors to draw (default all).
   */
  plot(options: { title?: string; factors?: string[] } = {}): Figure {
    const factors = options.factors ?? [...this.factors];
    const unknown = factors.find((f) => !this.factors.includes(f));
    if (unknown !== undefined) {
      throw new InvalidArgumentError(
        `"${unknown}" is not a factor of this model (${this.factors.join(", ")}).`,
      );
    }
    const ci = this.results.confInt(this.level);
    // The axis starts at the first window with an estimate, not at the first period of data.
    const first = Math.max(0, this.results.nobs.findIndex((n) => n > 0));
    const nullable = (v: ArrayLike<number>) =>
      Array.from(v, (x) => (Number.isNaN(x) ? null : x)).slice(first);
    return rollingBetasChart({
      periods: this.periods.slice(first),
      series: factors.map((f) => ({
        name: f,
        values: nullable(this.results.params.column(f)),
        lower: nullable(ci.lower.column(f)),
        upper: nullable(ci.upper.column(f)),
      })),
      level: 1 - this.level,
      title: options.title ?? `Rolling ${this.window}-${this.unit} betas: ${this.name}`,
    });
  }
}
