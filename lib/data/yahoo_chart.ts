/**
 * Validation of a Yahoo chart API result before any of it reaches a frame: every field is
 * checked for type and range, so a damaged or hostile response fails with a
 * {@link DataFormatError} that names the field and the date, never with a polars error, a NaN or
 * a bar dated in the wrong year. Bars are dated in the exchange's time zone with `Intl`, which
 * also validates the zone name.
 *
 * @module
 */

import { DataFormatError, InvalidTickerError } from "./errors.ts";

/** A checked chart result: one entry per bar, dates in the exchange's zone. */
export interface CheckedChart {
  /** "YYYY-MM-DD" of each bar, increasing. */
  dates: string[];
  /** Prices (positive) or null, one per bar. */
  open: (number | null)[];
  /** Prices (positive) or null, one per bar. */
  high: (number | null)[];
  /** Prices (positive) or null, one per bar. */
  low: (number | null)[];
  /** Prices (positive) or null, one per bar. */
  close: (number | null)[];
  /** Adjusted closes (positive) or null, one per bar. */
  adjClose: (number | null)[];
  /** Volumes (zero or more) or null, one per bar. */
  volume: (number | null)[];
  /** Cash dividends by ex-date, in date order. */
  dividends: { date: string; amount: number }[];
  /** Splits by date, in date order. */
  splits: { date: string; numerator: number; denominator: number }[];
  /** The trading currency, when given. */
  currency: string | undefined;
  /** The exchange's IANA zone, when given. */
  timezone: string | undefined;
}

/** Unix seconds of 1900-01-01: no traded price is older. */
const FIRST_SECOND = Date.UTC(1900, 0, 1) / 1000;
/** The largest UTC offset of any zone (±18 h, the ISO 8601 bound). */
const MAX_OFFSET_SECONDS = 18 * 3600;

type Fail = (problem: string, date?: string) => never;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of dates in `zone`, or undefined when `zone` is not a time zone Intl knows. */
function zoneFormatter(zone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** "YYYY-MM-DD" of an instant in the zone of `formatter`. */
function zonedDate(formatter: Intl.DateTimeFormat, ms: number): string {
  const text = formatter.format(ms);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const parts = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks the first result of a chart response and dates its bars. `fail` raises the error for
 * the response; `now` bounds timestamps (no bar is dated more than two days ahead of it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkChartResult } from "./yahoo_chart.ts";
 * const day = Date.parse("2020-01-02T14:30:00Z") / 1000;
 * const chart = checkChartResult({
 *   meta: { exchangeTimezoneName: "America/New_York" },
 *   timestamp: [day],
 *   indicators: { quote: [{ close: [10], volume: [5] }], adjclose: [{ adjclose: [9.5] }] },
 * }, "example");
 * assert.deepEqual(chart.dates, ["2020-01-02"]);
 * assert.throws(() => checkChartResult({ meta: { exchangeTimezoneName: "Mars/Base" } }, "x"));
 * ```
 */
export function checkChartResult(result: unknown, url: string, now = Date.now()): CheckedChart {
  const fail: Fail = (problem, date) => {
    throw new DataFormatError(
      url,
      `${problem}. The response is damaged or not from Yahoo's chart API; download it again ` +
        `(option { refresh: true })`,
      undefined,
      date === undefined ? undefined : { key: date },
    );
  };
  if (!isObject(result)) return fail("the chart result is not an object");
  const meta = result.meta ?? {};
  if (!isObject(meta)) return fail("meta is not an object");
  const currency = optionalString(meta.currency, "meta.currency", fail);
  const timezone = optionalString(meta.exchangeTimezoneName, "meta.exchangeTimezoneName", fail);
  const dateOf = dater(timezone, meta.gmtoffset, fail);
  const lastSecond = Math.floor(now / 1000) + 2 * 86_400;
  const timestamps = result.timestamp ?? [];
  if (!Array.isArray(timestamps)) return fail("timestamp is not an array");
  const dates = timestamps.map((ts, i) => {
    if (!Number.isSafeInteger(ts) || ts < FIRST_SECOND || ts > lastSecond) {
      return fail(
        `timestamp ${i + 1} is ${JSON.stringify(ts)}, not a whole number of seconds between ` +
          `1900 and two days from now`,
      );
    }
    return dateOf(ts);
  });
  for (let i = 1; i < timestamps.length; i++) {
    if (timestamps[i] <= timestamps[i - 1]) {
      fail(
        `bar ${i + 1} (${dates[i]}) is not later than the bar before it (${dates[i - 1]})`,
        dates[i],
      );
    }
    // A live session repeats the last day as a separate bar; any other repeat is damage.
    if (dates[i] === dates[i - 1] && i !== timestamps.length - 1) {
      fail(`two bars are dated ${dates[i]}`, dates[i]);
    }
  }
  const indicators = result.indicators ?? {};
  if (!isObject(indicators)) return fail("indicators is not an object");
  const quote = firstOf(indicators.quote, "indicators.quote", fail) ?? {};
  const adjcloseBlock = firstOf(indicators.adjclose, "indicators.adjclose", fail);
  if (adjcloseBlock?.adjclose === undefined || adjcloseBlock.adjclose === null) {
    fail("the chart response has no adjusted closes (indicators.adjclose)");
  }
  const series = (values: unknown, name: string, positive: boolean): (number | null)[] =>
    checkSeries(values, name, dates, positive, fail);
  const checked: CheckedChart = {
    dates,
    open: series(quote.open, "open", true),
    high: series(quote.high, "high", true),
    low: series(quote.low, "low", true),
    close: series(quote.close, "close", true),
    adjClose: series(adjcloseBlock?.adjclose, "adjclose", true),
    volume: series(quote.volume, "volume", false),
    dividends: [],
    splits: [],
    currency,
    timezone,
  };
  const events = result.events ?? {};
  if (!isObject(events)) return fail("events is not an object");
  const stamp = (value: unknown, what: string): string => {
    if (
      !Number.isSafeInteger(value) || (value as number) < FIRST_SECOND ||
      (value as number) > lastSecond
    ) {
      return fail(`${what} has the date ${JSON.stringify(value)}, not a time between 1900 and now`);
    }
    return dateOf(value as number);
  };
  const positive = (value: unknown, what: string, date: string): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      return fail(`${what} of ${date} is ${JSON.stringify(value)}, not a positive number`, date);
    }
    return value;
  };
  for (const entry of eventList(events.dividends, "events.dividends", fail)) {
    const date = stamp(entry.date, "a dividend");
    checked.dividends.push({ date, amount: positive(entry.amount, "the dividend", date) });
  }
  for (const entry of eventList(events.splits, "events.splits", fail)) {
    const date = stamp(entry.date, "a split");
    const numerator = positive(entry.numerator, "the split numerator", date);
    const denominator = positive(entry.denominator, "the split denominator", date);
    if (!Number.isFinite(numerator / denominator) || numerator / denominator <= 0) {
      fail(`the split of ${date} has the ratio ${numerator}/${denominator}`, date);
    }
    checked.splits.push({ date, numerator, denominator });
  }
  checked.dividends.sort((a, b) => a.date.localeCompare(b.date));
  checked.splits.sort((a, b) => a.date.localeCompare(b.date));
  return checked;
}

