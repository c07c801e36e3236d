/**
 * Daily prices from Yahoo Finance's chart API (`{base}/v8/finance/chart/{TICKER}`): bars dated
 * in the exchange's own time zone, adjusted closes, dividends and splits, for one or many
 * tickers, through the cache, with clear errors for every way the service fails.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import type { FetchOptions } from "./cache.ts";
import { isHttpUrl, isOffline, storeDir, yahooEndpoints } from "./config.ts";
import { localPriceHistory } from "./samples.ts";
import { addDays, checkRange, type DateInput, lastIncludedDay, normalizeDate } from "./dates.ts";
import {
  DataFormatError,
  EmptyRangeError,
  FactorlabDataError,
  HttpError,
  InvalidArgumentError,
  OfflineError,
  UnexpectedContentError,
  UnknownTickerError,
  YahooInvalidRequestError,
  YahooRangeLimitError,
} from "./errors.ts";
import { type ProgressOption, progressReporter } from "./progress.ts";
import {
  type PriceBars,
  pricesThroughStore,
  pricesWithoutStore,
  type StoreResult,
} from "./store.ts";
import { yahooGet, type YahooRequestOptions } from "./yahoo_session.ts";
import { checkChartResult, checkYahooSymbol } from "./yahoo_chart.ts";

/** Options of {@link yahooPrices}. */
export interface YahooOptions extends FetchOptions, YahooRequestOptions {
  /**
   * First trading day wanted, inclusive (default: 99 years before `end`, the longest daily
   * history Yahoo serves in one request; earlier starts are fetched in 99-year parts).
   */
  start?: DateInput;
  /**
   * End of the range (default: up to today). A day is **exclusive**, as in yfinance:
   * `end: "2020-12-31"` stops on 2020-12-30; a month (`"2020-12"`) or year includes all of it.
   * See {@link DateInput}.
   */
  end?: DateInput;
  /**
   * Folder of the price store (default `FACTORLAB_STORE_DIR`, else `store/` in the cache
   * folder). `{ cache: false }` bypasses the store.
   */
  storeDir?: string;
  /**
   * Base URL of the chart API (default `FACTORLAB_YAHOO_BASE_URL`, else query2.finance.yahoo.com),
   * or a local folder of `TICKER_daily_FIRST_LAST.csv` price files (see `useSamples`).
   */
  source?: string;
  /** Several tickers: one row per ticker and date ("long", default) or one column per ticker ("wide", adjusted closes). */
  layout?: "long" | "wide";
  /** Several tickers: how many downloads run at once (default 4). */
  concurrency?: number;
  /** Several tickers: progress display (default: shown in a terminal or notebook). */
  progress?: ProgressOption;
  /** Several tickers: stop at the first failure ("raise", default) or collect failures and go on ("collect"). */
  onError?: "raise" | "collect";
}

/** Price history of one ticker. */
export interface PriceHistory {
  /** The ticker as asked for. */
  ticker: string;
  /**
   * Daily bars sorted by date: `date` ("YYYY-MM-DD", exchange time zone), `open`, `high`, `low`,
   * `close` (split-adjusted), `adjClose` (split- and dividend-adjusted) and `volume`.
   */
  prices: DataFrame;
  /** Cash dividends by ex-date: `date`, `amount`. */
  dividends: DataFrame;
  /** Splits by date: `date`, `numerator`, `denominator`, `ratio` (numerator / denominator). */
  splits: DataFrame;
  /** Bars dropped because Yahoo sent no close or adjusted close for them. */
  droppedNullBars: number;
  /** Trading currency ("USD"). */
  currency: string | undefined;
  /** IANA time zone of the exchange, used to date the bars ("America/New_York"). */
  timezone: string | undefined;
  /** The URL the data came from (the chart URL of the ticker for stored prices). */
  source: string;
  /**
   * "network": downloaded by this call (in whole or in part); "store": from the local price
   * store; "stale-store": from the store because the download failed (see `warnings`).
   * Absent for a parsed response.
   */
  origin?: "network" | "store" | "stale-store";
  /** When the oldest of these bars was downloaded (absent for a parsed response). */
  fetchedAt?: Date;
  /** The download whose adjustment basis the adjusted closes are on (absent for a parsed response). */
  adjustedAsOf?: Date;
  /** Warnings about these prices (stale data, a new adjustment basis), also printed. */
  warnings?: string[];
}

/** Prices of several tickers. */
export interface PriceSet {
  /** Long: `ticker` + the {@link PriceHistory.prices} columns; wide: `date` + one adjusted-close column per ticker. */
  prices: DataFrame;
  /** Each ticker's full history, in the order asked. */
  histories: PriceHistory[];
  /** Tickers that failed (only with `onError: "collect"`). */
  failures: { ticker: string; error: Error }[];
}

