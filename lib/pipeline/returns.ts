/**
 * Prices to returns: the last price of each calendar period (resampling), then simple (and
 * optionally log) returns from one period end to the next, all with polars expressions.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame, LazyFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import {
  checkRange,
  type DateInput,
  type Frequency,
  lastIncludedDay,
  normalizeDate,
} from "../data/dates.ts";
import { type FrameLike, isLazyFrame, toPolars } from "./interop.ts";
import { checkFrequency, periodGroupExpr, periodOrdinalExpr } from "./periods.ts";

/** Options of the resampling and return functions. */
export interface ReturnOptions {
  /** The price column (default "adjClose": split- and dividend-adjusted, for total returns). */
  priceCol?: string;
  /** The date column, "YYYY-MM-DD" strings (default "date"). */
  dateCol?: string;
  /**
   * A column identifying series in a long frame: each gets its own returns. Default "ticker"
   * when the frame has that column (the long layout of `yahooPrices` for several tickers).
   */
  by?: string;
  /** Also compute log returns, in column `logReturn` (default false). */
  log?: boolean;
  /**
   * Keep the first period, whose return is null (default false: dropped, like pandas'
   * `resample("ME").last().pct_change().dropna()`).
   */
  keepFirst?: boolean;
}

/** The price, date and series columns of a price frame with `columns`, checked. */
function priceColumns(
  columns: string[],
  options: ReturnOptions,
): { priceCol: string; dateCol: string; by: string[] } {
  const priceCol = options.priceCol ?? "adjClose";
  const dateCol = options.dateCol ?? "date";
  const by = options.by ? [options.by] : columns.includes("ticker") ? ["ticker"] : [];
  for (
    const [column, what] of [[dateCol, "date"], [priceCol, "price"], ...by.map((b) => [b, "by"])]
  ) {
    if (!columns.includes(column)) {
      const hint = what === "price" && columns.includes("close")
        ? ` There is a "close" column: pass { priceCol: "close" } only if it includes dividends.`
        : "";
      throw new InvalidArgumentError(
        `No ${what} column "${column}" among ${columns.join(", ")}.${hint}`,
      );
    }
  }
  return { priceCol, dateCol, by };
}

/**
 * The rows of a lazy price frame that can end a period, found by polars' engine before anything
 * reaches JavaScript: within [start, end] (a day as end is exclusive), each series' last row with
 * a price in each period, plus every row whose series and date repeat (so that the caller can
 * refuse them as for an eager frame). Dates become "YYYY-MM-DD" strings (a polars Date or
 * Datetime column too). The rows are sorted by series and date; resampling them gives exactly
 * what resampling the whole frame gives, so a Parquet panel of millions of daily rows is read
 * into JavaScript as one row per series and period.
 *
 * @param prices a LazyFrame, e.g. `pl.scanParquet("prices.parquet")`
 * @param frequency the periods the rows will be resampled to
 * @param options price/date/by columns and the range
 * @returns the period-end rows: the series column, the date and the price (Float64)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { periodEndRows } from "./returns.ts";
 * const prices = pl.DataFrame({
 *   date: ["2020-01-30", "2020-01-31", "2020-02-27", "2020-02-28"],
 *   adjClose: [10, 11, 12, null],
 * }).lazy();
 * const rows = periodEndRows(prices, "monthly");
 * assert.equal(rows.getColumn("date").toArray().join(), "2020-01-31,2020-02-27");
 * ```
 */
export function periodEndRows(
  prices: LazyFrame,
  frequency: Frequency,
  options: Omit<ReturnOptions, "log" | "keepFirst"> & { start?: DateInput; end?: DateInput } = {},
): DataFrame {
  checkFrequency(frequency);
  const { priceCol, dateCol, by } = priceColumns(prices.columns, options);
  const day = pl.col(dateCol).cast(pl.Utf8).str.slice(0, 10);
  let rows = prices.select(...by.map((b) => pl.col(b)), day.alias(dateCol), pl.col(priceCol));
  const lo = options.start === undefined ? undefined : normalizeDate(options.start, "start");
  const hi = options.end === undefined ? undefined : lastIncludedDay(options.end);
  checkRange(lo, options.end);
  if (lo !== undefined) rows = rows.filter(pl.col(dateCol).gtEq(pl.lit(lo)));
  if (hi !== undefined) rows = rows.filter(pl.col(dateCol).ltEq(pl.lit(hi)));
  const keys = [...by, dateCol].map((c) => pl.col(c));
  const repeats = (offset: number) =>
    keys.map((key) => key.eq(key.shift(offset))).reduce((a, b) => a.and(b)).fillNull(false);
  const price = pl.col(priceCol).cast(pl.Float64);
  const group = pl.col("__group");
  let ends = group.neq(group.shift(-1));
  for (const b of by) ends = ends.or(pl.col(b).neq(pl.col(b).shift(-1)));
  return rows
    .sort([...by, dateCol])
    .withColumns(price.alias(priceCol), repeats(1).or(repeats(-1)).alias("__repeat"))
    .filter(price.isNotNull().and(price.isNan().not()).or(pl.col("__repeat")))
    .withColumns(periodGroupExpr(dateCol, frequency).alias("__group"))
    .filter(ends.fillNull(true).or(pl.col("__repeat")))
    .select(...by.map((b) => pl.col(b)), pl.col(dateCol), pl.col(priceCol))
    .collectSync();
}

