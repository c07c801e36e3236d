/**
 * The composable summary, after statsmodels' `iolib.summary.Summary`: a list of parts (statsmodels'
 * header blocks and coefficient tables, plain {@linkcode Table}s, or anything with text, HTML and
 * Markdown forms) and numbered notes, rendered as text (statsmodels' layout, rule for rule), HTML
 * and Markdown. Every result's `summary()` returns one.
 *
 * @module
 */

import { Displayable } from "./displayable.ts";
import { printf, pythonFloatRepr } from "./format.ts";
import { regressionSummary, type RegressionSummaryData } from "./regression.ts";
import { escapeHtml as esc, Table } from "./table.ts";
import { joinTables, parameterTable, twoColumnTable } from "./text_table.ts";

/** A part of a {@linkcode Summary}: anything with text, HTML and Markdown forms. */
export interface SummaryPart {
  /** Plain text. */
  toString(): string;
  /** HTML. */
  toHTML(): string;
  /** GitHub-flavoured Markdown. */
  toMarkdown(): string;
}

/** One coefficient row of a summary, for reading estimates programmatically. */
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
  pvalue: number;
  /** @deprecated Use `pvalue` (set on every row factorlab makes); this name goes in 0.2.0. */
  pValue?: number;
  /** Lower confidence bound. */
  lower: number;
  /** Upper confidence bound. */
  upper: number;
}

const CELL = "padding:2px 10px;text-align:right;border:none;background:transparent;";
const LABEL =
  "padding:2px 10px;text-align:left;border:none;background:transparent;font-weight:600;";
const RULE = "1px solid rgba(128,128,128,0.55);";
const TABLE = "border-collapse:collapse;color:inherit;background:transparent;" +
  "font-variant-numeric:tabular-nums;margin:4px 0;width:100%;";
const md = (s: string) => s.trim().replace(/\|/g, "\\|");

/**
 * Lines of prose as a summary part: the text is the lines; Markdown and HTML show them as
 * paragraphs, or as a bulleted list with `{ list: true }`.
 *
 * @example
 * ```ts
 * import { TextPart } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const part = new TextPart(["Joined 131 periods.", "Dropped 1 period."], { list: true });
 * assert.equal(part.toString(), "Joined 131 periods.\nDropped 1 period.");
 * assert.equal(part.toMarkdown(), "- Joined 131 periods.\n- Dropped 1 period.");
 * assert.equal(part.toHTML(), "<ul><li>Joined 131 periods.</li><li>Dropped 1 period.</li></ul>");
 * ```
 */
export class TextPart implements SummaryPart {
  /** The lines, in order. */
  readonly lines: readonly string[];
  /** Whether Markdown and HTML show a bulleted list. */
  readonly list: boolean;

  /** Creates the part from its lines. */
  constructor(lines: readonly string[], options: { list?: boolean } = {}) {
    this.lines = lines;
    this.list = options.list ?? false;
  }

  /** The lines, one per line. */
  toString(): string {
    return this.lines.join("\n");
  }

  /** One paragraph per line, or a list. */
  toHTML(): string {
    const items = this.lines.map((l) => esc(l));
    return this.list
      ? `<ul>${items.map((l) => `<li>${l}</li>`).join("")}</ul>`
      : items.map((l) => `<p>${l}</p>`).join("");
  }

  /** The lines, or a bulleted list. */
  toMarkdown(): string {
    return this.lines.map((l) => (this.list ? `- ${l}` : l)).join("\n");
  }
}

/**
 * statsmodels' header block: label/value pairs in two side-by-side columns, optionally under a
 * centred title (the top and bottom blocks of an OLS summary).
 *
 * @example
 * ```ts
 * import { HeaderBlock } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const block = new HeaderBlock([["No. Observations:", "131"]], [["R-squared:", "0.958"]]);
 * assert.match(block.toString(), /^No\. Observations: +131 +R-squared: +0\.958$/m);
 * ```
 */
export class HeaderBlock implements SummaryPart {
  /** Left column: label, value. */
  readonly left: readonly (readonly [string, string])[];
  /** Right column: label, value. */
  readonly right: readonly (readonly [string, string])[];
  /** Title centred above the block ("" for none). */
  readonly title: string;

  /** Creates the block from its two columns of pairs and an optional title. */
  constructor(left: [string, string][], right: [string, string][] = [], title = "") {
    this.left = left;
    this.right = right;
    this.title = title;
  }

  /** The block as statsmodels prints it, between `=` rules. */
  toString(): string {
    return twoColumnTable(this.title, this.left, this.right).join("\n");
  }

