/**
 * Parser of Ken French data-library CSV files: every table, its title and frequency, the
 * description above the first table, and the footer. Tolerates CRLF, LF and lone-CR line
 * endings (even mixed), cp1252 bytes, padded cells and headers, left-aligned keys, missing
 * trailing blank lines and copyright lines, and -99.99 / -999 missing-value markers.
 *
 * @module
 */

import { daysInMonth, type Frequency } from "./dates.ts";
import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import { DataFormatError, TruncatedDataError, UnexpectedContentError } from "./errors.ts";
import { DEFAULT_MAX_UNPACKED_BYTES } from "./limits.ts";
import { readZipMember } from "./zip.ts";

/**
 * What the numbers of a table are: returns in decimals (converted), returns in percent (as
 * written, with `{ percent: true }`), or other values that are never scaled (numbers of firms,
 * average market cap, BE/ME ratios…).
 */
export type TableUnit = "decimal" | "percent" | "value";

/** One table of a Ken French file. */
export interface FrenchTable {
  /**
   * The title written above the table ("Annual Factors: January-December", "Average Value
   * Weighted Returns -- Monthly", multi-line titles joined with spaces). A table without a title
   * (the first table of the factor files) is titled after its frequency: "Monthly", "Daily".
   */
  title: string;
  /** Frequency of the keys. */
  frequency: Frequency;
  /** Unit of the values. */
  unit: TableUnit;
  /** A `period` string column ("YYYY-MM-DD", "YYYY-MM" or "YYYY") and one Float64 column per series. */
  frame: DataFrame;
}

/** A parsed Ken French file. */
export interface ParsedFrenchFile {
  /** Text above the first table (the file's description), lines joined with "\n". */
  description: string;
  /** Every table in file order. */
  tables: FrenchTable[];
  /** Text after the last table (usually the copyright line), "" when absent. */
  footer: string;
  /** The CRSP/Bloomberg vintage "YYYYMM" read from the first line, when present. */
  vintage: string | undefined;
}

/** Values that the library uses to mark missing data. */
const MISSING_VALUES: readonly number[] = [-99.99, -999];

const HEADER = /^\s*,/;
/** A plain decimal as the library writes it: optional minus, digits, optional fraction. */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** A line that reads like a data row (a number, a comma, a number), wherever it is found. */
const ROW_LIKE = /^\s*[-+]?\d[\d.]*\s*,\s*[-+.\d]/;
const COPYRIGHT = /copyright/i;
/** Years a date key may name: the library's data start in 1926. */
const FIRST_YEAR = 1800;
const LAST_YEAR = 2199;
/**
 * Titles of tables holding percent returns ("Average Value Weighted Returns -- Monthly", "Annual
 * Factors: January-December"); untitled tables (the factor files' main table) hold returns too.
 * Any other title (numbers of firms, "Average Market Cap", "Average Firm Size", "Sum of BE / Sum
 * of ME", BE/ME, OP and investment averages) holds values that are never scaled.
 */
const RETURN_TITLE = /\breturns?\b|\bfactors?\b/i;

/**
 * Decodes file bytes: UTF-8 when valid, else Windows-1252 (the library's files are ASCII, but
 * copies edited on Windows carry cp1252 smart quotes). A UTF-8 BOM is dropped.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A line of the file and its 1-based number as an editor shows it. */
interface Line {
  text: string;
  number: number;
}

/**
 * Splits text into lines for any mix of CRLF, LF and lone CR. A lone CR inside a CRLF/LF file
 * separates title lines; an empty piece it leaves (a stray CR before a header) is dropped so it
 * does not cut a title from its table. `terminated` tells whether the last line has its line
 * break: a file cut short usually does not.
 */
function splitLines(text: string): { lines: Line[]; terminated: boolean } {
  const lines: Line[] = [];
  if (!text.includes("\n")) {
    const pieces = text.split("\r");
    const terminated = pieces[pieces.length - 1] === "";
    if (terminated) pieces.pop();
    pieces.forEach((piece, i) => lines.push({ text: piece, number: i + 1 }));
    return { lines, terminated };
  }
  const physical = text.split(/\r?\n/);
  const terminated = physical[physical.length - 1] === "";
  if (terminated) physical.pop();
  physical.forEach((line, i) => {
    if (!line.includes("\r")) {
      lines.push({ text: line, number: i + 1 });
      return;
    }
    for (const piece of line.split("\r")) {
      if (piece.trim() !== "") lines.push({ text: piece, number: i + 1 });
    }
  });
  return { lines, terminated };
}

