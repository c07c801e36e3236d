/**
 * The result of a statistical test as a small object: statistic, p-value, degrees of freedom,
 * reference distribution and the null hypothesis, like linearmodels' `WaldTestStatistic`.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { CoefficientTable, Displayable, formatP, Summary, Table } from "../display/mod.ts";
import { normalPpf, studentTPpf } from "./distributions.ts";

/** Reference distributions of test statistics. */
export type TestDistribution = "F" | "chi2" | "t" | "normal";

/** What a {@linkcode TestResult} is made of. */
export interface TestResultData {
  /** Name of the test, e.g. "GRS". */
  name: string;
  /** The test statistic. */
  statistic: number;
  /** p-value of the statistic (upper tail, or two-sided for t and normal). */
  pvalue: number;
  /** Degrees of freedom (the numerator's for F; unused for the normal). */
  df: number;
  /** Denominator degrees of freedom (F only). */
  dfDenom?: number;
  /** Reference distribution under the null. */
  distribution: TestDistribution;
  /** The null hypothesis, in words. */
  nullHypothesis: string;
  /** The alternative, in words (default: "the null is false"). */
  alternative?: string;
}

/**
 * @deprecated Use {@link TestResultData}, whose `stat` is `statistic` and `pValue` is `pvalue`;
 * this form goes in 0.2.0.
 */
export type LegacyTestResultData = Omit<TestResultData, "statistic" | "pvalue"> & {
  /** The test statistic. */
  stat: number;
  /** p-value of the statistic. */
  pValue: number;
};

/**
 * A test statistic with its p-value and distribution; it prints as a short table and displays
 * itself in Jupyter.
 *
 * @example
 * ```ts
 * import { TestResult } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const test = new TestResult({
 *   name: "GRS",
 *   statistic: 3.70,
 *   pvalue: 5.1e-9,
 *   df: 25,
 *   dfDenom: 710,
 *   distribution: "F",
 *   nullHypothesis: "all 25 alphas are zero",
 * });
 * assert.equal(test.distributionLabel, "F(25, 710)");
 * assert.ok(test.rejects(0.05));
 * ```
 */
export class TestResult extends Displayable {
  /** Name of the test. */
  readonly name: string;
  /** The test statistic. */
  readonly statistic: number;
  /** p-value of the statistic. */
  readonly pvalue: number;
  /** Degrees of freedom (numerator for F). */
  readonly df: number;
  /** Denominator degrees of freedom (F only). */
  readonly dfDenom: number | undefined;
  /** Reference distribution under the null. */
  readonly distribution: TestDistribution;
  /** The null hypothesis. */
  readonly nullHypothesis: string;
  /** The alternative hypothesis. */
  readonly alternative: string;

  /** Creates the result; see {@linkcode TestResultData}. */
  constructor(data: TestResultData | LegacyTestResultData) {
    super();
    if (data.distribution === "F" && data.dfDenom === undefined) {
      throw new InvalidArgumentError(
        "TestResult: an F statistic needs dfDenom, the denominator df.",
      );
    }
    this.name = data.name;
    this.statistic = "stat" in data ? data.stat : data.statistic;
    this.pvalue = "pValue" in data ? data.pValue : data.pvalue;
    this.df = data.df;
    this.dfDenom = data.dfDenom;
    this.distribution = data.distribution;
    this.nullHypothesis = data.nullHypothesis;
    this.alternative = data.alternative ?? "the null is false";
  }

  /** Numerator degrees of freedom of an F statistic (statsmodels' `df_num`), else undefined. */
  get dfNum(): number | undefined {
    return this.distribution === "F" ? this.df : undefined;
  }

  /** @deprecated Use {@link TestResult.statistic}; this name goes in 0.2.0. */
  get stat(): number {
    return this.statistic;
  }

  /** @deprecated Use {@link TestResult.pvalue}; this name goes in 0.2.0. */
  get pValue(): number {
    return this.pvalue;
  }

  /** The distribution with its degrees of freedom: "F(25, 710)", "chi2(25)", "t(737)", "N(0, 1)". */
  get distributionLabel(): string {
    const d = this.distribution;
    if (d === "F") return `F(${this.df}, ${this.dfDenom})`;
    return d === "chi2" || d === "t" ? `${d}(${this.df})` : "N(0, 1)";
  }

