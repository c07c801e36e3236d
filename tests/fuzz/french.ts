/**
 * Ken French inputs: mutations of the real sample files (CSV text and zip bytes) and a very long
 * generated file, each parsed and checked against an oracle that reads the mutated text itself.
 *
 * @module
 */

import { type ParsedFrenchFile, parseFrenchCsv, unzipFrench } from "../../lib/data/french_parse.ts";
import { attempt, OK, type Rng, type Tally, type Verdict } from "./core.ts";

/** A sample zip and the CSV inside it. */
export interface FrenchSample {
  name: string;
  zip: Uint8Array;
  csv: Uint8Array;
  text: string;
  parsed: ParsedFrenchFile;
}

/** Reads sample zips from data/samples/french (all, or those whose name matches `only`). */
export async function loadFrenchSamples(only?: RegExp): Promise<FrenchSample[]> {
  const samples: FrenchSample[] = [];
  const dir = "data/samples/french";
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".zip") && (only === undefined || only.test(entry.name))) {
      names.push(entry.name);
    }
  }
  for (const name of names.sort()) {
    const zip = await Deno.readFile(`${dir}/${name}`);
    const csv = unzipFrench(zip, name).data;
    const text = new TextDecoder().decode(csv);
    samples.push({ name, zip, csv, text, parsed: parseFrenchCsv(text, name) });
  }
  return samples;
}

interface Row {
  key: string;
  values: (number | null)[];
}

/** The rows a file holds, read without the parser: every line whose first cell is digits. */
function referenceRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const cells = line.split(",");
    if (cells.length < 2 || !/^\s*\d+\s*$/.test(cells[0])) continue;
    rows.push({
      key: cells[0].trim(),
      values: cells.slice(1).map((cell) => {
        const value = cell.trim() === "" ? NaN : Number(cell.trim());
        return value === -99.99 || value === -999 ? null : value;
      }),
    });
  }
  return rows;
}

function parsedRows(parsed: ParsedFrenchFile): Row[] {
  const rows: Row[] = [];
  for (const table of parsed.tables) {
    const periods = table.frame.getColumn("period").toArray() as string[];
    const columns = table.frame.columns.filter((c) => c !== "period").map((c) =>
      table.frame.getColumn(c).toArray() as (number | null)[]
    );
    periods.forEach((period, i) => {
      rows.push({ key: period.replaceAll("-", ""), values: columns.map((col) => col[i]) });
    });
  }
  return rows;
}

/** Compares what the parser accepted with what the text holds, row by row. */
export function checkAgainstText(parsed: ParsedFrenchFile, text: string): Verdict {
  const expected = referenceRows(text);
  const got = parsedRows(parsed);
  const n = Math.min(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const g = got[i];
    if (e.key !== g.key) return { wrong: `row ${i + 1} is keyed ${g.key}, the file says ${e.key}` };
    if (e.values.length !== g.values.length) {
      return { wrong: `row ${e.key} has ${g.values.length} values, the file ${e.values.length}` };
    }
    for (let c = 0; c < e.values.length; c++) {
      if (!Object.is(e.values[c], g.values[c])) {
        return {
          wrong: `row ${e.key} column ${c + 1} read as ${g.values[c]}, written ${e.values[c]}`,
        };
      }
    }
  }
  if (got.length < expected.length) {
    return { loss: `${got.length} rows read of the ${expected.length} in the file` };
  }
  if (got.length > expected.length) {
    return { wrong: `${got.length - expected.length} rows invented` };
  }
  return OK;
}

/** Whether two parses hold the same tables (titles, frequencies, keys and values). */
export function sameTables(a: ParsedFrenchFile, b: ParsedFrenchFile): Verdict {
  if (a.tables.length !== b.tables.length) {
    return { loss: `${a.tables.length} tables instead of ${b.tables.length}` };
  }
  for (let t = 0; t < a.tables.length; t++) {
    const x = a.tables[t];
    const y = b.tables[t];
    if (x.title !== y.title || x.frequency !== y.frequency) {
      return { wrong: `table ${t + 1} is "${x.title}" (${x.frequency}), not "${y.title}"` };
    }
    if (x.frame.height < y.frame.height) {
      return { loss: `table ${t + 1} has ${x.frame.height} of ${y.frame.height} rows` };
    }
    if (!x.frame.frameEqual(y.frame, true)) return { wrong: `table ${t + 1} differs` };
  }
  return OK;
}

const HOSTILE_CHARS = [
  "0",
  "1",
  "9",
  ",",
  ".",
  "-",
  "+",
  "\r",
  "\n",
  " ",
  "e",
  "x",
  "\t",
  "\u0000",
  "\u001a",
  "A",
  "\u00a0",
];
const HOSTILE_CELLS = ["1e999", "0x1A", "NaN", "Infinity", "1,5", "", "-", ".5", "5.", "1e3", "٣"];
const HOSTILE_KEYS = ["196013", "20203109", "19,003", "0x1A", "196000", "2026", "99991231", "1960"];

