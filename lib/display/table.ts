/**
 * A small display table: named columns of numbers or text with per-column formats, shown
 * as aligned text in the console, as HTML in notebooks and as Markdown.
 *
 * @module
 */

import { Displayable } from "./displayable.ts";
import { printf } from "./format.ts";
import { Summary } from "./summary.ts";

/** One column of a {@linkcode Table}. */
export interface TableColumn {
  /** Header text. */
  header: string;
  /** printf format for numbers (e.g. `"%.4f"`); text is shown as is. Default `"%.4f"`. */
  format?: string;
  /** Alignment; default right for numbers, left for text. */
  align?: "left" | "right";
}

/** A cell value: numbers are formatted by the column's format, null shows as empty. */
export type Cell = string | number | null;

/**
 * A titled table with aligned text, HTML and Markdown renderings; it displays itself in
 * Jupyter.
 *
 * @example
 * ```ts
 * import { Table } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const t = new Table(
 *   [{ header: "factor" }, { header: "beta", format: "%.3f" }],
 *   [["MKT_RF", 1.0137], ["SMB", 0.5586]],
 *   { title: "Betas" },
 * );
 * assert.equal(t.toString(), "Betas\nfactor   beta\nMKT_RF  1.014\nSMB     0.559");
 * ```
 */
export class Table extends Displayable {
  /** Column definitions. */
  readonly columns: readonly TableColumn[];
  /** Rows of cells, one cell per column. */
  readonly rows: readonly (readonly Cell[])[];
  /** Optional title line. */
  readonly title: string | undefined;
  /** Optional note below the table. */
  readonly note: string | undefined;

  /**
   * Creates the table.
   *
   * @param columns Column definitions.
   * @param rows Rows, each with one cell per column.
   * @param options Title and a note printed under the table.
   */
  constructor(
    columns: TableColumn[],
    rows: Cell[][],
    options: { title?: string; note?: string } = {},
  ) {
    super();
    rows.forEach((r, i) => {
      if (r.length !== columns.length) {
        throw new RangeError(`Table row ${i} has ${r.length} cells for ${columns.length} columns.`);
      }
    });
    this.columns = columns;
    this.rows = rows;
    this.title = options.title;
    this.note = options.note;
  }

  #cell(value: Cell, column: TableColumn): string {
    if (value === null) return "";
    if (typeof value === "string") return value;
    const text = printf(column.format ?? "%.4f", value);
    // A value that rounds to zero prints without a sign ("-0.0000" reads as a loss).
    return /^-[0.]*(%|e[+-]\d+)?$/.test(text.trim()) ? text.replace("-", "") : text;
  }

  #align(j: number): "left" | "right" {
    const c = this.columns[j];
    if (c.align) return c.align;
    return this.rows.some((r) => typeof r[j] === "number") ? "right" : "left";
  }

  /** A summary of this table alone. */
  summary(): Summary {
    return new Summary([this]);
  }

  /** Aligned plain text. */
  override toString(): string {
    const cells = this.rows.map((r) => r.map((v, j) => this.#cell(v, this.columns[j])));
    const widths = this.columns.map((c, j) =>
      Math.max(c.header.length, ...cells.map((r) => r[j].length))
    );
    const line = (values: string[]) =>
      values.map((
        v,
        j,
      ) => (this.#align(j) === "left" ? v.padEnd(widths[j]) : v.padStart(widths[j])))
        .join("  ").trimEnd();
    const out = [line(this.columns.map((c) => c.header)), ...cells.map(line)];
    if (this.title) out.unshift(this.title);
    if (this.note) out.push(this.note);
    return out.join("\n");
  }

  /** An HTML table that inherits the notebook's colours. */
  override toHTML(): string {
    const th = "padding:2px 10px;border:none;background:transparent;font-weight:600;";
    const td = "padding:2px 10px;border:none;background:transparent;";
    const head = this.columns.map((c, j) =>
      `<th style="${th}text-align:${
        this.#align(j)
      };border-bottom:1px solid rgba(128,128,128,0.55);">${escapeHtml(c.header)}</th>`
    ).join("");
    const body = this.rows.map((r, i) =>
      `<tr style="background:${i % 2 === 0 ? "rgba(128,128,128,0.08)" : "transparent"};">${
        r.map((v, j) =>
          `<td style="${td}text-align:${this.#align(j)};">${
            escapeHtml(this.#cell(v, this.columns[j]))
          }</td>`
        ).join("")
      }</tr>`
    ).join("\n");
    const caption = this.title
      ? `<caption style="font-weight:700;padding:4px;text-align:left;color:inherit;">${
        escapeHtml(this.title)
      }</caption>`
      : "";
    const note = this.note
      ? `<div style="font-size:0.92em;opacity:0.85;margin-top:4px;">${escapeHtml(this.note)}</div>`
      : "";
    return `<div style="color:inherit;"><table style="border-collapse:collapse;color:inherit;` +
      `background:transparent;font-variant-numeric:tabular-nums;">${caption}\n<tr>${head}</tr>\n${body}\n</table>${note}</div>`;
  }

  /** GitHub-flavoured Markdown. */
  override toMarkdown(): string {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    const lines = [
      "| " + this.columns.map((c) => esc(c.header)).join(" | ") + " |",
      "|" + this.columns.map((_, j) => (this.#align(j) === "left" ? ":--" : "--:")).join("|") + "|",
      ...this.rows.map((r) =>
        "| " + r.map((v, j) => esc(this.#cell(v, this.columns[j]))).join(" | ") + " |"
      ),
    ];
    if (this.title) lines.unshift(`**${this.title}**`, "");
    if (this.note) lines.push("", this.note);
    return lines.join("\n");
  }
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
