/**
 * fflate, pinned (see `polars.ts` in this folder for why the library imports npm packages
 * through these modules).
 *
 * @module
 */

export * from "npm:fflate@0.8.3";
