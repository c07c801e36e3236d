/**
 * How factorlab talks to Yahoo's chart API in 2026, a service that answers bursts and bare
 * clients with a plain `429 Too Many Requests`, sometimes for hours:
 *
 * - every request carries the headers a desktop browser sends to query2.finance.yahoo.com from a
 *   finance.yahoo.com page (User-Agent, Accept, Accept-Language, Origin, Referer, sec-fetch-*);
 * - requests are paced: at most two in flight, starts spaced by a jittered interval;
 * - a failing request is repeated on the second host (query2 → query1), then with jittered
 *   exponential backoff, all within a time budget (20 s by default), so a persistent 429 ends
 *   in a {@link YahooRateLimitError} that says what to do;
 * - the first request goes without cookie or crumb (as yahoo-finance2 does for the chart API);
 *   on 401/403/429 the cookie-and-crumb exchange runs once (a cookie from fc.yahoo.com, then
 *   `/v1/test/getcrumb` with it, as yfinance does) and the request is repeated with the cookie
 *   and `&crumb=`; the pair is then kept for the process;
 * - Yahoo's consent page (guce/consent.yahoo.com) is recognised and reported as such.
 *
 * Every endpoint is configurable like the chart base (see `yahooEndpoints` in config.ts), so
 * the tests run the whole exchange against a loopback server.
 *
 * @module
 */

import { yahooEndpoints } from "./config.ts";
import {
  HttpError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  YahooAuthError,
  YahooConsentError,
  YahooRateLimitError,
} from "./errors.ts";
import {
  backoffDelay,
  BROWSER_HEADERS,
  httpGet,
  type HttpOptions,
  type HttpResponse,
  type RetryOptions,
  retryPolicy,
  sleep,
} from "./http.ts";
import { type PaceOptions, pacerFor } from "./pacing.ts";
import { readErrorText } from "./redirects.ts";

/** Where and how Yahoo is asked; every field also has an environment variable or a default. */
export interface YahooRequestOptions extends HttpOptions {
  /** Base URL of the chart API (default `FACTORLAB_YAHOO_BASE_URL`, else query2.finance.yahoo.com). */
  source?: string;
  /**
   * Second host tried when the first fails (default `FACTORLAB_YAHOO_FALLBACK_URL`, else
   * query1 for query2 and query2 for query1; none for a mirror). `false`: no second host.
   */
  fallbackSource?: string | false;
  /**
   * URL that sets Yahoo's session cookie (default `FACTORLAB_YAHOO_COOKIE_URL`, else
   * https://fc.yahoo.com for Yahoo's hosts; none for a mirror). `false`: never ask for a cookie.
   */
  cookieSource?: string | false;
  /**
   * Base URL of the crumb endpoint `{base}/v1/test/getcrumb` (default
   * `FACTORLAB_YAHOO_CRUMB_URL`, else query1.finance.yahoo.com; the mirror itself for a mirror).
   */
  crumbSource?: string;
  /** Pacing of Yahoo requests (default 2 at a time, starts ≥ 200 ms apart); `false`: none. */
  pace?: PaceOptions | false;
}

/** Yahoo's retry policy: 4 retries, 1 s doubling to at most 10 s, all within 20 s. */
export const YAHOO_RETRY: Readonly<Required<RetryOptions>> = Object.freeze(retryPolicy({
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  jitter: 0.5,
  maxElapsedMs: 20_000,
}));

/** A cookie and crumb pair, shared by every request to the same endpoints in this process. */
interface Session {
  cookie?: string;
  crumb?: string;
  pending?: Promise<void>;
}

const sessions = new Map<string, Session>();

/** Headers a browser sends with an XHR from a finance.yahoo.com quote page to query2. */
function chartHeaders(ticker: string, cookie: string | undefined): Record<string, string> {
  return {
    ...BROWSER_HEADERS,
    "Accept": "*/*",
    "Origin": "https://finance.yahoo.com",
    "Referer": `https://finance.yahoo.com/quote/${encodeURIComponent(ticker)}/history/`,
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "same-site",
    ...(cookie ? { "Cookie": cookie } : {}),
  };
}

/** Whether a body is Yahoo's consent page (or a redirect to it) rather than data. */
function isConsentPage(text: string): boolean {
  return /^\s*</.test(text) && /(guce|consent)\.yahoo\.com|collectConsent|consentUUID/i.test(text);
}

