/**
 * The display protocol of Deno's Jupyter kernel: an object with a method under
 * `Symbol.for("Jupyter.display")` is shown by the MIME bundle that method returns.
 * Defining the symbol here lets any layer be displayable without touching `Deno.jupyter`.
 *
 * @module
 */

/** `Symbol.for("Jupyter.display")`, typed so classes can declare the method. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** `Symbol.for("Deno.customInspect")`: what `console.log` prints for an object. */
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect");

/** A Jupyter MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, unknown>;
