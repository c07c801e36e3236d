/**
 * A strict reader of zip archives (the Ken French library ships every dataset as a zip holding
 * one CSV). Every byte that ends up in a table has been verified: the end-of-archive record and
 * the central directory must be where they say, the member's local header must agree with its
 * central entry (name, method, flags, CRC-32, sizes), its compressed data must end where the
 * archive says and unpack to exactly the declared size, and the CRC-32 of what was unpacked must
 * match. A damaged, truncated or padded archive fails with {@link CorruptZipError}; a member
 * declared larger than the limit fails with {@link SizeLimitError} before anything is unpacked.
 *
 * @module
 */

import zlib from "node:zlib";
import { CorruptZipError, SizeLimitError } from "./errors.ts";
import { DEFAULT_MAX_UNPACKED_BYTES } from "./limits.ts";

/** One file of a zip archive, unpacked and verified. */
export interface ZipMember {
  /** Its name in the archive. */
  name: string;
  /** Its bytes. */
  data: Uint8Array;
}

/** A central-directory entry: what the archive says about one member. */
interface CentralEntry {
  name: string;
  nameBytes: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;

/** Reads little-endian integers from the archive, refusing reads past its end. */
class Cursor {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly fail: (problem: string) => never) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(at: number, length: number, what: string): void {
    if (at < 0 || at + length > this.bytes.length) {
      this.fail(`${what} lies outside the archive (byte ${at} of ${this.bytes.length})`);
    }
  }
  u16(at: number): number {
    this.check(at, 2, "a header field");
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4, "a header field");
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    this.check(at, 8, "a header field");
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`a 64-bit size field is ${value}`);
    return Number(value);
  }
}

/**
 * Unpacks and verifies the first data member of a zip archive: the first one that is not a
 * folder or macOS metadata (`__MACOSX/`), or the first `accept` allows.
 *
 * @param bytes the archive
 * @param source names the archive in errors (file or URL)
 * @param maxUnpackedBytes the largest member accepted (default 256 MiB)
 * @returns the member's name and verified bytes
 *
 * @example Round trip through a zip made by fflate
 * ```ts
 * import assert from "node:assert/strict";
 * import { strToU8, zipSync } from "../deps/fflate.ts";
 * import { readZipMember } from "./zip.ts";
 * import { CorruptZipError } from "./errors.ts";
 * const zip = zipSync({ "a.csv": strToU8(",A\r\n202001, 1.00\r\n") });
 * assert.equal(new TextDecoder().decode(readZipMember(zip, "a.zip").data), ",A\r\n202001, 1.00\r\n");
 * const damaged = zip.slice();
 * damaged[40] ^= 1;
 * assert.throws(() => readZipMember(damaged, "a.zip"), CorruptZipError);
 * ```
 */
export function readZipMember(
  bytes: Uint8Array,
  source: string,
  maxUnpackedBytes: number = DEFAULT_MAX_UNPACKED_BYTES,
): ZipMember {
  const fail = (problem: string): never => {
    throw new CorruptZipError(
      source,
      `the zip archive is damaged or truncated: ${problem}. Download it again (option ` +
        `{ refresh: true }) or get a fresh copy of the file`,
    );
  };
  const cursor = new Cursor(bytes, fail);
  const directory = readDirectory(cursor, fail);
  const entry = directory.entries.find((e) =>
    !e.name.endsWith("/") && !e.name.startsWith("__MACOSX/")
  );
  if (entry === undefined) fail("it holds no file");
  const member = entry as CentralEntry;
  if (member.flags & 1) fail(`member ${member.name} is encrypted`);
  if (member.method !== 0 && member.method !== 8) {
    fail(`member ${member.name} uses compression method ${member.method}, not stored or deflate`);
  }
  if (member.size > maxUnpackedBytes) {
    throw new SizeLimitError(source, `member ${member.name}`, maxUnpackedBytes, "maxUnpackedBytes");
  }
  const { start, end } = checkLocalHeader(cursor, member, directory.centralStart, fail);
  const compressed = bytes.subarray(start, end);
  let data: Uint8Array;
  if (member.method === 0) {
    if (member.compressedSize !== member.size) {
      fail(`stored member ${member.name} has two different sizes`);
    }
    data = compressed.slice();
  } else {
    data = inflate(compressed, member, fail);
  }
  if (data.length !== member.size) {
    fail(`member ${member.name} unpacks to ${data.length} bytes, not the ${member.size} declared`);
  }
  const crc = zlib.crc32(data) >>> 0;
  if (crc !== member.crc) {
    fail(
      `the CRC-32 of member ${member.name} is ${hex(crc)}, not the ${hex(member.crc)} recorded`,
    );
  }
  return { name: member.name, data };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}

