/**
 * HTTP GET with a timeout, retries with jittered exponential backoff for 429 and 5xx answers
 * (honouring Retry-After) within an overall time budget, and the request headers of a desktop
 * browser. Nothing here knows about caching or formats.
 *
 * @module
 */

import {
  FactorlabError,
  HttpError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./errors.ts";
import { checkHttpNumbers } from "./limits.ts";
import {
  fetchFollowingRedirects,
  readErrorText,
  readResponseBody,
  type RedirectOptions,
} from "./redirects.ts";

/** How failed requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** Delay before the first retry, doubled for each further one (default 1000 ms). */
  baseDelayMs?: number;
  /** No single wait is longer than this, Retry-After included (default 60 000 ms). */
  maxDelayMs?: number;
  /**
   * Randomness of each backoff wait, 0..1 (default 0.5): the wait is drawn uniformly between
   * `(1 - jitter)` and 1 times the exponential delay, so many clients that failed together do
   * not come back together. A Retry-After wait is never shortened.
   */
  jitter?: number;
  /**
   * No retry starts when it would end more than this many ms after the first request (default
   * unlimited): a persistent failure ends in a bounded time.
   */
  maxElapsedMs?: number;
}

/** One retry about to happen, as reported to {@link HttpOptions.onRetry}. */
export interface RetryEvent {
  /** The URL being retried. */
  url: string;
  /** The attempt that just failed (1 = the first request). */
  attempt: number;
  /** The status that caused the retry (0 for a network error). */
  status: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /**
   * Why the request is repeated: "backoff" (a wait before the same request), "fallback-host"
   * (the same path on the second host) or "cookie-crumb" (again with a fresh cookie and crumb).
   * Absent means "backoff".
   */
  reason?: "backoff" | "fallback-host" | "cookie-crumb";
}

/** Options of every download. */
export interface HttpOptions extends RedirectOptions {
  /** Extra request headers; they override the defaults ({@link BROWSER_HEADERS}). */
  headers?: Record<string, string>;
  /** Abort a request that has not completed in this many ms (default 30 000). */
  timeoutMs?: number;
  /** Retry policy for 429, 5xx and network errors. */
  retry?: RetryOptions;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
  /** Cancels the download. */
  signal?: AbortSignal;
  /**
   * Largest body accepted, in bytes, after HTTP decompression (default 64 MiB); a larger one
   * fails with `SizeLimitError` as soon as the limit is passed.
   */
  maxDownloadBytes?: number;
}

/** A successful response, fully read. */
export interface HttpResponse {
  /** The URL requested. */
  url: string;
  /** The HTTP status (2xx). */
  status: number;
  /** The Content-Type header, lower-cased ("" when absent). */
  contentType: string;
  /** The body. */
  body: Uint8Array;
}

/**
 * The headers a current desktop Chrome sends with every request. Yahoo answers bare clients
 * with 429 and the Ken French site has refused clients without a browser User-Agent, so every
 * download sends these; each source adds what a browser adds for it (Referer, Origin, Accept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BROWSER_HEADERS } from "./http.ts";
 * assert.match(BROWSER_HEADERS["User-Agent"], /^Mozilla\/5\.0 .* Chrome\/\d+/);
 * ```
 */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 " +
    "(KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
  "Accept": "*/*",
  "Accept-Language": "en-US,en;q=0.9",
  "sec-ch-ua": '"Chromium";v="142", "Google Chrome";v="142", "Not_A Brand";v="99"',
  "sec-ch-ua-mobile": "?0",
  "sec-ch-ua-platform": '"Windows"',
});

const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.5,
  maxElapsedMs: Infinity,
};

/**
 * The wait before retry number `attempt` (1 = after the first failure): the exponential delay
 * `baseDelayMs · 2^(attempt-1)`, jittered down by up to `jitter` of itself, never less than
 * the server's Retry-After, at most `maxDelayMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "./http.ts";
 * const policy = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
 * assert.ok(backoffDelay(3, policy) === 400);
 * assert.ok(backoffDelay(3, policy, 700) === 700);
 * const jittered = backoffDelay(3, { ...policy, jitter: 0.5 });
 * assert.ok(jittered >= 200 && jittered <= 400);
 * ```
 */
export function backoffDelay(
  attempt: number,
  retry: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const { baseDelayMs, maxDelayMs, jitter } = { ...DEFAULT_RETRY, ...retry };
  const exponential = baseDelayMs * 2 ** (attempt - 1);
  const share = Math.min(1, Math.max(0, jitter));
  const jittered = exponential * (1 - share * random());
  return Math.min(maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * The retry policy with every field set: the caller's choices over a source's defaults over
 * the general ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryPolicy } from "./http.ts";
 * const policy = retryPolicy({ retries: 1 }, { retries: 3, maxElapsedMs: 20_000 });
 * assert.ok(policy.retries === 1 && policy.maxElapsedMs === 20_000 && policy.jitter === 0.5);
 * ```
 */
export function retryPolicy(
  retry: RetryOptions | undefined,
  defaults: RetryOptions = {},
): Required<RetryOptions> {
  return { ...DEFAULT_RETRY, ...defaults, ...retry };
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date) into milliseconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRetryAfter } from "./http.ts";
 * assert.ok(parseRetryAfter("30") === 30_000 && parseRetryAfter(null) === undefined);
 * ```
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason when it aborts first.
 *
 * @example
 * ```ts
 * import { sleep } from "./http.ts";
 * await sleep(1);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Downloads `url` and returns the whole body. Retries 429 (waiting at least Retry-After), 5xx
 * and network errors with jittered exponential backoff, then fails with {@link RateLimitError},
 * {@link ServerError} or {@link NetworkError}; other 4xx answers fail at once with
 * {@link HttpError} (the body is kept in the error's cause for the caller to inspect).
 */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  checkHttpNumbers(options);
  const retry = retryPolicy(options.retry);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers = { ...BROWSER_HEADERS, ...options.headers };
  const started = Date.now();
  let lastRetryAfter: number | undefined;
  for (let attempt = 1;; attempt++) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let status = 0;
    let retryAfter: number | undefined;
    let networkError: unknown;
    try {
      const response = await fetchFollowingRedirects(url, { headers, signal }, options);
      status = response.status;
      if (response.ok) {
        const body = await readResponseBody(response, url, options.maxDownloadBytes);
        const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
        return { url, status, contentType, body };
      }
      retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const text = await readErrorText(response);
      if (status !== 429 && status < 500) {
        throw new HttpError(url, status, response.statusText || "request refused", {
          cause: text.slice(0, 2000),
        });
      }
    } catch (error) {
      // Refusals, redirect, size and argument errors are final; network failures are retried.
      if (error instanceof FactorlabError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw new TimeoutError(url, timeoutMs);
      networkError = error;
    }
    if (status === 429) lastRetryAfter = retryAfter;
    const delayMs = backoffDelay(attempt, retry, retryAfter);
    if (attempt > retry.retries || Date.now() - started + delayMs > retry.maxElapsedMs) {
      if (status === 429) throw new RateLimitError(url, attempt, lastRetryAfter);
      if (status >= 500) throw new ServerError(url, status, attempt);
      throw new NetworkError(url, attempt, networkError);
    }
    if (retryAfter !== undefined && retryAfter > retry.maxDelayMs) {
      // Retrying sooner than the server asked would only prolong the ban.
      if (status === 429) throw new RateLimitError(url, attempt, retryAfter);
      throw new ServerError(url, status, attempt);
    }
    options.onRetry?.({ url, attempt, status, delayMs, reason: "backoff" });
    await sleep(delayMs, options.signal);
  }
}
