/**
 * On-disk cache of downloads, keyed by URL. Each entry is one file holding a checksum, a small
 * record (URL, time, size, content type) and the body, written atomically (temporary file, then
 * rename; see cache_entry.ts), so a failed or interrupted download never leaves a half-written
 * entry behind and processes sharing a folder never see half an entry. An entry whose checksum
 * or record does not hold, or that the caller's validator rejects, is treated as missing and
 * fetched again (it is replaced, never deleted by a reader).
 *
 * @module
 */

import { readEntry, sha256Hex, writeEntry } from "./cache_entry.ts";
import { cacheDir as resolveCacheDir, isOffline } from "./config.ts";
import { CacheError, OfflineError } from "./errors.ts";
import { DEFAULT_MAX_DOWNLOAD_BYTES, limitOf } from "./limits.ts";
import { httpGet, type HttpOptions, type HttpResponse } from "./http.ts";

/** Cache behaviour of a download. */
export interface CacheOptions {
  /** Use the cache at all (default true). With false, always download and store nothing. */
  cache?: boolean;
  /** Cache folder (default `FACTORLAB_CACHE_DIR`, else `data/cache` of the project). */
  cacheDir?: string;
  /** Download again even when a fresh entry exists (default false). */
  refresh?: boolean;
  /** Never use the network: cache or local files only (default `FACTORLAB_OFFLINE=1`). */
  offline?: boolean;
  /** Entries older than this are downloaded again (default depends on the source). */
  ttlMs?: number;
}

/** Options of a cached download: cache behaviour plus HTTP behaviour. */
export type FetchOptions = CacheOptions & HttpOptions;

/**
 * Only the cache and HTTP settings of a larger options object, named one by one, so that
 * options meant for something else never reach a download.
 */
export function fetchOptionsOf(options: FetchOptions): FetchOptions {
  const { cache, cacheDir, refresh, offline, ttlMs, headers, timeoutMs, retry, onRetry, signal } =
    options;
  const { maxDownloadBytes, maxRedirects, redirectHosts } = options;
  return {
    cache,
    cacheDir,
    refresh,
    offline,
    ttlMs,
    headers,
    timeoutMs,
    retry,
    onRetry,
    signal,
    maxDownloadBytes,
    maxRedirects,
    redirectHosts,
  };
}

/** Where a body came from. */
export type BodyOrigin = "network" | "cache" | "stale-cache";

/** A downloaded or cached body. */
export interface CachedBody {
  /** The URL. */
  url: string;
  /** The bytes. */
  body: Uint8Array;
  /** Content-Type of the original response. */
  contentType: string;
  /** Whether the bytes came from the network or the cache. */
  origin: BodyOrigin;
  /** When the bytes were downloaded. */
  fetchedAt: Date;
}

/** Checks a body before it is cached or served from cache; throws if it is unusable. */
export type BodyValidator = (body: Uint8Array, contentType: string, url: string) => void;

