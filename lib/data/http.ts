/**
 * HTTP GET with a timeout, retries with exponential backoff for 429 and 5xx answers (honouring
 * Retry-After), and configurable headers. Nothing here knows about caching or formats.
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
}

/** Options of every download. */
export interface HttpOptions extends RedirectOptions {
  /** Extra request headers; they override the defaults (which set a User-Agent). */
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

/** Default headers: a browser-like User-Agent, because Yahoo refuses some bare clients. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) factorlab/0.1 (+https://deno.land)",
  "Accept": "*/*",
};

const DEFAULT_RETRY: Required<RetryOptions> = { retries: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. */
function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
 * and network errors with exponential backoff, then fails with {@link RateLimitError},
 * {@link ServerError} or {@link NetworkError}; other 4xx answers fail at once with
 * {@link HttpError} (the body is kept in the error's cause for the caller to inspect).
 */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  checkHttpNumbers(options);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers = { ...DEFAULT_HEADERS, ...options.headers };
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
    if (attempt > retry.retries) {
      if (status === 429) throw new RateLimitError(url, attempt, lastRetryAfter);
      if (status >= 500) throw new ServerError(url, status, attempt);
      throw new NetworkError(url, attempt, networkError);
    }
    if (retryAfter !== undefined && retryAfter > retry.maxDelayMs) {
      // Retrying sooner than the server asked would only prolong the ban.
      if (status === 429) throw new RateLimitError(url, attempt, retryAfter);
      throw new ServerError(url, status, attempt);
    }
    const backoff = retry.baseDelayMs * 2 ** (attempt - 1);
    const delayMs = Math.min(retry.maxDelayMs, Math.max(backoff, retryAfter ?? 0));
    options.onRetry?.({ url, attempt, status, delayMs });
    await sleep(delayMs, options.signal);
  }
}
