import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import {
  CacheError,
  CorruptZipError,
  CrossHostRedirectError,
  DataFormatError,
  InvalidArgumentError,
  RedirectError,
  SizeLimitError,
  TruncatedDataError,
} from "../lib/data/mod.ts";
import { fetchCached } from "../lib/data/cache.ts";
import { httpGet } from "../lib/data/http.ts";
import { parseFrenchCsv, unzipFrench } from "../lib/data/french_parse.ts";
import { readZipMember } from "../lib/data/zip.ts";
import { longFile } from "./fuzz/french.ts";
import { gzipBomb } from "./fuzz/http.ts";
import { captureWarnings } from "./support/cache_entries.ts";
import { removeDir, tempCacheDir } from "./support/temp.ts";

const FF3 = "data/samples/french/F-F_Research_Data_Factors_CSV_202412.zip";
const zip = await Deno.readFile(FF3);
const csv = unzipFrench(zip, FF3).data;
const text = new TextDecoder().decode(csv);
const lines = text.split("\r\n");
/** 1-based line number of the row keyed `key`. */
const lineOf = (key: string) => lines.findIndex((l) => l.trimStart().startsWith(`${key},`)) + 1;

function refusal(input: string): DataFormatError {
  try {
    parseFrenchCsv(input, "FF3.csv");
  } catch (error) {
    if (error instanceof DataFormatError) return error;
    throw error;
  }
  throw new Error("the damaged file was accepted");
}

Deno.test("the intact sample reads whole: 1182 monthly rows and 98 annual rows", () => {
  const parsed = parseFrenchCsv(text, "FF3.csv");
  assert.deepEqual(parsed.tables.map((t) => t.frame.height), [1182, 98]);
});

Deno.test("a damaged date key inside a table is an error naming its line, not the table's end", () => {
  const error = refusal(text.replace("\r\n196003,", "\r\n19,003,"));
  assert.equal(error.line, lineOf("196003"));
  assert.equal(error.key, "19");
  assert.match(error.message, /has 2 digits; keys are YYYY, YYYYMM or YYYYMMDD/);
});

Deno.test("a blank line or a stray CR inside a table is an error naming the line", () => {
  const blank = refusal(text.replace("\r\n196003,", "\r\n\r\n196003,"));
  assert.equal(blank.line, lineOf("196003") + 1);
  assert.match(blank.message, /a blank line \(line \d+\) inside a table: rows continue after it/);
  const cr = refusal(text.replace("\r\n196003,", "\r\n1960\r03,"));
  assert.equal(cr.line, lineOf("196003"));
});

Deno.test("impossible, duplicate, unordered and mixed-width keys are refused with the row", () => {
  const cases: [string, string, RegExp][] = [
    ["196003,", "196013,", /names the month 13/],
    ["196003,", "196002,", /the date 196002 appears twice in one table/],
    ["196003,", "196001,", /the date 196001 comes after 196002: rows must be in increasing/],
    ["196003,", "1960,", /is annual \(YYYY\) but the rows above are monthly/],
    ["196003,", "0x1A,", /the date key "0x1A" is not a date/],
  ];
  for (const [from, to, pattern] of cases) {
    const error = refusal(text.replace(`\r\n${from}`, `\r\n${to}`));
    assert.match(error.message, pattern, to);
    assert.equal(error.line, lineOf("196003"), to);
  }
  const daily = refusal(",A\r\n20200130,1.0\r\n20203109,1.0\r\n");
  assert.match(daily.message, /names the month 31/);
});

Deno.test("cells that are not plain decimals are refused: 0x1A, 1e999, +1, empty", () => {
  const row = lines[lineOf("196003") - 1];
  for (const cell of ["0x1A", "1e999", "+1.0", "", "1,5"]) {
    const damaged = row.replace(/,\s*-?[\d.]+/, `,${cell}`);
    const error = refusal(text.replace(row, damaged));
    assert.equal(error.line, lineOf("196003"), cell);
    assert.equal(error.key, "196003", cell);
  }
});

Deno.test("a file cut mid-row, at a row's end or after a title is TruncatedDataError", () => {
  const last = lines[lineOf("2024") - 1];
  const inRow = text.slice(0, text.indexOf(last) + last.length - 1);
  assert.ok(refusal(inRow) instanceof TruncatedDataError);
  const atRowEnd = text.slice(0, text.indexOf("\r\n202401,") + 2);
  const cut = refusal(atRowEnd);
  assert.ok(cut instanceof TruncatedDataError);
  assert.match(cut.message, /stops at 2023-12 although the file says it was built from the 202412/);
  const title = "Annual Factors: January-December";
  const afterTitle = text.slice(0, text.indexOf(title) + title.length + 3);
  assert.ok(refusal(afterTitle) instanceof TruncatedDataError);
});

Deno.test("a 210,000-line file is read whole, without a stack overflow", () => {
  const parsed = parseFrenchCsv(longFile(210_000), "long.csv");
  assert.deepEqual(parsed.tables.map((t) => t.frame.height), [70_000, 70_000, 70_000]);
  assert.equal(parsed.tables[2].frame.getColumn("A").get(69_999), (69_999 % 997) / 100);
});

