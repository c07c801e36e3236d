/**
 * The condensed factor-model report of the tutorials: betas, alpha per period and
 * annualized, whether alpha is significant, adjusted R², Durbin-Watson against its target
 * and the White test verdict; plus the plain-language interpretation block.
 *
 * @module
 */

import {
  Displayable,
  escapeHtml,
  formatP,
  JUPYTER_DISPLAY,
  type MimeBundle,
  printf,
  Summary,
} from "../display/mod.ts";

/** One factor loading in the report. */
export interface ReportBeta {
  /** Column name, e.g. `"SMB"`. */
  name: string;
  /** What the factor measures, e.g. `"Size"`; empty for custom factors. */
  label: string;
  /** Estimate. */
  beta: number;
  /** Two-sided p-value. */
  pvalue: number;
  /** @deprecated Use `pvalue`; this name goes in 0.2.0. */
  pValue?: number;
}

/** Everything the condensed report shows. */
export interface FactorReportData {
  /** Heading, e.g. `"Fama-French 3-Factor Analysis: SPY (2010-02 to 2020-12, 131 months)"`. */
  title: string;
  /** Factor loadings in model order. */
  betas: ReportBeta[];
  /** Name of the period, capitalised: `"Monthly"`, `"Weekly"` or `"Daily"`. */
  periodName: string;
  /** Alpha per period (decimal). */
  alpha: number;
  /** Alpha annualized by simple scaling (decimal). */
  alphaAnnualized: number;
  /** p-value of alpha. */
  alphaPvalue: number;
  /** Significance level used for the verdicts. */
  level: number;
  /** Adjusted R². */
  rsquaredAdj: number;
  /** Durbin-Watson statistic. */
  durbinWatson: number;
  /** White test p-value, or null when the test cannot run (no constant). */
  whitePvalue: number | null;
  /** Description of the standard errors when they are not the classical ones. */
  covNote?: string;
  /** Where the factors came from: the library files and their vintages. */
  dataNote?: string;
}

/**
 * The tutorial's condensed report, as text (`toString()`), HTML and Markdown; it displays
 * itself in Jupyter.
 *
 * @example
 * ```ts
 * import { FactorReport } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const report = new FactorReport({
 *   title: "CAPM Analysis: XYZ",
 *   betas: [{ name: "MKT_RF", label: "Market", beta: 1.02, pvalue: 1e-40 }],
 *   periodName: "Monthly",
 *   alpha: 0.001,
 *   alphaAnnualized: 0.012,
 *   alphaPvalue: 0.2,
 *   level: 0.05,
 *   rsquaredAdj: 0.9,
 *   durbinWatson: 2.01,
 *   whitePvalue: 0.3,
 * });
 * assert.match(report.toString(), /Is Alpha Significant\? +NO \(p-value: 0\.2000\)/);
 * ```
 */
export class FactorReport extends Displayable {
  /** The numbers shown. */
  readonly data: FactorReportData;

  /** Creates the report from its numbers. */
  constructor(data: FactorReportData) {
    super();
    this.data = data;
  }

  /** Whether alpha is significant at the report's level. */
  get alphaSignificant(): boolean {
    return this.data.alphaPvalue < this.data.level;
  }

  /** Label/value rows of the report. */
  rows(): [string, string][] {
    const d = this.data;
    const rows: [string, string][] = d.betas.map((b) => [
      b.label ? `${b.label} Beta (${b.name}):` : `Beta (${b.name}):`,
      printf("%.4f", b.beta),
    ]);
    rows.push([
      `${d.periodName} Alpha:`,
      `${printf("%.4f", d.alpha)} (annualized ≈ ${printf("%.2f", d.alphaAnnualized * 100)}%)`,
    ]);
    rows.push([
      "Is Alpha Significant?",
      `${this.alphaSignificant ? "YES" : "NO"} (p-value: ${formatP(d.alphaPvalue)})`,
    ]);
    rows.push(["Adj. R-squared:", printf("%.4f", d.rsquaredAdj)]);
    rows.push(["Durbin-Watson:", `${printf("%.2f", d.durbinWatson)} (target ~2.0)`]);
    if (d.whitePvalue !== null) {
      rows.push([
        "White Test:",
        d.whitePvalue < d.level
          ? `Warning: Heteroscedasticity detected! (p-value: ${formatP(d.whitePvalue)})`
          : `Pass: Variance looks constant. (p-value: ${formatP(d.whitePvalue)})`,
      ]);
    }
    if (d.covNote) rows.push(["Standard Errors:", d.covNote]);
    if (d.dataNote) rows.push(["Factor Data:", d.dataNote]);
    return rows;
  }

  /** A summary of the report alone. */
  summary(): Summary {
    return new Summary([this]);
  }

  /** The report as aligned text. */
  override toString(): string {
    const rows = this.rows();
    const width = Math.max(...rows.map(([k]) => k.length)) + 2;
    const heading = `--- ${this.data.title} ---`;
    return [heading, ...rows.map(([k, v]) => k.padEnd(width) + v)].join("\n");
  }

  /** An HTML table that inherits the notebook's colours. */
  override toHTML(): string {
    const td = "padding:2px 10px;border:none;background:transparent;text-align:left;";
    const body = this.rows().map(([k, v]) =>
      `<tr><th style="${td}font-weight:600;">${escapeHtml(k)}</th><td style="${td}">${
        escapeHtml(v)
      }</td></tr>`
    ).join("\n");
    return `<div style="color:inherit;"><table style="border-collapse:collapse;color:inherit;` +
      `background:transparent;font-variant-numeric:tabular-nums;"><caption style="font-weight:700;` +
      `text-align:left;padding:4px;color:inherit;">${
        escapeHtml(this.data.title)
      }</caption>\n${body}\n</table></div>`;
  }

  /** GitHub-flavoured Markdown. */
  override toMarkdown(): string {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    return [
      `**${this.data.title}**`,
      "",
      "| | |",
      "|:--|:--|",
      ...this.rows().map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`),
    ].join("\n");
  }
}

/**
 * Plain-language reading of a factor analysis: one sentence per finding, each built from
 * the estimates and their p-values.
 *
 * @example
 * ```ts
 * import { Interpretation } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const i = new Interpretation("What the VBR regression says", ["It is a small-cap fund."]);
 * assert.equal(i.toString(), "What the VBR regression says\n- It is a small-cap fund.");
 * ```
 */
export class Interpretation extends Displayable {
  /** Heading. */
  readonly title: string;
  /** The sentences, in reading order. */
  readonly sentences: readonly string[];

  /** Creates the block. */
  constructor(title: string, sentences: string[]) {
    super();
    this.title = title;
    this.sentences = sentences;
  }

  /** A summary of the block alone. */
  summary(): Summary {
    return new Summary([this]);
  }

  /** Heading and one bullet per sentence. */
  override toString(): string {
    return [this.title, ...this.sentences.map((s) => `- ${s}`)].join("\n");
  }

  /** Markdown bullets under a bold heading. */
  override toMarkdown(): string {
    return [`**${this.title}**`, "", ...this.sentences.map((s) => `- ${s}`)].join("\n");
  }

  /** HTML list. */
  override toHTML(): string {
    return `<div style="color:inherit;"><div style="font-weight:700;">${
      escapeHtml(this.title)
    }</div><ul style="margin:4px 0;">${
      this.sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join("")
    }</ul></div>`;
  }

  /** Jupyter display: Markdown and HTML with the text as fallback. */
  override [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "text/html": this.toHTML(),
      "text/markdown": this.toMarkdown(),
      "text/plain": this.toString(),
    };
  }
}
