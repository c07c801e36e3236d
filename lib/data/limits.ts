/**
 * Size limits of the data layer, and the readers that enforce them while data streams in, so
 * that an endless body, a compression bomb or a huge file fails with a {@link SizeLimitError}
 * before it fills memory.
 *
 * The defaults are generous for the largest real files: the Ken French library's biggest daily
 * zips are about 15 MB and unpack to under 60 MB; a century of daily Yahoo bars is under 2 MB.
 *
 * @module
 */

import { FactorlabDataError, InvalidArgumentError, SizeLimitError } from "./errors.ts";

/** Default largest download body, after HTTP decompression: 64 MiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES: number = 64 * 1024 * 1024;

/** Default largest unpacked file (a zip member, or a CSV file read from disk): 256 MiB. */
export const DEFAULT_MAX_UNPACKED_BYTES: number = 256 * 1024 * 1024;

/** Options that raise or lower the size limits. */
export interface SizeLimits {
  /**
   * Largest download accepted, in bytes, counted after HTTP decompression (default 64 MiB).
   * A larger body fails with {@link SizeLimitError} as soon as the limit is passed.
   */
  maxDownloadBytes?: number;
  /**
   * Largest file accepted after unpacking, in bytes: a zip member, or a data file read from
   * disk (default 256 MiB). Checked against the sizes the archive declares before unpacking.
   */
  maxUnpackedBytes?: number;
}

/**
 * The limit an option asks for, or the default; a limit that is not a positive whole number
 * is refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_DOWNLOAD_BYTES, limitOf } from "./limits.ts";
 * assert.equal(limitOf(undefined, DEFAULT_MAX_DOWNLOAD_BYTES, "maxDownloadBytes"), 64 * 1024 * 1024);
 * assert.throws(() => limitOf(-1, DEFAULT_MAX_DOWNLOAD_BYTES, "maxDownloadBytes"));
 * ```
 */
export function limitOf(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `{ ${option} } must be a positive whole number of bytes, not ${value}.`,
    );
  }
  return value;
}

/** The numeric download options that {@link checkHttpNumbers} checks. */
export interface HttpNumbers {
  /** Milliseconds before a request is abandoned. */
  timeoutMs?: number;
  /** Retry counts and delays. */
  retry?: {
    retries?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    jitter?: number;
    maxElapsedMs?: number;
  };
  /** Redirects followed at most. */
  maxRedirects?: number;
  /** Largest body accepted, bytes. */
  maxDownloadBytes?: number;
}

/**
 * Checks the numeric download options before any request: a timeout, retry count, delay or
 * redirect count that is not a finite number in range (NaN, negative, fractional counts, a
 * timeout beyond what timers allow) raises {@link InvalidArgumentError} naming the option,
 * instead of a TypeError from deep inside `fetch` or a retry loop that never ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkHttpNumbers } from "./limits.ts";
 * checkHttpNumbers({ timeoutMs: 5000, retry: { retries: 0 } });
 * assert.throws(() => checkHttpNumbers({ retry: { retries: NaN } }), /retry\.retries/);
 * ```
 */
export function checkHttpNumbers(options: HttpNumbers): void {
  const check = (
    value: unknown,
    option: string,
    min: number,
    whole: boolean,
    max = MAX_TIMER_MS,
  ) => {
    if (value === undefined) return;
    const ok = typeof value === "number" && Number.isFinite(value) && value >= min &&
      value <= max && (!whole || Number.isInteger(value));
    if (!ok) {
      throw new InvalidArgumentError(
        `{ ${option} } must be ${whole ? "a whole number" : "a number"} from ${min} to ` +
          `${max}, not ${String(value)}.`,
      );
    }
  };
  check(options.timeoutMs, "timeoutMs", 1, false);
  check(options.retry?.retries, "retry.retries", 0, true);
  check(options.retry?.baseDelayMs, "retry.baseDelayMs", 0, false);
  check(options.retry?.maxDelayMs, "retry.maxDelayMs", 0, false);
  check(options.retry?.jitter, "retry.jitter", 0, false, 1);
  check(options.retry?.maxElapsedMs, "retry.maxElapsedMs", 0, false, Number.MAX_SAFE_INTEGER);
  check(options.maxRedirects, "maxRedirects", 0, true);
  limitOf(options.maxDownloadBytes, DEFAULT_MAX_DOWNLOAD_BYTES, "maxDownloadBytes");
}