  /** Whether the null is rejected at significance level `level` (p-value below it). */
  rejects(level = 0.05): boolean {
    if (!(level > 0 && level < 1)) {
      throw new InvalidArgumentError(`level must be between 0 and 1 (e.g. 0.05), not ${level}.`);
    }
    return this.pvalue < level;
  }

  /** The result as a two-column table (statistic, p-value, distribution, hypotheses). */
  toTable(): Table {
    return new Table(
      [{ header: "" }, { header: "" }],
      [
        ["Statistic", fmt(this.statistic)],
        ["P-value", formatP(this.pvalue)],
        ["Distribution", this.distributionLabel],
        ["H0", this.nullHypothesis],
        ["H1", this.alternative],
      ],
      { title: `${this.name} test` },
    );
  }

  /** The table as a summary: what the test displays in Jupyter. */
  summary(): Summary {
    return this.toTable().summary();
  }

  /** One line: name, statistic, distribution and p-value; also what `console.log` prints. */
  override toString(): string {
    return `${this.name}: ${fmt(this.statistic)} ~ ${this.distributionLabel}, p-value ${
      formatP(this.pvalue)
    }; H0: ${this.nullHypothesis}`;
  }

  /** Machine-readable form. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      statistic: this.statistic,
      pvalue: this.pvalue,
      df: this.df,
      dfDenom: this.dfDenom,
      distribution: this.distribution,
      nullHypothesis: this.nullHypothesis,
      alternative: this.alternative,
    };
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6 ? v.toFixed(4) : v.toExponential(4);
}

/**
 * One t (or z) test per linear restriction, as statsmodels' `t_test`: the effect `R b`, its
 * standard error `sd`, the statistic `(R b − q) / sd`, the two-sided p-value and intervals.
 *
 * @example
 * ```ts
 * import { ols, referenceDataset } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { y, X } = referenceDataset("factor");
 * const t = ols(y, X).tTest("SMB = HML");
 * assert.equal(t.names[0], "SMB = HML");
 * assert.ok(t.confInt().lower[0] < t.effect[0]);
 * ```
 */
export class TTestResult extends Displayable {
  /** The restrictions as text, one per row. */
  readonly names: readonly string[];
  /** `R b`, one per restriction. */
  readonly effect: Float64Array;
  /** Standard errors of the effects. */
  readonly sd: Float64Array;
  /** `(R b − q) / sd`. */
  readonly tvalue: Float64Array;
  /** Two-sided p-values. */
  readonly pvalue: Float64Array;
  /** Degrees of freedom of Student's t (unused for the normal distribution). */
  readonly df: number;
  /** Reference distribution: Student's t or the normal. */
  readonly distribution: "t" | "normal";

  /** @internal Built by the results' `tTest`. */
  constructor(
    data: Pick<
      TTestResult,
      "names" | "effect" | "sd" | "tvalue" | "pvalue" | "df" | "distribution"
    >,
  ) {
    super();
    this.names = Object.freeze([...data.names]);
    this.effect = data.effect;
    this.sd = data.sd;
    this.tvalue = data.tvalue;
    this.pvalue = data.pvalue;
    this.df = data.df;
    this.distribution = data.distribution;
  }

  /** Intervals `effect ± critical · sd` at level `1 − alpha`. */
  confInt(alpha = 0.05): { lower: Float64Array; upper: Float64Array } {
    if (!(alpha > 0 && alpha < 1)) {
      throw new InvalidArgumentError(`alpha must be between 0 and 1 (e.g. 0.05), not ${alpha}.`);
    }
    const q = this.distribution === "t"
      ? studentTPpf(1 - alpha / 2, this.df)
      : normalPpf(1 - alpha / 2);
    return {
      lower: this.effect.map((e, i) => e - q * this.sd[i]),
      upper: this.effect.map((e, i) => e + q * this.sd[i]),
    };
  }

  /** statsmodels' `t_test` table: effect, standard error, t (or z), p-value and interval. */
  summary(alpha = 0.05): Summary {
    const { lower, upper } = this.confInt(alpha);
    const rows = this.names.map((name, i) => ({
      name,
      coef: this.effect[i],
      stdErr: this.sd[i],
      t: this.tvalue[i],
      pvalue: this.pvalue[i],
      pValue: this.pvalue[i],
      lower: lower[i],
      upper: upper[i],
    }));
    return Summary.of(new CoefficientTable(rows, { useT: this.distribution === "t", alpha }));
  }
}
