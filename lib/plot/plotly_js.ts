/**
 * The plotly.js bundle, read (never executed) from the pinned `plotly.js-dist-min` npm package so
 * that figures can be drawn without a network: it is inlined into standalone HTML files and into
 * the first figure a notebook displays.
 *
 * @module
 */

import { FactorlabError } from "../errors.ts";

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
// Importing the package's manifest (plain JSON, nothing is executed) puts the package in the
// module graph, so Deno installs it into node_modules before this module runs.
import plotlyPackage from "plotly.js-dist-min/package.json" with { type: "json" };

/**
 * plotly.js could not be read from the `plotly.js-dist-min` package: it is not installed, or
 * read permission for it is missing. The message lists the paths tried and what to do.
 *
 * @example
 * ```ts
 * import { PlotlyBundleError } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const err = new PlotlyBundleError("plotly.js could not be read", ["/nowhere/plotly.min.js"]);
 * assert.ok(err.tried.length === 1);
 * ```
 */
export class PlotlyBundleError extends FactorlabError {
  /** The files that were tried, in order. */
  readonly tried: string[];
  /** Creates the error; `tried` lists the candidate files. */
  constructor(message: string, tried: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.tried = tried;
  }
}

const PACKAGE = "plotly.js-dist-min";

let cachedBundle: { text: string; version: string; path: string } | undefined;

/** Where the bundle may be: the import map's resolution first, then Node-style resolution. */
function candidates(): string[] {
  const found: string[] = [];
  try {
    const url = import.meta.resolve(`${PACKAGE}/plotly.min.js`);
    if (url.startsWith("file:")) found.push(fileURLToPath(url));
  } catch {
    // Not in the import map of the importing project: fall through to Node resolution.
  }
  if (import.meta.url.startsWith("file:")) {
    try {
      found.push(createRequire(import.meta.url).resolve(PACKAGE));
    } catch {
      // No node_modules folder above this module.
    }
  }
  return [...new Set(found)];
}

/**
 * The text of plotly.min.js and its version, read once per process and cached.
 *
 * @throws {PlotlyBundleError} when no candidate file can be read.
 */
export function plotlyBundle(): { text: string; version: string; path: string } {
  if (cachedBundle) return cachedBundle;
  const tried = candidates();
  let lastError: unknown;
  for (const path of tried) {
    try {
      const text = Deno.readTextFileSync(path);
      cachedBundle = { text, version: plotlyPackage.version, path };
      return cachedBundle;
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        throw new PlotlyBundleError(
          `plotly.js is at ${path} but reading it is not permitted: grant read access to the ` +
            `project's node_modules (e.g. --allow-read=.) so figures can be drawn offline`,
          tried,
          { cause: e },
        );
      }
      lastError = e;
    }
  }
  throw new PlotlyBundleError(
    `plotly.js could not be read from the "${PACKAGE}" npm package (` +
      (tried.length ? `tried ${tried.join(", ")}` : "it does not resolve from this module") +
      `). Run \`deno install\` in the project (deno.json pins ${PACKAGE}, with ` +
      `"nodeModulesDir": "auto") and grant read access to ./node_modules`,
    tried,
    { cause: lastError },
  );
}

/**
 * A `<script>` element that defines `window.Plotly` from the inlined bundle unless the page
 * already has it, so a second copy on the same page is skipped. The bundle runs with `module`,
 * `exports` and `define` shadowed, so it never registers itself with a CommonJS or AMD loader
 * (require.js in classic notebooks and nbconvert pages) and always sets the global.
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
  const { text, version } = plotlyBundle();
  // The HTML parser ends a script at "</script" and treats "<!--" specially; both only
  // occur in string literals, where the escaped forms mean the same.
  const safe = text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  return `<script type="text/javascript">/* plotly.js v${version} (MIT licence), inlined by ` +
    `factorlab */\nif (typeof window.Plotly === "undefined") {\n` +
    `(function (module, exports, define) {\n${safe}\n}).call(window);\n}\n</script>`;
}
