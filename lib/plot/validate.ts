/**
 * Input checks shared by the chart builders. Every message names the chart and the field, says
 * what was wrong, and what is expected, so a notebook user can fix the call without reading code.
 *
 * @module
 */

import { FactorlabError } from "../errors.ts";

/**
 * Bad input to a chart builder: mismatched lengths, empty input, non-finite numbers,
 * malformed periods. `field` names the offending input field (e.g. `"lower"`, `"periods"`).
 *
 * @example
 * ```ts
 * import { exposureChart, PlotInputError } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => exposureChart({ names: ["MKT_RF"], betas: [1], lower: [0.9, 0.8], upper: [1.1] }),
 *   (e: unknown) => e instanceof PlotInputError && e.field === "lower",
 * );
 * ```
 */
export class PlotInputError extends FactorlabError {
  /** The input field the error is about. */
  readonly field: string;
  /** Creates the error for `field` with the full `message`. */
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Throws a {@link PlotInputError} prefixed by the chart's name. */
export function fail(chart: string, field: string, problem: string): never {
  throw new PlotInputError(field, `${chart}: ${problem}`);
}

/** Checks that `value` is array-like and returns it as a plain array. */
function asArray<T>(chart: string, field: string, value: unknown): T[] {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<T>).length !== "number"
  ) {
    fail(chart, field, `"${field}" must be an array, got ${describe(value)}`);
  }
  return Array.from(value as ArrayLike<T>);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `the string ${JSON.stringify(value)}` : typeof value;
}

/** A non-empty array of finite numbers, as a plain array. */
export function finiteNumbers(
  chart: string,
  field: string,
  value: ArrayLike<number>,
  expectedLength?: { length: number; of: string },
): number[] {
  const values = asArray<number>(chart, field, value);
  checkLength(chart, field, values.length, expectedLength);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      fail(
        chart,
        field,
        `${field}[${i}] is ${typeof v === "number" ? String(v) : describe(v)}; ` +
          `every value must be a finite number (drop or fill missing values first)`,
      );
    }
  }
  return values;
}

/** An array of finite numbers or nulls (gaps), as a plain array; `undefined` and NaN become null. */
export function nullableNumbers(
  chart: string,
  field: string,
  value: ArrayLike<number | null>,
  expectedLength: { length: number; of: string },
): (number | null)[] {
  const values = asArray<number | null | undefined>(chart, field, value);
  checkLength(chart, field, values.length, expectedLength);
  return values.map((v, i) => {
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return null;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      fail(
        chart,
        field,
        `${field}[${i}] is ${typeof v === "number" ? String(v) : describe(v)}; ` +
          `values must be finite numbers, or null for a gap`,
      );
    }
    return v;
  });
}

function checkLength(
  chart: string,
  field: string,
  length: number,
  expected?: { length: number; of: string },
): void {
  if (expected !== undefined && length !== expected.length) {
    fail(
      chart,
      field,
      `"${field}" has ${length} value(s) but "${expected.of}" has ${expected.length}; ` +
        `they must have the same length`,
    );
  }
  if (length === 0) fail(chart, field, `"${field}" is empty; give at least one value`);
}

/** A non-empty array of non-empty strings, as a plain array. */
export function labels(chart: string, field: string, value: ArrayLike<string>): string[] {
  const values = asArray<string>(chart, field, value);
  if (values.length === 0) fail(chart, field, `"${field}" is empty; give at least one name`);
  values.forEach((v, i) => {
    if (typeof v !== "string" || v.trim() === "") {
      fail(chart, field, `${field}[${i}] must be a non-empty string, got ${describe(v)}`);
    }
  });
  return values;
}

/** The granularity of period keys: monthly "YYYY-MM" or daily "YYYY-MM-DD". */
export type PeriodKind = "monthly" | "daily";

/**
 * Period keys, all "YYYY-MM" or all "YYYY-MM-DD", real calendar dates, strictly increasing
 * (so lines are drawn left to right and nothing is plotted twice).
 */
export function periodKeys(
  chart: string,
  field: string,
  value: ArrayLike<string>,
): { periods: string[]; kind: PeriodKind } {
  const periods = asArray<string>(chart, field, value);
  if (periods.length === 0) fail(chart, field, `"${field}" is empty; give at least one period`);
  let kind: PeriodKind | undefined;
  periods.forEach((p, i) => {
    const k = periodKind(p);
    if (k === undefined) {
      fail(
        chart,
        field,
        `${field}[${i}] is ${typeof p === "string" ? JSON.stringify(p) : describe(p)}; ` +
          `periods must be "YYYY-MM" (monthly) or "YYYY-MM-DD" (daily) dates`,
      );
    }
    if (kind !== undefined && k !== kind) {
      fail(
        chart,
        field,
        `${field}[${i}] is ${JSON.stringify(p)} but ${field}[0] is ${
          JSON.stringify(periods[0])
        }; ` +
          `use one format for every period ("YYYY-MM" or "YYYY-MM-DD")`,
      );
    }
    kind = k;
    if (i > 0 && !(p > periods[i - 1])) {
      fail(
        chart,
        field,
        `${field}[${i}] (${p}) does not come after ${field}[${i - 1}] (${periods[i - 1]}); ` +
          `periods must be sorted in increasing order without duplicates`,
      );
    }
  });
  return { periods, kind: kind! };
}

function periodKind(p: unknown): PeriodKind | undefined {
  if (typeof p !== "string") return undefined;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(p)) return "monthly";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p)) return undefined;
  // A day that is not in the calendar (2026-02-30) does not survive the round trip.
  const time = Date.parse(`${p}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(p) ? "daily" : undefined;
}

/** A confidence level in (0, 1), checked, as a label ("95%"). */
export function levelLabel(chart: string, level: number): string {
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    fail(chart, "level", `"level" must be a confidence level in (0, 1) such as 0.95, got ${level}`);
  }
  return `${+(level * 100).toFixed(2)}%`;
}

/** An optional title: a string when given. */
export function optionalText(
  chart: string,
  field: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(chart, field, `"${field}" must be a string`);
  return value;
}
