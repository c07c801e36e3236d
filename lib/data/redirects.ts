/**
 * Redirects followed by hand (`redirect: "manual"`), so that they are bounded, a loop is named
 * as such, and a data source that sends the client to another host (or from HTTPS to plain
 * HTTP) is refused unless the user allows that host. Also the capped readers of response
 * bodies: the data itself, limited by `maxDownloadBytes`, and error pages, kept short.
 *
 * @module
 */

import { CrossHostRedirectError, RedirectError, SizeLimitError } from "./errors.ts";
import { concatChunks, DEFAULT_MAX_DOWNLOAD_BYTES, limitOf, readLimited } from "./limits.ts";

/** How redirects and response sizes are handled. */
export interface RedirectOptions {
  /** Redirects followed before giving up with {@link RedirectError} (default 5). */
  maxRedirects?: number;
  /**
   * Hosts other than the requested one that a redirect may lead to (`"*"` allows any). By
   * default a redirect to another host fails with {@link CrossHostRedirectError}.
   */
  redirectHosts?: readonly string[];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 5;

/**
 * Fetches `url`, following at most `maxRedirects` redirects on the same host (an upgrade from
 * HTTP to HTTPS included). A loop fails at once with {@link RedirectError}; a redirect to another
 * host, or from HTTPS to HTTP, fails with {@link CrossHostRedirectError} unless that host is in
 * `redirectHosts`.
 *
 * @param url the URL asked for
 * @param init request options (headers, signal); `redirect` is always "manual"
 * @param options redirect limits
 * @returns the first response that is not a redirect
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchFollowingRedirects } from "./redirects.ts";
 * import { RedirectError } from "./errors.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   new URL(request.url).pathname === "/old"
 *     ? new Response(null, { status: 301, headers: { location: "/new" } })
 *     : new URL(request.url).pathname === "/loop"
 *     ? new Response(null, { status: 302, headers: { location: "/loop" } })
 *     : new Response("here"));
 * const base = `http://127.0.0.1:${server.addr.port}`;
 * const moved = await fetchFollowingRedirects(`${base}/old`, {});
 * assert.equal(await moved.text(), "here");
 * await assert.rejects(() => fetchFollowingRedirects(`${base}/loop`, {}), RedirectError);
 * await server.shutdown();
 * ```
 */
export async function fetchFollowingRedirects(
  url: string,
  init: RequestInit,
  options: RedirectOptions = {},
): Promise<Response> {
  const max = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const origin = new URL(url);
  const chain = [url];
  for (;;) {
    const current = chain[chain.length - 1];
    const response = await fetch(current, { ...init, redirect: "manual" });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => {});
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RedirectError(url, chain, `to an invalid address ${JSON.stringify(location)}`);
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new RedirectError(url, [...chain, next.href], `to a non-HTTP address`);
    }
    const allowed = options.redirectHosts ?? [];
    const otherHost = next.hostname !== origin.hostname;
    const downgrade = origin.protocol === "https:" && next.protocol === "http:";
    if (
      (otherHost || downgrade) && !allowed.includes("*") && !allowed.includes(next.hostname) &&
      !allowed.includes(next.host)
    ) {
      throw new CrossHostRedirectError(current, next.href);
    }
    if (chain.includes(next.href)) {
      throw new RedirectError(url, [...chain, next.href], "in a loop");
    }
    if (chain.length > max) {
      throw new RedirectError(url, [...chain, next.href], `more than ${max} times`);
    }
    chain.push(next.href);
  }
}

/**
 * Reads a successful response's body, failing with a `SizeLimitError` as soon as it passes
 * `maxDownloadBytes` (counted after HTTP decompression, so a compression bomb stops at the limit
 * too); a Content-Length above the limit fails before anything is read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResponseBody } from "./redirects.ts";
 * import { SizeLimitError } from "./errors.ts";
 * const body = await readResponseBody(new Response("abc"), "memory:", 10);
 * assert.equal(body.length, 3);
 * await assert.rejects(() => readResponseBody(new Response("abcdef"), "memory:", 3), SizeLimitError);
 * ```
 */
export async function readResponseBody(
  response: Response,
  url: string,
  maxDownloadBytes?: number,
): Promise<Uint8Array> {
  const limit = limitOf(maxDownloadBytes, DEFAULT_MAX_DOWNLOAD_BYTES, "maxDownloadBytes");
  const declared = Number(response.headers.get("content-length") ?? NaN);
  const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
  if (!encoded && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new SizeLimitError(url, "the download", limit, "maxDownloadBytes");
  }
  if (response.body === null) return new Uint8Array(0);
  return await readLimited(response.body, limit, url, "the download", "maxDownloadBytes");
}

/**
 * The first `max` bytes (default 64 KiB) of a body, as text; the rest is not downloaded (an
 * error page that never ends must not hold the client).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readErrorText } from "./redirects.ts";
 * const text = await readErrorText(new Response("x".repeat(100_000), { status: 500 }));
 * assert.ok(text.length >= 65_536 && text.length < 100_000);
 * ```
 */
export async function readErrorText(response: Response, max = 65_536): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(concatChunks(chunks, total).subarray(0, max));
}