function prepare(prices: FrameLike, options: ReturnOptions, frequency: Frequency): {
  frame: DataFrame;
  priceCol: string;
  dateCol: string;
  by: string[];
} {
  const frame = isLazyFrame(prices)
    ? periodEndRows(prices, frequency, options)
    : toPolars(prices, "A returns function (toReturns, toMonthlyReturns, resampleLast)");
  const { priceCol, dateCol, by } = priceColumns(frame.columns, options);
  // Rows in order by series and date, each (series, date) once: checked on whole columns, and
  // only sorted when they are not (the usual download order already is).
  const keys = [...by, dateCol].map((c) => pl.col(c));
  const after = (a: pl.Expr[]) =>
    a.reduceRight<pl.Expr | undefined>((later, key) => {
      const greater = key.gt(key.shift(1));
      return later === undefined ? greater : greater.or(key.eq(key.shift(1)).and(later));
    }, undefined)!;
  const unordered = (f: DataFrame) =>
    f.select(after(keys).fillNull(true).not().sum().alias("n")).getColumn("n").get(0) as number;
  let ordered = frame;
  if (frame.height > 1 && unordered(frame) > 0) {
    ordered = frame.sort([...by, dateCol]);
    const same = keys.map((key) => key.eq(key.shift(1))).reduce((a, b) => a.and(b));
    const repeated = ordered.select(same.fillNull(false).sum().alias("n")).getColumn("n")
      .get(0) as number;
    if (repeated > 0) {
      // Two prices on one date would make "the last price of the period" depend on row order.
      throw new InvalidArgumentError(
        `${repeated} row(s) repeat a ${by.length ? `${by[0]} and ` : ""}${dateCol} already ` +
          `seen, so the last price of a period is ambiguous. ` +
          (by.length
            ? `Drop the duplicated rows first.`
            : `If the frame holds several series, name the column that tells them apart with ` +
              `{ by: "ticker" }; otherwise drop the duplicated rows first.`),
      );
    }
  }
  return { frame: ordered, priceCol, dateCol, by };
}

/**
 * The last valid price of each period: columns `period`, `date` (the last trading day with a
 * price) and the price column, sorted by period (per series with `by`). Null prices are skipped,
 * like pandas' `resample(...).last()`.
 *
 * @example Month-end prices
 * ```ts
 * import assert from "node:assert/strict";
 * import { resampleLast } from "./returns.ts";
 * const prices = {
 *   date: ["2020-01-30", "2020-01-31", "2020-02-27", "2020-02-28"],
 *   adjClose: [10, 11, 12, null],
 * };
 * const monthEnd = resampleLast(prices, "monthly");
 * assert.ok(monthEnd.getColumn("date").toArray().join() === "2020-01-31,2020-02-27");
 * ```
 */
export function resampleLast(
  prices: FrameLike,
  frequency: Frequency,
  options: Omit<ReturnOptions, "log" | "keepFirst"> = {},
): DataFrame {
  checkFrequency(frequency);
  const { frame, priceCol, dateCol, by } = prepare(prices, options, frequency);
  const price = pl.col(priceCol).cast(pl.Float64);
  let rows = frame.select(...by, pl.col(dateCol), price);
  const invalid = price.isNull().or(price.isNan());
  if ((rows.select(invalid.sum().alias("n")).getColumn("n").get(0) as number) > 0) {
    rows = rows.filter(invalid.not());
  }
  // Rows are in order, so a period's last price is on the row before the period (or the series)
  // changes: a filter on whole columns, no grouping.
  const group = pl.col("__group");
  let ends = group.neq(group.shift(-1));
  for (const b of by) ends = ends.or(pl.col(b).neq(pl.col(b).shift(-1)));
  const last = rows
    .withColumns(periodGroupExpr(dateCol, frequency).alias("__group"))
    .filter(ends.fillNull(true));
  // A week is keyed by its last trading day, which is what the Ken French weekly files use.
  const date = pl.col(dateCol).str.slice(0, 10);
  const period = frequency === "weekly" ? date : group;
  return last.select(...by, period.alias("period"), date.alias(dateCol), pl.col(priceCol));
}