/** The longest delay a timer accepts (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads a stream to its end into one array, failing with {@link SizeLimitError} as soon as more
 * than `limit` bytes have arrived: the stream is cancelled and nothing beyond the limit is kept.
 * Chunks are gathered and copied once, so memory stays near the final size.
 *
 * @param stream the bytes (e.g. a response body)
 * @param limit the largest size accepted, in bytes
 * @param url names the source in the error
 * @param what names the data in the error ("the download")
 * @param option the option that raises the limit, named in the error
 * @returns every byte of the stream
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLimited } from "./limits.ts";
 * import { FactorlabDataError, InvalidArgumentError, SizeLimitError } from "./errors.ts";
 * const small = await readLimited(new Blob(["abc"]).stream(), 10, "memory:", "the body", "x");
 * assert.equal(new TextDecoder().decode(small), "abc");
 * await assert.rejects(
 *   () => readLimited(new Blob(["abcdef"]).stream(), 3, "memory:", "the body", "x"),
 *   SizeLimitError,
 * );
 * ```
 */
export async function readLimited(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  url: string,
  what: string,
  option: string,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new SizeLimitError(url, what, limit, option);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concatChunks(chunks, total);
}

/**
 * Reads a local file, refusing anything that is not a regular file (a FIFO or a device would
 * block or never end; it is checked before the file is opened) and a file larger than `limit`
 * (checked before reading and again while reading, so a file that grows is refused too).
 *
 * @param path the file
 * @param limit the largest size accepted, in bytes
 * @param option the option that raises the limit, named in the error
 * @returns the file's bytes
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFileLimited } from "./limits.ts";
 * const bytes = await readFileLimited("deno.json", 1 << 20, "maxUnpackedBytes");
 * assert.ok(new TextDecoder().decode(bytes).includes('"tasks"'));
 * ```
 */
export async function readFileLimited(
  path: string,
  limit: number,
  option: string,
): Promise<Uint8Array> {
  const info = await Deno.stat(path);
  if (!info.isFile) {
    throw new FactorlabDataError(
      `${path} is ${describeFileType(info)}, not a data file. Give the path of a file.`,
    );
  }
  const tooLarge = () => new SizeLimitError(path, "the file", limit, option);
  if (info.size > limit) throw tooLarge();
  const file = await Deno.open(path, { read: true });
  try {
    return await readOpenFile(file, limit, tooLarge);
  } finally {
    file.close();
  }
}

/**
 * The rest of an open file, at most `limit` bytes: reads in chunks and stops with `tooLarge()`
 * as soon as the file proves larger, whatever its size said when it was opened (it may grow).
 */
export async function readOpenFile(
  file: Deno.FsFile,
  limit: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(Math.min(1 << 20, limit + 1 - total));
    const n = await file.read(chunk);
    if (n === null) break;
    total += n;
    if (total > limit) throw tooLarge();
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  }
  return concatChunks(chunks, total);
}

/** The chunks joined into one array (the only chunk itself, uncopied). */
export function concatChunks(
  chunks: Uint8Array[],
  total: number = chunks.reduce((sum, chunk) => sum + chunk.length, 0),
): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * What kind of file system object `info` describes, in words ("a folder", "a FIFO").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeFileType } from "./limits.ts";
 * assert.equal(describeFileType(await Deno.stat(".")), "a folder");
 * ```
 */
export function describeFileType(info: Deno.FileInfo): string {
  if (info.isFile) return "a file";
  if (info.isDirectory) return "a folder";
  if (info.isSymlink) return "a symbolic link";
  if (info.isFifo) return "a FIFO (named pipe)";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  return "not a regular file";
}