function optionalString(value: unknown, name: string, fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return fail(`${name} is ${JSON.stringify(value)}, not text`);
  return value;
}

/** How bars are dated: in the named zone, or else by the fixed offset Yahoo gives. */
function dater(zone: string | undefined, gmtoffset: unknown, fail: Fail): (ts: number) => string {
  if (zone !== undefined) {
    const formatter = zoneFormatter(zone);
    if (formatter === undefined) {
      return fail(`meta.exchangeTimezoneName ${JSON.stringify(zone)} is not a time zone`);
    }
    return (ts) => zonedDate(formatter, ts * 1000);
  }
  const offset = gmtoffset ?? 0;
  if (
    typeof offset !== "number" || !Number.isFinite(offset) ||
    Math.abs(offset) > MAX_OFFSET_SECONDS
  ) {
    return fail(`meta.gmtoffset is ${JSON.stringify(offset)}, not an offset within ±18 hours`);
  }
  // Without a zone name only the offset at request time is known: good enough for daily bars.
  return (ts) => new Date((ts + offset) * 1000).toISOString().slice(0, 10);
}

function firstOf(
  value: unknown,
  name: string,
  fail: Fail,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(`${name} is not an array`);
  if (value.length === 0 || value[0] === null || value[0] === undefined) return undefined;
  if (!isObject(value[0])) return fail(`${name}[0] is not an object`);
  return value[0];
}

function checkSeries(
  values: unknown,
  name: string,
  dates: string[],
  positive: boolean,
  fail: Fail,
): (number | null)[] {
  if (values === undefined || values === null) return new Array(dates.length).fill(null);
  if (!Array.isArray(values)) return fail(`${name} is not an array`);
  if (values.length !== dates.length) {
    fail(`${name} has ${values.length} values for ${dates.length} timestamps`);
  }
  return values.map((value, i) => {
    if (value === null) return null;
    const ok = typeof value === "number" && Number.isFinite(value) &&
      (positive ? value > 0 : value >= 0);
    if (!ok) {
      fail(
        `the ${name} of ${dates[i]} is ${JSON.stringify(value)}; ` +
          (positive ? "prices must be positive numbers" : "volumes must be numbers of 0 or more"),
        dates[i],
      );
    }
    return value as number;
  });
}

function eventList(value: unknown, name: string, fail: Fail): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) return fail(`${name} is not an object`);
  return Object.values(value).map((entry) => {
    if (!isObject(entry)) return fail(`an entry of ${name} is not an object`);
    return entry;
  });
}

/**
 * A Yahoo symbol: an optional `^` (an index), then parts of letters, digits and `&` joined by
 * one `-`, `.` or `=` each ("BRK-B", "7203.T", "EURUSD=X", "M&M.NS"). Dots only between parts,
 * so a symbol can never be `.` or `..` and change the request path.
 */
const SYMBOL = /^\^?[A-Z0-9&]+(?:[-.=][A-Z0-9&]+)*$/;
/** Longer than any symbol Yahoo lists. */
const MAX_SYMBOL_LENGTH = 32;

/**
 * Checks a ticker as a Yahoo symbol and returns it in Yahoo's upper case. Spaces around it are
 * ignored; anything else that is not part of a symbol (a space inside, a slash, a control
 * character, `.` or `..`, an empty string) raises {@link InvalidTickerError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkYahooSymbol } from "./yahoo_chart.ts";
 * assert.equal(checkYahooSymbol("brk-b"), "BRK-B");
 * assert.equal(checkYahooSymbol("^GSPC"), "^GSPC");
 * assert.throws(() => checkYahooSymbol(".."), /not a Yahoo symbol/);
 * ```
 */
export function checkYahooSymbol(ticker: unknown): string {
  const clean = typeof ticker === "string" ? ticker.replace(/^ +| +$/g, "").toUpperCase() : "";
  if (clean.length > MAX_SYMBOL_LENGTH || !SYMBOL.test(clean)) {
    throw new InvalidTickerError(ticker);
  }
  return clean;
}
