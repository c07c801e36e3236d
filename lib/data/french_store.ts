/**
 * The Ken French part of the local store: every vintage of every library file downloaded, kept
 * as the library's zip with when and where it was downloaded, so that results can name the
 * vintage they used, an older vintage can be asked for, and a failing library falls back to the
 * newest vintage on disk.
 *
 * Layout: `{store}/french/{NAME}/{YYYYMM}.zip` (or `.csv` when the source served the bare CSV)
 * and `{YYYYMM}.json` (`file`, `url`, `fetchedAt`, `sha256`, `size`).
 *
 * @module
 */

import { writeAtomic } from "../files.ts";
import { sha256Hex } from "./cache_entry.ts";
import { FactorlabDataError } from "./errors.ts";
import { isZip } from "./french_parse.ts";

/** One stored vintage of a Ken French file. */
export interface StoredVintage {
  /** The database vintage "YYYYMM" the file says it was built from. */
  vintage: string;
  /** The zip on disk. */
  path: string;
  /** Where it was downloaded from. */
  url: string;
  /** When it was downloaded. */
  fetchedAt: Date;
}

interface VintageRecord {
  file: string;
  url: string;
  fetchedAt: string;
  size: number;
  sha256: string;
}

const VINTAGE = /^\d{6}$/;

function folderOf(dir: string, name: string): string {
  return `${dir}/french/${name}`;
}

/**
 * Keeps a downloaded file under its vintage. A vintage already stored is replaced (the library
 * sometimes corrects a file within a month; the latest download of a vintage wins).
 */
export async function storeFrenchVintage(
  dir: string,
  name: string,
  vintage: string,
  bytes: Uint8Array,
  url: string,
  fetchedAt: Date,
): Promise<void> {
  if (!VINTAGE.test(vintage)) return;
  const folder = folderOf(dir, name);
  try {
    await Deno.mkdir(folder, { recursive: true });
    const file = `${vintage}.${isZip(bytes) ? "zip" : "csv"}`;
    const record: VintageRecord = {
      file,
      url,
      fetchedAt: fetchedAt.toISOString(),
      size: bytes.length,
      sha256: await sha256Hex(bytes),
    };
    // The data goes first: a record only ever points at a complete file.
    await writeAtomic(`${folder}/${file}`, bytes);
    await writeAtomic(`${folder}/${vintage}.json`, JSON.stringify(record));
  } catch (error) {
    throw new FactorlabDataError(
      `Downloaded ${url} but could not keep vintage ${vintage} of "${name}" in the store ` +
        `folder ${folder}: ${(error as Error).message}. Check that the folder is writable, ` +
        `choose another with FACTORLAB_STORE_DIR or { storeDir }, or pass { cache: false }.`,
      { cause: error },
    );
  }
}

/** Whether vintage `vintage` of `name` is in the store (its record at least). */
export async function hasFrenchVintage(
  dir: string,
  name: string,
  vintage: string,
): Promise<boolean> {
  try {
    return (await Deno.stat(`${folderOf(dir, name)}/${vintage}.json`)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The vintages of `name` in the store, oldest first; damaged entries are left out. */
export async function storedFrenchVintages(dir: string, name: string): Promise<StoredVintage[]> {
  const folder = folderOf(dir, name);
  const found: StoredVintage[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) {
      const match = /^(\d{6})\.json$/.exec(entry.name);
      if (!entry.isFile || !match) continue;
      const stored = await readVintage(folder, match[1]);
      if (stored) found.push(stored);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return found.sort((a, b) => a.vintage.localeCompare(b.vintage));
}

async function readVintage(folder: string, vintage: string): Promise<StoredVintage | undefined> {
  try {
    const record = JSON.parse(
      await Deno.readTextFile(`${folder}/${vintage}.json`),
    ) as VintageRecord;
    if (!/^\d{6}\.(zip|csv)$/.test(record.file)) return undefined;
    const path = `${folder}/${record.file}`;
    const bytes = await Deno.readFile(path);
    // A file that does not match its record (cut short, edited) is not served.
    if (bytes.length !== record.size || await sha256Hex(bytes) !== record.sha256) return undefined;
    return { vintage, path, url: record.url, fetchedAt: new Date(record.fetchedAt) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
    throw error;
  }
}
