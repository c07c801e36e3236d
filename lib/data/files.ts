/**
 * Local price files: a Yahoo-style CSV (`Date,Open,High,Low,Close,Adj Close,Volume`, also the
 * yfinance `AdjClose`/`Dividends` variant) or any CSV with a date column and a price column.
 * Ken French files on disk are read by `frenchDataset(path)`.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import { type DateInput, filterPeriods } from "./dates.ts";
import { DataFormatError, FactorlabDataError } from "./errors.ts";
import { DEFAULT_MAX_UNPACKED_BYTES, readFileLimited } from "./limits.ts";

/** Options of {@link readPriceCsv}. */
export interface PriceCsvOptions {
  /** The date column (default: the first of Date, date, Datetime, timestamp). */
  dateColumn?: string;
  /**
   * The price to compute returns from (default: Adj Close / AdjClose / adj_close). It is exposed
   * as `adjClose`, the column the return functions read; name a plain close only if it already
   * includes dividends.
   */
  priceColumn?: string;
  /** First date kept, inclusive. */
  start?: DateInput;
  /** End of the rows kept: a day is exclusive, a month or year inclusive (see {@link DateInput}). */
  end?: DateInput;
}

const CANONICAL: Record<string, string> = {
  date: "date",
  datetime: "date",
  timestamp: "date",
  open: "open",
  high: "high",
  low: "low",
  close: "close",
  adjclose: "adjClose",
  volume: "volume",
  dividends: "dividends",
  stocksplits: "splits",
  ticker: "ticker",
  symbol: "ticker",
};

/** Canonical columns that hold numbers; other columns (a ticker, a note) keep their type. */
const NUMERIC = new Set([
  "open",
  "high",
  "low",
  "close",
  "adjClose",
  "volume",
  "dividends",
  "splits",
]);

function canonical(name: string): string | undefined {
  return CANONICAL[name.toLowerCase().replace(/[\s_\-]/g, "")];
}

/**
 * Rewrites a date column to "YYYY-MM-DD" strings on the whole column. Accepts YYYY-MM-DD (with
 * a time part, as pandas writes tz-aware indexes), YYYY/MM/DD, MM/DD/YYYY, YYYYMMDD integers, and
 * polars Date/Datetime columns.
 */
function normalizeDateColumn(
  frame: DataFrame,
  column: string,
  source: string,
  label = column,
): DataFrame {
  const dtype = String(frame.getColumn(column).dtype);
  let expr: pl.Expr;
  if (dtype.startsWith("Date")) {
    expr = pl.col(column).dt.strftime("%Y-%m-%d");
  } else if (/^(Int|UInt|Float)/.test(dtype)) {
    expr = pl.col(column).cast(pl.Int64).cast(pl.Utf8).str.replace(
      "^(\\d{4})(\\d{2})(\\d{2})$",
      "$1-$2-$3",
    );
  } else {
    expr = pl.col(column).cast(pl.Utf8).str.strip()
      .str.replace("^(\\d{1,2})/(\\d{1,2})/(\\d{4})", "$3-$1-$2")
      .str.replace("^(\\d{4})/(\\d{1,2})/(\\d{1,2})", "$1-$2-$3")
      .str.replace("^(\\d{4})(\\d{2})(\\d{2})$", "$1-$2-$3")
      .str.replace("^(\\d{4})-(\\d)-", "$1-0$2-")
      .str.replace("^(\\d{4}-\\d{2})-(\\d)(\\D|$)", "$1-0$2$3")
      .str.slice(0, 10);
  }
  const checked = frame.withColumns(expr.alias("__date"));
  const bad = checked.filter(
    pl.col("__date").str.contains("^\\d{4}-\\d{2}-\\d{2}$").fillNull(false).not(),
  );
  if (bad.height > 0) {
    throw new DataFormatError(
      source,
      `${bad.height} value(s) of column "${label}" are not dates (first: ` +
        `"${bad.getColumn(column).get(0)}"); use YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY or ` +
        `YYYYMMDD, or name the date column with { dateColumn }`,
    );
  }
  return checked.drop(column).rename({ __date: column }).select(...frame.columns);
}

