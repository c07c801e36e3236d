/**
 * The regression summary: statsmodels' printed table (text, identical in layout), a
 * styled HTML table for notebooks (light and dark themes), Markdown, and a Jupyter
 * display bundle. The summary is built from plain numbers, so this module does not depend
 * on how they were estimated.
 *
 * @module
 */

import { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle } from "./symbols.ts";
import { printf, pythonFloatRepr } from "./format.ts";
import { escapeHtml as esc } from "./table.ts";
import { joinTables, parameterTable, twoColumnTable } from "./text_table.ts";

/** One coefficient row of the summary, for reading estimates programmatically. */
export interface CoefficientRow {
  /** Regressor name. */
  name: string;
  /** Estimate. */
  coef: number;
  /** Standard error. */
  stdErr: number;
  /** t (or z) statistic. */
  t: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Lower confidence bound. */
  lower: number;
  /** Upper confidence bound. */
  upper: number;
}

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

/** `forg` of statsmodels: fixed notation for moderate magnitudes, `%g` otherwise. */
function forg(x: number, prec: 3 | 4): string {
  const a = Math.abs(x);
  const general = a >= 1e4 || a < 1e-4;
  return prec === 3
    ? printf(general ? "%9.3g" : "%9.3f", x)
    : printf(general ? "%10.4g" : "%10.4f", x);
}

/** `d_or_f` of statsmodels: integers as `%#6d`, other numbers as `%#8.2f`. */
function dOrF(x: number): string {
  if (Number.isNaN(x)) return "   NaN";
  return Math.floor(x) === x ? printf("%#6d", x) : printf("%#8.2f", x);
}

/**
 * A regression summary with several renderings: `toString()` prints statsmodels' text
 * layout, `toHTML()` a styled table, `toMarkdown()` GitHub-flavoured Markdown, and in a
 * Jupyter notebook the summary displays itself as HTML (with the text as fallback).
 *
 * @example
 * ```ts
 * import { ols } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * const y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 20.2];
 * const summary = ols(y, { x }, { addConstant: true }).summary();
 * assert.match(summary.toString(), /OLS Regression Results/);
 * assert.equal(summary.coefficients[1].name, "x");
 * ```
 */
export class Summary {
  /** The numbers shown. */
  readonly data: RegressionSummaryData;

  /** Creates a summary from its numbers. */
  constructor(data: RegressionSummaryData) {
    this.data = data;
  }

  /** Coefficient rows: `{ name, coef, stdErr, t, pValue, lower, upper }`. */
  get coefficients(): CoefficientRow[] {
    return this.data.coefficients.map((c) => ({ ...c }));
  }

  /** The title line. */
  get title(): string {
    return this.data.title ?? `${this.data.modelName} Regression Results`;
  }

  /** The notes printed below the tables (without their `[n]` numbers). */
  get notes(): string[] {
    const d = this.data;
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
    notes.push(...(d.notes ?? []));
    return notes;
  }

  /** Header labels of the coefficient table (`t`/`P>|t|` or `z`/`P>|z|`). */
  get header(): string[] {
    const { useT, alpha } = this.data;
    const s = useT ? "t" : "z";
    return [
      "coef",
      "std err",
      s,
      `P>|${s}|`,
      "[" + pythonFloatRepr(alpha / 2),
      pythonFloatRepr(1 - alpha / 2) + "]",
    ];
  }

  #topPairs(): { left: [string, string][]; right: [string, string][] } {
    const d = this.data;
    const date = d.date;
    const uc = d.centered ? "" : " (uncentered)";
    return {
      left: [
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
      right: [
        [`R-squared${uc}:`, printf("%#8.3f", d.rsquared)],
        [`Adj. R-squared${uc}:`, printf("%#8.3f", d.rsquaredAdj)],
        ["F-statistic:", printf("%#8.4g", d.fvalue)],
        ["Prob (F-statistic):", printf("%#6.3g", d.fPvalue)],
        ["Log-Likelihood:", printf("%#8.5g", d.llf)],
        ["AIC:", printf("%#8.4g", d.aic)],
        ["BIC:", printf("%#8.4g", d.bic)],
      ],
    };
  }