interface ChartError {
  code?: string;
  description?: string;
}

interface ChartBody {
  /** Each result is checked field by field ({@link checkChartResult}) before use. */
  chart?: { result?: unknown[] | null; error?: ChartError | null };
}

function decodeChart(body: Uint8Array, url: string): ChartBody {
  const text = new TextDecoder().decode(body).trim();
  if (text.startsWith("<")) throw new UnexpectedContentError(url, "JSON", "an HTML page");
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || !("chart" in parsed)) {
      throw new Error("no 'chart' object");
    }
    return parsed as ChartBody;
  } catch (error) {
    throw new UnexpectedContentError(
      url,
      "chart JSON",
      `${body.length} bytes that are not chart JSON (${(error as Error).message})`,
    );
  }
}

/**
 * The error for a `chart.error` answer. Yahoo says "Not Found" for an unknown symbol and, with
 * HTTP 400, "Data doesn't exist for startDate = …" for a range before the first trade.
 */
function chartFailure(
  error: ChartError,
  ticker: string,
  url: string,
  start: string,
  end: string,
): FactorlabDataError {
  const code = error.code ?? "";
  const description = error.description ?? "";
  if (/not found/i.test(code)) return new UnknownTickerError(ticker, url, description || undefined);
  if (/data doesn't exist|no data found for this date range/i.test(description)) {
    return new EmptyRangeError(ticker, start, end);
  }
  if (/100 years worth of/i.test(description)) {
    return new YahooRangeLimitError(url, ticker, description);
  }
  if (/^invalid input/i.test(description)) {
    return new YahooInvalidRequestError(url, ticker, description);
  }
  return new FactorlabDataError(
    `Yahoo Finance refused the request for ${ticker}: ${code || "error"} ` +
      `(${
        description || "no description"
      }). Check the ticker and the dates; the request was ${url}.`,
  );
}

/**
 * Turns a chart API body into a {@link PriceHistory}, keeping trading days from `start` to `end`,
 * both inclusive "YYYY-MM-DD" days (a saved response's own bounds; unlike the `end` of
 * {@link yahooPrices}, which is exclusive for a day). Exposed for reading saved responses.
 *
 * @example Parse a saved chart response
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseYahooChart } from "./yahoo.ts";
 * const body = await Deno.readFile(
 *   "data/samples/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.body.json",
 * );
 * const aapl = parseYahooChart(body, { ticker: "AAPL" });
 * assert.ok(aapl.prices.height === 49);
 * assert.ok(aapl.prices.getColumn("date").get(0) === "2020-08-31");
 * assert.ok(aapl.splits.getColumn("ratio").get(0) === 4);
 * ```
 */
export function parseYahooChart(
  body: Uint8Array,
  options: { ticker: string; start?: string; end?: string; url?: string },
): PriceHistory {
  const url = options.url ?? `chart response for ${options.ticker}`;
  const chart = decodeChart(body, url).chart ?? {};
  const start = options.start ?? "0000-01-01";
  const end = options.end ?? "9999-12-31";
  if (chart.error) throw chartFailure(chart.error, options.ticker, url, start, end);
  const result = chart.result?.[0];
  if (!result) throw new DataFormatError(url, "the chart response holds no result");
  // Every field is checked before it reaches polars: a damaged field is a DataFormatError.
  const checked = checkChartResult(result, url);
  if (checked.dates.length === 0) throw new EmptyRangeError(options.ticker, start, end);
  const column = (values: (number | null)[], name: string) => pl.Series(name, values, pl.Float64);
  const raw = pl.DataFrame([
    pl.Series("date", checked.dates, pl.Utf8),
    column(checked.open, "open"),
    column(checked.high, "high"),
    column(checked.low, "low"),
    column(checked.close, "close"),
    column(checked.adjClose, "adjClose"),
    column(checked.volume, "volume"),
  ]);
  const inRange = raw.filter(
    pl.col("date").gtEq(pl.lit(start)).and(pl.col("date").ltEq(pl.lit(end))),
  );
  const valid = inRange.filter(pl.col("close").isNotNull().and(pl.col("adjClose").isNotNull()));
  const prices = valid
    .select("date", "open", "high", "low", "close", "adjClose", "volume")
    // A live session can repeat the last bar; the later one is the more complete.
    .unique({ subset: "date", keep: "last", maintainOrder: true })
    .sort("date");
  if (prices.height === 0) throw new EmptyRangeError(options.ticker, start, end);
  const events = <T extends { date: string }>(rows: T[], fields: (keyof T & string)[]) => {
    const kept = rows.filter((row) => row.date >= start && row.date <= end);
    return pl.DataFrame([
      pl.Series("date", kept.map((row) => row.date), pl.Utf8),
      ...fields.map((field) => pl.Series(field, kept.map((row) => row[field]), pl.Float64)),
    ]);
  };
  const dividends = events(checked.dividends, ["amount"]);
  const splits = events(checked.splits, ["numerator", "denominator"])
    .withColumns(pl.col("numerator").div(pl.col("denominator")).alias("ratio"));
  return {
    ticker: options.ticker,
    prices,
    dividends,
    splits,
    droppedNullBars: inRange.height - valid.height,
    currency: checked.currency,
    timezone: checked.timezone,
    source: url,
  };
}

