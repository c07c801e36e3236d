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
