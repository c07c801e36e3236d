/**
 * One cache entry on disk: a single file `{key}.entry` holding a checksum line, the record (URL,
 * time, size, content type) and the downloaded bytes, written to a temporary file and renamed
 * over the entry. A reader opens the file once, so it sees one whole entry or none, whatever
 * other processes write meanwhile; an entry whose checksum, size or record does not hold is
 * "damaged" and is never deleted by a reader (a writer replaces it), so no race can delete a
 * valid entry. Nothing but a regular file is ever opened: a FIFO or a device where an entry
 * should be is reported, not read (reading a FIFO would block forever).
 *
 * Layout of an entry file (UTF-8 text lines, then bytes):
 *
 * ```text
 * factorlab-cache 1 <SHA-256 of everything after this line, hex>\n
 * {"url":…,"fetchedAt":…,"size":…,"contentType":…}\n
 * <size bytes of the body>
 * ```
 *
 * @module
 */

import { CacheError } from "./errors.ts";
import { concatChunks, describeFileType, readOpenFile } from "./limits.ts";

/** What the cache knows of a stored body. */
export interface CacheRecord {
  /** The URL the body was downloaded from. */
  url: string;
  /** When it was downloaded (ISO 8601). */
  fetchedAt: string;
  /** Length of the body in bytes. */
  size: number;
  /** Content-Type of the response. */
  contentType: string;
}

/** The outcome of reading an entry. */
export type EntryRead =
  | { kind: "ok"; record: CacheRecord; body: Uint8Array }
  | { kind: "missing" }
  | { kind: "damaged"; reason: string }
  | { kind: "unusable"; error: CacheError };

const MAGIC = "factorlab-cache 1 ";
/** The checksum line and the record are short; this bounds how much is read to find them. */
const MAX_HEADER = 65_536;

/**
 * SHA-256 of bytes, as lowercase hex.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "./cache_entry.ts";
 * assert.equal((await sha256Hex(new Uint8Array())).slice(0, 8), "e3b0c442");
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Why the cache folder `dir` cannot hold entries, or undefined when it can (or is absent). */
async function folderProblem(dir: string): Promise<CacheError | undefined> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      return new CacheError(dir, `it is ${describeFileType(info)}, not a folder`);
    }
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.NotCapable) throw error;
    return unreadable(dir, error);
  }
}

/** The error for a folder or entry that is there but cannot be read. */
function unreadable(path: string, error: unknown): CacheError {
  return new CacheError(path, `it cannot be read (${(error as Error).message})`, { cause: error });
}

/**
 * Reads the entry `key` of folder `dir` for `url`: "ok" with the record and body, "missing",
 * "damaged" (with the reason) or "unusable" (the folder or the entry's place cannot be used).
 * An entry larger than `maxBytes` plus its header is damaged and is not read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEntry, writeEntry } from "./cache_entry.ts";
 * const dir = await Deno.makeTempDir({ dir: "data" });
 * const body = new TextEncoder().encode("hello");
 * await writeEntry(dir, "k", { url: "u", fetchedAt: new Date().toISOString(), contentType: "" }, body);
 * const read = await readEntry(dir, "k", "u", 1 << 20);
 * assert.ok(read.kind === "ok" && new TextDecoder().decode(read.body) === "hello");
 * assert.equal((await readEntry(dir, "other", "u", 1 << 20)).kind, "missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readEntry(
  dir: string,
  key: string,
  url: string,
  maxBytes: number,
): Promise<EntryRead> {
  const path = `${dir}/${key}.entry`;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    // A device as the folder (/dev/null) is reported as such, even where Deno asks for more
    // permissions to look inside it.
    const folder = await folderProblem(dir);
    if (folder) return { kind: "unusable", error: folder };
    if (error instanceof Deno.errors.NotCapable) throw error;
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    return { kind: "unusable", error: unreadable(path, error) };
  }
  if (!info.isFile) {
    return {
      kind: "unusable",
      error: new CacheError(path, `it is ${describeFileType(info)} where a cache entry should be`),
    };
  }
  if (info.size > maxBytes + MAX_HEADER) {
    return { kind: "damaged", reason: `it is ${info.size} bytes, larger than any entry can be` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readWhole(path, maxBytes + MAX_HEADER);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    if (error instanceof Deno.errors.NotCapable) throw error;
    return { kind: "unusable", error: unreadable(path, error) };
  }
  return await decodeEntry(bytes, url);
}

/** Reads a regular file once (one open, so one version of it), at most `limit` bytes. */
async function readWhole(path: string, limit: number): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  try {
    const info = await file.stat();
    if (!info.isFile) throw new Deno.errors.InvalidData(`${path} is not a regular file`);
    return await readOpenFile(
      file,
      limit,
      () => new Deno.errors.InvalidData(`${path} is larger than ${limit} bytes`),
    );
  } finally {
    file.close();
  }
}

