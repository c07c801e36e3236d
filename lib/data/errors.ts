/**
 * Error classes raised by the data layer. Each says what went wrong and what to do next, and
 * carries the fields a caller needs to react (URL, status, ticker, dataset).
 *
 * @module
 */

import { FactorlabError, InvalidArgumentError } from "../errors.ts";

export { FactorlabError, InvalidArgumentError };

/**
 * Base class of every error raised while getting or reading data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FactorlabDataError, UnknownTickerError } from "./errors.ts";
 * const err = new UnknownTickerError("NOPE", "https://example.test/chart/NOPE");
 * assert.ok(err instanceof FactorlabDataError);
 * ```
 */
export class FactorlabDataError extends FactorlabError {}

/**
 * An error about one request: it carries the URL (or file) it concerns, so a caller can log it,
 * retry it or look it up in the cache. Every download error extends it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestError, TimeoutError } from "./errors.ts";
 * const err = new TimeoutError("https://example.test/x", 100);
 * assert.ok(err instanceof RequestError && err.url === "https://example.test/x");
 * ```
 */
export class RequestError extends FactorlabDataError {
  /** The URL (or file) the error is about. */
  readonly url: string;
  /** Creates the error for `url` with the full `message`. */
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/**
 * An HTTP request failed with a status the client does not retry (or retries ran out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError } from "./errors.ts";
 * const err = new HttpError("https://example.test/x", 404, "Not Found");
 * assert.ok(err.status === 404);
 * ```
 */
export class HttpError extends RequestError {
  /** The HTTP status code received. */
  readonly status: number;
  /** Creates the error from the URL, the status and a short detail. */
  constructor(url: string, status: number, detail: string, options?: { cause?: unknown }) {
    super(url, `HTTP ${status} from ${url}: ${detail}`, options);
    this.status = status;
  }
}

/**
 * The server answered 429 Too Many Requests every time, retries included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimitError } from "./errors.ts";
 * const err = new RateLimitError("https://example.test/x", 4, 30_000);
 * assert.ok(err.attempts === 4 && err.retryAfterMs === 30_000);
 * ```
 */
export class RateLimitError extends HttpError {
  /** How many requests were made in total. */
  readonly attempts: number;
  /** The last Retry-After the server sent, in milliseconds, if any. */
  readonly retryAfterMs: number | undefined;
  /**
   * Creates the error after `attempts` requests that were all rate limited; `detail` replaces
   * the general explanation (a source that knows better says what to do).
   */
  constructor(url: string, attempts: number, retryAfterMs?: number, detail?: string) {
    const wait = retryAfterMs === undefined
      ? ""
      : ` The server asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
    super(
      url,
      429,
      detail ??
        `rate limited after ${attempts} attempt(s).${wait} Wait and try again, request fewer ` +
          `tickers at once, or raise the retry limit ({ retry: { retries } }).`,
    );
    this.attempts = attempts;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The server kept failing with a 5xx status (an outage on its side).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerError } from "./errors.ts";
 * assert.ok(new ServerError("https://example.test/x", 503, 3).status === 503);
 * ```
 */
export class ServerError extends HttpError {
  /** How many requests were made in total. */
  readonly attempts: number;
  /** Creates the error after `attempts` requests that all failed with a server error. */
  constructor(url: string, status: number, attempts: number) {
    super(
      url,
      status,
      `server error after ${attempts} attempt(s). The service is failing on its side; ` +
        `try again later, or use the cache ({ offline: true }) or a mirror ({ source }).`,
    );
    this.attempts = attempts;
  }
}

/**
 * A request took longer than the configured timeout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TimeoutError } from "./errors.ts";
 * assert.ok(new TimeoutError("https://example.test/x", 100).timeoutMs === 100);
 * ```
 */
export class TimeoutError extends RequestError {
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** Creates the error for `url` after `timeoutMs` milliseconds. */
  constructor(url: string, timeoutMs: number) {
    super(
      url,
      `No complete answer from ${url} within ${timeoutMs} ms. Check the connection, or raise ` +
        `the limit with { timeoutMs }.`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The server could not be reached, or the connection broke before the whole answer arrived
 * (retries included): no HTTP status to report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkError } from "./errors.ts";
 * const err = new NetworkError("https://example.test/x", 3, new TypeError("connection refused"));
 * assert.ok(err.attempts === 3 && err.message.includes("connection refused"));
 * ```
 */
export class NetworkError extends RequestError {
  /** How many requests were made in total. */
  readonly attempts: number;
  /** Creates the error after `attempts` requests that all failed with `cause`. */
  constructor(url: string, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      url,
      `Could not download ${url} after ${attempts} attempt(s): ${reason}. Check the network ` +
        `connection and the base URL ({ source }, FACTORLAB_FRENCH_BASE_URL or ` +
        `FACTORLAB_YAHOO_BASE_URL); to work from the cache alone, set FACTORLAB_OFFLINE=1.`,
      { cause },
    );
    this.attempts = attempts;
  }
}

/**
 * The response body is not what was asked for, e.g. an HTML page (a login, consent or error
 * page) where JSON or a zip archive was expected.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnexpectedContentError } from "./errors.ts";
 * const err = new UnexpectedContentError("https://example.test/x", "JSON", "an HTML page");
 * assert.ok(err.message.includes("HTML"));
 * ```
 */
export class UnexpectedContentError extends RequestError {
  /** Creates the error: `expected` is what was wanted, `got` describes what came instead. */
  constructor(url: string, expected: string, got: string) {
    super(
      url,
      `Expected ${expected} from ${url} but got ${got}. The service may be down, blocking ` +
        `automated requests, or the URL may point at the wrong place (check { source }).`,
    );
  }
}

/**
 * Offline mode is on and the data is neither cached nor available locally.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OfflineError } from "./errors.ts";
 * const err = new OfflineError("https://example.test/x", "it is not in the cache", "SPY prices");
 * assert.ok(err.url === "https://example.test/x" && err.message.includes("SPY prices"));
 * ```
 */
export class OfflineError extends RequestError {
  /** Why the cache could not serve the URL. */
  readonly reason: string;
  /**
   * Creates the error for the missing `url`; `reason` says why the cache could not serve it and
   * `what` names the data in the user's terms (default: the URL).
   */
  constructor(url: string, reason = "it is not in the cache", what = url) {
    super(
      url,
      `Offline mode is on (FACTORLAB_OFFLINE=1 or { offline: true }) and ${what} cannot be ` +
        `used: ${reason}. Run once with network access to fill the cache, point { source } ` +
        `at local files, or turn offline mode off.`,
    );
    this.reason = reason;
  }
}

/**
 * Yahoo Finance does not know the ticker (its chart API answers "Not Found").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownTickerError } from "./errors.ts";
 * assert.ok(new UnknownTickerError("NOPE", "u").ticker === "NOPE");
 * ```
 */
export class UnknownTickerError extends RequestError {
  /** The ticker that was asked for. */
  readonly ticker: string;
  /** Creates the error for `ticker`; `detail` is Yahoo's description when there is one. */
  constructor(ticker: string, url: string, detail?: string) {
    super(
      url,
      `Yahoo Finance does not know the ticker "${ticker}"${detail ? ` (${detail})` : ""}. ` +
        `Check the symbol as Yahoo spells it (e.g. "BRK-B", "VOD.L", "^GSPC").`,
    );
    this.ticker = ticker;
  }
}

/**
 * A ticker is not spelled as a Yahoo symbol (a space or slash inside, a control character, `.`
 * or `..`, an empty string): it is refused before any request is made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidArgumentError, InvalidTickerError } from "./errors.ts";
 * const err = new InvalidTickerError("../x");
 * assert.ok(err instanceof InvalidArgumentError && err.ticker === "../x");
 * ```
 */
export class InvalidTickerError extends InvalidArgumentError {
  /** The ticker as given. */
  readonly ticker: unknown;
  /** Creates the error for the value given as a ticker. */
  constructor(ticker: unknown) {
    super(
      `${JSON.stringify(ticker) ?? String(ticker)} is not a Yahoo symbol. A symbol is letters ` +
        `and digits, parts joined by one "-", "." or "=", with "^" in front of an index: e.g. ` +
        `"SPY", "BRK-B", "^GSPC", "EURUSD=X", "7203.T". Spaces, slashes, control characters ` +
        `and lone dots are not allowed.`,
    );
    this.ticker = ticker;
  }
}

/**
 * The request succeeded but there is no data in the requested range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmptyRangeError } from "./errors.ts";
 * assert.ok(new EmptyRangeError("SPY", "2020-01-04", "2020-01-05").ticker === "SPY");
 * ```
 */
export class EmptyRangeError extends FactorlabDataError {
  /** The ticker or dataset asked for. */
  readonly ticker: string;
  /** Creates the error for `ticker` between `start` and `end`. */
  constructor(ticker: string, start: string, end: string) {
    super(
      `No prices for ${ticker} between ${start} and ${end}. The range may hold only ` +
        `non-trading days, or lie before the first trade or in the future; widen it.`,
    );
    this.ticker = ticker;
  }
}

/**
 * A data file (Ken French CSV, price CSV, zip or chart JSON) could not be parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataFormatError } from "./errors.ts";
 * const err = new DataFormatError("x.csv", "no table header found", 3);
 * assert.ok(err.message.includes("line 3"));
 * ```
 */
export class DataFormatError extends FactorlabDataError {
  /** The file or URL that was being read. */
  readonly source: string;
  /** The 1-based line number of the problem, when known. */
  readonly line: number | undefined;
  /** The date key of the row at fault ("196003"), when the problem is in a data row. */
  readonly key: string | undefined;
  /**
   * Creates the error for `source` with a description of the problem; `options.key` names the
   * row (its date key as written) when the problem is in a data row.
   */
  constructor(
    source: string,
    problem: string,
    line?: number,
    options?: { cause?: unknown; key?: string },
  ) {
    const where = [
      line === undefined ? "" : `line ${line}`,
      options?.key === undefined ? "" : `row ${options.key}`,
    ].filter((part) => part !== "").join(", ");
    super(
      `Cannot read ${source}${where === "" ? "" : ` (${where})`}: ${problem}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.source = source;
    this.line = line;
    this.key = options?.key;
  }
}

/**
 * A data file ends before its structure says it should: the download or copy was cut short (a
 * row cut mid-line, a table without its last rows, a title without its table).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataFormatError, TruncatedDataError } from "./errors.ts";
 * const err = new TruncatedDataError("x.csv", "the file ends inside a row", 12, { key: "202401" });
 * assert.ok(err instanceof DataFormatError && err.key === "202401");
 * ```
 */
export class TruncatedDataError extends DataFormatError {}

/**
 * A zip archive is damaged or truncated: a checksum, a size or a header does not match, or the
 * compressed data does not unpack to what the archive declares.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CorruptZipError, DataFormatError } from "./errors.ts";
 * const err = new CorruptZipError("x.zip", "the CRC-32 of member a.csv does not match");
 * assert.ok(err instanceof DataFormatError && /CRC-32/.test(err.message));
 * ```
 */
export class CorruptZipError extends DataFormatError {}

/**
 * A download, a file or an unpacked zip member is larger than the configured limit (see
 * `maxDownloadBytes` and `maxUnpackedBytes`). Nothing larger than the limit is held in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestError, SizeLimitError } from "./errors.ts";
 * const err = new SizeLimitError("https://example.test/x", "the download", 1024, "maxDownloadBytes");
 * assert.ok(err instanceof RequestError && err.limit === 1024);
 * ```
 */
export class SizeLimitError extends RequestError {
  /** The limit that was exceeded, in bytes. */
  readonly limit: number;
  /** The option that sets the limit. */
  readonly option: string;
  /**
   * Creates the error: `what` names the data that was too large ("the download", "member
   * X.csv"), `limit` is the limit in bytes and `option` the option that raises it.
   */
  constructor(url: string, what: string, limit: number, option: string) {
    super(
      url,
      `${capitalized(what)} of ${url} is larger than the limit of ${formatBytes(limit)}. ` +
        `If the data is genuine, raise the limit with { ${option} } (bytes); otherwise the ` +
        `source is not sending what was asked for.`,
    );
    this.limit = limit;
    this.option = option;
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) && mib >= 1 ? `${mib} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

/**
 * A download was redirected too many times, or in a loop. `chain` lists the URLs visited.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedirectError } from "./errors.ts";
 * const err = new RedirectError("https://a.test/x", ["https://a.test/x", "https://a.test/y"], "loop");
 * assert.ok(err.chain.length === 2 && /loop/.test(err.message));
 * ```
 */
export class RedirectError extends RequestError {
  /** The URLs requested, in order, the last one being where the redirects stopped. */
  readonly chain: readonly string[];
  /** Creates the error for a request to `url` whose redirects went through `chain`. */
  constructor(url: string, chain: readonly string[], problem: string) {
    super(
      url,
      `The download of ${url} was redirected ${problem}: ${chain.join(" -> ")}. The server is ` +
        `misconfigured or the URL is wrong; check { source } or the base URL variables, or ` +
        `raise the limit with { maxRedirects }.`,
    );
    this.chain = chain;
  }
}

/**
 * A download was redirected to another host, which factorlab does not follow unless asked to
 * (option `redirectHosts`): a data source that moves elsewhere should be confirmed by the user.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CrossHostRedirectError, RequestError } from "./errors.ts";
 * const err = new CrossHostRedirectError("https://a.test/x", "https://b.test/x");
 * assert.ok(err instanceof RequestError && err.fromHost === "a.test" && err.toHost === "b.test");
 * ```
 */
export class CrossHostRedirectError extends RequestError {
  /** The host that sent the redirect. */
  readonly fromHost: string;
  /** The host the redirect points to. */
  readonly toHost: string;
  /** The URL the redirect points to. */
  readonly location: string;
  /** Creates the error for a redirect from `url` to `location` on another host. */
  constructor(url: string, location: string) {
    const fromHost = new URL(url).host;
    const toHost = new URL(location).host;
    super(
      url,
      `${url} redirects to another host: ${fromHost} -> ${toHost} (${location}). It was not ` +
        `followed. If ${toHost} is a trusted mirror, allow it with { redirectHosts: ` +
        `["${toHost}"] } or use it directly as { source }.`,
    );
    this.fromHost = fromHost;
    this.toHost = toHost;
    this.location = location;
  }
}

/**
 * The cache folder, or the place of one entry in it, cannot be used: it is a file, a device, a
 * FIFO, a folder where an entry should be, unreadable, or unwritable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CacheError, FactorlabDataError } from "./errors.ts";
 * const err = new CacheError("/dev/null", "it is not a folder");
 * assert.ok(err instanceof FactorlabDataError && err.path === "/dev/null");
 * ```
 */
export class CacheError extends FactorlabDataError {
  /** The folder or file at fault. */
  readonly path: string;
  /** Creates the error for `path`; `problem` says what is wrong with it. */
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(
      `The cache cannot use ${path}: ${problem}. Choose another folder with { cacheDir } or ` +
        `FACTORLAB_CACHE_DIR, remove what is in the way, or pass { cache: false }.`,
      options,
    );
    this.path = path;
  }
}

/**
 * The Ken French library has no dataset of that name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownDatasetError } from "./errors.ts";
 * assert.ok(new UnknownDatasetError("Nope", "u").dataset === "Nope");
 * ```
 */
export class UnknownDatasetError extends RequestError {
  /** The dataset name asked for. */
  readonly dataset: string;
  /** Creates the error for `dataset`, which was not found at `url`. */
  constructor(dataset: string, url: string) {
    super(
      url,
      `The Ken French library has no dataset "${dataset}" (404 at ${url}). Check the spelling ` +
        `(names are case-sensitive, e.g. "F-F_Research_Data_Factors_daily"); ` +
        `listFrenchDatasets() lists them.`,
    );
    this.dataset = dataset;
  }
}

/** What to do when Yahoo cannot be used, shared by the Yahoo errors. */
const YAHOO_ALTERNATIVES = "Wait (Yahoo's blocks last from minutes to hours) and try again; " +
  "work from prices already downloaded (the price store: FACTORLAB_OFFLINE=1 or " +
  "{ offline: true }); read a local CSV with readPriceCsv(); or point { source } / " +
  "FACTORLAB_YAHOO_BASE_URL at a mirror of the chart API.";

/**
 * Yahoo Finance kept answering 429 Too Many Requests: its rate limiting, which can last hours.
 * Raised after the backoff, the second host and the cookie-and-crumb exchange were tried, within
 * a bounded time; the message says what was tried and what to do instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimitError, YahooRateLimitError } from "./errors.ts";
 * const err = new YahooRateLimitError("https://query2.finance.yahoo.com/v8/finance/chart/SPY", {
 *   attempts: 6,
 *   elapsedMs: 14_000,
 *   tried: ["query2 and query1", "a cookie and crumb"],
 * });
 * assert.ok(err instanceof RateLimitError && /rate limiting/.test(err.message));
 * ```
 */
export class YahooRateLimitError extends RateLimitError {
  /** Milliseconds from the first request to giving up. */
  readonly elapsedMs: number;
  /** Creates the error; `tried` lists what was tried besides waiting. */
  constructor(
    url: string,
    details: { attempts: number; elapsedMs: number; retryAfterMs?: number; tried?: string[] },
  ) {
    const { attempts, elapsedMs, retryAfterMs, tried = [] } = details;
    const wait = retryAfterMs === undefined
      ? ""
      : ` It asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
    const also = tried.length ? `, with ${tried.join(" and ")}` : "";
    super(
      url,
      attempts,
      retryAfterMs,
      `Yahoo Finance is rate limiting these requests (429 Too Many Requests) and still did ` +
        `after ${attempts} attempt(s) over ${Math.round(elapsedMs / 1000)} s${also}.${wait} ` +
        YAHOO_ALTERNATIVES,
    );
    this.elapsedMs = elapsedMs;
  }
}

/**
 * Yahoo Finance refused the request as unauthorized (401/403, e.g. "Invalid Crumb"), and a
 * fresh cookie and crumb did not help (or could not be obtained).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError, YahooAuthError } from "./errors.ts";
 * const err = new YahooAuthError("https://example.test/chart/SPY", 401, "Invalid Crumb");
 * assert.ok(err instanceof HttpError && err.status === 401 && /crumb/.test(err.message));
 * ```
 */
export class YahooAuthError extends HttpError {
  /** Creates the error from the status, Yahoo's description and why the crumb did not help. */
  constructor(url: string, status: number, description: string, crumbProblem?: string) {
    super(
      url,
      status,
      `Yahoo Finance refused the request (${description || "unauthorized"}) although it was ` +
        `retried with a fresh cookie and crumb` +
        (crumbProblem ? ` (${crumbProblem})` : "") +
        `. ${YAHOO_ALTERNATIVES}`,
    );
  }
}

/**
 * Yahoo answered with its cookie-consent page (guce.yahoo.com / consent.yahoo.com), as it does
 * for some connections from the EU, instead of data. factorlab does not give consent for you.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestError, YahooConsentError } from "./errors.ts";
 * assert.ok(new YahooConsentError("https://example.test/x") instanceof RequestError);
 * ```
 */
export class YahooConsentError extends RequestError {
  /** Creates the error for the request that was answered with the consent page. */
  constructor(url: string) {
    super(
      url,
      `Yahoo answered ${url} with its cookie-consent page (guce.yahoo.com / consent.yahoo.com) ` +
        `instead of data, as it does for some connections from the EU; factorlab does not ` +
        `accept Yahoo's terms on your behalf. ${YAHOO_ALTERNATIVES}`,
    );
  }
}

/**
 * Yahoo refuses more than 100 years of daily bars in one request ("Only 100 years worth of day
 * granularity data are allowed to be fetched per request").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { YahooRangeLimitError } from "./errors.ts";
 * const err = new YahooRangeLimitError("u", "SPY", "Only 100 years worth of day granularity…");
 * assert.ok(err.ticker === "SPY" && /100 years/.test(err.message));
 * ```
 */
export class YahooRangeLimitError extends RequestError {
  /** The ticker asked for. */
  readonly ticker: string;
  /** Creates the error from Yahoo's description. */
  constructor(url: string, ticker: string, description: string) {
    super(
      url,
      `Yahoo Finance refused the range asked for ${ticker}: "${description}". factorlab asks ` +
        `for at most 99 years at a time; a mirror with a smaller limit needs a later { start }.`,
    );
    this.ticker = ticker;
  }
}

/**
 * Yahoo refused the request as invalid input ("Invalid input - …"), e.g. a start after the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { YahooInvalidRequestError } from "./errors.ts";
 * const err = new YahooInvalidRequestError("u", "SPY", "Invalid input - start date cannot be after end date");
 * assert.ok(/start date cannot be after end date/.test(err.message));
 * ```
 */
export class YahooInvalidRequestError extends RequestError {
  /** The ticker asked for. */
  readonly ticker: string;
  /** Creates the error from Yahoo's description. */
  constructor(url: string, ticker: string, description: string) {
    super(
      url,
      `Yahoo Finance refused the request for ${ticker} as invalid: "${description}". Check ` +
        `the ticker, start and end; the request was ${url}.`,
    );
    this.ticker = ticker;
  }
}

/**
 * The Ken French library refused access (401 or 403): it has asked for a password (401, basic
 * auth) for a day in December 2025, and refuses some clients outright.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FrenchAccessError, HttpError } from "./errors.ts";
 * const err = new FrenchAccessError("https://example.test/ftp/X_CSV.zip", 401);
 * assert.ok(err instanceof HttpError && /refusing access/.test(err.message));
 * ```
 */
export class FrenchAccessError extends HttpError {
  /** Creates the error for the refused URL and status. */
  constructor(url: string, status: number) {
    super(
      url,
      status,
      `the Ken French data library is refusing access (${
        status === 401 ? "it asks for a login" : "forbidden"
      }), which happens for hours at a time and is not a problem with your request. Work from ` +
        `what was downloaded before (cached files are used automatically when the site fails; ` +
        `FACTORLAB_OFFLINE=1 or { offline: true } uses only them, { vintage: "YYYYMM" } picks a ` +
        `stored vintage), or from a mirror folder of the library's zip files ({ source: ` +
        `"path/to/folder" } or FACTORLAB_FRENCH_BASE_URL).`,
    );
  }
}

/**
 * A vintage of a Ken French file was asked for that is neither stored nor the library's
 * current one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VintageNotFoundError } from "./errors.ts";
 * const err = new VintageNotFoundError("F-F_Research_Data_Factors", "199901", ["202412"], "202601");
 * assert.ok(err.vintage === "199901" && /202412/.test(err.message));
 * ```
 */
export class VintageNotFoundError extends FactorlabDataError {
  /** The dataset asked for. */
  readonly dataset: string;
  /** The vintage asked for. */
  readonly vintage: string;
  /** Creates the error; `stored` are the vintages on disk, `current` the library's. */
  constructor(dataset: string, vintage: string, stored: string[], current?: string) {
    super(
      `Vintage ${vintage} of "${dataset}" is not stored` +
        (current === undefined ? "" : ` and the library now serves ${current}`) +
        `. Stored vintages: ${stored.length ? stored.join(", ") : "none"}. Every download keeps ` +
        `its vintage in the store; for older ones put NAME_CSV_YYYYMM.zip files in a folder ` +
        `and pass it as { source }.`,
    );
    this.dataset = dataset;
    this.vintage = vintage;
  }
}
