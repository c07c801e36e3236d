/**
 * The one display base of factorlab's results: a class says what it shows by returning a
 * {@linkcode Summary} from `summary()`, and inherits its text, HTML, Markdown, its Jupyter
 * display and what `console.log` prints.
 *
 * @module
 */

import type { Summary } from "./summary.ts";
import { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle } from "./symbols.ts";

/**
 * Base class of everything that displays itself: subclasses implement `summary()`; `toString()`
 * (also what `console.log` prints), `toHTML()`, `toMarkdown()` and the Jupyter display (HTML with
 * the text as fallback) all render that summary.
 *
 * @example A result that shows one table
 * ```ts
 * import { Displayable, Summary, Table } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * class Betas extends Displayable {
 *   summary(): Summary {
 *     return Summary.of(new Table([{ header: "factor" }, { header: "beta" }], [["MKT_RF", 1.01]]));
 *   }
 * }
 * assert.equal(String(new Betas()), "factor    beta\nMKT_RF  1.0100");
 * assert.match(new Betas().toMarkdown(), /\| MKT_RF \| 1\.0100 \|/);
 * ```
 */
export abstract class Displayable {
  /** What the object shows, as a summary of tables and notes. */
  abstract summary(): Summary;

  /** What is displayed: the summary, unless a subclass shows more around it. */
  protected display(): Summary {
    return this.summary();
  }

  /** Plain text; also what `console.log` prints. */
  toString(): string {
    return this.display().toString();
  }

  /** HTML that inherits the notebook's colours, so it reads in light and dark themes. */
  toHTML(): string {
    return this.display().toHTML();
  }

  /** GitHub-flavoured Markdown. */
  toMarkdown(): string {
    return this.display().toMarkdown();
  }

  /** Jupyter display: HTML, with the text as fallback. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const shown = this.display();
    return { "text/html": shown.toHTML(), "text/plain": shown.toString() };
  }

  /** `console.log` prints the text. */
  [DENO_INSPECT](): string {
    return this.toString();
  }
}
