import assert from "node:assert/strict";
import { parseFrenchCsv } from "../lib/data/french_parse.ts";
import { attempt, OK, tally } from "./fuzz/core.ts";
import { checkAgainstText, loadFrenchSamples, longFile, sameTables } from "./fuzz/french.ts";
import { runFuzz } from "./fuzz/harness.ts";

Deno.test("the fuzz oracles catch a changed value, a dropped row and an untyped crash", async () => {
  const [sample] = await loadFrenchSamples(/^F-F_Research_Data_Factors_CSV_202412/);
  const changed = sample.text.replace("192607,    2.96", "192607,    2.97");
  assert.deepEqual(checkAgainstText(sample.parsed, changed), {
    wrong: "row 192607 column 1 read as 2.96, written 2.97",
  });
  const lines = sample.text.split("\n");
  const extra = [...lines.slice(0, 5), lines[4], ...lines.slice(5)].join("\n");
  assert.match(JSON.stringify(checkAgainstText(sample.parsed, extra)), /"wrong"|"loss"/);
  const cut = parseFrenchCsv(longFile(30), "long");
  assert.match(JSON.stringify(sameTables(cut, parseFrenchCsv(longFile(60), "long"))), /"loss"/);
  const t = tally("oracle");
  await attempt(t, "crash", () => {
    throw new TypeError("boom");
  }, 10_000);
  await attempt(t, "fine", () => OK, 10_000);
  assert.deepEqual([t.tried, t.untyped, t.accepted], [2, 1, 1]);
});

Deno.test("a seeded fuzz run finds no untyped crash, hang, silently wrong result or data loss", async () => {
  const result = await runFuzz({
    seed: 12,
    samples: /^(F-F_Research_Data_Factors_CSV_202412|6_Portfolios_2x3_CSV_202510)\.zip$/,
    csvPerSample: 30,
    zipPerSample: 30,
    longRows: 210_000,
    charts: 120,
    tickers: 200,
    http: 17,
    bombBytes: 16 << 20,
    cache: { writers: 2, readers: 2, iterations: 8, processes: false },
    // Wide bounds: the machine is shared; a real hang never ends.
    limits: { parse: 60_000, download: 60_000, concurrent: 300_000 },
  });
  const { tried, untyped, hangs, silentWrong, dataLoss } = result.totals;
  assert.ok(tried > 500, result.summary);
  assert.deepEqual({ untyped, hangs, silentWrong, dataLoss }, {
    untyped: 0,
    hangs: 0,
    silentWrong: 0,
    dataLoss: 0,
  }, result.summary);
  assert.match(result.summary, /factorlab fuzz \(deno task fuzz; docs\/development\.md\), seed 12/);
});