/** Unpacks a deflate stream that must use exactly its compressed bytes and no more output. */
function inflate(
  compressed: Uint8Array,
  member: CentralEntry,
  fail: (problem: string) => never,
): Uint8Array {
  let result: { buffer: Uint8Array; engine: { bytesWritten: number } };
  try {
    result = zlib.inflateRawSync(compressed, {
      info: true,
      maxOutputLength: Math.max(1, member.size),
    }) as unknown as { buffer: Uint8Array; engine: { bytesWritten: number } };
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    return fail(
      tooLarge
        ? `member ${member.name} unpacks to more than the ${member.size} bytes declared`
        : `the compressed data of member ${member.name} is invalid (${(error as Error).message})`,
    );
  }
  if (result.engine.bytesWritten !== compressed.length) {
    fail(
      `the compressed data of member ${member.name} ends after ${result.engine.bytesWritten} ` +
        `of its ${compressed.length} bytes`,
    );
  }
  const out = result.buffer;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Finds and reads the end-of-archive record and the central directory. */
function readDirectory(
  cursor: Cursor,
  fail: (problem: string) => never,
): { entries: CentralEntry[]; centralStart: number } {
  const bytes = cursor.bytes;
  if (bytes.length < 22) fail(`it is only ${bytes.length} bytes long`);
  // The record is 22 bytes plus a comment of up to 65535 bytes, which must end the file.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (cursor.u32(at) === EOCD && at + 22 + cursor.u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail("it has no end-of-archive record where one must be (its last bytes)");
  if (cursor.u16(eocd + 4) !== 0 || cursor.u16(eocd + 6) !== 0) {
    fail("it claims to span several disks");
  }
  let count = cursor.u16(eocd + 10);
  let size = cursor.u32(eocd + 12);
  let offset = cursor.u32(eocd + 16);
  let directoryEnd = eocd;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || cursor.u32(locator) !== ZIP64_LOCATOR) {
      fail("its end record points to a zip64 record that is not there");
    }
    const record = cursor.u64(locator + 8);
    if (record + 56 > locator || cursor.u32(record) !== ZIP64_EOCD) {
      fail("its zip64 end record is not where the locator says");
    }
    count = cursor.u64(record + 32);
    size = cursor.u64(record + 40);
    offset = cursor.u64(record + 48);
    directoryEnd = record;
  }
  if (cursor.u16(eocd + 8) !== cursor.u16(eocd + 10)) fail("its entry counts disagree");
  if (offset + size !== directoryEnd) {
    fail(
      `its central directory (${size} bytes at ${offset}) does not end where the end record ` +
        `starts (${directoryEnd})`,
    );
  }
  const entries: CentralEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (cursor.u32(at) !== CENTRAL) fail(`central directory entry ${i + 1} has no signature`);
    const nameLength = cursor.u16(at + 28);
    const extraLength = cursor.u16(at + 30);
    const commentLength = cursor.u16(at + 32);
    cursor.check(at + 46, nameLength + extraLength + commentLength, "a central entry");
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const entry: CentralEntry = {
      name: new TextDecoder().decode(nameBytes),
      nameBytes,
      flags: cursor.u16(at + 8),
      method: cursor.u16(at + 10),
      crc: cursor.u32(at + 16),
      compressedSize: cursor.u32(at + 20),
      size: cursor.u32(at + 24),
      localOffset: cursor.u32(at + 42),
    };
    applyZip64(cursor, at + 46 + nameLength, extraLength, entry, fail);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== offset + size) {
    fail(`its central directory holds ${at - offset} bytes of entries, not ${size}`);
  }
  return { entries, centralStart: offset };
}