/**
 * Simple returns from one period end to the next (column `return`, decimals), keyed by
 * `period`: the last adjusted close of each calendar month (week, year, day) compared with the
 * previous one. The first period has no return and is dropped unless `keepFirst`. A period
 * following a gap (a missing month or year) gets no return rather than a multi-period one.
 *
 * @param prices a frame with `date` and `adjClose` (e.g. `yahooPrices(...).prices`)
 * @param frequency "daily", "weekly", "monthly" or "annual"
 * @param options price/date/by columns, log returns, keepFirst
 * @returns `period` (+ `by`), `date`, the price, `return` (+ `logReturn`)
 *
 * @example Weekly returns
 * ```ts
 * import assert from "node:assert/strict";
 * import { toReturns } from "./returns.ts";
 * const prices = { date: ["2020-01-03", "2020-01-10", "2020-01-17"], adjClose: [100, 110, 99] };
 * const weekly = toReturns(prices, "weekly");
 * assert.ok(weekly.getColumn("period").toArray().join() === "2020-01-10,2020-01-17");
 * assert.ok(Math.abs(weekly.getColumn("return").get(1) - -0.1) < 1e-12);
 * ```
 */
export function toReturns(
  prices: FrameLike,
  frequency: Frequency,
  options: ReturnOptions = {},
): DataFrame {
  const priceCol = options.priceCol ?? "adjClose";
  const resampled = resampleLast(prices, frequency, options);
  // resampleLast keeps the series column first when there is one (given or "ticker").
  const by = options.by ? [options.by] : resampled.columns[0] === "ticker" ? ["ticker"] : [];
  const previous = pl.col(priceCol).shift(1);
  let ret = pl.col(priceCol).div(previous).sub(1);
  if (frequency === "monthly" || frequency === "annual") {
    const ordinal = periodOrdinalExpr("period", frequency);
    const step = by.length ? ordinal.diff(1, "ignore").over(by[0]) : ordinal.diff(1, "ignore");
    ret = pl.when(step.eq(1)).then(ret).otherwise(pl.lit(null));
  }
  if (by.length) ret = ret.over(by[0]);
  let out = resampled.withColumns(ret.alias("return"));
  if (options.log) out = out.withColumns(pl.col("return").add(1).log().alias("logReturn"));
  return options.keepFirst ? out : out.filter(pl.col("return").isNotNull());
}

/**
 * Monthly simple returns from daily prices: last adjusted close of each calendar month, then
 * the change month over month, keyed by "YYYY-MM". Prices from 2010-01-01 to 2020-12-31 give
 * 131 returns, 2010-02..2020-12 (the tutorials' `resample("ME").last().pct_change().dropna()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPriceCsv } from "../data/files.ts";
 * import { toMonthlyReturns } from "./returns.ts";
 * const vbr = await readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv", {
 *   start: "2010-01-01",
 *   end: "2020-12-31",
 * });
 * const monthly = toMonthlyReturns(vbr);
 * assert.ok(monthly.height === 131);
 * assert.ok(monthly.getColumn("period").get(0) === "2010-02");
 * ```
 */
export function toMonthlyReturns(prices: FrameLike, options: ReturnOptions = {}): DataFrame {
  return toReturns(prices, "monthly", options);
}

/**
 * Daily simple returns, keyed by the date "YYYY-MM-DD".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toDailyReturns } from "./returns.ts";
 * const daily = toDailyReturns({ date: ["2020-01-02", "2020-01-03"], adjClose: [100, 101] });
 * assert.ok(daily.height === 1 && Math.abs(daily.getColumn("return").get(0) - 0.01) < 1e-12);
 * ```
 */
export function toDailyReturns(prices: FrameLike, options: ReturnOptions = {}): DataFrame {
  return toReturns(prices, "daily", options);
}

/**
 * Weekly simple returns (Monday-to-Sunday weeks), keyed by each week's last trading day.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toWeeklyReturns } from "./returns.ts";
 * const prices = { date: ["2020-01-02", "2020-01-03", "2020-01-09"], adjClose: [1, 2, 3] };
 * const weekly = toWeeklyReturns(prices);
 * assert.ok(weekly.getColumn("period").get(0) === "2020-01-09");
 * assert.ok(weekly.getColumn("return").get(0) === 0.5);
 * ```
 */
export function toWeeklyReturns(prices: FrameLike, options: ReturnOptions = {}): DataFrame {
  return toReturns(prices, "weekly", options);
}
