/**
 * What each notebook must show, checked by run.ts after executing it.
 *
 * @module
 */

import type { NotebookChecks } from "./expect.ts";

/** Checks by notebook file name; every notebook in notebooks/ needs an entry. */
export const CHECKS: Record<string, NotebookChecks> = {};