function keyToPeriod(key: string): string {
  if (key.length === 8) return `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}`;
  if (key.length === 6) return `${key.slice(0, 4)}-${key.slice(4, 6)}`;
  return key;
}

const WIDTH_NAMES: Record<number, string> = {
  4: "annual (YYYY)",
  6: "monthly (YYYYMM)",
  8: "daily or weekly (YYYYMMDD)",
};

/** Why a date key is not a real date of a supported width, or undefined when it is one. */
function keyProblem(key: string): string | undefined {
  if (!/^\d+$/.test(key)) {
    return `the date key ${JSON.stringify(key)} is not a date (YYYY, YYYYMM or YYYYMMDD)`;
  }
  if (!(key.length in WIDTH_NAMES)) {
    return `the date key "${key}" has ${key.length} digits; keys are YYYY, YYYYMM or YYYYMMDD`;
  }
  const year = +key.slice(0, 4);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    return `the date key "${key}" names the year ${year}, outside ${FIRST_YEAR}-${LAST_YEAR}`;
  }
  if (key.length >= 6) {
    const month = +key.slice(4, 6);
    if (month < 1 || month > 12) return `the date key "${key}" names the month ${month}`;
    if (key.length === 8) {
      const day = +key.slice(6, 8);
      if (day < 1 || day > daysInMonth(year, month)) {
        return `the date key "${key}" names the day ${day} of a month of ` +
          `${daysInMonth(year, month)} days`;
      }
    }
  }
  return undefined;
}

function frequencyOf(keys: string[]): Frequency {
  const width = keys[0].length;
  if (width === 4) return "annual";
  if (width === 6) return "monthly";
  // Weekly and daily keys have the same width: tell them apart by the typical spacing.
  const day = (key: string) => Date.UTC(+key.slice(0, 4), +key.slice(4, 6) - 1, +key.slice(6));
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(keys.length, 60); i++) {
    gaps.push((day(keys[i]) - day(keys[i - 1])) / 86_400_000);
  }
  gaps.sort((x, y) => x - y);
  const median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 1;
  return median >= 5 ? "weekly" : "daily";
}