/**
 * Reads a price CSV from disk into a frame sorted by `date` ("YYYY-MM-DD") with the usual
 * columns renamed `open`, `high`, `low`, `close`, `adjClose`, `volume` (and `dividends` when
 * present) as numbers; a `Ticker`/`Symbol` column becomes `ticker` (a long file of several
 * tickers, sorted by ticker then date); other columns are kept as read. "null" cells become
 * nulls; rows repeating a date (of one ticker) keep the last one.
 *
 * @param path the CSV file
 * @param options date and price columns, date range
 * @returns the price frame
 *
 * @example The tutorial's VBR file
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPriceCsv } from "./files.ts";
 * const vbr = await readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv", {
 *   start: "2010-01-01",
 *   end: "2020-12-31",
 * });
 * assert.ok(vbr.columns.includes("adjClose"));
 * assert.ok(vbr.getColumn("date").get(0) === "2010-01-04");
 * ```
 */
export async function readPriceCsv(
  path: string,
  options: PriceCsvOptions = {},
): Promise<DataFrame> {
  let text: string;
  try {
    // Only a regular file is opened (a FIFO would block forever), and only up to the limit.
    text = new TextDecoder().decode(
      await readFileLimited(path, DEFAULT_MAX_UNPACKED_BYTES, "maxUnpackedBytes"),
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FactorlabDataError(
        `File not found: ${path} (relative paths start at ${Deno.cwd()}).`,
        { cause: error },
      );
    }
    throw error;
  }
  let frame: DataFrame;
  try {
    frame = pl.readCSV(text, {
      nullValues: ["null", "NaN", "nan", "N/A"],
      inferSchemaLength: 1000,
    });
  } catch (error) {
    throw new DataFormatError(path, `not a readable CSV (${(error as Error).message})`, undefined, {
      cause: error,
    });
  }
  const renames: Record<string, string> = {};
  const taken = new Set<string>();
  for (const column of frame.columns) {
    let target: string | undefined;
    if (options.dateColumn !== undefined) {
      target = column === options.dateColumn ? "date" : undefined;
    }
    if (options.priceColumn !== undefined && column === options.priceColumn) target = "adjClose";
    if (target === undefined && column !== options.dateColumn) {
      const c = canonical(column);
      if (
        c && !(c === "date" && options.dateColumn) && !(c === "adjClose" && options.priceColumn)
      ) {
        target = c;
      }
    }
    if (target && !taken.has(target)) {
      taken.add(target);
      if (target !== column) renames[column] = target;
    }
  }
  for (const [wanted, label] of [[options.dateColumn, "date"], [options.priceColumn, "price"]]) {
    if (wanted !== undefined && !frame.columns.includes(wanted)) {
      throw new DataFormatError(
        path,
        `there is no ${label} column "${wanted}"; the columns are ${frame.columns.join(", ")}`,
      );
    }
  }
  frame = frame.rename(renames);
  if (!frame.columns.includes("date")) {
    throw new DataFormatError(
      path,
      `no date column found among ${frame.columns.join(", ")}; name it with { dateColumn }`,
    );
  }
  const dateLabel = Object.entries(renames).find(([, to]) => to === "date")?.[0] ?? "date";
  frame = normalizeDateColumn(frame, "date", path, dateLabel);
  const numeric = frame.columns.filter((c) => NUMERIC.has(c));
  const labels = Object.fromEntries(Object.entries(renames).map(([from, to]) => [to, from]));
  for (const column of numeric) {
    // A number written oddly ("1,234.5", "$10") must not turn into a silent null.
    const bad = frame.filter(
      pl.col(column).isNotNull().and(pl.col(column).cast(pl.Float64).isNull()),
    );
    if (bad.height > 0) {
      throw new DataFormatError(
        path,
        `${bad.height} value(s) of column "${labels[column] ?? column}" are not numbers ` +
          `(first: "${bad.getColumn(column).get(0)}"); write plain numbers such as 1234.5`,
      );
    }
  }
  // A long file of several tickers keeps one row per ticker and date.
  const keys = frame.columns.includes("ticker") ? ["ticker", "date"] : ["date"];
  frame = frame
    .withColumns(...numeric.map((c) => pl.col(c).cast(pl.Float64)))
    .sort(keys)
    .unique({ subset: keys, keep: "last", maintainOrder: true });
  return filterPeriods(frame, options.start, options.end, "date");
}