/** A mutation of a CSV text, and whether the oracle is the mutated text or the original file. */
interface TextMutation {
  label: string;
  text: string;
  /** "text": the mutated text is the truth; "original": it must read as the original or fail. */
  truth: "text" | "original";
  /** A neutral variant of a valid file: refusing it loses the file. */
  mustAccept?: boolean;
}

function mutateText(text: string, rng: Rng): TextMutation {
  const lines = text.split(/(?<=\n)/);
  const dataLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*\d+\s*,/.test(l));
  const row = () => rng.pick(dataLines)[1];
  const at = rng.int(text.length);
  switch (rng.int(12)) {
    case 0: {
      const c = rng.pick(HOSTILE_CHARS);
      return {
        label: `byte ${at} := ${JSON.stringify(c)}`,
        text: text.slice(0, at) + c + text.slice(at + 1),
        truth: "text",
      };
    }
    case 1:
      return {
        label: `byte ${at} deleted`,
        text: text.slice(0, at) + text.slice(at + 1),
        truth: "text",
      };
    case 2: {
      const c = rng.pick(HOSTILE_CHARS);
      return {
        label: `${JSON.stringify(c)} inserted at ${at}`,
        text: text.slice(0, at) + c + text.slice(at),
        truth: "text",
      };
    }
    case 3:
      return { label: `cut at byte ${at}`, text: text.slice(0, at), truth: "original" };
    case 4: {
      // Cut just after a line break inside the data: whole rows missing.
      const i = row();
      return {
        label: `cut after line ${i}`,
        text: lines.slice(0, i).join(""),
        truth: "original",
      };
    }
    case 5: {
      const i = row();
      const copy = lines.slice();
      copy.splice(i, 0, lines[i]);
      return { label: `line ${i + 1} repeated`, text: copy.join(""), truth: "text" };
    }
    case 6: {
      const i = row();
      const copy = lines.slice();
      [copy[i], copy[i + 1]] = [copy[i + 1] ?? "", copy[i]];
      return { label: `lines ${i + 1} and ${i + 2} swapped`, text: copy.join(""), truth: "text" };
    }
    case 7: {
      const i = row();
      const copy = lines.slice();
      copy.splice(i, 0, rng.pick(["\n", "\r\n", "\r", " \n", ",\n"]));
      return {
        label: `blank or stray line before line ${i + 1}`,
        text: copy.join(""),
        truth: "text",
      };
    }
    case 8: {
      const i = row();
      const cells = lines[i].split(",");
      cells[0] = rng.pick(HOSTILE_KEYS);
      const copy = lines.slice();
      copy[i] = cells.join(",");
      return { label: `key of line ${i + 1} := ${cells[0]}`, text: copy.join(""), truth: "text" };
    }
    case 9: {
      const i = row();
      const cells = lines[i].replace(/\r?\n$/, "").split(",");
      const c = 1 + rng.int(cells.length - 1);
      cells[c] = rng.pick(HOSTILE_CELLS);
      const copy = lines.slice();
      copy[i] = cells.join(",") + lines[i].slice(lines[i].search(/\r?\n$/) >>> 0);
      return {
        label: `cell ${c} of line ${i + 1} := ${cells[c]}`,
        text: copy.join(""),
        truth: "text",
      };
    }
    case 10: {
      const i = row();
      const copy = lines.slice();
      copy.splice(i, 1);
      return { label: `line ${i + 1} deleted`, text: copy.join(""), truth: "text" };
    }
    default: {
      // Line-ending, BOM and padding variants: the file must read exactly as the original.
      // A file with lone CRs of its own (titles) is not the same file with CR line ends.
      const picked = rng.int(4);
      const variant = picked === 2 && /\r(?!\n)/.test(text) ? 1 : picked;
      const body = text.replace(/\r?\n/g, ["\r\n", "\n", "\r", "\n"][variant]);
      return {
        label: ["CRLF", "LF", "CR", "BOM"][variant] + " variant",
        text: variant === 3 ? "\ufeff" + body : body,
        truth: "original",
        mustAccept: true,
      };
    }
  }
}

/** Mutations of the CSV text of each sample, parsed and checked. */
export async function fuzzFrenchCsv(
  t: Tally,
  samples: FrenchSample[],
  rng: Rng,
  perSample: number,
  limitMs: number,
): Promise<void> {
  for (const sample of samples) {
    for (let n = 0; n < perSample; n++) {
      const mutation = mutateText(sample.text, rng);
      await attempt(t, `${sample.name}: ${mutation.label}`, () => {
        let parsed;
        try {
          parsed = parseFrenchCsv(mutation.text, sample.name);
        } catch (error) {
          if (!mutation.mustAccept) throw error;
          return { loss: `a neutral variant was refused: ${(error as Error).message}` };
        }
        return mutation.truth === "original"
          ? sameTables(parsed, sample.parsed)
          : checkAgainstText(parsed, mutation.text);
      }, limitMs);
    }
  }
}