/** `name=value` of every cookie a response sets (attributes and deleted cookies dropped). */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie()
    .map((line) => line.split(";")[0].trim())
    .filter((pair) => /^[^=\s]+=./.test(pair));
}

/**
 * Gets a cookie from `cookieUrl` and the crumb tied to it from `crumbUrl`, as a browser's
 * first visit does. Throws an Error saying which step failed (the caller reports it).
 */
async function exchange(
  session: Session,
  cookieUrl: string,
  crumbUrl: string,
  options: YahooRequestOptions,
  paced: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const timeout = () => {
    const limit = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    return options.signal ? AbortSignal.any([options.signal, limit]) : limit;
  };
  const headers = { ...BROWSER_HEADERS, ...options.headers };
  const first = await paced(() =>
    fetch(cookieUrl, {
      headers: { ...headers, "Accept": "text/html,application/xhtml+xml,application/xml" },
      redirect: "manual",
      signal: timeout(),
    })
  );
  const location = first.headers.get("location") ?? "";
  const firstText = await readErrorText(first);
  if (/(guce|consent)\.yahoo\.com|collectConsent/i.test(location) || isConsentPage(firstText)) {
    throw new YahooConsentError(cookieUrl);
  }
  const cookies = cookiesOf(first);
  if (cookies.length === 0) {
    throw new Error(`${cookieUrl} set no cookie (HTTP ${first.status})`);
  }
  const cookie = cookies.join("; ");
  const answer = await paced(() =>
    fetch(crumbUrl, {
      headers: {
        ...headers,
        "Accept": "*/*",
        "Origin": "https://finance.yahoo.com",
        "Referer": "https://finance.yahoo.com/",
        "Cookie": cookie,
      },
      signal: timeout(),
    })
  );
  const crumb = (await readErrorText(answer, 4096)).trim();
  if (!answer.ok) throw new Error(`${crumbUrl} answered HTTP ${answer.status} for the crumb`);
  if (crumb === "" || /[<{\s]/.test(crumb)) {
    throw new Error(`${crumbUrl} answered no crumb ("${crumb.slice(0, 40)}")`);
  }
  session.cookie = cookie;
  session.crumb = crumb;
}

/** One failed attempt, classified. */
interface Failure {
  error: Error;
  status: number;
  retryAfterMs?: number;
}

function classify(error: unknown): Failure {
  if (error instanceof RateLimitError) {
    return { error, status: 429, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof HttpError) {
    return { error, status: error.status };
  }
  if (error instanceof NetworkError || error instanceof TimeoutError) return { error, status: 0 };
  throw error;
}

/** The description Yahoo puts in a refusal body (`{"chart": {"error": {…}}}` or `finance`). */
function yahooDescription(error: Error): string {
  try {
    const body = JSON.parse(String((error as { cause?: unknown }).cause ?? ""));
    const inner = body?.chart?.error ?? body?.finance?.error;
    return String(inner?.description ?? inner?.code ?? "");
  } catch {
    return "";
  }
}

function withCrumb(url: string, crumb: string | undefined): string {
  if (!crumb) return url;
  return `${url}${url.includes("?") ? "&" : "?"}crumb=${encodeURIComponent(crumb)}`;
}

/**
 * Requests `path` (e.g. "/v8/finance/chart/SPY?period1=…") from Yahoo as described in the module
 * documentation and returns the successful response. The 4xx answers that are Yahoo's word on
 * the request (400, 404, 422: unknown ticker, range errors) are thrown as {@link HttpError} with
 * the body as cause, for the caller to read; rate limits, refusals, outages and consent pages
 * end in {@link YahooRateLimitError}, {@link YahooAuthError}, {@link ServerError},
 * {@link NetworkError}, {@link TimeoutError} or {@link YahooConsentError}.
 *
 * @param path the path and query after the base URL
 * @param ticker the ticker, for the Referer header
 * @param options endpoints, pacing, retry and HTTP options
 * @returns the response (its `url` is the URL that answered, without the crumb)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { yahooGet } from "./yahoo_session.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   Response.json({ ok: request.headers.get("origin") }));
 * const response = await yahooGet("/v8/finance/chart/SPY", "SPY", {
 *   source: `http://127.0.0.1:${server.addr.port}`,
 *   pace: false,
 * });
 * await server.shutdown();
 * assert.ok(new TextDecoder().decode(response.body).includes("finance.yahoo.com"));
 * ```
 */
export async function yahooGet(
  path: string,
  ticker: string,
  options: YahooRequestOptions = {},
): Promise<HttpResponse> {
  const endpoints = yahooEndpoints(options);
  const hosts = [endpoints.base, ...(endpoints.fallback ? [endpoints.fallback] : [])];
  const retry = retryPolicy(options.retry, YAHOO_RETRY);
  const pacer = options.pace === false ? undefined : pacerFor(
    `yahoo ${endpoints.base}`,
    options.pace ?? {},
  );
  const paced = <T>(task: () => Promise<T>): Promise<T> =>
    pacer ? pacer.run(task, options.signal) : task();
  const sessionKey = `${endpoints.cookieUrl} ${endpoints.crumbUrl}`;
  let session = sessions.get(sessionKey);
  if (session === undefined) {
    session = {};
    sessions.set(sessionKey, session);
  }
  const started = Date.now();
  let host = 0;
  let attempts = 0;
  let backoffs = 0;
  let crumbTried = false;
  let crumbProblem: string | undefined;
  let switched = false;
  let lastRetryAfter: number | undefined;
  const tried = () => [
    ...(switched ? [`both hosts (${hosts.map((h) => new URL(h).host).join(", ")})`] : []),
    ...(crumbTried ? [`a fresh cookie and crumb${crumbProblem ? ` (${crumbProblem})` : ""}`] : []),
  ];
  for (;;) {
    const url = `${hosts[host]}${path}`;
    attempts++;
    let failure: Failure;
    try {
      const response = await paced(() =>
        httpGet(withCrumb(url, session.crumb), {
          ...options,
          headers: { ...chartHeaders(ticker, session.cookie), ...options.headers },
          retry: { retries: 0 },
          onRetry: undefined,
        })
      );
      const head = new TextDecoder().decode(response.body.subarray(0, 4096));
      if (isConsentPage(head)) throw new YahooConsentError(url);
      return { ...response, url };
    } catch (error) {
      failure = classify(error);
    }
    const { status } = failure;
    if (status === 429) lastRetryAfter = failure.retryAfterMs;
    const refused = status === 401 || status === 403;
    if (status >= 400 && status < 500 && !refused && status !== 429) throw failure.error;
    // A refusal or a rate limit may be Yahoo asking for a cookie and crumb: get them once.
    if ((refused || status === 429) && !crumbTried && endpoints.cookieUrl) {
      crumbTried = true;
      try {
        // One exchange serves every caller waiting on the same session.
        const { cookieUrl, crumbUrl } = endpoints;
        session.pending ??= exchange(session, cookieUrl, crumbUrl!, options, paced)
          .finally(() => session.pending = undefined);
        await session.pending;
      } catch (error) {
        if (error instanceof YahooConsentError) throw error;
        crumbProblem = (error as Error).message;
      }
      options.onRetry?.({ url, attempt: attempts, status, delayMs: 0, reason: "cookie-crumb" });
      continue;
    }
    if (hosts.length > 1 && !switched) {
      switched = true;
      host = 1 - host;
      options.onRetry?.({ url, attempt: attempts, status, delayMs: 0, reason: "fallback-host" });
      continue;
    }
    if (refused) {
      throw new YahooAuthError(
        url,
        status,
        yahooDescription(failure.error) || failure.error.message,
        crumbTried ? crumbProblem : "no cookie endpoint is configured for this source",
      );
    }
    backoffs++;
    const delayMs = backoffDelay(backoffs, retry, failure.retryAfterMs);
    const tooLong = (failure.retryAfterMs ?? 0) > retry.maxDelayMs;
    const spent = Date.now() - started;
    if (backoffs > retry.retries || spent + delayMs > retry.maxElapsedMs || tooLong) {
      if (status === 429) {
        throw new YahooRateLimitError(url, {
          attempts,
          elapsedMs: spent,
          retryAfterMs: lastRetryAfter,
          tried: tried(),
        });
      }
      if (status >= 500) throw new ServerError(url, status, attempts);
      if (failure.error instanceof TimeoutError) throw failure.error;
      throw new NetworkError(url, attempts, (failure.error as { cause?: unknown }).cause);
    }
    options.onRetry?.({ url, attempt: attempts, status, delayMs, reason: "backoff" });
    await sleep(delayMs, options.signal);
    if (hosts.length > 1) host = 1 - host;
  }
}
