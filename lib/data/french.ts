/**
 * Ken French data library: download `{base}/ftp/{NAME}_CSV.zip` (through the cache), or read a
 * local .zip/.csv file or a mirror folder, and parse every table of the file.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import { fileURLToPath } from "node:url";
import { writeAtomic } from "../files.ts";
import { type BodyOrigin, fetchCached, type FetchOptions } from "./cache.ts";
import { frenchBase, isHttpUrl, isOffline, storeDir } from "./config.ts";
import { type DateInput, filterPeriods } from "./dates.ts";
import {
  DataFormatError,
  FactorlabDataError,
  FactorlabError,
  FrenchAccessError,
  HttpError,
  InvalidArgumentError,
  UnknownDatasetError,
  VintageNotFoundError,
} from "./errors.ts";
import { frenchDatasetSpelling } from "./french_catalog.ts";
import { hasFrenchVintage, storedFrenchVintages, storeFrenchVintage } from "./french_store.ts";
import { ageInWords, failureInWords, isSourceFailure } from "./store.ts";
import {
  decodeText,
  type FrenchTable,
  isZip,
  type ParsedFrenchFile,
  parseFrenchCsv,
  unzipFrench,
} from "./french_parse.ts";
import { DEFAULT_MAX_UNPACKED_BYTES, limitOf, readFileLimited } from "./limits.ts";

/** Options of {@link frenchDataset}. */
export interface FrenchOptions extends FetchOptions {
  /** Keep rows whose period overlaps from this date on ("YYYY", "YYYY-MM", "YYYY-MM-DD"). Default: full history. */
  start?: DateInput;
  /**
   * Keep rows whose period overlaps the range up to this end (default: full history): a day is
   * exclusive, a month or year inclusive (see {@link DateInput}).
   */
  end?: DateInput;
  /** Keep returns in percent as written in the file (default false: decimals, 2.96 → 0.0296). */
  percent?: boolean;
  /**
   * Where the library is: a base URL (default `FACTORLAB_FRENCH_BASE_URL`, else the Tuck School
   * site), or a local folder holding files named like the library's (`NAME_CSV.zip`,
   * `NAME.CSV`/`NAME.csv`, also under `ftp/`), optionally with a `_YYYYMM` vintage suffix.
   */
  source?: string;
  /**
   * Read this vintage ("YYYYMM", the file's "YYYYMM CRSP database" line) instead of the current
   * one: from the store, where every download keeps its vintage, or from a mirror folder holding
   * several. Default: the library's current file (the newest in a mirror folder).
   */
  vintage?: string;
  /**
   * Folder of the local store (default `FACTORLAB_STORE_DIR`, else `store/` in the cache
   * folder), where every vintage downloaded is kept.
   */
  storeDir?: string;
  /**
   * Largest CSV accepted, in bytes: the member of a zip (checked against the size the archive
   * declares, before unpacking) or a file on disk (default 256 MiB).
   */
  maxUnpackedBytes?: number;
}

/**
 * Where a French file came from: downloaded now, the download cache, the store of vintages, a
 * local file or mirror folder; "stale-…" when the library failed and older data stood in.
 */
export type FrenchOrigin = BodyOrigin | "store" | "stale-store" | "file";

/** A Ken French dataset: its description and every table in it. */
export interface FrenchDataset {
  /** Dataset name ("F-F_Research_Data_Factors") or the file name for a local file. */
  name: string;
  /** The text at the top of the file. */
  description: string;
  /** Every table, in file order. Table 0 is the monthly (or daily) table of factor files. */
  tables: FrenchTable[];
  /** Text after the last table (the copyright line when present). */
  footer: string;
  /** The database vintage "YYYYMM" the file says it was built from. */
  vintage: string | undefined;
  /** The URL or file the data was read from. */
  source: string;
  /** Where the bytes came from (see {@link FrenchOrigin}). */
  origin: FrenchOrigin;
  /** When the file was downloaded (undefined for a local file). */
  fetchedAt: Date | undefined;
  /** Warnings also shown on the console, e.g. an older vintage used because the library failed. */
  warnings: string[];
}

