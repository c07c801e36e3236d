/**
 * Where data comes from: base URLs, cache folder and offline mode, resolved from explicit
 * options first, then environment variables, then defaults.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Default base URL of Kenneth French's data library. */
export const FRENCH_BASE_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french";
/** Default base URL of Yahoo Finance's chart API. */
export const YAHOO_BASE_URL = "https://query2.finance.yahoo.com";

/** Environment variable that overrides the Ken French base URL. */
export const ENV_FRENCH_BASE_URL = "FACTORLAB_FRENCH_BASE_URL";
/** Environment variable that overrides the Yahoo base URL. */
export const ENV_YAHOO_BASE_URL = "FACTORLAB_YAHOO_BASE_URL";
/** Environment variable naming the cache folder. */
export const ENV_CACHE_DIR = "FACTORLAB_CACHE_DIR";
/** Environment variable that turns offline mode on when set to 1/true/yes. */
export const ENV_OFFLINE = "FACTORLAB_OFFLINE";
/** Environment variable naming the second Yahoo host tried when the first fails ("none": no second host). */
export const ENV_YAHOO_FALLBACK_URL = "FACTORLAB_YAHOO_FALLBACK_URL";
/** Environment variable naming the URL that hands out Yahoo's session cookie (fc.yahoo.com). */
export const ENV_YAHOO_COOKIE_URL = "FACTORLAB_YAHOO_COOKIE_URL";
/** Environment variable naming the base URL of Yahoo's crumb endpoint (`{base}/v1/test/getcrumb`). */
export const ENV_YAHOO_CRUMB_URL = "FACTORLAB_YAHOO_CRUMB_URL";
/** Environment variable naming the folder of the local price and vintage store. */
export const ENV_STORE_DIR = "FACTORLAB_STORE_DIR";

/** Yahoo's cookie endpoint: any answer sets the session cookie the crumb is tied to. */
export const YAHOO_COOKIE_URL = "https://fc.yahoo.com";
/** Yahoo's host of the crumb endpoint, as yfinance and yahoo-finance2 use it. */
export const YAHOO_CRUMB_BASE_URL = "https://query1.finance.yahoo.com";

/**
 * Reads an environment variable, treating a missing `--allow-env` permission like an unset
 * variable: the module must work in a sandbox that grants no environment access.
 */
function readEnv(name: string): string | undefined {
  try {
    const value = Deno.env.get(name);
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  } catch {
    return undefined;
  }
}

/** Removes trailing slashes so paths can be appended with a single "/". */
function trimBase(base: string): string {
  return base.replace(/\/+$/, "");
}

/** Sources chosen for the whole process (by `useSamples`), ahead of the environment. */
const chosen: { french?: string; yahoo?: string } = {};

/**
 * Sets (or, with `undefined`, clears) the sources every later call uses when it names none: a base
 * URL or a local folder for each service. An option given to a call still wins.
 */
export function setDefaultSources(sources: { french?: string; yahoo?: string }): void {
  chosen.french = sources.french;
  chosen.yahoo = sources.yahoo;
}

/** The Ken French base URL (or mirror folder): option, chosen source, environment, default. */
export function frenchBase(source?: string): string {
  return trimBase(source ?? chosen.french ?? readEnv(ENV_FRENCH_BASE_URL) ?? FRENCH_BASE_URL);
}

/**
 * The Yahoo base URL (or a local folder of price CSVs): option, chosen source, environment,
 * default.
 */
export function yahooBase(source?: string): string {
  return trimBase(source ?? chosen.yahoo ?? readEnv(ENV_YAHOO_BASE_URL) ?? YAHOO_BASE_URL);
}

/** Whether a base URL is one of Yahoo's own chart hosts (query1/query2.finance.yahoo.com). */
export function isYahooHost(base: string): boolean {
  try {
    return /^query[12]\.finance\.yahoo\.com$/i.test(new URL(base).hostname);
  } catch {
    return false;
  }
}

/**
 * The hosts, cookie and crumb endpoints of the Yahoo chart API, from options, then the
 * environment, then defaults. With Yahoo's own host the second host is its twin (query2 ↔
 * query1), the cookie comes from fc.yahoo.com and the crumb from query1. With a mirror, there is
 * no second host, cookie or crumb unless they are configured (a mirror is not Yahoo: factorlab
 * never sends a mirror's users to Yahoo); a configured crumb endpoint defaults to the mirror.
 */
export function yahooEndpoints(options: {
  source?: string;
  fallbackSource?: string | false;
  cookieSource?: string | false;
  crumbSource?: string;
}): { base: string; fallback?: string; cookieUrl?: string; crumbUrl?: string } {
  const base = yahooBase(options.source);
  const yahoo = isYahooHost(base);
  const fallbackOption = options.fallbackSource ?? readEnv(ENV_YAHOO_FALLBACK_URL);
  let fallback: string | undefined;
  if (fallbackOption === false || fallbackOption === "none") fallback = undefined;
  else if (fallbackOption !== undefined) fallback = trimBase(fallbackOption);
  else if (yahoo) {
    const url = new URL(base);
    url.hostname = url.hostname.replace(/^query([12])/i, (_, n) => `query${n === "1" ? 2 : 1}`);
    fallback = trimBase(url.href);
  }
  const cookieOption = options.cookieSource ?? readEnv(ENV_YAHOO_COOKIE_URL);
  const cookieUrl = cookieOption === false || cookieOption === "none"
    ? undefined
    : cookieOption ?? (yahoo ? YAHOO_COOKIE_URL : undefined);
  const crumbBase = options.crumbSource ?? readEnv(ENV_YAHOO_CRUMB_URL) ??
    (yahoo ? YAHOO_CRUMB_BASE_URL : base);
  return {
    base,
    ...(fallback !== undefined && fallback !== base ? { fallback } : {}),
    ...(cookieUrl === undefined
      ? {}
      : { cookieUrl, crumbUrl: `${trimBase(crumbBase)}/v1/test/getcrumb` }),
  };
}

/**
 * The folder of the local store (daily prices as Parquet, every Ken French vintage downloaded):
 * option, then `FACTORLAB_STORE_DIR`, then `store/` inside the cache folder (default
 * `data/cache/store`).
 */
export function storeDir(option?: string, cacheDirOption?: string): string {
  return option ?? readEnv(ENV_STORE_DIR) ?? `${cacheDir(cacheDirOption)}/store`;
}

/** Whether offline mode is on: option, then `FACTORLAB_OFFLINE`. */
export function isOffline(option?: boolean): boolean {
  if (option !== undefined) return option;
  const value = readEnv(ENV_OFFLINE)?.toLowerCase();
  return value === "1" || value === "true" || value === "yes";
}

/** Whether a source string is an HTTP(S) URL rather than a local folder. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * The cache folder: option, then `FACTORLAB_CACHE_DIR`, then `data/cache` of the project when the
 * module runs from local files, else a per-user cache folder (imported from a URL).
 */
export function cacheDir(option?: string): string {
  const chosen = option ?? readEnv(ENV_CACHE_DIR);
  if (chosen) return chosen;
  const here = new URL("../../data/cache", import.meta.url);
  if (here.protocol === "file:") return fileURLToPath(here);
  const xdg = readEnv("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/factorlab`;
  const local = readEnv("LOCALAPPDATA");
  if (local) return `${local}\\factorlab`;
  const home = readEnv("HOME");
  if (home) return `${home}/.cache/factorlab`;
  return "factorlab-cache";
}
