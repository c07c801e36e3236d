/**
 * statsmodels' OLS summary, built from plain numbers as a {@linkcode Summary}: the header block,
 * the coefficient table, the diagnostics block and the notes statsmodels prints, in its text
 * layout, so this module does not depend on how the numbers were estimated.
 *
 * @module
 */

import { printf } from "./format.ts";
import { type CoefficientRow, CoefficientTable, HeaderBlock, Summary } from "./summary.ts";

/** Residual diagnostics printed in the bottom block of the summary. */
export interface SummaryDiagnostics {
  /** D'Agostino-Pearson omnibus statistic. */
  omnibus: number;
  /** Its p-value. */
  omnibusPvalue: number;
  /** Residual skewness. */
  skew: number;
  /** Residual kurtosis (not in excess). */
  kurtosis: number;
  /** Durbin-Watson statistic. */
  durbinWatson: number;
  /** Jarque-Bera statistic. */
  jarqueBera: number;
  /** Its p-value. */
  jarqueBeraPvalue: number;
  /** Condition number of X. */
  conditionNumber: number;
}

/** Everything a regression summary shows. */
export interface RegressionSummaryData {
  /** Title line; default `"OLS Regression Results"`. */
  title?: string;
  /** Name of the dependent variable. */
  yname: string;
  /** Model name printed after "Model:" (e.g. `"OLS"`). */
  modelName: string;
  /** Estimation method (e.g. `"Least Squares"`). */
  method: string;
  /** When the summary was made (printed as Date and Time). */
  date: Date;
  /** Number of observations. */
  nobs: number;
  /** Residual degrees of freedom. */
  dfResid: number;
  /** Model degrees of freedom. */
  dfModel: number;
  /** Covariance type name (e.g. `"nonrobust"`, `"HAC"`). */
  covType: string;
  /** Sentence describing the covariance estimate (first note). */
  covDescription: string;
  /** Whether the model has a constant (R² centered). */
  centered: boolean;
  /** R². */
  rsquared: number;
  /** Adjusted R². */
  rsquaredAdj: number;
  /** F statistic. */
  fvalue: number;
  /** Its p-value. */
  fPvalue: number;
  /** Log-likelihood. */
  llf: number;
  /** Akaike information criterion. */
  aic: number;
  /** Bayesian information criterion. */
  bic: number;
  /** Coefficient rows. */
  coefficients: CoefficientRow[];
  /** Whether inference uses Student's t (else the normal). */
  useT: boolean;
  /** Significance level of the confidence intervals. */
  alpha: number;
  /** Residual diagnostics. */
  diagnostics: SummaryDiagnostics;
  /** Smallest eigenvalue of XᵀX (a note is added when it is below 1e-10). */
  smallestEigenvalue: number;
  /** Rows dropped for missing values before fitting (a note is added when positive). */
  droppedRows?: number;
  /**
   * Further notes, printed after statsmodels' own (e.g. on a constant y, or on a fit computed in
   * extended precision). statsmodels prints none of these, so ordinary fits have none.
   */
  notes?: string[];
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** `d_or_f` of statsmodels: integers as `%#6d`, other numbers as `%#8.2f`. */
function dOrF(x: number): string {
  if (Number.isNaN(x)) return "   NaN";
  return Math.floor(x) === x ? printf("%#6d", x) : printf("%#8.2f", x);
}

/** The notes statsmodels prints under an OLS summary, then the caller's own. */
function regressionNotes(d: RegressionSummaryData): string[] {
  const notes: string[] = [];
  if (!d.centered) {
    notes.push(
      "R² is computed without centering (uncentered) since the model does not contain a constant.",
    );
  }
  notes.push(d.covDescription);
  if (d.smallestEigenvalue < 1e-10) {
    notes.push(
      `The smallest eigenvalue is ${printf("%6.3g", d.smallestEigenvalue)}. This might ` +
        "indicate that there are\nstrong multicollinearity problems or that the design " +
        "matrix is singular.",
    );
  } else if (d.diagnostics.conditionNumber > 1000) {
    notes.push(
      `The condition number is large, ${printf("%6.3g", d.diagnostics.conditionNumber)}. ` +
        "This might indicate that there are\nstrong multicollinearity or other numerical " +
        "problems.",
    );
  }
  if (d.droppedRows) {
    notes.push(
      `${d.droppedRows} observation${d.droppedRows === 1 ? " was" : "s were"} dropped ` +
        "because of missing values.",
    );
  }
  return [...notes, ...(d.notes ?? [])];
}

/**
 * statsmodels' regression summary of the given numbers: `toString()` is statsmodels' text, byte
 * for byte; `toHTML()` and `toMarkdown()` show the same three blocks and notes.
 *
 * @example
 * ```ts
 * import { regressionSummary } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = regressionSummary({
 *   yname: "VBR", modelName: "OLS", method: "Least Squares", date: new Date(2026, 0, 2, 9, 30),
 *   nobs: 131, dfResid: 129, dfModel: 1, covType: "nonrobust", centered: true,
 *   covDescription: "Standard Errors assume that the covariance matrix of the errors is correctly specified.",
 *   rsquared: 0.958, rsquaredAdj: 0.957, fvalue: 962.1, fPvalue: 1.2e-86, llf: 420.5, aic: -837,
 *   bic: -831.2, useT: true, alpha: 0.05, smallestEigenvalue: 0.01,
 *   coefficients: [
 *     { name: "MKT_RF", coef: 1.02, stdErr: 0.03, t: 31, pvalue: 0, lower: 0.96, upper: 1.08 },
 *   ],
 *   diagnostics: {
 *     omnibus: 1.2, omnibusPvalue: 0.55, skew: 0.1, kurtosis: 3.1, durbinWatson: 2.01,
 *     jarqueBera: 0.4, jarqueBeraPvalue: 0.82, conditionNumber: 12,
 *   },
 * });
 * assert.match(summary.toString(), /Dep\. Variable: +VBR +R-squared: +0\.958/);
 * assert.equal(summary.coefficients[0].coef, 1.02);
 * ```
 */
export function regressionSummary(d: RegressionSummaryData): Summary {
  const { date } = d;
  const uc = d.centered ? "" : " (uncentered)";
  const g = d.diagnostics;
  return new Summary([
    new HeaderBlock(
      [
        ["Dep. Variable:", d.yname],
        ["Model:", d.modelName],
        ["Method:", d.method],
        [
          "Date:",
          `${DAYS[date.getDay()]}, ${two(date.getDate())} ${
            MONTHS[date.getMonth()]
          } ${date.getFullYear()}`,
        ],
        ["Time:", `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`],
        ["No. Observations:", dOrF(d.nobs)],
        ["Df Residuals:", dOrF(d.dfResid)],
        ["Df Model:", dOrF(d.dfModel)],
        ["Covariance Type:", d.covType],
      ],
      [
        [`R-squared${uc}:`, printf("%#8.3f", d.rsquared)],
        [`Adj. R-squared${uc}:`, printf("%#8.3f", d.rsquaredAdj)],
        ["F-statistic:", printf("%#8.4g", d.fvalue)],
        ["Prob (F-statistic):", printf("%#6.3g", d.fPvalue)],
        ["Log-Likelihood:", printf("%#8.5g", d.llf)],
        ["AIC:", printf("%#8.4g", d.aic)],
        ["BIC:", printf("%#8.4g", d.bic)],
      ],
      d.title ?? `${d.modelName} Regression Results`,
    ),
    new CoefficientTable(d.coefficients, { useT: d.useT, alpha: d.alpha }),
    new HeaderBlock(
      [
        ["Omnibus:", printf("%#6.3f", g.omnibus)],
        ["Prob(Omnibus):", printf("%#6.3f", g.omnibusPvalue)],
        ["Skew:", printf("%#6.3f", g.skew)],
        ["Kurtosis:", printf("%#6.3f", g.kurtosis)],
      ],
      [
        ["Durbin-Watson:", printf("%#8.3f", g.durbinWatson)],
        ["Jarque-Bera (JB):", printf("%#8.3f", g.jarqueBera)],
        ["Prob(JB):", printf("%#8.3g", g.jarqueBeraPvalue)],
        ["Cond. No.", printf("%#8.3g", g.conditionNumber)],
      ],
    ),
  ], regressionNotes(d));
}