  #diagnosticPairs(): { left: [string, string][]; right: [string, string][] } {
    const g = this.data.diagnostics;
    return {
      left: [
        ["Omnibus:", printf("%#6.3f", g.omnibus)],
        ["Prob(Omnibus):", printf("%#6.3f", g.omnibusPvalue)],
        ["Skew:", printf("%#6.3f", g.skew)],
        ["Kurtosis:", printf("%#6.3f", g.kurtosis)],
      ],
      right: [
        ["Durbin-Watson:", printf("%#8.3f", g.durbinWatson)],
        ["Jarque-Bera (JB):", printf("%#8.3f", g.jarqueBera)],
        ["Prob(JB):", printf("%#8.3g", g.jarqueBeraPvalue)],
        ["Cond. No.", printf("%#8.3g", g.conditionNumber)],
      ],
    };
  }

  #coefficientCells(): string[][] {
    return this.data.coefficients.map((c) => [
      forg(c.coef, 4),
      forg(c.stdErr, 3),
      forg(c.t, 3),
      printf("%#6.3f", c.pValue),
      forg(c.lower, 3),
      forg(c.upper, 3),
    ]);
  }

  /** The summary as statsmodels prints it. */
  toString(): string {
    const top = this.#topPairs();
    const diag = this.#diagnosticPairs();
    const text = joinTables([
      twoColumnTable(this.title, top.left, top.right),
      parameterTable(
        this.header,
        this.data.coefficients.map((c) => c.name),
        this.#coefficientCells(),
      ),
      twoColumnTable("", diag.left, diag.right),
    ]);
    const notes = this.notes;
    if (notes.length === 0) return text;
    return text + "\n\nNotes:\n" + notes.map((n, i) => `[${i + 1}] ${n}`).join("\n");
  }

  /** Same as `toString()`. */
  toText(): string {
    return this.toString();
  }

  /**
   * A self-contained HTML table. Colours come from the surrounding text colour and
   * translucent greys, so it reads well in light and dark notebook themes.
   */
  toHTML(): string {
    const top = this.#topPairs();
    const diag = this.#diagnosticPairs();
    const alpha = this.data.alpha;
    const cell = "padding:2px 10px;text-align:right;border:none;background:transparent;";
    const label = "padding:2px 10px;text-align:left;border:none;background:transparent;" +
      "font-weight:600;";
    const rule = "border-top:1px solid rgba(128,128,128,0.55);";
    const pairRows = (
      p: { left: [string, string][]; right: [string, string][] },
      first: boolean,
    ) => {
      const n = Math.max(p.left.length, p.right.length);
      const rows: string[] = [];
      for (let i = 0; i < n; i++) {
        const [lk, lv] = p.left[i] ?? ["", ""];
        const [rk, rv] = p.right[i] ?? ["", ""];
        const sep = i === 0 && !first ? rule : "";
        rows.push(
          `<tr><th style="${label}${sep}">${esc(lk)}</th><td style="${cell}${sep}">${
            esc(lv.trim())
          }</td><th style="${label}${sep}padding-left:24px;">${
            esc(rk)
          }</th><td style="${cell}${sep}">${esc(rv.trim())}</td></tr>`,
        );
      }
      return rows.join("\n");
    };
    const cells = this.#coefficientCells();
    const header = this.header;
    const coefRows = this.data.coefficients.map((c, i) => {
      const strong = c.pValue < alpha ? "font-weight:700;" : "";
      const zebra = i % 2 === 0 ? "background:rgba(128,128,128,0.08);" : "background:transparent;";
      return `<tr style="${zebra}"><th style="${label}">${esc(c.name)}</th>` +
        cells[i].map((v, j) => `<td style="${cell}${j === 3 ? strong : ""}">${esc(v.trim())}</td>`)
          .join("") +
        "</tr>";
    }).join("\n");
    const notes = this.notes;
    const notesHtml = notes.length === 0
      ? ""
      : `<div style="margin-top:6px;font-size:0.92em;opacity:0.85;">Notes:<br/>${
        notes.map((n, i) => `[${i + 1}] ${esc(n).replace(/\n/g, " ")}`).join("<br/>")
      }</div>`;
    const table = "border-collapse:collapse;color:inherit;background:transparent;" +
      "font-variant-numeric:tabular-nums;margin:4px 0;width:100%;";
    return `<div class="factorlab-summary" style="color:inherit;display:inline-block;">
<table style="${table}">
<caption style="font-weight:700;padding:4px;text-align:center;color:inherit;">${
      esc(this.title)
    }</caption>
${pairRows(top, true)}
</table>
<table style="${table}${rule}border-bottom:1px solid rgba(128,128,128,0.55);">
<tr><th style="${label}border-bottom:1px solid rgba(128,128,128,0.55);"></th>${
      header.map((h) =>
        `<th style="${cell}font-weight:600;border-bottom:1px solid rgba(128,128,128,0.55);">${
          esc(h)
        }</th>`
      ).join("")
    }</tr>
${coefRows}
</table>
<table style="${table}">
${pairRows(diag, true)}
</table>
${notesHtml}
</div>`;
  }

  /** GitHub-flavoured Markdown: the three blocks as tables, then the notes. */
  toMarkdown(): string {
    const top = this.#topPairs();
    const diag = this.#diagnosticPairs();
    const md = (s: string) => s.trim().replace(/\|/g, "\\|");
    const pairs = (p: { left: [string, string][]; right: [string, string][] }) => {
      const n = Math.max(p.left.length, p.right.length);
      const rows = ["| | | | |", "|:--|--:|:--|--:|"];
      for (let i = 0; i < n; i++) {
        const [lk, lv] = p.left[i] ?? ["", ""];
        const [rk, rv] = p.right[i] ?? ["", ""];
        rows.push(`| ${md(lk)} | ${md(lv)} | ${md(rk)} | ${md(rv)} |`);
      }
      return rows.join("\n");
    };
    const cells = this.#coefficientCells();
    const coef = [
      "| | " + this.header.map(md).join(" | ") + " |",
      "|:--|" + this.header.map(() => "--:").join("|") + "|",
      ...this.data.coefficients.map((c, i) =>
        `| ${md(c.name)} | ${cells[i].map(md).join(" | ")} |`
      ),
    ].join("\n");
    const notes = this.notes;
    return [
      `**${this.title}**`,
      pairs(top),
      coef,
      pairs(diag),
      ...(notes.length > 0
        ? ["Notes:\n\n" + notes.map((n, i) => `${i + 1}. ${n.replace(/\n/g, " ")}`).join("\n")]
        : []),
    ].join("\n\n");
  }

  /** Rich display in Jupyter: HTML, with the statsmodels text as plain-text fallback. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }

  /** `console.log` prints the statsmodels text. */
  [DENO_INSPECT](): string {
    return this.toString();
  }
}
