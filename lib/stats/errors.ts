/**
 * Error classes of the regression layer. Each message says what was wrong and what to do.
 *
 * @module
 */

import { FactorlabError } from "../errors.ts";

/**
 * The inputs of a regression are not usable as given: lengths differ, values are
 * missing or infinite, a column is not numeric, or there are too few observations.
 *
 * @example
 * ```ts
 * import { ols, RegressionInputError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => ols([1, 2, 3], { x: [1, 2] }), RegressionInputError);
 * ```
 */
export class RegressionInputError extends FactorlabError {
  /** Creates the error with a message saying what was wrong and what to do. */
  constructor(message: string) {
    super(message);
  }
}

/**
 * The regressors are perfectly collinear (the design matrix is rank deficient): some
 * column is an exact linear combination of others, so the coefficients are not identified.
 *
 * @example
 * ```ts
 * import { CollinearityError, ols } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = [1, 2, 3, 4, 6];
 * try {
 *   ols([1, 3, 2, 5, 4], { x, twice: x.map((v) => 2 * v) }, { addConstant: true });
 * } catch (e) {
 *   assert.ok(e instanceof CollinearityError);
 *   assert.deepEqual(e.collinear, ["twice"]);
 * }
 * ```
 */
export class CollinearityError extends FactorlabError {
  /** Names of the columns that are linear combinations of earlier columns. */
  readonly collinear: string[];
  /** Rank of the design matrix. */
  readonly rank: number;
  /** Creates the error. */
  constructor(message: string, collinear: string[], rank: number) {
    super(message);
    this.collinear = collinear;
    this.rank = rank;
  }
}