function uniqueNames(cells: string[], source: string, line: number): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const name = raw.trim() || `column_${i + 1}`;
    if (name === "period") {
      throw new DataFormatError(source, `a series is named "period", which is reserved`, line);
    }
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count + 1}`;
  });
}

function capitalize(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

/** A cell's text as it can be shown in a message, control characters escaped. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** What the end-of-file checks need to know of the last table. */
interface LastTable {
  keys: string[];
  title: string;
  frequency: Frequency;
  lastLine: number;
}

/** The rows of one table, read and checked line by line. */
interface TableRows {
  keys: string[];
  columns: (number | null)[][];
  /** Line number of the last row. */
  lastLine: number;
}

/**
 * Reads the data rows that follow a header, up to the first blank line or the end of the file.
 * Every line in between must be a complete row: a valid date key of the table's width, later
 * than the row before, and one plain decimal per series.
 */
function readRows(
  lines: Line[],
  from: number,
  names: string[],
  source: string,
): { rows: TableRows; next: number } {
  const latest = latestKey();
  const keys: string[] = [];
  const columns: (number | null)[][] = names.map(() => []);
  let i = from;
  for (; i < lines.length && lines[i].text.trim() !== ""; i++) {
    const { text, number } = lines[i];
    const cells = text.split(",");
    const key = cells[0].trim();
    if (HEADER.test(text)) {
      throw new DataFormatError(
        source,
        "a table header right after data rows: tables are separated by a blank line and a title",
        number,
      );
    }
    const problem = keyProblem(key);
    if (problem !== undefined) {
      throw new DataFormatError(
        source,
        `${problem}. The line may be damaged: download the file again`,
        number,
        { key },
      );
    }
    const previous = keys[keys.length - 1];
    if (previous !== undefined && key.length !== previous.length) {
      throw new DataFormatError(
        source,
        `the key "${key}" is ${WIDTH_NAMES[key.length]} but the rows above are ` +
          `${WIDTH_NAMES[previous.length]}: one table holds one frequency, and tables are ` +
          `separated by a blank line and a title`,
        number,
        { key },
      );
    }
    if (previous !== undefined && key <= previous) {
      throw new DataFormatError(
        source,
        key === previous
          ? `the date ${key} appears twice in one table`
          : `the date ${key} comes after ${previous}: rows must be in increasing date order`,
        number,
        { key },
      );
    }
    if (key > latest) {
      throw new DataFormatError(
        source,
        `the date ${key} is in the future; the key may be damaged: download the file again`,
        number,
        { key },
      );
    }
    if (cells.length !== names.length + 1) {
      throw new DataFormatError(
        source,
        `row has ${cells.length - 1} values but the header names ${names.length} series` +
          (i === lines.length - 1 ? "; the file may have been cut short" : ""),
        number,
        { key },
      );
    }
    keys.push(key);
    for (let c = 0; c < names.length; c++) {
      const cell = cells[c + 1].trim();
      const value = PLAIN_DECIMAL.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(value)) {
        throw new DataFormatError(
          source,
          cell === ""
            ? `the value in column ${names[c]} is empty (the library marks missing values ` +
              `with -99.99 or -999)`
            : `${shown(cell)} in column ${names[c]} is not a number written as a plain decimal`,
          number,
          { key },
        );
      }
      columns[c].push(MISSING_VALUES.includes(value) ? null : value);
    }
  }
  return { rows: { keys, columns, lastLine: lines[i - 1]?.number ?? 0 }, next: i };
}

/**
 * Tomorrow in UTC as YYYYMMDD (no time zone is a day ahead of it): data cannot be dated later.
 * Shorter keys compare with it as prefixes: "2026" and "202612" are not after "20261208".
 */
function latestKey(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
}

/**
 * Whether the last table reaches the end of the data the file was built from: the vintage month
 * (monthly), its year or the year before when the vintage is not a December (annual), or the
 * last days of the vintage month (daily and weekly: the last trading day may fall up to a long
 * weekend plus a holiday before the month's end).
 */
function reachesVintage(key: string, frequency: Frequency, vintage: string): boolean {
  if (key.length === 6) return key === vintage;
  const year = +vintage.slice(0, 4);
  if (key.length === 4) {
    return +key === year || (+key === year - 1 && !vintage.endsWith("12"));
  }
  const last = daysInMonth(year, +vintage.slice(4, 6));
  return key.slice(0, 6) === vintage && +key.slice(6) >= last - (frequency === "weekly" ? 10 : 5);
}

/**
 * Parses the text of a Ken French CSV file. Values stay as written (percent); scaling is the
 * caller's choice. `source` names the file in error messages.
 *
 * The file is read exactly or refused with a {@link DataFormatError} naming the line and row:
 * a table ends only at a blank line or the end of the file, every line inside it must be a
 * complete row (a real date key of the table's width, later than the row before, one plain
 * decimal per series; -99.99 and -999 are missing values), and a file that ends inside a row,
 * with a title without its table, or (without a copyright line) before the data it says it
 * holds is refused as cut short ({@link TruncatedDataError}).
 */
export function parseFrenchCsv(text: string, source = "Ken French CSV"): ParsedFrenchFile {
  const { lines, terminated } = splitLines(text);
  const vintage = /using the (\d{6}) (?:CRSP|Bloomberg)/i.exec(text)?.[1];
  const validVintage = vintage !== undefined && keyProblem(vintage) === undefined
    ? vintage
    : undefined;
  const tables: FrenchTable[] = [];
  const description: string[] = [];
  let pending: string[] = [];
  let trailing: Line[] = [];
  let lastTable: LastTable | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (HEADER.test(line.text)) {
      if (tables.length === 0 && /^this file was created/i.test(pending[0] ?? "")) {
        // A preamble that runs into the first header is the description, not a title.
        for (const text of pending) description.push(text);
        pending = [];
      }
      const headerLine = line.number;
      const names = uniqueNames(line.text.split(",").slice(1), source, headerLine);
      const first = lines[i + 1];
      if (first === undefined || first.text.trim() === "") {
        throw new DataFormatError(
          source,
          "a table header is not followed by any data row",
          headerLine,
        );
      }
      const { rows, next } = readRows(lines, i + 1, names, source);
      const frequency = frequencyOf(rows.keys);
      const titled = pending.length > 0;
      const title = titled ? pending.join(" ") : capitalize(frequency);
      const data: Record<string, unknown[]> = { period: rows.keys.map(keyToPeriod) };
      names.forEach((name, c) => data[name] = rows.columns[c]);
      const frame = pl.DataFrame(data).withColumns(
        ...names.map((name) => pl.col(name).cast(pl.Float64)),
      );
      const unit: TableUnit = !titled || RETURN_TITLE.test(title) ? "percent" : "value";
      tables.push({ title, frequency, unit, frame });
      lastTable = { keys: rows.keys, title, frequency, lastLine: rows.lastLine };
      pending = [];
      trailing = [];
      i = next;
      checkAfterTable(lines, i, source);
      continue;
    }
    if (ROW_LIKE.test(line.text)) {
      throw new DataFormatError(
        source,
        tables.length === 0
          ? "a data row before any table header (a line starting with a comma); the header " +
            "may be damaged"
          : "a data row outside any table: a blank line or a damaged line above it has cut it " +
            "from its table",
        line.number,
        { key: line.text.split(",")[0].trim() },
      );
    }
    if (line.text.trim() === "") {
      if (tables.length === 0 && pending.length) {
        for (const text of pending) description.push(text);
        description.push("");
      }
      pending = [];
    } else {
      pending.push(line.text.trim());
    }
    if (tables.length) trailing.push(line);
    i++;
  }
  if (tables.length === 0 || lastTable === undefined) {
    const html = /^\s*</.test(text);
    throw new DataFormatError(
      source,
      html
        ? "it is an HTML page, not a Ken French CSV file"
        : 'no table header found (a line starting with a comma, e.g. ",Mkt-RF,SMB,HML,RF")',
    );
  }
  const footer = checkEnd(lastTable, trailing, terminated, validVintage, source);
  return {
    description: description.join("\n").trim(),
    tables,
    footer,
    vintage,
  };
}

/**
 * A table ends at a blank line; rows after the blank lines that follow it would be rows cut
 * from it, which is an error (and not a new table without a header).
 */
function checkAfterTable(lines: Line[], at: number, source: string): void {
  let next = at;
  while (next < lines.length && lines[next].text.trim() === "") next++;
  if (next > at && next < lines.length && ROW_LIKE.test(lines[next].text)) {
    throw new DataFormatError(
      source,
      `a blank line (line ${lines[at].number}) inside a table: rows continue after it. ` +
        `The file may be damaged: download it again`,
      lines[next].number,
      { key: lines[next].text.split(",")[0].trim() },
    );
  }
}

/**
 * Checks how the file ends and returns its footer. A complete file ends with its last row's
 * line break, or with a copyright line after blank lines. Anything else (a row without its line
 * break, a title without its table, blank lines and no copyright line) is a file cut short; so
 * is a file without a copyright line whose last table stops before the vintage it was built from.
 */
function checkEnd(
  last: LastTable,
  trailing: Line[],
  terminated: boolean,
  vintage: string | undefined,
  source: string,
): string {
  const lastKey = last.keys[last.keys.length - 1];
  const cut = (problem: string, line: number, key?: string): never => {
    throw new TruncatedDataError(
      source,
      `${problem}; the file was cut short (an interrupted download or copy). Download it ` +
        `again, or restore the complete file`,
      line,
      key === undefined ? undefined : { key },
    );
  };
  if (trailing.length === 0 && !terminated) {
    cut("the file ends inside its last row, without a line break after it", last.lastLine, lastKey);
  }
  const firstText = trailing.findIndex((line) => line.text.trim() !== "");
  if (firstText >= 0) {
    const line = trailing[firstText];
    if (!COPYRIGHT.test(line.text)) {
      cut(
        `after the last table comes ${shown(line.text.trim())}, which is neither a table nor ` +
          `the copyright line (a title whose table is missing?)`,
        line.number,
      );
    }
    return trailing.slice(firstText).map((line) => line.text.trim()).join("\n").trim();
  }
  if (trailing.length > 0) {
    cut(
      "the file ends with blank lines after its last table but no copyright line (a table " +
        "or the copyright line is missing after them)",
      trailing[trailing.length - 1].number,
    );
  }
  if (vintage !== undefined && !reachesVintage(lastKey, last.frequency, vintage)) {
    cut(
      `its last table ("${last.title}") stops at ${keyToPeriod(lastKey)} although the file ` +
        `says it was built from the ${vintage} database, and no copyright line follows`,
      last.lastLine,
      lastKey,
    );
  }
  return "";
}

/** Whether the bytes start like a zip archive ("PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 &&
    bytes[3] === 4;
}

/**
 * Opens a library zip and returns the bytes and name of its data file: the first member that is
 * not a folder or macOS metadata (the library ships exactly one CSV per zip, named `.CSV` or
 * `.csv` depending on the year), verified against the archive's CRC-32 and sizes (see
 * {@link readZipMember}).
 */
export function unzipFrench(
  bytes: Uint8Array,
  source: string,
  maxUnpackedBytes: number = DEFAULT_MAX_UNPACKED_BYTES,
): { name: string; data: Uint8Array } {
  if (!isZip(bytes)) {
    const head = new TextDecoder().decode(bytes.slice(0, 200)).trim();
    throw new UnexpectedContentError(
      source,
      "a zip archive",
      head.startsWith("<") ? "an HTML page" : `${bytes.length} bytes that are not a zip archive`,
    );
  }
  return readZipMember(bytes, source, maxUnpackedBytes);
}