/** The longest daily history Yahoo serves in one request is 100 years; ask for 99. */
function defaultStart(end: string): string {
  return addDays(`${String(Number(end.slice(0, 4)) - 99).padStart(4, "0")}${end.slice(4)}`, 1);
}

/**
 * The chart API's `period1`/`period2` (Unix seconds) for the trading days `start`..`end`
 * (inclusive "YYYY-MM-DD"): padded by a day before and two after, because bars are dated in the
 * exchange's zone and the exact range is cut on those dates after parsing.
 */
export function chartPeriods(start: string, end: string): { period1: number; period2: number } {
  return {
    period1: Math.floor(Date.parse(`${addDays(start, -1)}T00:00:00Z`) / 1000),
    period2: Math.floor(Date.parse(`${addDays(end, 2)}T00:00:00Z`) / 1000),
  };
}

/** Downloads and parses the bars of `start`..`end` (inclusive) in one chart request. */
async function downloadChart(
  symbol: string,
  start: string,
  end: string,
  options: YahooOptions,
): Promise<PriceBars> {
  const { period1, period2 } = chartPeriods(start, end);
  const path = `/v8/finance/chart/${encodeURIComponent(symbol)}?period1=${period1}` +
    `&period2=${period2}&interval=1d&events=div,splits&includeAdjustedClose=true`;
  let response;
  try {
    response = await yahooGet(path, symbol, options);
  } catch (error) {
    if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
      // Yahoo explains refusals in the body: {"chart":{"result":null,"error":{…}}}.
      const chartError = chartErrorIn(String(error.cause ?? ""));
      if (chartError) throw chartFailure(chartError, symbol, error.url, start, end);
      if (error.status === 404) throw new UnknownTickerError(symbol, error.url);
    }
    throw error;
  }
  return parseYahooChart(response.body, { ticker: symbol, start, end, url: response.url });
}

async function fetchOne(ticker: string, options: YahooOptions): Promise<PriceHistory> {
  const symbol = checkYahooSymbol(ticker);
  // No end: up to today, today included (the bar of a session under way may be partial).
  const end = options.end === undefined
    ? normalizeDate(new Date(), "end")
    : lastIncludedDay(options.end);
  const start = normalizeDate(options.start ?? defaultStart(end), "start");
  if (options.end !== undefined) checkRange(start, options.end);
  else if (start > end) throw new InvalidArgumentError(`start ${start} is after today, ${end}.`);
  const { base } = yahooEndpoints(options);
  // A local folder of price CSVs (the bundled samples, a mirror) stands in for the chart API.
  if (!isHttpUrl(base)) return await localPriceHistory(base, symbol, start, end);
  const chartUrl = `${base}/v8/finance/chart/${encodeURIComponent(symbol)}`;
  const download = (from: string, to: string) => downloadChart(symbol, from, to, options);
  let result: StoreResult;
  if (options.cache === false) {
    if (isOffline(options.offline)) {
      throw new OfflineError(chartUrl, "the cache and store are turned off ({ cache: false })");
    }
    result = await pricesWithoutStore(download, start, end, symbol);
  } else {
    result = await pricesThroughStore({
      ticker: symbol,
      source: base,
      start,
      end,
      dir: storeDir(options.storeDir, options.cacheDir),
      offline: isOffline(options.offline),
      refresh: options.refresh,
      ttlMs: options.ttlMs,
      service: "Yahoo",
    }, download);
  }
  return {
    ticker: symbol,
    prices: result.prices,
    dividends: result.dividends,
    splits: result.splits,
    droppedNullBars: result.droppedNullBars,
    currency: result.currency,
    timezone: result.timezone,
    source: chartUrl,
    origin: result.origin,
    fetchedAt: result.fetchedAt,
    adjustedAsOf: result.adjustedAsOf,
    warnings: result.warnings,
  };
}