/** File name of a cache entry: a readable tail of the URL plus a hash of the whole URL. */
async function cacheKey(url: string): Promise<string> {
  const hash = (await sha256Hex(new TextEncoder().encode(url))).slice(0, 24);
  const tail = url.replace(/[?#].*$/, "").split("/").pop() ?? "";
  const readable = tail.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
  return readable ? `${readable}.${hash}` : hash;
}

function isValid(validate: BodyValidator | undefined, body: Uint8Array, type: string, url: string) {
  if (!validate) return true;
  try {
    validate(body, type, url);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the body of `url`, from the cache when a fresh valid entry exists, else from the
 * network (then stored). In offline mode only the cache is used, even a stale entry, and a
 * missing entry raises {@link OfflineError}. `validate` rejects bodies that must not be cached
 * (an HTML error page, a truncated zip); its error is rethrown for a fresh download.
 *
 * Entries are safe to share between processes (see cache_entry.ts): a reader sees a whole entry
 * or none, and never deletes one. An entry dated in the future is stale. When the download
 * succeeds but cannot be stored (a full disk, a read-only or misplaced folder), the body is
 * returned anyway and the problem is reported with `console.warn`.
 */
export async function fetchCached(
  url: string,
  options: FetchOptions = {},
  defaultTtlMs = 24 * 3600_000,
  validate?: BodyValidator,
): Promise<CachedBody> {
  const offline = isOffline(options.offline);
  const useCache = options.cache ?? true;
  const ttl = options.ttlMs ?? defaultTtlMs;
  if (!useCache) {
    if (offline) throw new OfflineError(url, "the cache is turned off ({ cache: false })");
    const response = await httpGet(url, options);
    validate?.(response.body, response.contentType, url);
    return { ...toBody(response), origin: "network", fetchedAt: new Date() };
  }
  const dir = resolveCacheDir(options.cacheDir);
  const key = await cacheKey(url);
  const maxBytes = limitOf(
    options.maxDownloadBytes,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    "maxDownloadBytes",
  );
  let entry = await readEntry(dir, key, url, maxBytes);
  if (entry.kind === "ok" && !isValid(validate, entry.body, entry.record.contentType, url)) {
    entry = { kind: "damaged", reason: "its content is no longer accepted" };
  }
  if (entry.kind === "ok") {
    const fetchedAt = new Date(entry.record.fetchedAt);
    const age = Date.now() - fetchedAt.getTime();
    // A download time in the future (a clock set wrong, a damaged record) is not fresh.
    const fresh = age >= 0 && age <= ttl;
    if (offline || (fresh && !options.refresh)) {
      return {
        url,
        body: entry.body,
        contentType: entry.record.contentType,
        origin: fresh ? "cache" : "stale-cache",
        fetchedAt,
      };
    }
  }
  if (offline) {
    if (entry.kind === "unusable") throw entry.error;
    throw new OfflineError(
      url,
      entry.kind === "damaged"
        ? `its cache entry in ${dir} is corrupt (${entry.reason}); the next download replaces it`
        : `it is not in the cache folder ${dir}`,
    );
  }
  const response = await httpGet(url, options);
  validate?.(response.body, response.contentType, url);
  await store(dir, key, response);
  return { ...toBody(response), origin: "network", fetchedAt: new Date() };
}

function toBody(response: HttpResponse): { url: string; body: Uint8Array; contentType: string } {
  return { url: response.url, body: response.body, contentType: response.contentType };
}

/** Stores a download; a failure to store is a warning, the download itself is kept. */
async function store(dir: string, key: string, response: HttpResponse): Promise<void> {
  try {
    await writeEntry(
      dir,
      key,
      { url: response.url, fetchedAt: new Date().toISOString(), contentType: response.contentType },
      response.body,
    );
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    console.warn(
      `factorlab: downloaded ${response.url} but could not store it in the cache folder ` +
        `${dir}: ${error.message} The data is used without being cached.`,
    );
  }
}

const ENTRY_FILE = /\.[0-9a-f]{24}\.(entry|data|json)(\.[0-9a-f-]{36}\.tmp)?$/;

function unreadableFolder(dir: string, error: unknown): unknown {
  if (error instanceof Deno.errors.NotCapable) return error;
  return new CacheError(dir, `it cannot be listed (${(error as Error).message})`, { cause: error });
}

/**
 * Deletes every entry of the cache folder (the folder itself and other files are kept), and
 * the temporary files of writes that were interrupted. Entries of the earlier two-file layout
 * (`.data` + `.json`) are deleted too. Returns the number of entries deleted.
 */
export async function clearCache(options: { cacheDir?: string } = {}): Promise<number> {
  const dir = resolveCacheDir(options.cacheDir);
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && ENTRY_FILE.test(entry.name)) {
        await Deno.remove(`${dir}/${entry.name}`).catch((error) => {
          // Another process may have cleared or replaced it meanwhile.
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
        if (/\.(entry|data)$/.test(entry.name)) removed++;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw unreadableFolder(dir, error);
  }
  return removed;
}
