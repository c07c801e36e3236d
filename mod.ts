/**
 * factorlab: factor-model research in Deno notebooks and on the command line.
 *
 * @module
 */
export const VERSION = "0.1.0";