/** Checks an entry's checksum and record and splits off the body. */
async function decodeEntry(bytes: Uint8Array, url: string): Promise<EntryRead> {
  const firstBreak = bytes.subarray(0, MAX_HEADER).indexOf(10);
  const firstLine = firstBreak < 0 ? "" : new TextDecoder().decode(bytes.subarray(0, firstBreak));
  if (!firstLine.startsWith(MAGIC)) {
    return { kind: "damaged", reason: "it does not start like a cache entry" };
  }
  const rest = bytes.subarray(firstBreak + 1);
  if ((await sha256Hex(rest)) !== firstLine.slice(MAGIC.length)) {
    return { kind: "damaged", reason: "its checksum does not match its content" };
  }
  const secondBreak = rest.subarray(0, MAX_HEADER).indexOf(10);
  if (secondBreak < 0) return { kind: "damaged", reason: "it has no record" };
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder().decode(rest.subarray(0, secondBreak)));
  } catch {
    return { kind: "damaged", reason: "its record is not JSON" };
  }
  const body = rest.subarray(secondBreak + 1);
  const problem = recordProblem(record, url, body.length);
  if (problem !== undefined) return { kind: "damaged", reason: problem };
  return { kind: "ok", record: record as CacheRecord, body };
}

function recordProblem(record: unknown, url: string, size: number): string | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return "its record is not an object";
  }
  const r = record as Record<string, unknown>;
  if (r.url !== url) return "its record is for another URL";
  if (typeof r.fetchedAt !== "string" || Number.isNaN(Date.parse(r.fetchedAt))) {
    return "its record has no valid download time";
  }
  if (r.size !== size) return `its record says ${r.size} bytes but it holds ${size}`;
  if (typeof r.contentType !== "string") return "its record has no content type";
  return undefined;
}

/**
 * Stores `body` as the entry `key` of folder `dir` (created if needed): the whole entry is
 * written to a temporary file and renamed over the old one, so readers in other processes see
 * the old entry or the new one, never a mix. Fails with {@link CacheError} naming the folder.
 */
export async function writeEntry(
  dir: string,
  key: string,
  record: Omit<CacheRecord, "size">,
  body: Uint8Array,
): Promise<void> {
  const path = `${dir}/${key}.entry`;
  const full: CacheRecord = {
    url: record.url,
    fetchedAt: record.fetchedAt,
    size: body.length,
    contentType: record.contentType,
  };
  const recordLine = new TextEncoder().encode(`${JSON.stringify(full)}\n`);
  const rest = concatChunks([recordLine, body]);
  const head = new TextEncoder().encode(`${MAGIC}${await sha256Hex(rest)}\n`);
  const bytes = concatChunks([head, rest]);
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    const folder = await folderProblem(dir);
    if (folder) throw folder;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(temp, bytes);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    if (error instanceof CacheError || error instanceof Deno.errors.NotCapable) throw error;
    throw new CacheError(dir, `storing an entry failed (${(error as Error).message})`, {
      cause: error,
    });
  }
}
