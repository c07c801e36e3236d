/**
 * The result of a statistical test as a small object: statistic, p-value, degrees of freedom,
 * reference distribution and the null hypothesis, like linearmodels' `WaldTestStatistic`.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { Displayable, formatP, type Summary, Table } from "../display/mod.ts";

/** Reference distributions of test statistics. */
export type TestDistribution = "F" | "chi2" | "t" | "normal";

/** What a {@linkcode TestResult} is made of. */
export interface TestResultData {
  /** Name of the test, e.g. "GRS". */
  name: string;
  /** The test statistic. */
  stat: number;
  /** p-value of the statistic (upper tail, or two-sided for t and normal). */
  pValue: number;
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
 *   stat: 3.70,
 *   pValue: 5.1e-9,
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
  readonly stat: number;
  /** p-value of the statistic. */
  readonly pValue: number;
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
  constructor(data: TestResultData) {
    super();
    if (data.distribution === "F" && data.dfDenom === undefined) {
      throw new InvalidArgumentError(
        "TestResult: an F statistic needs dfDenom, the denominator df.",
      );
    }
    this.name = data.name;
    this.stat = data.stat;
    this.pValue = data.pValue;
    this.df = data.df;
    this.dfDenom = data.dfDenom;
    this.distribution = data.distribution;
    this.nullHypothesis = data.nullHypothesis;
    this.alternative = data.alternative ?? "the null is false";
  }

  /** The distribution with its degrees of freedom: "F(25, 710)", "chi2(25)", "t(737)", "N(0, 1)". */
  get distributionLabel(): string {
    switch (this.distribution) {
      case "F":
        return `F(${this.df}, ${this.dfDenom})`;
      case "chi2":
        return `chi2(${this.df})`;
      case "t":
        return `t(${this.df})`;
      default:
        return "N(0, 1)";
    }
  }

  /** Whether the null is rejected at significance level `level` (p-value below it). */
  rejects(level = 0.05): boolean {
    if (!(level > 0 && level < 1)) {
      throw new InvalidArgumentError(`level must be between 0 and 1 (e.g. 0.05), not ${level}.`);
    }
    return this.pValue < level;
  }

  /** The result as a two-column table (statistic, p-value, distribution, hypotheses). */
  toTable(): Table {
    return new Table(
      [{ header: "" }, { header: "" }],
      [
        ["Statistic", fmt(this.stat)],
        ["P-value", formatP(this.pValue)],
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
    return `${this.name}: ${fmt(this.stat)} ~ ${this.distributionLabel}, p-value ${
      formatP(this.pValue)
    }; H0: ${this.nullHypothesis}`;
  }

  /** Machine-readable form. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      stat: this.stat,
      pValue: this.pValue,
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
