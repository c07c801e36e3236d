/**
 * The local price store: every daily price download is kept as Parquet (through polars), one
 * dataset per ticker and source, merged across requests. Any range inside what was downloaded
 * is served offline, and a later request downloads only what is missing.
 *
 * Layout, under the store folder (default `data/cache/store`, see `storeDir` in config.ts):
 *
 * ```
 * prices/{source}/{TICKER}/manifest.json          what the dataset holds (below)
 * prices/{source}/{TICKER}/prices.{id}.parquet    date, open, high, low, close, adjClose,
 *                                                 volume, fetchedAt (ISO time of the download)
 * prices/{source}/{TICKER}/dividends.{id}.parquet date, amount
 * prices/{source}/{TICKER}/splits.{id}.parquet    date, numerator, denominator, ratio
 * ```
 *
 * `{source}` is "yahoo" for Yahoo's own hosts, else the mirror's host, port and path; the ticker
 * folder escapes every character but letters, digits, "_" and "-" as %XX. The manifest names
 * the calendar days Yahoo was asked for (one contiguous range: a request beside it also fetches
 * the days in between), when the data was downloaded and the adjustment basis. Files are written
 * under new names and the manifest is replaced last (atomically), so a reader sees one whole
 * version; superseded files are removed once no reader can still need them.
 *
 * Adjusted closes depend on the day they were downloaded: each later dividend or split rescales
 * the whole history before it. A dataset therefore holds one basis: every download overlaps the
 * stored history by a few trading days, and when Yahoo's adjusted closes on the shared days
 * differ (by more than 1e-6 relative), the whole range is downloaded again rather than mixing
 * bases. The manifest's `basis.adjustedAsOf` is the download the stored basis comes from.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import { addDays } from "./dates.ts";
import { writeAtomic } from "../files.ts";
import { isYahooHost } from "./config.ts";
import {
  EmptyRangeError,
  FactorlabDataError,
  HttpError,
  OfflineError,
  RequestError,
} from "./errors.ts";

/** What one download of daily prices yields. */
export interface PriceBars {
  /** `date`, `open`, `high`, `low`, `close`, `adjClose`, `volume`, sorted by date. */
  prices: DataFrame;
  /** `date`, `amount`. */
  dividends: DataFrame;
  /** `date`, `numerator`, `denominator`, `ratio`. */
  splits: DataFrame;
  /** Trading currency. */
  currency: string | undefined;
  /** IANA time zone of the exchange. */
  timezone: string | undefined;
  /** Bars dropped because they had no price. */
  droppedNullBars: number;
}

/** Downloads the bars from `start` to `end` (inclusive "YYYY-MM-DD"); none: empty frames. */
export type PriceDownloader = (start: string, end: string) => Promise<PriceBars>;

/** The manifest of a stored dataset. */
export interface StoredDataset {
  /** Format version of the manifest. */
  format: 1;
  /** The ticker. */
  ticker: string;
  /** Base URL the prices were downloaded from. */
  source: string;
  /** First calendar day Yahoo was asked for (inclusive). */
  start: string;
  /** Last calendar day Yahoo was asked for (inclusive). */
  end: string;
  /** Bars from `from` on were recent when downloaded (at `fetchedAt`) and may still change. */
  provisional?: { from: string; fetchedAt: string };
  /** ISO time of the latest download into the dataset. */
  fetchedAt: string;
  /** The adjustment basis of `adjClose`. */
  basis: {
    /** ISO time of the download whose adjusted closes (and splits) the dataset holds. */
    adjustedAsOf: string;
    /** ISO time of the latest download that found the same adjusted closes on shared days. */
    checkedAt: string;
    /** Latest dividend or split date the basis includes, if any. */
    lastEvent?: string;
  };
  /** Trading currency. */
  currency?: string;
  /** IANA time zone of the exchange. */
  timezone?: string;
  /** File names of the current version, inside the dataset folder. */
  files: { prices: string; dividends: string; splits: string };
}

/** Prices served through the store, with where they came from. */
export interface StoreResult extends PriceBars {
  /** "network": downloaded now (in part or whole); "store": from disk; "stale-store": from disk because the download failed. */
  origin: "network" | "store" | "stale-store";
  /** When the oldest of the served bars was downloaded. */
  fetchedAt: Date;
  /** The download whose adjustment basis `adjClose` is on. */
  adjustedAsOf: Date;
  /** Warnings shown to the user (stale data, a re-download for a new basis). */
  warnings: string[];
  /** The dataset folder (undefined when the store was not used). */
  path: string | undefined;
}