Deno.test("a stored zip with one digit changed, a shrunk size or a flipped deflate bit is refused", () => {
  const stored = zipSync({ "F-F.CSV": csv }, { level: 0 });
  const at = stored.indexOf(0x39, 200); // a "9" inside the CSV
  const digit = stored.slice();
  digit[at] = 0x38;
  assert.throws(
    () => readZipMember(digit, "ff.zip"),
    (e) => e instanceof CorruptZipError && /CRC-32 of member F-F\.CSV/.test(e.message),
  );
  const shrunk = zip.slice();
  new DataView(shrunk.buffer).setUint32(
    22,
    new DataView(zip.buffer).getUint32(22, true) - 100,
    true,
  );
  assert.throws(() => readZipMember(shrunk, "ff.zip"), CorruptZipError);
  let refused = 0;
  for (let i = 0; i < 40; i++) {
    const flipped = zip.slice();
    flipped[100 + i * 97] ^= 1 << (i % 8);
    try {
      const { data } = readZipMember(flipped, "ff.zip");
      assert.deepEqual(data, csv, `flip ${i} accepted with other content`);
    } catch (error) {
      assert.ok(error instanceof CorruptZipError, String(error));
      refused++;
    }
  }
  assert.ok(refused >= 38, `${refused} of 40 flips refused`);
});

Deno.test("a zip member declared larger than maxUnpackedBytes is refused before unpacking", () => {
  const big = zipSync({ "big.csv": new Uint8Array(3 << 20) }, { level: 9 });
  assert.throws(
    () => readZipMember(big, "big.zip", 1 << 20),
    (e) => e instanceof SizeLimitError && e.option === "maxUnpackedBytes" && e.limit === 1 << 20,
  );
  assert.equal(readZipMember(zipSync({ "a.csv": strToU8("x") }), "a.zip").data.length, 1);
});

Deno.test("a gzip bomb and an endless body stop at maxDownloadBytes with SizeLimitError", async () => {
  const bomb = await gzipBomb(64 << 20);
  let sent = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    if (new URL(request.url).pathname === "/bomb") {
      return new Response(bomb, { headers: { "content-encoding": "gzip" } });
    }
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 65_536;
        controller.enqueue(new Uint8Array(65_536));
      },
    });
    return new Response(body);
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    for (const path of ["/bomb", "/endless"]) {
      await assert.rejects(
        () => httpGet(`${base}${path}`, { maxDownloadBytes: 1 << 20, retry: { retries: 0 } }),
        (e) => e instanceof SizeLimitError && /larger than the limit of 1 MiB/.test(e.message),
      );
    }
    assert.ok(sent < 64 << 20, `${sent} bytes sent before the client stopped`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a redirect loop ends after a few requests and a redirect to another host is refused", async () => {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    requests.push(path);
    if (path === "/away") return Response.redirect(`http://localhost:${url.port}/x`, 302);
    const next = path === "/a" ? "/b" : path === "/b" ? "/a" : `${path}x`;
    return new Response(null, { status: 302, headers: { location: next } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const fast = { retry: { retries: 0 } };
  try {
    await assert.rejects(
      () => httpGet(`${base}/a`, fast),
      (e) => e instanceof RedirectError && /in a loop/.test(e.message) && e.chain.length === 3,
    );
    assert.equal(requests.length, 2);
    requests.length = 0;
    await assert.rejects(
      () => httpGet(`${base}/c`, fast),
      (e) => e instanceof RedirectError && /more than 5 times/.test(e.message),
    );
    assert.equal(requests.length, 6);
    requests.length = 0;
    await assert.rejects(() => httpGet(`${base}/away`, fast), CrossHostRedirectError);
    assert.deepEqual(requests, ["/away"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a cache folder that is a file: the download is kept with a warning, offline names the folder", async () => {
  const dir = await tempCacheDir();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("payload"),
  );
  const url = `http://127.0.0.1:${server.addr.port}/f.csv`;
  try {
    const cacheDir = `${dir}/not-a-folder`;
    await Deno.writeTextFile(cacheDir, "x");
    let body = "";
    const warnings = await captureWarnings(async () => {
      body = new TextDecoder().decode((await fetchCached(url, { cacheDir })).body);
    });
    assert.equal(body, "payload");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /it is a file, not a folder/);
    await assert.rejects(
      () => fetchCached(url, { cacheDir, offline: true }),
      (e) =>
        e instanceof CacheError && e.path === cacheDir &&
        /it is a file, not a folder/.test(e.message),
    );
  } finally {
    await server.shutdown();
    await removeDir(dir);
  }
});

Deno.test("timeouts, retry counts and redirect limits that are not numbers in range are refused", async () => {
  const url = "http://127.0.0.1:9/never-requested";
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ timeoutMs: NaN }, /\{ timeoutMs \} must be a number from 1/],
    [{ timeoutMs: -1 }, /\{ timeoutMs \} must be/],
    [{ timeoutMs: 1e20 }, /\{ timeoutMs \} must be/],
    [{ retry: { retries: NaN } }, /\{ retry\.retries \} must be a whole number from 0/],
    [{ retry: { retries: 1.5 } }, /\{ retry\.retries \}/],
    [{ retry: { baseDelayMs: -5 } }, /\{ retry\.baseDelayMs \}/],
    [{ maxRedirects: Infinity }, /\{ maxRedirects \}/],
    [{ maxDownloadBytes: 0 }, /\{ maxDownloadBytes \} must be a positive whole number/],
  ];
  for (const [options, pattern] of cases) {
    await assert.rejects(
      () => httpGet(url, options),
      (e) => e instanceof InvalidArgumentError && pattern.test(e.message),
      JSON.stringify(options),
    );
  }
});