/** How long a downloaded French file is reused: the library updates monthly, so a day is safe. */
const FRENCH_TTL_MS = 24 * 3600_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-]*$/;

/**
 * A path has a folder separator, is a file URL, or ends in .csv/.txt/.zip; only "NAME_CSV.zip"
 * with no such file here is read as a dataset name (the library's own file name).
 */
async function looksLikePath(value: string): Promise<boolean> {
  if (/[\\/]/.test(value) || value.startsWith("file:") || /\.(csv|txt)$/i.test(value)) return true;
  if (!/\.zip$/i.test(value)) return false;
  if (!/_CSV\.zip$/i.test(value)) return true;
  try {
    return (await Deno.stat(value)).isFile;
  } catch {
    return false;
  }
}

function toPath(value: string): string {
  return value.startsWith("file:") ? fileURLToPath(value) : value;
}

/** The unpacked-size limit a call asks for (default 256 MiB). */
function unpackLimit(options: FrenchOptions): number {
  return limitOf(options.maxUnpackedBytes, DEFAULT_MAX_UNPACKED_BYTES, "maxUnpackedBytes");
}

async function readLocal(path: string, maxUnpackedBytes: number): Promise<Uint8Array> {
  try {
    return await readFileLimited(path, maxUnpackedBytes, "maxUnpackedBytes");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FactorlabDataError(
        `File not found: ${path} (relative paths start at ${Deno.cwd()}). Check the path, or ` +
          `pass a dataset name such as "F-F_Research_Data_Factors" to download it.`,
        { cause: error },
      );
    }
    if (error instanceof FactorlabError || error instanceof Deno.errors.NotCapable) throw error;
    throw new FactorlabDataError(
      `Cannot read ${path}: ${(error as Error).message}. Check that it is a readable file.`,
      { cause: error },
    );
  }
}

