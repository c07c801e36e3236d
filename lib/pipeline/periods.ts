/**
 * Period keys: "YYYY-MM-DD" (daily; weekly periods are keyed by the week's last trading day),
 * "YYYY-MM" (monthly) and "YYYY" (annual), computed on whole columns.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { Frequency } from "../data/dates.ts";
import { InvalidArgumentError } from "../errors.ts";

/**
 * Frequencies of returns and their period keys.
 *
 * @deprecated Use {@link Frequency}; this name goes in 0.2.0.
 */
export type ReturnFrequency = Frequency;

/** Checks a frequency name and returns it. */
export function checkFrequency(frequency: string): Frequency {
  if (!["daily", "weekly", "monthly", "annual"].includes(frequency)) {
    throw new InvalidArgumentError(
      `Unknown frequency "${frequency}": use daily, weekly, monthly or annual.`,
    );
  }
  return frequency as Frequency;
}

/**
 * Expression grouping "YYYY-MM-DD" dates into calendar periods: the month ("YYYY-MM"), the year
 * ("YYYY"), the date itself, or for weeks the Monday that starts the ISO week (the period key of
 * a week is then its last trading day, chosen when resampling).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { periodGroupExpr } from "./periods.ts";
 * const frame = pl.DataFrame({ date: ["2020-01-31", "2020-02-03"] });
 * const periods = frame.select(periodGroupExpr("date", "monthly").alias("period"));
 * assert.ok(periods.getColumn("period").toArray().join() === "2020-01,2020-02");
 * ```
 */
export function periodGroupExpr(dateCol: string, frequency: Frequency): pl.Expr {
  const date = pl.col(dateCol);
  switch (frequency) {
    case "daily":
      return date.str.slice(0, 10);
    case "monthly":
      return date.str.slice(0, 7);
    case "annual":
      return date.str.slice(0, 4);
    case "weekly":
      return date.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d").dt.truncate("1w")
        .dt.strftime("%Y-%m-%d");
  }
}

/**
 * Number of whole months (monthly) or years (annual) from year 0 to each period key; used to
 * find gaps between consecutive periods.
 */
export function periodOrdinalExpr(periodCol: string, frequency: "monthly" | "annual"): pl.Expr {
  const year = pl.col(periodCol).str.slice(0, 4).cast(pl.Int32);
  if (frequency === "annual") return year;
  return year.mul(12).add(pl.col(periodCol).str.slice(5, 2).cast(pl.Int32));
}

/** Whether "YYYY-MM-DD" is a day of the calendar (not 2026-02-30). */
function isRealDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(day);
}

/**
 * Refuses period keys of a returns frame that are not periods of `frequency` ("2026-13", a day
 * in a monthly frame, a null) or that repeat: a join with the factors would drop or pair such
 * rows silently.
 *
 * @param periods The frame's `period` column, in row order.
 * @param frequency "monthly", "weekly" or "daily".
 * @param what How the frame is named in messages ("the returns frame").
 * @throws {InvalidArgumentError} naming the first bad row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPeriodKeys } from "./periods.ts";
 * checkPeriodKeys(["2020-01", "2020-02"], "monthly");
 * assert.throws(() => checkPeriodKeys(["2020-01", "2020-13"], "monthly"), /Row 1 .* "2020-13"/);
 * ```
 */
export function checkPeriodKeys(
  periods: ArrayLike<string | null | undefined>,
  frequency: "monthly" | "weekly" | "daily",
  what = "the returns frame",
): void {
  const monthly = frequency === "monthly";
  const format = monthly ? "YYYY-MM" : "YYYY-MM-DD";
  const seen = new Map<string, number>();
  for (let row = 0; row < periods.length; row++) {
    const p = periods[row] ?? null;
    const valid = p !== null &&
      (monthly ? /^\d{4}-(0[1-9]|1[0-2])$/.test(p) : /^\d{4}-\d{2}-\d{2}$/.test(p) && isRealDay(p));
    if (!valid) {
      throw new InvalidArgumentError(
        `Row ${row} of ${what} has period ${
          p === null ? "null" : `"${p}"`
        }, which is not a ${frequency} period ("${format}"${
          monthly ? ", month 01 to 12" : ", a real date"
        }). Fix or drop that row${monthly ? "" : `, or pass the frequency the periods have`}.`,
      );
    }
    const first = seen.get(p);
    if (first !== undefined) {
      throw new InvalidArgumentError(
        `${what[0].toUpperCase()}${
          what.slice(1)
        } has period "${p}" twice (rows ${first} and ${row}); an analysis ` +
          "needs one return per period. Resample to one row per period, or filter to one series.",
      );
    }
    seen.set(p, row);
  }
}
