/**
 * Date and period strings: normalising user bounds ("2010", "2010-01", "2010-01-15", Date) and
 * filtering frames keyed by "YYYY" / "YYYY-MM" / "YYYY-MM-DD" strings on whole columns.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import { InvalidArgumentError } from "./errors.ts";

/**
 * A date bound as the user may write it: "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYYMMDD" or a Date.
 *
 * Every `end` in factorlab follows one convention (see {@link lastIncludedDay}): a day
 * ("2020-12-31", "20201231" or a Date) is **exclusive**, as in yfinance, so
 * `end: "2020-12-31"` stops on 2020-12-30; a month ("2020-12") or a year ("2020") includes all of
 * it, as a pandas period slice does. A `start` is always inclusive.
 */
export type DateInput = string | Date;

/**
 * How often a series is observed: the one frequency type of factorlab. Regressions and returns
 * take "daily", "weekly" or "monthly" (`Exclude<Frequency, "annual">`); "annual" appears in the
 * Ken French library's tables.
 */
export type Frequency = "daily" | "weekly" | "monthly" | "annual";

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The number of days of `month` (1-12) in `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Turns a bound into a full "YYYY-MM-DD" date. A partial bound covers its whole span: as a
 * start, "2010-03" means 2010-03-01; as an end, 2010-03-31 (and "2010" ends on 2010-12-31).
 */
export function normalizeDate(value: DateInput, side: "start" | "end"): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidArgumentError(`Invalid Date as ${side}`);
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  const text = String(value).trim();
  const match = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError(
      `Cannot read ${side} date "${value}": write it as YYYY, YYYY-MM or YYYY-MM-DD ` +
        `(e.g. "2010-01-01"), or pass a Date.`,
    );
  }
  const year = Number(match[1]);
  const month = match[2] === undefined ? (side === "start" ? 1 : 12) : Number(match[2]);
  if (month < 1 || month > 12) {
    throw new InvalidArgumentError(`The month in ${side} date "${value}" is not 01..12.`);
  }
  const last = daysInMonth(year, month);
  const day = match[3] === undefined ? (side === "start" ? 1 : last) : Number(match[3]);
  if (day < 1 || day > last) {
    throw new InvalidArgumentError(`The day in ${side} date "${value}" does not exist.`);
  }
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * The last day an `end` bound includes, as "YYYY-MM-DD". This is factorlab's one convention for
 * `end`, applied by every entry point (`analyze`, `analyzeMany`, `yahooPrices`,
 * `famaFrenchFactors`, `frenchDataset`, `readPriceCsv`, the CLI):
 *
 * - a day is **exclusive**, as yfinance's `end` is: `"2020-12-31"` (or `"20201231"`, or a Date of
 *   that day) includes days up to 2020-12-30. The Fama-French tutorial downloads its prices with
 *   `yf.download(..., end="2020-12-31")`, so its December 2020 return ends on the 30th; the same
 *   call here reproduces its figures.
 * - a month or a year is **inclusive** of the whole span, as a pandas period slice is:
 *   `"2020-12"` includes 2020-12-31, `"2020"` includes 2020-12-31.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lastIncludedDay } from "./dates.ts";
 * assert.equal(lastIncludedDay("2020-12-31"), "2020-12-30");
 * assert.equal(lastIncludedDay("2020-12"), "2020-12-31");
 * assert.equal(lastIncludedDay("2021-03-01"), "2021-02-28");
 * assert.equal(lastIncludedDay("2020"), "2020-12-31");
 * ```
 */
export function lastIncludedDay(end: DateInput): string {
  const day = normalizeDate(end, "end");
  return end instanceof Date || isDayPrecision(end) ? addDays(day, -1) : day;
}

/**
 * An `end` bound that includes `period` under the {@link lastIncludedDay} convention: a month or
 * year period is its own inclusive end; a day needs the day after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { endIncluding, lastIncludedDay } from "./dates.ts";
 * assert.equal(endIncluding("2020-12"), "2020-12");
 * assert.equal(lastIncludedDay(endIncluding("2020-12-31")), "2020-12-31");
 * ```
 */
export function endIncluding(period: string): string {
  return isDayPrecision(period) ? addDays(normalizeDate(period, "end"), 1) : period;
}

function isDayPrecision(value: string): boolean {
  return /^\d{4}-?\d{2}-?\d{2}$/.test(value.trim());
}

/** Checks that a range holds at least one day and says why not, with the `end` convention. */
export function checkRange(start: string | undefined, end: DateInput | undefined): void {
  if (start === undefined || end === undefined) return;
  const last = lastIncludedDay(end);
  if (start <= last) return;
  const exclusive = last !== normalizeDate(end, "end");
  throw new InvalidArgumentError(
    `The range from ${start} to end ${describe(end)} holds no day` +
      (exclusive
        ? `: a day given as end is exclusive (as in yfinance), so it stops on ${last}. To ` +
          `include ${normalizeDate(end, "end")}, pass the next day or the month ` +
          `("${normalizeDate(end, "end").slice(0, 7)}").`
        : "."),
  );
}

function describe(value: DateInput): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : `"${value}"`;
}

/** Shifts a "YYYY-MM-DD" date by whole days. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Shifts a "YYYY-MM-DD" date to the first day of the month `months` away. */
export function monthStart(date: string, months = 0): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const d = new Date(Date.UTC(year, month, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * Keeps the rows of `frame` whose period in `column` overlaps the range from `start` to `end`
 * (`end` as {@link lastIncludedDay} says). Periods are compared at their own precision, so a
 * monthly "2010-01" is kept for a start of "2010-01-15".
 */
export function filterPeriods(
  frame: DataFrame,
  start?: DateInput,
  end?: DateInput,
  column = "period",
): DataFrame {
  if ((start === undefined && end === undefined) || frame.height === 0) return frame;
  const lo = start === undefined ? undefined : normalizeDate(start, "start");
  const hi = end === undefined ? undefined : lastIncludedDay(end);
  checkRange(lo, end);
  const width = String(frame.getColumn(column).get(0)).length;
  const key = pl.col(column).str.slice(0, width);
  let keep: pl.Expr | undefined;
  if (lo !== undefined) keep = key.gtEq(pl.lit(lo.slice(0, width)));
  if (hi !== undefined) {
    const upper = key.ltEq(pl.lit(hi.slice(0, width)));
    keep = keep === undefined ? upper : keep.and(upper);
  }
  return keep === undefined ? frame : frame.filter(keep);
}
