/**
 * Parser of Ken French data-library CSV files: every table, its title and frequency, the
 * description above the first table, and the footer. Tolerates CRLF, LF and lone-CR line
 * endings (even mixed), cp1252 bytes, padded cells and headers, left-aligned keys, missing
 * trailing blank lines and copyright lines, and -99.99 / -999 missing-value markers.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "./polars.ts";
import { unzipSync } from "../deps/fflate.ts";
import { DataFormatError, UnexpectedContentError } from "./errors.ts";

/** Frequency of a table, read from its key width and spacing. */
export type Frequency = "daily" | "weekly" | "monthly" | "annual";

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
const DATA_ROW = /^\s*\d{4,8}\s*,/;
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

/**
 * Splits text into lines for any mix of CRLF, LF and lone CR. A lone CR inside a CRLF/LF file
 * separates title lines; an empty piece it leaves (a stray CR before a header) is dropped so it
 * does not cut a title from its table.
 */
function splitLines(text: string): string[] {
  if (!text.includes("\n")) return text.split("\r");
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.includes("\r")) {
      lines.push(line);
      continue;
    }
    for (const piece of line.split("\r")) if (piece.trim() !== "") lines.push(piece);
  }
  return lines;
}

function keyToPeriod(key: string): string {
  if (key.length === 8) return `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}`;
  if (key.length === 6) return `${key.slice(0, 4)}-${key.slice(4, 6)}`;
  return key;
}

function frequencyOf(keys: string[], source: string, line: number): Frequency {
  const width = keys[0].length;
  if (width === 4) return "annual";
  if (width === 6) return "monthly";
  if (width !== 8) {
    throw new DataFormatError(
      source,
      `date key "${keys[0]}" is not YYYY, YYYYMM or YYYYMMDD`,
      line,
    );
  }
  // Weekly and daily keys have the same width: tell them apart by the typical spacing.
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(keys.length, 60); i++) {
    const a = Date.UTC(
      +keys[i - 1].slice(0, 4),
      +keys[i - 1].slice(4, 6) - 1,
      +keys[i - 1].slice(6),
    );
    const b = Date.UTC(+keys[i].slice(0, 4), +keys[i].slice(4, 6) - 1, +keys[i].slice(6));
    gaps.push((b - a) / 86_400_000);
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

/**
 * Parses the text of a Ken French CSV file. Values stay as written (percent); scaling is the
 * caller's choice. `source` names the file in error messages.
 */
export function parseFrenchCsv(text: string, source = "Ken French CSV"): ParsedFrenchFile {
  const lines = splitLines(text);
  const tables: FrenchTable[] = [];
  const description: string[] = [];
  let pending: string[] = [];
  let trailing: string[] = [];
  let carried: string[] | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (carried || HEADER.test(line)) {
      if (tables.length === 0 && /^this file was created/i.test(pending[0] ?? "")) {
        // A preamble that runs into the first header is the description, not a title.
        description.push(...pending);
        pending = [];
      }
      const headerLine = i + 1;
      const names = carried ?? uniqueNames(line.split(",").slice(1), source, headerLine);
      if (!carried) i++;
      carried = undefined;
      const keys: string[] = [];
      const columns: (number | null)[][] = names.map(() => []);
      while (i < lines.length && DATA_ROW.test(lines[i])) {
        const cells = lines[i].split(",");
        const key = cells[0].trim();
        if (keys.length && key.length !== keys[0].length) {
          // Rows of another frequency right after a table (no title, no blank line) start a
          // new table under the same header.
          carried = names;
          break;
        }
        if (cells.length !== names.length + 1) {
          throw new DataFormatError(
            source,
            `row has ${cells.length - 1} values but the header names ${names.length} series`,
            i + 1,
          );
        }
        keys.push(key);
        for (let c = 0; c < names.length; c++) {
          const cell = cells[c + 1].trim();
          const value = cell === "" ? NaN : Number(cell);
          if (Number.isNaN(value) && cell !== "") {
            throw new DataFormatError(
              source,
              `"${cell}" in column ${names[c]} is not a number`,
              i + 1,
            );
          }
          columns[c].push(Number.isNaN(value) || MISSING_VALUES.includes(value) ? null : value);
        }
        i++;
      }
      if (keys.length === 0) {
        throw new DataFormatError(
          source,
          "a table header is not followed by any data row",
          headerLine,
        );
      }
      const frequency = frequencyOf(keys, source, headerLine);
      const titled = pending.length > 0;
      const title = titled ? pending.join(" ") : capitalize(frequency);
      const data: Record<string, unknown[]> = { period: keys.map(keyToPeriod) };
      names.forEach((name, c) => data[name] = columns[c]);
      const frame = pl.DataFrame(data).withColumns(
        ...names.map((name) => pl.col(name).cast(pl.Float64)),
      );
      const unit: TableUnit = !titled || RETURN_TITLE.test(title) ? "percent" : "value";
      tables.push({ title, frequency, unit, frame });
      pending = [];
      trailing = [];
      continue;
    }
    if (line.trim() === "") {
      if (tables.length === 0 && pending.length) description.push(...pending, "");
      else if (tables.length) trailing.push(...pending);
      pending = [];
    } else {
      pending.push(line.trim());
    }
    i++;
  }
  if (tables.length === 0) {
    const html = /^\s*</.test(text);
    throw new DataFormatError(
      source,
      html
        ? "it is an HTML page, not a Ken French CSV file"
        : 'no table header found (a line starting with a comma, e.g. ",Mkt-RF,SMB,HML,RF")',
    );
  }
  trailing.push(...pending);
  const vintage = /using the (\d{6}) (?:CRSP|Bloomberg)/i.exec(text)?.[1];
  return {
    description: description.join("\n").trim(),
    tables,
    footer: trailing.join("\n").trim(),
    vintage,
  };
}

/** Whether the bytes start like a zip archive ("PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 &&
    bytes[3] === 4;
}

/**
 * Opens a library zip and returns the bytes and name of its data file: the first member that is
 * not a folder or macOS metadata (the library ships exactly one CSV per zip, named `.CSV` or
 * `.csv` depending on the year).
 */
export function unzipFrench(bytes: Uint8Array, source: string): { name: string; data: Uint8Array } {
  if (!isZip(bytes)) {
    const head = new TextDecoder().decode(bytes.slice(0, 200)).trim();
    throw new UnexpectedContentError(
      source,
      "a zip archive",
      head.startsWith("<") ? "an HTML page" : `${bytes.length} bytes that are not a zip archive`,
    );
  }
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (file) => !file.name.endsWith("/") && !file.name.startsWith("__MACOSX/"),
    });
  } catch (error) {
    throw new DataFormatError(
      source,
      `the zip archive is damaged or truncated (${(error as Error).message}); ` +
        `download it again (option { refresh: true })`,
      undefined,
      { cause: error },
    );
  }
  const name = Object.keys(members)[0];
  if (name === undefined) throw new DataFormatError(source, "the zip archive holds no file");
  return { name, data: members[name] };
}
