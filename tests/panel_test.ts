import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  analyze,
  analyzeMany,
  buildPanel,
  InvalidArgumentError,
  readPriceCsv,
  toMonthlyReturns,
} from "../mod.ts";
import { startFixtureServer } from "./support/fixture_server.ts";

const FRENCH = { frenchSource: "data/samples/french", vintage: "202412" };
const RANGE = { start: "2010-01-01", end: "2020-12" };
const FF3 = { factors: ["MKT_RF", "SMB", "HML"], label: "FF3", library: "ff3" as const };
const VBR = await readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv");

Deno.test("buildPanel gives one aligned panel from prices, lazy prices, wide prices, records and danfojs frames", async () => {
  const one = await buildPanel(VBR, { model: FF3, single: true, ...RANGE, ...FRENCH });
  assert.deepEqual(one.assets, ["return"]);
  assert.deepEqual([...one.columns.keys()], ["return", "MKT_RF", "SMB", "HML", "RF"]);
  assert.equal(one.periods.length, 131);
  assert.deepEqual([one.periods[0], one.periods[130]], ["2010-02", "2020-12"]);
  assert.equal(one.frequency, "monthly");
  // Factors are fetched over the range asked for: 2010-01 has factors but no return.
  assert.deepEqual(one.joinReport?.rightOnly, ["2010-01"]);
  assert.equal(one.joinReport?.leftName, "asset");
  assert.equal(one.factorFiles[0].vintage, "202412");
  const vbr = one.columns.get("return")!;
  const expected = toMonthlyReturns(VBR)
    .filter(pl.col("period").gtEq(pl.lit("2010-02")).and(pl.col("period").ltEq(pl.lit("2020-12"))))
    .getColumn("return").toArray();
  assert.deepEqual(Array.from(vbr), expected);

  const lazy = await buildPanel(VBR.lazy(), { model: FF3, single: true, ...RANGE, ...FRENCH });
  assert.deepEqual(lazy.columns, one.columns);
  const wide = VBR.select("date", pl.col("adjClose").alias("VBR"));
  const many = await buildPanel(wide, { model: FF3, ...RANGE, ...FRENCH });
  assert.deepEqual(many.assets, ["VBR"]);
  assert.deepEqual(many.columns.get("VBR"), vbr);
  assert.deepEqual(many.columns.get("HML"), one.columns.get("HML"));

  // A record's Float64Array columns are the panel's columns, not copies of them.
  const record = { period: one.periods, VBR: Float64Array.from(vbr) };
  const fromRecord = await buildPanel(record, { model: FF3, ...FRENCH });
  assert.equal(fromRecord.columns.get("VBR"), record.VBR);
  assert.deepEqual(fromRecord.columns.get("RF"), one.columns.get("RF"));
  assert.deepEqual(fromRecord.joinReport?.rightOnly, []); // returns set the factors' range
  const danfo = { columns: ["VBR"], index: one.periods, values: Array.from(vbr, (v) => [v]) };
  const fromDanfo = await buildPanel(danfo, { model: FF3, ...FRENCH });
  assert.deepEqual(fromDanfo.columns, fromRecord.columns);
});

Deno.test("buildPanel takes the factors from the input, from the user's data or from the library", async () => {
  const one = await buildPanel(VBR, { model: FF3, single: true, ...RANGE, ...FRENCH });
  const columns = Object.fromEntries(one.columns);
  const own = await buildPanel(
    { period: one.periods, ...columns },
    { model: FF3, single: true, returnCol: "return" },
  );
  assert.equal(own.joinReport, undefined);
  assert.deepEqual(own.factorFiles, []);
  assert.equal(own.columns.get("SMB"), columns.SMB);
  const mine = await buildPanel({ period: one.periods, A: columns.return }, {
    model: {
      factors: ["MKT_RF"],
      label: "my",
      data: {
        period: one.periods.slice(1),
        MKT_RF: columns.MKT_RF.slice(1),
        RF: columns.RF.slice(1),
      },
    },
  });
  assert.equal(mine.joinReport?.rightName, "my factors");
  assert.deepEqual(mine.joinReport?.leftOnly, ["2010-02"]);
  assert.deepEqual(Array.from(mine.columns.get("A")!), Array.from(columns.return.slice(1)));
  assert.deepEqual([...mine.columns.keys()], ["A", "MKT_RF", "RF"]);
  const raw = await buildPanel({ period: one.periods, A: columns.return }, {
    model: {
      factors: ["MKT_RF"],
      label: "my",
      data: { period: one.periods, MKT_RF: columns.MKT_RF },
    },
    excess: false,
  });
  assert.deepEqual([...raw.columns.keys()], ["A", "MKT_RF"]);
});