/** Replaces the 32-bit fields marked 0xFFFFFFFF by their zip64 extra-field values. */
function applyZip64(
  cursor: Cursor,
  extraStart: number,
  extraLength: number,
  entry: CentralEntry,
  fail: (problem: string) => never,
): void {
  const wide = [entry.size, entry.compressedSize, entry.localOffset].some((v) => v === 0xffffffff);
  if (!wide) return;
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
    const id = cursor.u16(at);
    const length = cursor.u16(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + length) fail(`the zip64 sizes of ${entry.name} are incomplete`);
        const value = cursor.u64(field);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      return;
    }
    at += 4 + length;
  }
  fail(`member ${entry.name} has 32-bit size fields marked as zip64 but no zip64 sizes`);
}

/**
 * Checks that the local header of `entry` agrees with its central entry and that its data (and
 * data descriptor, when there is one) ends before the central directory; returns where the
 * compressed data lies.
 */
function checkLocalHeader(
  cursor: Cursor,
  entry: CentralEntry,
  centralStart: number,
  fail: (problem: string) => never,
): { start: number; end: number } {
  const at = entry.localOffset;
  if (at + 30 > centralStart || cursor.u32(at) !== LOCAL) {
    fail(`the local header of member ${entry.name} is not at byte ${at}`);
  }
  const flags = cursor.u16(at + 6);
  const method = cursor.u16(at + 8);
  const nameLength = cursor.u16(at + 26);
  const extraLength = cursor.u16(at + 28);
  const start = at + 30 + nameLength + extraLength;
  cursor.check(at + 30, nameLength + extraLength, "a local header");
  const name = cursor.bytes.subarray(at + 30, at + 30 + nameLength);
  if (!sameBytes(name, entry.nameBytes)) {
    fail(`the local header names ${new TextDecoder().decode(name)}, the directory ${entry.name}`);
  }
  if (method !== entry.method) {
    fail(
      `member ${entry.name} has method ${method} in its local header, ${entry.method} in the ` +
        `directory`,
    );
  }
  if ((flags & 0x0809) !== (entry.flags & 0x0809)) {
    fail(`member ${entry.name} has different flags in its local header and the directory`);
  }
  const end = start + entry.compressedSize;
  if (end > centralStart) {
    fail(
      `the ${entry.compressedSize} compressed bytes of member ${entry.name} run into the ` +
        `central directory`,
    );
  }
  const local = {
    crc: cursor.u32(at + 14),
    compressedSize: cursor.u32(at + 18),
    size: cursor.u32(at + 22),
  };
  if (flags & 0x0008) {
    // Sizes and CRC follow the data in a descriptor (signature optional, 32- or 64-bit sizes).
    let d = end;
    if (d + 4 <= centralStart && cursor.u32(d) === DESCRIPTOR) d += 4;
    const narrow = d + 12 <= centralStart &&
      cursor.u32(d) === entry.crc && cursor.u32(d + 4) === entry.compressedSize &&
      cursor.u32(d + 8) === entry.size;
    const wide = !narrow && d + 20 <= centralStart &&
      cursor.u32(d) === entry.crc && cursor.u64(d + 4) === entry.compressedSize &&
      cursor.u64(d + 12) === entry.size;
    if (!narrow && !wide) {
      fail(`the data descriptor of member ${entry.name} disagrees with the directory`);
    }
  }
  if (local.crc !== entry.crc && !(flags & 0x0008 && local.crc === 0)) {
    fail(
      `member ${entry.name} has CRC-32 ${hex(local.crc)} in its local header, ` +
        `${hex(entry.crc)} in the directory`,
    );
  }
  for (const field of ["compressedSize", "size"] as const) {
    // With a descriptor the local fields may be 0; with zip64 they are 0xFFFFFFFF.
    const unset = local[field] === 0xffffffff || (flags & 0x0008 && local[field] === 0);
    if (!unset && local[field] !== entry[field]) {
      fail(
        `member ${entry.name} has ${field === "size" ? "size" : "compressed size"} ` +
          `${local[field]} in its local header, ${entry[field]} in the directory`,
      );
    }
  }
  return { start, end };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