function chartErrorIn(text: string): ChartError | undefined {
  try {
    const error = (JSON.parse(text) as ChartBody).chart?.error;
    return error && typeof error === "object" ? error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads daily prices from Yahoo Finance for one ticker or several. Bars are dated in the
 * exchange's time zone; `adjClose` is adjusted for splits and dividends (use it for total
 * returns). Downloads go into the local price store (Parquet), which serves any range already
 * downloaded, offline too, and makes later requests download only what is missing; requests are
 * paced and look like a browser's, and rate limits, refusals and outages are retried (second
 * host, cookie and crumb, backoff) within a bounded time. Unknown tickers, consent pages,
 * timeouts and empty ranges raise distinct errors.
 *
 * @param tickers one ticker ("VBR") or several (["VBR", "SPY"])
 * @param options range (inclusive), source, layout, progress, store, cache and HTTP options
 * @returns a {@link PriceHistory} for one ticker, a {@link PriceSet} for several
 *
 * @example Against a stand-in server (any chart API mirror works the same way)
 * ```ts
 * import assert from "node:assert/strict";
 * import { yahooPrices } from "./yahoo.ts";
 * const day = (date: string) => Date.parse(`${date}T14:30:00Z`) / 1000;
 * const body = {
 *   chart: {
 *     result: [{
 *       meta: { currency: "USD", exchangeTimezoneName: "America/New_York", gmtoffset: -18000 },
 *       timestamp: [day("2020-01-02"), day("2020-01-03")],
 *       indicators: {
 *         quote: [{ open: [1, 2], high: [1, 2], low: [1, 2], close: [1, 2], volume: [10, 20] }],
 *         adjclose: [{ adjclose: [0.9, 1.9] }],
 *       },
 *     }],
 *     error: null,
 *   },
 * };
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   Response.json(body));
 * const spy = await yahooPrices("SPY", {
 *   start: "2020-01-01",
 *   end: "2020-01-31",
 *   source: `http://127.0.0.1:${server.addr.port}`,
 *   cache: false,
 *   pace: false,
 * });
 * await server.shutdown();
 * assert.ok(spy.prices.height === 2 && spy.prices.getColumn("adjClose").get(1) === 1.9);
 * ```
 */
export function yahooPrices(tickers: string, options?: YahooOptions): Promise<PriceHistory>;
/**
 * Downloads daily prices for several tickers at once (see the single-ticker form): one frame,
 * long (`ticker` column) or wide (one adjusted-close column per ticker), with progress shown.
 */
export function yahooPrices(tickers: string[], options?: YahooOptions): Promise<PriceSet>;
export async function yahooPrices(
  tickers: string | string[],
  options: YahooOptions = {},
): Promise<PriceHistory | PriceSet> {
  if (typeof tickers === "string") return await fetchOne(tickers, options);
  if (!Array.isArray(tickers) || tickers.length === 0) {
    throw new InvalidArgumentError("Pass a ticker or a non-empty array of tickers.");
  }
  const symbols = [...new Set(tickers.map(checkYahooSymbol))];
  const report = progressReporter(symbols.length, options.progress, "prices");
  const histories: (PriceHistory | undefined)[] = new Array(symbols.length);
  const failures: { ticker: string; error: Error }[] = [];
  let next = 0;
  let done = 0;
  let stop: unknown;
  const worker = async () => {
    while (next < symbols.length && stop === undefined) {
      const index = next++;
      const symbol = symbols[index];
      let ok = true;
      try {
        histories[index] = await fetchOne(symbol, options);
      } catch (error) {
        ok = false;
        if (options.onError === "collect") failures.push({ ticker: symbol, error: error as Error });
        else stop ??= error;
      }
      report({ done: ++done, total: symbols.length, item: symbol, ok });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, symbols.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (stop !== undefined) throw stop;
  const ok = histories.filter((h): h is PriceHistory => h !== undefined);
  return { prices: combine(ok, options.layout ?? "long"), histories: ok, failures };
}

function combine(histories: PriceHistory[], layout: "long" | "wide"): DataFrame {
  if (histories.length === 0) {
    return pl.DataFrame({ date: [] as string[] }, { schema: { date: pl.Utf8 } });
  }
  if (layout === "long") {
    return pl.concat(
      histories.map((h) => h.prices.select(pl.lit(h.ticker).alias("ticker"), pl.all())),
    );
  }
  let wide = histories[0].prices.select("date", pl.col("adjClose").alias(histories[0].ticker));
  for (const h of histories.slice(1)) {
    wide = wide.join(h.prices.select("date", pl.col("adjClose").alias(h.ticker)), {
      on: "date",
      how: "full",
      coalesce: true,
    });
  }
  return wide.sort("date");
}
