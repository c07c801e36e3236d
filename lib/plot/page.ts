/**
 * A standalone HTML page of figures and HTML blocks (report tables, summaries), with
 * plotly.js inlined once: it opens in any browser without a network.
 *
 * @module
 */

import { writeAtomic } from "../files.ts";
import { escapeHtml } from "../display/mod.ts";
import type { Figure } from "./figure.ts";
import { plotlyScriptTag } from "./plotly_js.ts";

/** Content of a page: HTML strings (trusted, inserted as is) and figures. */
export type PageBlock = string | Figure;

/**
 * A self-contained HTML document: blocks in order, figures drawn with one inlined copy of
 * plotly.js, following the system's light or dark colour scheme.
 *
 * @example
 * ```ts
 * import { exposureChart, htmlPage, plotlyScriptTag } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = exposureChart({ names: ["MKT_RF"], betas: [1.01], lower: [0.97], upper: [1.05] });
 * const html = htmlPage({ title: "VBR", blocks: ["<h2>VBR</h2>", fig, fig] }).toHTML();
 * assert.equal(html.split(plotlyScriptTag()).length, 2); // plotly.js inlined once
 * assert.equal(html.split("Plotly.newPlot(").length, 3); // two figures
 * ```
 */
export class HtmlPage {
  /** Page title. */
  readonly title: string;
  /** Blocks in order. */
  readonly blocks: readonly PageBlock[];

  /** Creates the page. */
  constructor(title: string, blocks: PageBlock[]) {
    this.title = title;
    this.blocks = blocks;
  }

  /** The complete HTML document. */
  toHTML(): string {
    const body = this.blocks.map((b) => (typeof b === "string" ? b : b.toHTMLFragment()));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(this.title)}</title>
<style>
:root { color-scheme: light dark; }
body { margin: 0; padding: 16px 24px; background: Canvas; color: CanvasText;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
</style>
${plotlyScriptTag()}
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
  }

  /** Writes the document to `path` atomically (temporary file in the same folder, then rename). */
  async save(path: string): Promise<void> {
    await writeAtomic(path, this.toHTML());
  }
}

/**
 * A page of HTML blocks and figures.
 *
 * @param page `title` and `blocks` (HTML strings and figures, in order).
 * @returns The page; `toHTML()` gives the document, `save(path)` writes it.
 */
export function htmlPage(page: { title: string; blocks: PageBlock[] }): HtmlPage {
  return new HtmlPage(page.title, page.blocks);
}
