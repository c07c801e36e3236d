/**
 * nodejs-polars, pinned. The one place the library names the package: an `npm:` specifier works
 * wherever factorlab is imported from (a registry, a file URL, a path), where a bare name would
 * need this repository's import map. deno.json's import map pins the same version for the tests
 * and notebooks; tests/package_test.ts keeps the two equal.
 *
 * @module
 */

export { default } from "npm:nodejs-polars@0.25.2";
export * from "npm:nodejs-polars@0.25.2";
