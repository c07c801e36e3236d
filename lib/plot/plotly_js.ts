/**
 * The plotly.js bundle, imported as text (never executed here) from the pinned
 * `plotly.js-dist-min` npm package, so that figures are drawn without a network: standalone HTML
 * inlines it in one `<script>`, and a notebook receives it in pieces ({@link plotlyPieces}).
 *
 * The bundle is a static import with an `npm:` specifier, so it resolves without an import map:
 * from this repository, from a file URL of `mod.ts` elsewhere, or from a registry. Deno fetches it
 * with the module graph; reading it needs no file permission.
 *
 * @module
 */

// Full npm: specifiers rather than the import map's bare name: the bundle must resolve when this
// module is imported from outside the repository (by a file URL) or from a registry.
// deno-lint-ignore no-import-prefix
import bundleText from "npm:plotly.js-dist-min@4.1.2/plotly.min.js" with { type: "text" };
// deno-lint-ignore no-import-prefix
import bundlePackage from "npm:plotly.js-dist-min@4.1.2/package.json" with { type: "json" };

/** The version of the bundled plotly.js, e.g. `"4.1.2"`. */
export const PLOTLY_VERSION: string = bundlePackage.version;

/**
 * The text of plotly.min.js and its version.
 *
 * @returns The bundle (about 4.8 MB) and its version.
 *
 * @example
 * ```ts
 * import { plotlyBundle } from "./plotly_js.ts";
 * import assert from "node:assert/strict";
 * const { text, version } = plotlyBundle();
 * assert.ok(text.includes(`plotly.js v${version}`));
 * ```
 */
export function plotlyBundle(): { text: string; version: string } {
  return { text: bundleText, version: PLOTLY_VERSION };
}

/**
 * Largest `text/html` of one piece, in UTF-8 bytes as it travels inside a Jupyter message (a JSON
 * string). Well under 1 MB: Deno's kernel (2.9) corrupts IOPub messages of several MB when a
 * front end has two IOPub subscribers.
 */
export const PIECE_MAX_BYTES = 512 * 1024;

/**
 * The global (on `window`) where the pieces gather in the browser until the set is complete:
 * bundle key → `{ texts, count, parts }`.
 */
export const PLOTLY_PIECE_STORE = "__factorlabPlotlyPieces";

/**
 * A `<script>` element that defines `window.Plotly` from the inlined bundle unless the page
 * already has it, so a second copy on the same page is skipped. The bundle runs with `module`,
 * `exports` and `define` shadowed, so it never registers itself with a CommonJS or AMD loader
 * (require.js in classic notebooks and nbconvert pages) and always sets the global.
 *
 * @returns The element, about 4.8 MB.
 *
 * @example
 * ```ts
 * import { plotlyScriptTag } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const tag = plotlyScriptTag();
 * assert.ok(tag.startsWith("<script") && tag.includes("window.Plotly"));
 * ```
 */
export function plotlyScriptTag(): string {
  // The HTML parser ends a script at "</script" and treats "<!--" specially; both only
  // occur in string literals, where the escaped forms mean the same.
  const safe = bundleText.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  return `<script type="text/javascript">/* plotly.js v${PLOTLY_VERSION} (MIT licence), inlined ` +
    `by factorlab */\nif (typeof window.Plotly === "undefined") {\n` +
    `(function (module, exports, define) {\n${safe}\n}).call(window);\n}\n</script>`;
}

/**
 * The key, in a piece's output metadata, that marks it as a piece of plotly.js in a saved
 * notebook; its value is `{ version, part, parts }`.
 */
export const PLOTLY_PIECE_METADATA = "factorlab_plotly_piece";

/** One piece of plotly.js for a notebook: see {@link plotlyPieces}. */
export interface PlotlyPiece {
  /** 1-based position of the piece. */
  part: number;
  /** How many pieces make the bundle. */
  parts: number;
  /** The `text/html` of the piece's display output: one `<script>`. */
  html: string;
}

/** What identifies a bundle in the page: its version and length, so pieces of two builds never mix. */
function bundleKey(): string {
  return `plotly.js@${PLOTLY_VERSION}/${bundleText.length}`;
}

/** JSON (a JS literal) that is inert inside an HTML `<script>` element (no `<` at all). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The marker that starts every piece's HTML; {@link isPlotlyPieceHtml} looks for it. */
const PIECE_MARKER = "/* factorlab: plotly.js piece";