/** Options of {@link pricesThroughStore}. */
export interface StoreRequest {
  /** The ticker, as stored. */
  ticker: string;
  /** The base URL asked (a dataset per source). */
  source: string;
  /** First day wanted, inclusive "YYYY-MM-DD". */
  start: string;
  /** Last day wanted, inclusive "YYYY-MM-DD". */
  end: string;
  /** The store folder. */
  dir: string;
  /** Never download: serve from the store or fail with {@link OfflineError}. */
  offline?: boolean;
  /** Download the asked range again even when stored and fresh. */
  refresh?: boolean;
  /** Settled bars are re-checked after this long (default 7 days). */
  ttlMs?: number;
  /** Now, for tests of ageing (default the clock). */
  now?: Date;
  /** The service's name in warnings ("Yahoo"). */
  service?: string;
}

/** Days of stored history every download overlaps, to compare adjustment bases. */
const OVERLAP_DAYS = 10;
/** Bars of the last days before a download may still change (a live session, late fixes). */
const PROVISIONAL_DAYS = 2;
/** Recent bars are downloaded again after an hour. */
const PROVISIONAL_TTL_MS = 3600_000;
/** Settled bars are checked again after a week (a new dividend changes adjusted closes). */
const SETTLED_TTL_MS = 7 * 24 * 3600_000;
/** Relative difference of adjusted closes on shared days above which the basis changed. */
const BASIS_TOLERANCE = 1e-6;

const PRICE_COLUMNS = ["date", "open", "high", "low", "close", "adjClose", "volume"];

/** The folder name of a source: "yahoo" for Yahoo's hosts, else host, port and path. */
export function sourceKey(base: string): string {
  if (isYahooHost(base)) return "yahoo";
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return escapeName(base);
  }
  const port = url.port ? `_${url.port}` : "";
  const path = url.pathname.replace(/\/+$/, "").replace(/[^A-Za-z0-9]+/g, "_");
  return escapeName(`${url.hostname}${port}${path}`);
}

