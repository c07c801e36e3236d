/**
 * On-disk cache of downloads, keyed by URL. Each entry is a data file plus a small JSON record
 * (URL, time, size, SHA-256), both written atomically (temporary file, then rename), so a
 * failed or interrupted download never leaves a half-written entry behind. An entry whose
 * size or hash does not match its record, or that the caller's validator rejects, is treated as
 * missing and fetched again.
 *
 * @module
 */

import { cacheDir as resolveCacheDir, isOffline } from "./config.ts";
import { FactorlabDataError, OfflineError } from "./errors.ts";
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
  return { cache, cacheDir, refresh, offline, ttlMs, headers, timeoutMs, retry, onRetry, signal };
}

/** The record stored next to each cached file. */
interface CacheRecord {
  url: string;
  fetchedAt: string;
  size: number;
  sha256: string;
  contentType: string;
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

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** File name of a cache entry: a readable tail of the URL plus a hash of the whole URL. */
async function cacheKey(url: string): Promise<string> {
  const hash = (await sha256Hex(new TextEncoder().encode(url))).slice(0, 24);
  const tail = url.replace(/[?#].*$/, "").split("/").pop() ?? "";
  const readable = tail.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80);
  return readable ? `${readable}.${hash}` : hash;
}

/**
 * Writes a file so that a reader never sees it half-written: a temporary file next to it,
 * then a rename over the target (atomic on one file system).
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(temp, data);
    else await Deno.writeFile(temp, data);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

type Entry = { record: CacheRecord; body: Uint8Array } | "missing" | "corrupt";

async function readEntry(dir: string, key: string): Promise<Entry> {
  let record: CacheRecord;
  let body: Uint8Array;
  try {
    record = JSON.parse(await Deno.readTextFile(`${dir}/${key}.json`));
    body = await Deno.readFile(`${dir}/${key}.data`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    if (error instanceof SyntaxError) return "corrupt";
    throw error;
  }
  if (body.length !== record.size || (await sha256Hex(body)) !== record.sha256) return "corrupt";
  return { record, body };
}

async function removeEntry(dir: string, key: string): Promise<void> {
  await Deno.remove(`${dir}/${key}.json`).catch(() => {});
  await Deno.remove(`${dir}/${key}.data`).catch(() => {});
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
  let entry = await readEntry(dir, key);
  if (typeof entry === "object" && !isValid(validate, entry.body, entry.record.contentType, url)) {
    entry = "corrupt";
  }
  if (entry === "corrupt") {
    await removeEntry(dir, key);
  } else if (entry !== "missing") {
    const fetchedAt = new Date(entry.record.fetchedAt);
    const fresh = Date.now() - fetchedAt.getTime() <= ttl;
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
    throw new OfflineError(
      url,
      entry === "corrupt"
        ? `its cache entry in ${dir} was corrupt and has been removed`
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

async function store(dir: string, key: string, response: HttpResponse): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const record: CacheRecord = {
      url: response.url,
      fetchedAt: new Date().toISOString(),
      size: response.body.length,
      sha256: await sha256Hex(response.body),
      contentType: response.contentType,
    };
    // The data goes first: a record only ever points at a complete file.
    await writeAtomic(`${dir}/${key}.data`, response.body);
    await writeAtomic(`${dir}/${key}.json`, new TextEncoder().encode(JSON.stringify(record)));
  } catch (error) {
    throw new FactorlabDataError(
      `Downloaded ${response.url} but could not store it in the cache folder ${dir}: ${error}. ` +
        `Check that the folder is writable, choose another with FACTORLAB_CACHE_DIR or ` +
        `{ cacheDir }, or pass { cache: false }.`,
      { cause: error },
    );
  }
}

const ENTRY_FILE = /\.[0-9a-f]{24}\.(data|json)(\.[0-9a-f-]{36}\.tmp)?$/;

/** The URLs that have an entry in the cache folder (from the records; bodies are not read). */
export async function cachedUrls(options: { cacheDir?: string } = {}): Promise<string[]> {
  const dir = resolveCacheDir(options.cacheDir);
  const urls: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !/\.[0-9a-f]{24}\.json$/.test(entry.name)) continue;
      try {
        const record: CacheRecord = JSON.parse(await Deno.readTextFile(`${dir}/${entry.name}`));
        if (typeof record.url === "string") urls.push(record.url);
      } catch {
        // A damaged record is no entry; fetchCached removes it when its URL is asked for.
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return urls.sort();
}

/** Deletes every entry of the cache folder (the folder itself is kept). */
export async function clearCache(options: { cacheDir?: string } = {}): Promise<number> {
  const dir = resolveCacheDir(options.cacheDir);
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && ENTRY_FILE.test(entry.name)) {
        await Deno.remove(`${dir}/${entry.name}`);
        if (entry.name.endsWith(".data")) removed++;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return removed;
}
