/**
 * Expectations on an executed notebook's outputs, used by checks.ts. Each one throws an Error
 * that says what was expected and what the notebook showed.
 *
 * @module
 */

import { type ExecutedNotebook, joinText, PLOTLY_MIME } from "./notebook.ts";

/** One named expectation on a notebook. */
export interface Check {
  /** What the notebook must show, in words. */
  description: string;
  /** Throws when the notebook does not show it. */
  run(notebook: ExecutedNotebook): void;
}

/** The checks of one notebook. */
export interface NotebookChecks {
  /** stderr output that is expected (e.g. a progress bar); anything else on stderr fails. */
  allowStderr?: RegExp;
  /** The expectations. */
  checks: Check[];
}

function count(haystack: string, pattern: string | RegExp): number {
  if (typeof pattern === "string") return haystack.split(pattern).length - 1;
  const flags = pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g";
  return [...haystack.matchAll(new RegExp(pattern.source, flags))].length;
}

/**
 * The text outputs (`text/plain` results, stdout, and Markdown displays) contain the pattern,
 * at least `times` times (default once).
 */
export function showsText(pattern: string | RegExp, times = 1, description?: string): Check {
  return {
    description: description ?? `shows ${pattern}${times > 1 ? ` ${times} times` : ""}`,
    run(notebook) {
      const text = notebook.plainText + "\n" + notebook.markdown;
      const found = count(text, pattern);
      if (found < times) {
        throw new Error(
          `expected ${pattern} at least ${times} time(s) in the text outputs, found ${found}`,
        );
      }
    },
  };
}

/** Some `text/html` output contains the pattern at least `times` times. */
export function showsHtml(pattern: string | RegExp, times = 1, description?: string): Check {
  return {
    description: description ?? `HTML output contains ${pattern}`,
    run(notebook) {
      const found = count(notebook.html, pattern);
      if (found < times) {
        throw new Error(
          `expected ${pattern} at least ${times} time(s) in HTML outputs, found ${found}`,
        );
      }
    },
  };
}

/** The text outputs (not HTML, which holds plotly.js) never contain the pattern. */
export function neverShows(pattern: string | RegExp, description?: string): Check {
  return {
    description: description ?? `never shows ${pattern}`,
    run(notebook) {
      const text = notebook.plainText + "\n" + notebook.markdown;
      if (count(text, pattern) > 0) throw new Error(`found ${pattern} in the outputs`);
    },
  };
}

/** What a displayed figure must look like. */
export interface FigureExpectation {
  /** Its title (layout.title or layout.title.text) matches. */
  title?: RegExp;
  /** Its y-axis title matches. */
  yaxis?: RegExp;
  /** It has at least this many traces. */
  traces?: number;
}

function axisTitle(axis: unknown): string {
  const title = (axis as { title?: unknown } | undefined)?.title;
  if (typeof title === "string") return title;
  return String((title as { text?: unknown } | undefined)?.text ?? "");
}

/**
 * Every figure output is a full bundle (plotly JSON, HTML that renders it, plain text), and the
 * figures, in order, include one matching each expectation.
 */
export function showsFigures(expected: FigureExpectation[]): Check {
  return {
    description: `shows ${expected.length} plotly figure(s) with HTML fallbacks`,
    run(notebook) {
      const bundles = notebook.bundles(PLOTLY_MIME);
      for (const bundle of bundles) {
        for (const mime of ["text/html", "text/plain"]) {
          if (!(mime in bundle)) throw new Error(`a figure bundle has no ${mime}`);
        }
        if (!/plotly|Plotly/.test(joinText(bundle["text/html"]))) {
          throw new Error("a figure's text/html does not draw it with plotly");
        }
      }
      const figures = notebook.figures;
      let from = 0;
      for (const want of expected) {
        const at = figures.findIndex((figure, i) => {
          if (i < from) return false;
          const layout = figure.layout ?? {};
          return (!want.title || want.title.test(axisTitle(layout))) &&
            (!want.yaxis || want.yaxis.test(axisTitle(layout.yaxis))) &&
            (!want.traces || (figure.data?.length ?? 0) >= want.traces);
        });
        if (at < 0) {
          const seen = figures.map((f) => JSON.stringify(axisTitle(f.layout ?? {}))).join(", ");
          throw new Error(
            `no figure (after #${from}) with title ${want.title ?? "any"}, y-axis ${
              want.yaxis ?? "any"
            }, ≥${want.traces ?? 0} traces; figures shown: ${seen || "none"}`,
          );
        }
        from = at + 1;
      }
    },
  };
}

/** Some displayed table (a polars frame) has a column and satisfies the test. */
export function showsTable(
  description: string,
  column: string,
  test: (rows: Record<string, unknown>[]) => boolean,
): Check {
  return {
    description,
    run(notebook) {
      const tables = notebook.tables.filter((rows) => rows.length && column in rows[0]);
      if (!tables.length) throw new Error(`no table with a column "${column}"`);
      if (!tables.some(test)) {
        throw new Error(
          `no table with "${column}" passes: ${JSON.stringify(tables[0]).slice(0, 400)}`,
        );
      }
    },
  };
}

/** A check written out for one notebook. */
export function check(description: string, run: (notebook: ExecutedNotebook) => void): Check {
  return { description, run };
}
