/**
 * Cold start (task 5): a fresh Deno process that imports the public API and exits. The
 * benchmark times the whole process, Deno's own start included.
 *
 * @module
 */

import "../mod.ts";