  #rows(): string[][] {
    return Array.from(
      { length: Math.max(this.left.length, this.right.length) },
      (_, i) => [...(this.left[i] ?? ["", ""]), ...(this.right[i] ?? ["", ""])],
    );
  }

  /** An HTML table of four columns: label, value, label, value. */
  toHTML(): string {
    const caption = this.title
      ? `<caption style="font-weight:700;padding:4px;text-align:center;color:inherit;">${
        esc(this.title)
      }</caption>\n`
      : "";
    const rows = this.#rows().map(([lk, lv, rk, rv]) =>
      `<tr><th style="${LABEL}">${esc(lk)}</th><td style="${CELL}">${esc(lv.trim())}</td>` +
      `<th style="${LABEL}padding-left:24px;">${esc(rk)}</th><td style="${CELL}">${
        esc(rv.trim())
      }</td></tr>`
    );
    return `<table style="${TABLE}">\n${caption}${rows.join("\n")}\n</table>`;
  }

  /** A Markdown table of four columns, under the title in bold. */
  toMarkdown(): string {
    const rows = this.#rows().map((r) => `| ${r.map(md).join(" | ")} |`);
    return (this.title ? `**${this.title}**\n\n` : "") +
      ["| | | | |", "|:--|--:|:--|--:|", ...rows].join("\n");
  }
}

/** `forg` of statsmodels: fixed notation for moderate magnitudes, `%g` otherwise. */
function forg(x: number, prec: 3 | 4): string {
  const a = Math.abs(x);
  const general = a >= 1e4 || a < 1e-4;
  return prec === 3
    ? printf(general ? "%9.3g" : "%9.3f", x)
    : printf(general ? "%10.4g" : "%10.4f", x);
}

/**
 * statsmodels' coefficient table: estimate, standard error, t (or z), p-value and confidence
 * interval per term, formatted as statsmodels formats them; p-values below `alpha` are bold in
 * HTML.
 *
 * @example
 * ```ts
 * import { CoefficientTable } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const table = new CoefficientTable([
 *   { name: "MKT_RF", coef: 1.0454, stdErr: 0.0153, t: 68.17, pvalue: 0, lower: 1.015, upper: 1.076 },
 * ]);
 * assert.deepEqual(table.header, ["coef", "std err", "t", "P>|t|", "[0.025", "0.975]"]);
 * assert.match(table.toString(), /MKT_RF +1\.0454 +0\.015 +68\.170 +0\.000 +1\.015 +1\.076/);
 * ```
 */
export class CoefficientTable implements SummaryPart {
  /** The rows shown. */
  readonly rows: readonly CoefficientRow[];
  /** Whether the statistics are t (else z, from the normal distribution). */
  readonly useT: boolean;
  /** Significance level of the intervals. */
  readonly alpha: number;

  /** Creates the table; `useT` defaults to true, `alpha` to 0.05. */
  constructor(rows: CoefficientRow[], options: { useT?: boolean; alpha?: number } = {}) {
    this.rows = rows;
    this.useT = options.useT ?? true;
    this.alpha = options.alpha ?? 0.05;
  }

  /** Column headers: `t`/`P>|t|` or `z`/`P>|z|`, and the interval bounds as statsmodels prints them. */
  get header(): string[] {
    const s = this.useT ? "t" : "z";
    const half = this.alpha / 2;
    return [
      "coef",
      "std err",
      s,
      `P>|${s}|`,
      `[${pythonFloatRepr(half)}`,
      `${pythonFloatRepr(1 - half)}]`,
    ];
  }

  #cells(): string[][] {
    return this.rows.map((c) => [
      forg(c.coef, 4),
      forg(c.stdErr, 3),
      forg(c.t, 3),
      printf("%#6.3f", c.pvalue ?? c.pValue!),
      forg(c.lower, 3),
      forg(c.upper, 3),
    ]);
  }

  /** The table as statsmodels prints it, between `=` rules. */
  toString(): string {
    const names = this.rows.map((c) => c.name);
    return parameterTable(this.header, names, this.#cells()).join("\n");
  }

  /** An HTML table with zebra rows; significant p-values are bold. */
  toHTML(): string {
    const cells = this.#cells();
    const rows = this.rows.map((c, i) => {
      const strong = (c.pvalue ?? c.pValue!) < this.alpha ? "font-weight:700;" : "";
      const zebra = i % 2 === 0 ? "background:rgba(128,128,128,0.08);" : "background:transparent;";
      return `<tr style="${zebra}"><th style="${LABEL}">${esc(c.name)}</th>` +
        cells[i].map((v, j) => `<td style="${CELL}${j === 3 ? strong : ""}">${esc(v.trim())}</td>`)
          .join("") +
        "</tr>";
    });
    const head = this.header.map((h) =>
      `<th style="${CELL}font-weight:600;border-bottom:${RULE}">${esc(h)}</th>`
    ).join("");
    return `<table style="${TABLE}border-top:${RULE}border-bottom:${RULE}">\n` +
      `<tr><th style="${LABEL}border-bottom:${RULE}"></th>${head}</tr>\n${
        rows.join("\n")
      }\n</table>`;
  }

  /** A Markdown table. */
  toMarkdown(): string {
    const cells = this.#cells();
    return [
      "| | " + this.header.map(md).join(" | ") + " |",
      "|:--|" + this.header.map(() => "--:").join("|") + "|",
      ...this.rows.map((c, i) => `| ${md(c.name)} | ${cells[i].map(md).join(" | ")} |`),
    ].join("\n");
  }
}