/** Escapes every character but letters, digits, "_" and "-" as %XX ("." included). */
function escapeName(name: string): string {
  return Array.from(new TextEncoder().encode(name), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9_-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

/** The folder of one dataset. */
export function datasetDir(dir: string, source: string, ticker: string): string {
  return `${dir}/prices/${sourceKey(source)}/${escapeName(ticker)}`;
}

/** Reads a manifest and its frames; undefined when there is none. Retries a version race. */
async function readDataset(
  folder: string,
): Promise<{ manifest: StoredDataset; bars: PriceBars & { fetched: DataFrame } } | undefined> {
  for (let attempt = 1;; attempt++) {
    let manifest: StoredDataset;
    try {
      manifest = JSON.parse(await Deno.readTextFile(`${folder}/manifest.json`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw storeError(folder, "its manifest.json cannot be read", error);
    }
    if (manifest?.format !== 1 || typeof manifest.files?.prices !== "string") {
      throw storeError(folder, "its manifest.json is not a factorlab price manifest");
    }
    try {
      const prices = pl.readParquet(`${folder}/${manifest.files.prices}`);
      const dividends = pl.readParquet(`${folder}/${manifest.files.dividends}`);
      const splits = pl.readParquet(`${folder}/${manifest.files.splits}`);
      return {
        manifest,
        bars: {
          prices: prices.select(...PRICE_COLUMNS),
          fetched: prices.select("date", "fetchedAt"),
          dividends,
          splits,
          currency: manifest.currency,
          timezone: manifest.timezone,
          droppedNullBars: 0,
        },
      };
    } catch (error) {
      // A writer may have replaced this version between the manifest and its files.
      if (attempt < 3) continue;
      throw storeError(folder, "the files its manifest names cannot be read", error);
    }
  }
}

function storeError(folder: string, problem: string, cause?: unknown): FactorlabDataError {
  return new FactorlabDataError(
    `The price store dataset ${folder} is damaged: ${problem}${
      cause ? ` (${(cause as Error).message ?? cause})` : ""
    }. Delete that folder (it is downloaded again), or choose another store with ` +
      `FACTORLAB_STORE_DIR or { storeDir }.`,
    { cause },
  );
}

/** Writes a new version of a dataset: files first, the manifest last, then old files go. */
async function writeDataset(
  folder: string,
  manifest: Omit<StoredDataset, "files">,
  frames: Pick<PriceBars, "prices" | "dividends" | "splits">,
): Promise<void> {
  await Deno.mkdir(folder, { recursive: true });
  const id = crypto.randomUUID();
  const files = {
    prices: `prices.${id}.parquet`,
    dividends: `dividends.${id}.parquet`,
    splits: `splits.${id}.parquet`,
  };
  for (const part of ["prices", "dividends", "splits"] as const) {
    const temp = `${folder}/${files[part]}.tmp`;
    frames[part].writeParquet(temp);
    await Deno.rename(temp, `${folder}/${files[part]}`);
  }
  await writeAtomic(`${folder}/manifest.json`, JSON.stringify({ ...manifest, files }, null, 1));
  // Versions older than a minute are no longer read by anyone who saw their manifest.
  const keep = new Set(Object.values(files));
  for await (const entry of Deno.readDir(folder)) {
    if (!entry.isFile || keep.has(entry.name) || entry.name === "manifest.json") continue;
    if (!/\.parquet(\.tmp)?$/.test(entry.name)) continue;
    try {
      const info = await Deno.stat(`${folder}/${entry.name}`);
      if (Date.now() - (info.mtime?.getTime() ?? 0) > 60_000) {
        await Deno.remove(`${folder}/${entry.name}`);
      }
    } catch {
      // Removed by another writer meanwhile.
    }
  }
}

/** "12 days", "3 hours", "5 minutes": the age of data in words. */
export function ageInWords(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** Why a download failed, in a few words for a warning ("Yahoo answered 429"). */
export function failureInWords(error: Error, service: string): string {
  if (error instanceof HttpError) return `${service} answered ${error.status}`;
  if (error instanceof RequestError) {
    return `${service} could not be used (${error.name}: ${error.message.split(". ")[0]})`;
  }
  return `${service} could not be used (${error.message})`;
}

/** Whether a download failure is the source or network failing (stale data may stand in). */
export function isSourceFailure(error: unknown): boolean {
  if (!(error instanceof RequestError)) return false;
  if (error instanceof HttpError) {
    return error.status === 401 || error.status === 403 || error.status === 429 ||
      error.status >= 500;
  }
  return true;
}

function emptyBars(): PriceBars {
  return {
    prices: pl.DataFrame(
      Object.fromEntries(PRICE_COLUMNS.map((c) => [c, []])),
      {
        schema: Object.fromEntries(
          PRICE_COLUMNS.map((c) => [c, c === "date" ? pl.Utf8 : pl.Float64]),
        ),
      },
    ),
    dividends: pl.DataFrame({ date: [], amount: [] }, {
      schema: { date: pl.Utf8, amount: pl.Float64 },
    }),
    splits: pl.DataFrame({ date: [], numerator: [], denominator: [], ratio: [] }, {
      schema: { date: pl.Utf8, numerator: pl.Float64, denominator: pl.Float64, ratio: pl.Float64 },
    }),
    currency: undefined,
    timezone: undefined,
    droppedNullBars: 0,
  };
}

function between(frame: DataFrame, start: string, end: string): DataFrame {
  return frame.filter(pl.col("date").gtEq(pl.lit(start)).and(pl.col("date").ltEq(pl.lit(end))));
}

/** The rows outside every one of the windows. */
function outsideAll(frame: DataFrame, windows: [string, string][]): DataFrame {
  let keep = pl.lit(true);
  for (const [from, to] of windows) {
    keep = keep.and(pl.col("date").lt(pl.lit(from)).or(pl.col("date").gt(pl.lit(to))));
  }
  return frame.filter(keep);
}

function concatByDate(frames: DataFrame[]): DataFrame {
  const nonEmpty = frames.filter((f) => f.height > 0);
  if (nonEmpty.length === 0) return frames[0];
  if (nonEmpty.length === 1) return nonEmpty[0];
  return pl.concat(nonEmpty, { how: "vertical" })
    .unique({ subset: "date", keep: "last", maintainOrder: true })
    .sort("date");
}

/**
 * Compares adjusted closes on the days both a new download and the stored settled bars have:
 * "same", "changed", or "unknown" when they share no day.
 */
function compareBasis(stored: DataFrame, fresh: DataFrame): "same" | "changed" | "unknown" {
  const shared = stored.select("date", pl.col("adjClose").alias("old"))
    .join(fresh.select("date", pl.col("adjClose").alias("new")), { on: "date", how: "inner" });
  if (shared.height === 0) return "unknown";
  const worst = shared.select(
    pl.col("new").sub(pl.col("old")).abs().div(pl.col("old").abs()).max().alias("d"),
  ).getColumn("d").get(0) as number;
  return worst > BASIS_TOLERANCE ? "changed" : "same";
}

/** Splits [start, end] into windows of at most `years` years (Yahoo allows 100 per request). */
export function splitRange(start: string, end: string, years = 99): [string, string][] {
  const windows: [string, string][] = [];
  let from = start;
  while (from <= end) {
    const limit = `${String(Number(from.slice(0, 4)) + years).padStart(4, "0")}${from.slice(4)}`;
    const to = addDays(limit, -1) < end ? addDays(limit, -1) : end;
    windows.push([from, to]);
    from = addDays(to, 1);
  }
  return windows;
}

/** Downloads [start, end] in windows Yahoo accepts, as one set of bars (none: empty). */
async function downloadRange(
  download: PriceDownloader,
  start: string,
  end: string,
): Promise<PriceBars> {
  const parts: PriceBars[] = [];
  for (const [from, to] of splitRange(start, end)) {
    try {
      parts.push(await download(from, to));
    } catch (error) {
      // A window before the first trade or without trading days holds nothing: not an error
      // for a range that may extend into it.
      if (!(error instanceof EmptyRangeError)) throw error;
    }
  }
  if (parts.length === 0) return emptyBars();
  return {
    prices: concatByDate(parts.map((p) => p.prices.select(...PRICE_COLUMNS))),
    dividends: concatByDate(parts.map((p) => p.dividends)),
    splits: concatByDate(parts.map((p) => p.splits)),
    currency: parts.find((p) => p.currency)?.currency,
    timezone: parts.find((p) => p.timezone)?.timezone,
    droppedNullBars: parts.reduce((n, p) => n + p.droppedNullBars, 0),
  };
}

/** Downloads [start, end] without the store (`cache: false`). */
export async function pricesWithoutStore(
  download: PriceDownloader,
  start: string,
  end: string,
  ticker: string,
): Promise<StoreResult> {
  const bars = await downloadRange(download, start, end);
  if (bars.prices.height === 0) throw new EmptyRangeError(ticker, start, end);
  const now = new Date();
  return {
    ...bars,
    origin: "network",
    fetchedAt: now,
    adjustedAsOf: now,
    warnings: [],
    path: undefined,
  };
}

/**
 * Daily prices of one ticker from `start` to `end`, through the store: served from disk when
 * stored and fresh (or offline), else downloaded in part (only what is missing, plus a few days
 * of overlap to check the adjustment basis) and merged, or in whole when the basis changed.
 * When a download fails because the source or the network does, stored prices that cover the
 * range are served with a warning naming their age.
 *
 * @param request ticker, source, range, store folder and freshness settings
 * @param download fetches bars of an inclusive day range from the source
 * @returns the bars of the range, with their origin, age, basis and warnings
 *
 * @example A second, narrower request is served from the store without a download
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { pricesThroughStore } from "./store.ts";
 * const dir = await Deno.makeTempDir({ dir: "data" });
 * let downloads = 0;
 * const download = (start: string, end: string) => {
 *   downloads++;
 *   const dates = ["2020-01-02", "2020-01-03", "2020-01-06"].filter((d) => d >= start && d <= end);
 *   const one = dates.map(() => 1);
 *   return Promise.resolve({
 *     prices: pl.DataFrame({
 *       date: pl.Series("date", dates, pl.Utf8),
 *       ...Object.fromEntries(["open", "high", "low", "close", "adjClose", "volume"]
 *         .map((c) => [c, pl.Series(c, one, pl.Float64)])),
 *     }),
 *     dividends: pl.DataFrame({ date: [], amount: [] }, {
 *       schema: { date: pl.Utf8, amount: pl.Float64 },
 *     }),
 *     splits: pl.DataFrame({ date: [], numerator: [], denominator: [], ratio: [] }, {
 *       schema: { date: pl.Utf8, numerator: pl.Float64, denominator: pl.Float64, ratio: pl.Float64 },
 *     }),
 *     currency: "USD",
 *     timezone: "America/New_York",
 *     droppedNullBars: 0,
 *   });
 * };
 * const base = { ticker: "SPY", source: "https://mirror.example", dir };
 * await pricesThroughStore({ ...base, start: "2020-01-01", end: "2020-01-31" }, download);
 * const part = await pricesThroughStore({ ...base, start: "2020-01-03", end: "2020-01-05", offline: true }, download);
 * assert.ok(downloads === 1 && part.prices.height === 1 && part.origin === "store");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function pricesThroughStore(
  request: StoreRequest,
  download: PriceDownloader,
): Promise<StoreResult> {
  const { ticker, start, end } = request;
  const service = request.service ?? "the source";
  const now = request.now ?? new Date();
  const folder = datasetDir(request.dir, request.source, ticker);
  const stored = await readDataset(folder);
  const covered = stored !== undefined && stored.manifest.start <= start &&
    end <= stored.manifest.end;
  const serve = (origin: StoreResult["origin"]): StoreResult =>
    slice(stored!.bars, stored!.manifest, request, origin, [], folder);
  if (request.offline) {
    if (covered) return serve("store");
    throw new OfflineError(
      datasetDir(request.dir, request.source, ticker),
      stored
        ? `the store holds ${ticker} for ${stored.manifest.start}..${stored.manifest.end} only`
        : `the store holds no prices of ${ticker} from ${request.source}`,
      `daily prices of ${ticker} from ${start} to ${end}`,
    );
  }
  if (covered && !request.refresh) {
    const { basis, provisional } = stored.manifest;
    const ttl = request.ttlMs ?? SETTLED_TTL_MS;
    const settledFresh = now.getTime() - Date.parse(basis.checkedAt) <= ttl;
    const recentFresh = provisional === undefined || end < provisional.from ||
      now.getTime() - Date.parse(provisional.fetchedAt) <= Math.min(ttl, PROVISIONAL_TTL_MS);
    if (settledFresh && recentFresh) return serve("store");
  }

  const warnings: string[] = [];
  let merged: Merged;
  try {
    merged = await downloadAndMerge(request, stored, download, now, warnings);
  } catch (error) {
    if (covered && isSourceFailure(error)) {
      const old = serve("stale-store");
      const message = `using ${ticker} prices downloaded ` +
        `${ageInWords(now.getTime() - old.fetchedAt.getTime())} ago: ` +
        failureInWords(error as Error, service);
      console.warn(`factorlab: ${message}`);
      return { ...old, warnings: [message] };
    }
    throw error;
  }
  const withTimes = merged.bars.prices.hstack(merged.fetched.select("fetchedAt"));
  try {
    await writeDataset(folder, merged.manifest, { ...merged.bars, prices: withTimes });
  } catch (error) {
    const message = `downloaded ${ticker} prices but could not store them in ${folder} ` +
      `(${(error as Error).message}); they are used for this call only`;
    console.warn(`factorlab: ${message}`);
    warnings.push(message);
  }
  const fresh = { ...merged.bars, fetched: withTimes };
  return slice(fresh, merged.manifest, request, "network", warnings, folder);
}

/**
 * The bars of the requested range in one version of a dataset (`fetched` holds each bar's
 * download time), with where and when they came from.
 */
function slice(
  bars: PriceBars & { fetched: DataFrame },
  manifest: Omit<StoredDataset, "files">,
  { ticker, start, end }: StoreRequest,
  origin: StoreResult["origin"],
  warnings: string[],
  folder: string,
): StoreResult {
  const prices = between(bars.prices, start, end);
  if (prices.height === 0) throw new EmptyRangeError(ticker, start, end);
  const oldest = between(bars.fetched, start, end).select(pl.col("fetchedAt").min())
    .getColumn("fetchedAt").get(0) as string;
  return {
    prices,
    dividends: between(bars.dividends, start, end),
    splits: between(bars.splits, start, end),
    currency: manifest.currency,
    timezone: manifest.timezone,
    droppedNullBars: bars.droppedNullBars,
    origin,
    fetchedAt: new Date(oldest),
    adjustedAsOf: new Date(manifest.basis.adjustedAsOf),
    warnings,
    path: folder,
  };
}

type Merged = { bars: PriceBars; fetched: DataFrame; manifest: Omit<StoredDataset, "files"> };

function fetchedColumn(prices: DataFrame, at: string): DataFrame {
  return prices.select("date", pl.lit(at).alias("fetchedAt"));
}

function lastEvent(bars: PriceBars): string | undefined {
  const dates = [
    ...(bars.dividends.getColumn("date").toArray() as string[]),
    ...(bars.splits.getColumn("date").toArray() as string[]),
  ].sort();
  return dates.at(-1);
}

/**
 * The new version of a dataset: what is missing downloaded (with an overlap of stored days),
 * merged when Yahoo's adjusted closes on the shared days are the stored ones, else the whole
 * range downloaded again.
 */
async function downloadAndMerge(
  request: StoreRequest,
  stored: { manifest: StoredDataset; bars: PriceBars & { fetched: DataFrame } } | undefined,
  download: PriceDownloader,
  now: Date,
  warnings: string[],
): Promise<Merged> {
  const { ticker, start, end } = request;
  const nowIso = now.toISOString();
  const recentFrom = addDays(nowIso.slice(0, 10), -PROVISIONAL_DAYS);
  const version = (
    bars: PriceBars,
    fetched: DataFrame,
    [from, to]: [string, string],
    provisional: StoredDataset["provisional"],
    adjustedAsOf: string,
  ): Merged => ({
    bars,
    fetched,
    manifest: {
      format: 1,
      ticker,
      source: request.source,
      start: from,
      end: to,
      ...(provisional ? { provisional } : {}),
      fetchedAt: nowIso,
      basis: { adjustedAsOf, checkedAt: nowIso, lastEvent: lastEvent(bars) },
      currency: bars.currency,
      timezone: bars.timezone,
    },
  });
  const fresh = (bars: PriceBars, from: string, to: string): Merged => {
    const provisional = to >= recentFrom ? { from: recentFrom, fetchedAt: nowIso } : undefined;
    return version(bars, fetchedColumn(bars.prices, nowIso), [from, to], provisional, nowIso);
  };
  if (stored === undefined) return fresh(await downloadRange(download, start, end), start, end);
  const m = stored.manifest;
  const min = (a: string, b: string) => (a < b ? a : b);
  const max = (a: string, b: string) => (a > b ? a : b);
  const settledEnd = m.provisional ? min(m.end, addDays(m.provisional.from, -1)) : m.end;
  const hull: [string, string] = [min(start, m.start), max(end, m.end)];
  const windows: [string, string][] = [];
  if (m.start <= start && end <= m.end) {
    windows.push([max(m.start, addDays(start, -OVERLAP_DAYS)), end]);
  } else {
    if (start < m.start) windows.push([start, min(m.end, addDays(m.start, OVERLAP_DAYS))]);
    if (end > settledEnd) {
      windows.push([max(m.start, addDays(settledEnd, 1 - OVERLAP_DAYS)), hull[1]]);
    }
  }
  const downloads: PriceBars[] = [];
  for (const [from, to] of windows) downloads.push(await downloadRange(download, from, to));
  const settled = between(stored.bars.prices, m.start, settledEnd);
  const verdicts = downloads.map((d) => compareBasis(settled, d.prices));
  const unknown = verdicts.every((v) => v === "unknown") && settled.height > 0;
  if (verdicts.includes("changed") || unknown) {
    warnings.push(
      `${ticker}: ${
        unknown ? "no stored day could be compared with the new download" : "the adjusted " +
          "closes Yahoo sends now differ from those downloaded " +
          m.basis.adjustedAsOf.slice(0, 10) + " (a dividend or split since then rescaled " +
          "the history)"
      }, so ${hull[0]}..${hull[1]} was downloaded again to keep one adjustment basis`,
    );
    return fresh(await downloadRange(download, hull[0], hull[1]), hull[0], hull[1]);
  }
  const keptPrices = outsideAll(stored.bars.prices, windows);
  const keptTimes = outsideAll(stored.bars.fetched, windows);
  const bars: PriceBars = {
    prices: concatByDate([keptPrices, ...downloads.map((d) => d.prices)]),
    dividends: concatByDate([
      outsideAll(stored.bars.dividends, windows),
      ...downloads.map((d) => d.dividends),
    ]),
    splits: concatByDate([
      outsideAll(stored.bars.splits, windows),
      ...downloads.map((d) => d.splits),
    ]),
    currency: downloads.find((d) => d.currency)?.currency ?? m.currency,
    timezone: downloads.find((d) => d.timezone)?.timezone ?? m.timezone,
    droppedNullBars: downloads.reduce((n, d) => n + d.droppedNullBars, 0),
  };
  const fetched = concatByDate([
    keptTimes,
    ...downloads.map((d) => fetchedColumn(d.prices, nowIso)),
  ]);
  const reachesEnd = windows.some(([, to]) => to >= hull[1]);
  const provisional = reachesEnd
    ? (hull[1] >= recentFrom ? { from: recentFrom, fetchedAt: nowIso } : undefined)
    : m.provisional;
  return version(
    bars,
    fetched,
    hull,
    provisional,
    settled.height > 0 ? m.basis.adjustedAsOf : nowIso,
  );
}