/** A file of `rows` daily rows in three tables (over 200,000 lines for the full run). */
export function longFile(rows: number): string {
  const out: string[] = ["This file was created using the 202412 CRSP database.", ""];
  const perTable = Math.ceil(rows / 3);
  for (let table = 0; table < 3; table++) {
    out.push(`Table ${table + 1}`, ",A,B");
    let day = Date.UTC(1820, 0, 1);
    for (let i = 0; i < perTable; i++, day += 86_400_000) {
      const key = new Date(day).toISOString().slice(0, 10).replaceAll("-", "");
      out.push(`${key},${(i % 997) / 100},-${(i % 13) / 10}`);
    }
    out.push("");
  }
  out.push("Copyright 2024 Kenneth R. French", "");
  return out.join("\n");
}

/** The long file read whole: every row, no stack overflow. */
export async function fuzzLongFile(t: Tally, rows: number, limitMs: number): Promise<void> {
  const text = longFile(rows);
  await attempt(
    t,
    `${rows}-row file`,
    () => {
      try {
        return checkAgainstText(parseFrenchCsv(text, "long"), text);
      } catch (error) {
        // The file is valid: refusing it loses it.
        return { loss: `the valid long file was refused: ${(error as Error).message}` };
      }
    },
    limitMs,
  );
}

/** Mutations of the zip bytes: an accepted zip must give exactly the original CSV bytes. */
export async function fuzzFrenchZip(
  t: Tally,
  samples: FrenchSample[],
  rng: Rng,
  perSample: number,
  limitMs: number,
): Promise<void> {
  for (const sample of samples) {
    for (let n = 0; n < perSample; n++) {
      const zip = sample.zip.slice();
      let label: string;
      const kind = rng.int(6);
      if (kind <= 1) {
        // Headers and the central directory are at both ends: aim there half the time.
        const at = kind === 0
          ? rng.int(zip.length)
          : rng.next() < 0.5
          ? rng.int(Math.min(80, zip.length))
          : zip.length - 1 - rng.int(Math.min(120, zip.length));
        zip[at] ^= 1 << rng.int(8);
        label = `bit flip at ${at}`;
      } else if (kind === 2) {
        const at = rng.int(zip.length);
        zip[at] = rng.int(256);
        label = `byte ${at} := random`;
      } else if (kind === 3) {
        const cut = rng.int(zip.length);
        await attempt(
          t,
          `${sample.name}: cut at ${cut}`,
          () => sameBytes(zip.subarray(0, cut), sample),
          limitMs,
        );
        continue;
      } else if (kind === 4) {
        // A size field of the local header (offset 18..25) or of the central entry.
        const view = new DataView(zip.buffer);
        const central = findCentral(zip);
        const field = rng.pick([18, 22, central + 20, central + 24]);
        const value = rng.pick([0, 1, 0xffffffff, view.getUint32(field, true) - 1, 0x7fffffff]);
        view.setUint32(field, value >>> 0, true);
        label = `size field at ${field} := ${value}`;
      } else {
        const extra = new Uint8Array(1 + rng.int(64)).map(() => rng.int(256));
        const joined = new Uint8Array(zip.length + extra.length);
        if (rng.next() < 0.5) {
          joined.set(zip);
          joined.set(extra, zip.length);
          label = `${extra.length} bytes appended`;
        } else {
          joined.set(extra);
          joined.set(zip, extra.length);
          label = `${extra.length} bytes prepended`;
        }
        await attempt(t, `${sample.name}: ${label}`, () => sameBytes(joined, sample), limitMs);
        continue;
      }
      await attempt(t, `${sample.name}: ${label}`, () => sameBytes(zip, sample), limitMs);
    }
  }
}

function findCentral(zip: Uint8Array): number {
  for (let at = zip.length - 4; at >= 0; at--) {
    if (zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 1 && zip[at + 3] === 2) {
      return at;
    }
  }
  return 0;
}

function sameBytes(zip: Uint8Array, sample: FrenchSample): Verdict {
  const { data } = unzipFrench(zip, sample.name);
  if (data.length !== sample.csv.length) {
    return data.length < sample.csv.length
      ? { loss: `${data.length} of ${sample.csv.length} bytes unpacked` }
      : { wrong: `${data.length} bytes unpacked, not ${sample.csv.length}` };
  }
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== sample.csv[i]) return { wrong: `byte ${i} of the CSV unpacked differently` };
  }
  return OK;
}