const isBlock = (p: SummaryPart): p is HeaderBlock | CoefficientTable =>
  p instanceof HeaderBlock || p instanceof CoefficientTable;

/**
 * A summary: parts shown one after another, then numbered notes. As text, consecutive
 * statsmodels blocks share their rules as in statsmodels (the OLS summary is byte for byte
 * statsmodels'), other parts are separated by a blank line; HTML and Markdown render each part in
 * turn. In a Jupyter notebook a summary displays itself as HTML with the text as fallback.
 *
 * @example Composed from tables and notes
 * ```ts
 * import { Summary, Table } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const betas = new Table([{ header: "factor" }, { header: "beta" }], [["MKT_RF", 1.01]]);
 * const summary = Summary.of(betas).addNotes("Betas from monthly returns.");
 * assert.equal(
 *   summary.toString(),
 *   "factor    beta\nMKT_RF  1.0100\n\nNotes:\n[1] Betas from monthly returns.",
 * );
 * assert.equal(summary.tables[0], betas);
 * ```
 *
 * @example An OLS summary
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
export class Summary extends Displayable {
  /** The parts, in display order. */
  readonly parts: SummaryPart[];
  /** The notes printed below the parts (without their `[n]` numbers). */
  readonly notes: string[];

  /** Creates a summary of the given parts and notes. */
  constructor(parts?: SummaryPart[], notes?: string[]);
  /**
   * statsmodels' regression summary of the given numbers.
   *
   * @deprecated Use {@link regressionSummary}; this form goes in 0.2.0.
   */
  constructor(data: RegressionSummaryData);
  constructor(parts: SummaryPart[] | RegressionSummaryData = [], notes: string[] = []) {
    super();
    const from = Array.isArray(parts) ? { parts, notes } : regressionSummary(parts);
    this.parts = [...from.parts];
    this.notes = [...from.notes];
  }

  /** A summary of the given parts. */
  static of(...parts: SummaryPart[]): Summary {
    return new Summary(parts);
  }

  /** Appends parts (another summary is shown whole, with its own notes); returns this summary. */
  add(...parts: SummaryPart[]): this {
    this.parts.push(...parts);
    return this;
  }

  /** Appends notes; returns this summary. */
  addNotes(...notes: string[]): this {
    this.notes.push(...notes);
    return this;
  }

  /** A summary is its own summary. */
  summary(): Summary {
    return this;
  }

  /** The title of the first part that has one, or "". */
  get title(): string {
    for (const p of this.parts) {
      const title = (p as { title?: unknown }).title;
      if (typeof title === "string" && title) return title;
    }
    return "";
  }

  /** The plain tables among the parts. */
  get tables(): Table[] {
    return this.parts.filter((p): p is Table => p instanceof Table);
  }

  /** Rows of the first coefficient table: `{ name, coef, stdErr, t, pvalue, lower, upper }`. */
  get coefficients(): CoefficientRow[] {
    const table = this.parts.find((p): p is CoefficientTable => p instanceof CoefficientTable);
    return (table?.rows ?? []).map((c) => ({ ...c }));
  }

  /** The summary as text: statsmodels' layout for its blocks, then `Notes:` and `[n]` lines. */
  override toString(): string {
    const chunks: string[] = [];
    let run: string[][] = [];
    const flush = () => {
      if (run.length > 0) chunks.push(joinTables(run));
      run = [];
    };
    for (const part of this.parts) {
      if (isBlock(part)) run.push(part.toString().split("\n"));
      else {
        flush();
        chunks.push(part.toString());
      }
    }
    flush();
    if (this.notes.length > 0) {
      chunks.push("Notes:\n" + this.notes.map((n, i) => `[${i + 1}] ${n}`).join("\n"));
    }
    return chunks.join("\n\n");
  }

  /**
   * The parts as HTML, one after another, then the notes. statsmodels blocks are full-width
   * tables, so a summary holding them is one inline block: its tables share one width.
   */
  override toHTML(): string {
    const body = this.parts.map((p) => p.toHTML()).join("\n");
    const notes = this.notes.length === 0
      ? ""
      : `<div style="margin-top:6px;font-size:0.92em;opacity:0.85;">Notes:<br/>${
        this.notes.map((n, i) => `[${i + 1}] ${esc(n).replace(/\n/g, " ")}`).join("<br/>")
      }</div>`;
    if (!this.parts.some(isBlock)) return notes ? `${body}\n${notes}` : body;
    return `<div class="factorlab-summary" style="color:inherit;display:inline-block;">\n${body}\n${notes}\n</div>`;
  }

  /** @deprecated Use `toString()`; this name goes in 0.2.0. */
  toText(): string {
    return this.toString();
  }

  /** The parts as Markdown, then the notes as a numbered list. */
  override toMarkdown(): string {
    const notes = this.notes.map((n, i) => `${i + 1}. ${n.replace(/\n/g, " ")}`);
    return [
      ...this.parts.map((p) => p.toMarkdown()),
      ...(notes.length > 0 ? ["Notes:\n\n" + notes.join("\n")] : []),
    ].join("\n\n");
  }
}
