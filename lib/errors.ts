/**
 * The project's one error base. Every error factorlab raises on purpose extends
 * {@link FactorlabError}, so a caller can tell the library's own, explained failures from a
 * programming error with one `instanceof`, and each message says what was wrong, where, and what
 * to do.
 *
 * @module
 */

/**
 * Base class of every error factorlab raises on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FactorlabError, InvalidArgumentError } from "./errors.ts";
 * const err = new InvalidArgumentError("bad start");
 * assert.ok(err instanceof FactorlabError && err.name === "InvalidArgumentError");
 * ```
 */
export class FactorlabError extends Error {
  /** Creates the error; `cause` keeps the underlying error when there is one. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An option or argument is not valid: the message names it, the value given and what is
 * accepted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidArgumentError } from "./errors.ts";
 * assert.ok(new InvalidArgumentError("bad start").message === "bad start");
 * ```
 */
export class InvalidArgumentError extends FactorlabError {}