function parseBytes(bytes: Uint8Array, source: string, maxUnpackedBytes: number): ParsedFrenchFile {
  const csv = isZip(bytes) || /\.zip$/i.test(source)
    ? unzipFrench(bytes, source, maxUnpackedBytes).data
    : bytes;
  return parseFrenchCsv(decodeText(csv), source);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Finds the file of dataset `name` in a mirror folder; see {@link FrenchOptions.source}. */
async function findInMirror(dir: string, name: string, vintage?: string): Promise<string> {
  const pattern = new RegExp(`^${escapeRegExp(name)}(?:_CSV)?(?:_(\\d{6}))?\\.(zip|csv|txt)$`, "i");
  const found: { path: string; vintage: string }[] = [];
  for (const folder of [dir, `${dir}/ftp`]) {
    try {
      for await (const entry of Deno.readDir(folder)) {
        const match = entry.isFile ? pattern.exec(entry.name) : null;
        if (match) found.push({ path: `${folder}/${entry.name}`, vintage: match[1] ?? "" });
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  found.sort((a, b) => a.vintage.localeCompare(b.vintage));
  const usable = vintage === undefined ? found : found.filter((f) => f.vintage === vintage);
  if (usable.length === 0) {
    const which = vintage === undefined ? "" : ` with vintage ${vintage}`;
    throw new FactorlabDataError(
      `Dataset "${name}"${which} is not in the local folder ${dir}. Expected a file named like ` +
        `${name}_CSV.zip or ${name}.csv (optionally ${name}_YYYYMM.csv)` +
        (found.length
          ? `; vintages present: ${found.map((f) => f.vintage || "none").join(", ")}`
          : "") +
        `.`,
    );
  }
  // A file without a vintage suffix is taken as the current download; else the newest vintage.
  usable.sort((a, b) => (a.vintage || "999999").localeCompare(b.vintage || "999999"));
  return usable[usable.length - 1].path;
}

/** Normalises what a user may type as a dataset name ("…_CSV.zip", "ftp/…"). */
function frenchDatasetName(name: string): string {
  const bare = name.trim().replace(/^ftp\//, "").replace(/(_CSV)?\.zip$/i, "");
  if (!NAME.test(bare)) {
    throw new InvalidArgumentError(
      `"${name}" is not a Ken French dataset name. Names look like "F-F_Research_Data_Factors" ` +
        `or "25_Portfolios_5x5"; listFrenchDatasets() shows them all.`,
    );
  }
  return bare;
}

/**
 * Scales and filters the parsed tables as asked: returns to decimals unless `percent`, rows
 * limited to [start, end]. Non-return tables (firm counts, market caps, ratios) keep their values.
 */
function shapeTables(parsed: ParsedFrenchFile, options: FrenchOptions): FrenchTable[] {
  return parsed.tables.map((table) => {
    let frame = filterPeriods(table.frame, options.start, options.end);
    let unit = table.unit;
    if (unit === "percent" && !options.percent) {
      const series = frame.columns.filter((c) => c !== "period");
      frame = frame.withColumns(...series.map((c) => pl.col(c).div(100)));
      unit = "decimal";
    }
    return { ...table, unit, frame };
  });
}

/** A French file: its name, where it came from, its bytes (zip or CSV) and its parsed tables. */
interface FrenchFile {
  name: string;
  source: string;
  bytes: Uint8Array;
  parsed: ParsedFrenchFile;
  origin: FrenchOrigin;
  fetchedAt: Date | undefined;
  warnings: string[];
}

/** The French file of `bytes` read from `source`, parsed. */
function parsedFile(
  name: string,
  source: string,
  bytes: Uint8Array,
  options: FrenchOptions,
  origin: FrenchOrigin,
  fetchedAt: Date | undefined,
): FrenchFile {
  const parsed = parseBytes(bytes, source, unpackLimit(options));
  return { name, source, bytes, parsed, origin, fetchedAt, warnings: [] };
}

/** Fetches (through the cache and the store) or reads one French file, checking that it parses. */
async function frenchFile(nameOrPath: string, options: FrenchOptions): Promise<FrenchFile> {
  if (await looksLikePath(nameOrPath)) {
    const source = toPath(nameOrPath);
    const bytes = await readLocal(source, unpackLimit(options));
    const name = source.split(/[\\/]/).pop() ?? source;
    return parsedFile(name, source, bytes, options, "file", undefined);
  }
  const base = frenchBase(options.source);
  if (!isHttpUrl(base)) {
    const name = frenchDatasetName(nameOrPath);
    const source = await findInMirror(toPath(base), name, options.vintage);
    const bytes = await readLocal(source, unpackLimit(options));
    return parsedFile(name, source, bytes, options, "file", undefined);
  }
  const name = await frenchDatasetSpelling(frenchDatasetName(nameOrPath), options);
  const dir = options.cache === false ? undefined : storeDir(options.storeDir, options.cacheDir);
  if (options.vintage !== undefined) return await chosenVintage(name, base, dir, options);
  try {
    return await downloadFrench(name, base, dir, options);
  } catch (error) {
    const stale = dir !== undefined && isSourceFailure(error) &&
        !(error instanceof UnknownDatasetError)
      ? await staleFrench(name, base, dir, options, error as Error)
      : undefined;
    if (stale) return stale;
    throw error;
  }
}

/** The library's URL of a dataset's zip. */
function libraryUrl(base: string, name: string): string {
  return `${base}/ftp/${name}_CSV.zip`;
}

/**
 * Downloads (through the cache) the library's current file and keeps its vintage in the store.
 * A 404 asks the library's page how it spells the name now, once.
 */
async function downloadFrench(
  name: string,
  base: string,
  dir: string | undefined,
  options: FrenchOptions,
  renamed = false,
): Promise<FrenchFile> {
  const source = libraryUrl(base, name);
  let checked: ParsedFrenchFile | undefined;
  let got;
  try {
    got = await fetchCached(source, options, FRENCH_TTL_MS, (bytes) => {
      checked = parseBytes(bytes, source, unpackLimit(options));
    });
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      const spelled = renamed
        ? name
        : await frenchDatasetSpelling(name, { ...options, live: true });
      if (spelled !== name) return await downloadFrench(spelled, base, dir, options, true);
      throw new UnknownDatasetError(name, source);
    }
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      throw new FrenchAccessError(source, error.status);
    }
    throw error;
  }
  const parsed = checked ?? parseBytes(got.body, source, unpackLimit(options));
  const vintage = parsed.vintage;
  const warnings: string[] = [];
  if (
    dir !== undefined && vintage !== undefined &&
    (got.origin === "network" || !(await hasFrenchVintage(dir, name, vintage)))
  ) {
    try {
      await storeFrenchVintage(dir, name, vintage, got.body, source, got.fetchedAt);
    } catch (error) {
      // A store that cannot be written (a full disk) must not throw the download away.
      if (!(error instanceof FactorlabError)) throw error;
      const warning = `${error.message} The data is used without being stored.`;
      console.warn(`factorlab: ${warning}`);
      warnings.push(warning);
    }
  }
  return {
    name,
    source,
    bytes: got.body,
    parsed,
    origin: got.origin,
    fetchedAt: got.fetchedAt,
    warnings,
  };
}

/**
 * The file when the library cannot be used: the expired cache entry, else the newest vintage in
 * the store, with a warning that names its vintage and age (none in offline mode, where using
 * what is on disk is what was asked). Undefined when neither exists.
 */
async function staleFrench(
  name: string,
  base: string,
  dir: string,
  options: FrenchOptions,
  error: Error,
): Promise<FrenchFile | undefined> {
  const url = libraryUrl(base, name);
  let file: FrenchFile;
  try {
    const got = await fetchCached(url, { ...options, offline: true }, FRENCH_TTL_MS, (bytes) => {
      parseBytes(bytes, url, unpackLimit(options));
    });
    file = parsedFile(name, url, got.body, options, "stale-cache", got.fetchedAt);
  } catch {
    const newest = (await storedFrenchVintages(dir, name)).at(-1);
    if (!newest) return undefined;
    const bytes = await Deno.readFile(newest.path);
    file = parsedFile(name, newest.path, bytes, options, "stale-store", newest.fetchedAt);
  }
  if (isOffline(options.offline)) {
    return { ...file, origin: file.origin === "stale-store" ? "store" : file.origin };
  }
  const fetchedAt = file.fetchedAt!;
  const warning = `${failureInWords(error, "the Ken French library")}; using the copy of ` +
    `"${name}" downloaded ${ageInWords(Date.now() - fetchedAt.getTime())} ago ` +
    `(${fetchedAt.toISOString().slice(0, 10)}), vintage ${file.parsed.vintage ?? "unknown"}. ` +
    `Newer data may exist: try again later, or pass { refresh: true } once the library answers.`;
  console.warn(`factorlab: ${warning}`);
  return { ...file, warnings: [warning] };
}

/**
 * A vintage asked for by name: from the store, else the library's current file if it is that
 * vintage; else {@link VintageNotFoundError} listing what is stored.
 */
async function chosenVintage(
  name: string,
  base: string,
  dir: string | undefined,
  options: FrenchOptions,
): Promise<FrenchFile> {
  const vintage = options.vintage!;
  if (!/^\d{6}$/.test(vintage)) {
    throw new InvalidArgumentError(
      `A vintage is written "YYYYMM" (e.g. "202412", the file's "YYYYMM CRSP database" line), ` +
        `not "${vintage}".`,
    );
  }
  const stored = dir === undefined ? [] : await storedFrenchVintages(dir, name);
  const hit = stored.find((v) => v.vintage === vintage);
  if (hit) {
    const bytes = await Deno.readFile(hit.path);
    return parsedFile(name, hit.path, bytes, options, "store", hit.fetchedAt);
  }
  // The library serves only its current file, which may be the vintage asked for.
  let current: FrenchFile | undefined;
  try {
    current = await downloadFrench(name, base, dir, options);
  } catch (error) {
    if (!isSourceFailure(error) || error instanceof UnknownDatasetError) throw error;
  }
  if (current?.parsed.vintage === vintage) return current;
  const now = dir === undefined ? stored : await storedFrenchVintages(dir, name);
  throw new VintageNotFoundError(name, vintage, now.map((v) => v.vintage), current?.parsed.vintage);
}

/**
 * Saves a Ken French dataset as the CSV file the library ships inside its zip, byte for byte,
 * for code that reads "the already downloaded CSV" (the blog's `pd.read_csv(..., skiprows=3)`).
 * The download goes through the cache and its retries; the file is written atomically.
 *
 * @param name dataset name ("F-F_Research_Data_Factors_daily") or a local .zip/.csv path
 * @param path where to write the CSV (its folder must exist)
 * @param options source, vintage, cache and HTTP options, as for {@link frenchDataset}
 * @returns the path written and the CSV's name inside the library's zip
 *
 * @example Save the daily factors from a local mirror folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { saveFrenchCsv } from "./french.ts";
 * const dir = await Deno.makeTempDir({ dir: "data" });
 * const saved = await saveFrenchCsv("F-F_Research_Data_Factors_daily", `${dir}/ff_daily.csv`, {
 *   source: "data/samples/french",
 *   vintage: "202412",
 * });
 * const text = await Deno.readTextFile(saved.path);
 * assert.ok(text.startsWith("This file was created by CMPT_ME_BEME_RETS_DAILY"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveFrenchCsv(
  name: string,
  path: string,
  options: FrenchOptions = {},
): Promise<{ path: string; member: string }> {
  const file = await frenchFile(name, options);
  const zipped = isZip(file.bytes);
  const csv = zipped ? unzipFrench(file.bytes, file.source, unpackLimit(options)) : undefined;
  await writeAtomic(path, csv ? csv.data : file.bytes);
  return { path, member: csv ? csv.name : file.name };
}

/**
 * Reads a dataset of Kenneth French's data library: every table with its title, frequency and a
 * polars frame (`period` + one column per series, returns in decimals by default), plus the
 * description. `nameOrPath` is a library name, downloaded from `{source}/ftp/{NAME}_CSV.zip`
 * through the cache, or a path to a .zip/.csv file already on disk.
 *
 * @param nameOrPath dataset name ("F-F_Research_Data_Factors") or local file path
 * @param options period filter, percent, source (URL or mirror folder), cache and HTTP options
 * @returns the dataset with all its tables
 *
 * @example Read a file already on disk
 * ```ts
 * import assert from "node:assert/strict";
 * import { frenchDataset } from "./french.ts";
 * const ff3 = await frenchDataset("data/samples/french/F-F_Research_Data_Factors_CSV_202412.zip", {
 *   start: "2010-01",
 *   end: "2020-12",
 * });
 * const monthly = ff3.tables[0];
 * assert.ok(monthly.frequency === "monthly" && monthly.frame.height === 132);
 * assert.ok(ff3.tables[1].title === "Annual Factors: January-December");
 * ```
 */
export async function frenchDataset(
  nameOrPath: string,
  options: FrenchOptions = {},
): Promise<FrenchDataset> {
  const { name, source, parsed, origin, fetchedAt, warnings } = await frenchFile(
    nameOrPath,
    options,
  );
  if (parsed.tables.length === 0) throw new DataFormatError(source, "no table found");
  return {
    name,
    description: parsed.description,
    tables: shapeTables(parsed, options),
    footer: parsed.footer,
    vintage: parsed.vintage,
    source,
    origin,
    fetchedAt,
    warnings,
  };
}