Deno.test("buildPanel downloads tickers, one or many, over the range with their factors", async () => {
  const server = await startFixtureServer();
  try {
    const sources = {
      yahooSource: server.yahooBase,
      frenchSource: server.frenchBase,
      cache: false,
    };
    const one = await buildPanel("VBR", { model: FF3, single: true, ...RANGE, ...sources });
    assert.deepEqual(one.assets, ["return"]);
    assert.equal(one.joinReport?.leftName, "VBR");
    assert.deepEqual(one.joinReport?.rightOnly, ["2010-01"]);
    const two = await buildPanel(["VBR", "SPY"], { model: FF3, ...RANGE, ...sources });
    assert.deepEqual(two.assets, ["VBR", "SPY"]);
    assert.deepEqual(two.columns.get("VBR"), one.columns.get("return"));
    assert.deepEqual(two.periods, one.periods);
  } finally {
    await server.close();
  }
});

Deno.test("analyze is the one-asset case of analyzeMany: the same panel, the same fit", async () => {
  const wide = VBR.select("date", pl.col("adjClose").alias("VBR"));
  const one = await analyze(VBR, { ...RANGE, ...FRENCH, name: "VBR" });
  const many = await analyzeMany(wide, { ...RANGE, ...FRENCH });
  assert.deepEqual(one.data.columns, [
    "period",
    "return",
    "excessReturn",
    "MKT_RF",
    "SMB",
    "HML",
    "RF",
  ]);
  assert.equal(one.nobs, many.nobs.get("VBR"));
  assert.deepEqual(one.joinReport?.rightOnly, many.joinReport?.rightOnly);
  const a = one.fit.params;
  const b = many.params.row("VBR");
  one.fit.names.forEach((name, j) => {
    assert.ok(Math.abs(a[j] - b[j]) <= 1e-12 * Math.abs(a[j]), `${name}: ${a[j]} vs ${b[j]}`);
  });
  assert.deepEqual(
    many.analysis("VBR").data.getColumn("excessReturn").toArray(),
    one.data.getColumn("excessReturn").toArray(),
  );
});

Deno.test("buildPanel refuses input it cannot read, saying what to pass", async () => {
  await assert.rejects(
    () => buildPanel("VBR", { model: FF3 }),
    /analyzeMany takes a list of tickers \(\["VBR"\]\)/,
  );
  await assert.rejects(
    () => buildPanel(VBR, { model: FF3, single: true, caller: "factorData" }),
    /factorData\("asset"\) needs the period/,
  );
  await assert.rejects(
    () => buildPanel({ period: ["2020-01"], A: ["x"] }, { model: FF3, assets: ["A"] }),
    (e) => e instanceof InvalidArgumentError && /Asset column "A" is not numeric/.test(e.message),
  );
  await assert.rejects(
    () =>
      buildPanel({ period: ["2020-01"], A: [0.01] }, { model: { factors: ["QMJ"], label: "x" } }),
    /The Ken French library has no model with all of QMJ/,
  );
});

Deno.test("analyze of prices with excess: false regresses the raw return, as the option says", async () => {
  const raw = await analyze(VBR, { ...RANGE, ...FRENCH, excess: false });
  assert.equal(raw.yColumn, "return");
  assert.deepEqual(raw.data.columns, ["period", "return", "MKT_RF", "SMB", "HML"]);
  const excess = await analyze(VBR, { ...RANGE, ...FRENCH });
  assert.equal(excess.yColumn, "excessReturn");
  assert.notEqual(raw.fit.params.get("const"), excess.fit.params.get("const"));
  assert.equal(raw.fit.params.get("MKT_RF") === excess.fit.params.get("MKT_RF"), false);
});