function pieceHtml(literal: string, part: number, parts: number): string {
  // Each piece files its text under the bundle's key; the piece that completes the set joins
  // them and runs the bundle through a script element (like any inline script, so it works
  // where the output's own scripts run), with module/exports/define shadowed as in
  // plotlyScriptTag. Pieces may run in any order, and again after a kernel restart.
  return `<script type="text/javascript">${PIECE_MARKER} ${part} of ${parts}, ` +
    `v${PLOTLY_VERSION} (MIT licence) */
(function () {
  if (window.Plotly && window.Plotly.newPlot) return;
  var key = ${JSON.stringify(bundleKey())}, part = ${part - 1}, parts = ${parts};
  var store = window.${PLOTLY_PIECE_STORE} = window.${PLOTLY_PIECE_STORE} || {};
  var entry = store[key] = store[key] || { texts: [], count: 0, parts: parts };
  if (entry.texts[part] === undefined) { entry.texts[part] = ${literal}; entry.count++; }
  if (entry.count !== parts) return;
  delete store[key];
  var script = document.createElement("script");
  script.type = "text/javascript";
  script.text = "(function (module, exports, define) {\\n" + entry.texts.join("") +
    "\\n}).call(window);";
  (document.head || document.documentElement).appendChild(script);
})();
</script>`;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

let cachedPieces: PlotlyPiece[] | undefined;

/**
 * plotly.js cut into pieces for a notebook: each piece is the `text/html` of one display output
 * (a `<script>` of at most {@link PIECE_MAX_BYTES} bytes as a JSON string), and the page runs the
 * bundle once every piece has arrived, in whatever order. A figure's own script waits for
 * `window.Plotly`. Computed once per process.
 *
 * @returns The pieces, in order.
 *
 * @example
 * ```ts
 * import { plotlyPieces, PIECE_MAX_BYTES } from "./plotly_js.ts";
 * import assert from "node:assert/strict";
 *
 * const pieces = plotlyPieces();
 * assert.ok(pieces.length > 1 && pieces.every((p) => p.parts === pieces.length));
 * const bytes = (p: { html: string }) => new TextEncoder().encode(JSON.stringify(p.html)).length;
 * assert.ok(pieces.every((p) => bytes(p) <= PIECE_MAX_BYTES));
 * ```
 */
export function plotlyPieces(): PlotlyPiece[] {
  if (cachedPieces) return cachedPieces;
  // Sizes are measured on blocks of the bundle, then blocks are packed greedily into pieces.
  const BLOCK = 8192;
  const overhead = utf8Length(JSON.stringify(pieceHtml("", 99, 99))) + 16;
  const budget = PIECE_MAX_BYTES - overhead;
  const literals: string[] = [];
  let current = "";
  let currentBytes = 0;
  for (let start = 0; start < bundleText.length; start += BLOCK) {
    const block = bundleText.slice(start, start + BLOCK);
    // The piece's literal is escaped twice on its way: as a JS string, then as a JSON string.
    const bytes = utf8Length(JSON.stringify(scriptJson(block))) - 2;
    if (current && currentBytes + bytes > budget) {
      literals.push(current);
      current = "";
      currentBytes = 0;
    }
    current += block;
    currentBytes += bytes;
  }
  if (current) literals.push(current);
  cachedPieces = literals.map((text, i) => ({
    part: i + 1,
    parts: literals.length,
    html: pieceHtml(scriptJson(text), i + 1, literals.length),
  }));
  return cachedPieces;
}

/**
 * True when `html` is a piece of plotly.js made by {@link plotlyPieces}: what a saved notebook
 * can drop once its figures have static images.
 *
 * @param html The `text/html` of an output.
 * @returns Whether it is a plotly.js piece.
 *
 * @example
 * ```ts
 * import { isPlotlyPieceHtml, plotlyPieces } from "./plotly_js.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isPlotlyPieceHtml(plotlyPieces()[0].html));
 * assert.ok(!isPlotlyPieceHtml("<b>table</b>"));
 * ```
 */
export function isPlotlyPieceHtml(html: string): boolean {
  return html.startsWith(`<script type="text/javascript">${PIECE_MARKER} `);
}
