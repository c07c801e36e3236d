import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  analyze,
  analyzeMany,
  InvalidArgumentError,
  ols,
  olsMany,
  periodEndRows,
  readPriceCsv,
  RegressionInputError,
  toMonthlyReturns,
  toWeeklyReturns,
} from "../mod.ts";
import { removeDir } from "./support/temp.ts";

const FRENCH = { frenchSource: "data/samples/french", vintage: "202412" };
const RANGE = { start: "2010-01-01", end: "2020-12" };
const VBR = await readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv");
const SPY = await readPriceCsv("data/samples/prices/SPY_daily_1993-01-29_2024-08-02.csv");

/** Writes `frame` to a temporary Parquet file and scans it lazily. */
async function scanned(frame: pl.DataFrame): Promise<{ lazy: pl.LazyDataFrame; dir: string }> {
  const dir = await Deno.makeTempDir({ dir: "data" });
  frame.writeParquet(`${dir}/prices.parquet`);
  return { lazy: pl.scanParquet(`${dir}/prices.parquet`), dir };
}

Deno.test("a LazyFrame of daily prices gives the same returns as the frame, from period-end rows only", async () => {
  const { lazy, dir } = await scanned(VBR);
  try {
    // Polars hands JavaScript one row per month, not the 4,000 daily rows.
    const ends = periodEndRows(lazy, "monthly", RANGE);
    assert.equal(ends.height, 132);
    assert.deepEqual(ends.columns, ["date", "adjClose"]);
    assert.equal(ends.getColumn("date").get(0), "2010-01-29");
    assert.equal(ends.getColumn("date").get(131), "2020-12-31");
    const eager = toMonthlyReturns(VBR);
    assert.ok(toMonthlyReturns(lazy).frameEqual(eager));
    assert.ok(toMonthlyReturns(VBR.lazy()).frameEqual(eager));
    assert.ok(toWeeklyReturns(lazy).frameEqual(toWeeklyReturns(VBR)));
    // A polars Date column is read as "YYYY-MM-DD" too.
    const typed = VBR.withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
    assert.ok(toMonthlyReturns(typed.lazy()).frameEqual(eager));
  } finally {
    await removeDir(dir);
  }
});

Deno.test("a LazyFrame with two prices on one date is refused as the frame is", () => {
  const prices = pl.DataFrame({
    date: ["2020-01-30", "2020-01-31", "2020-01-31", "2020-02-28"],
    adjClose: [1, 2, 3, 4],
  });
  for (const input of [prices, prices.lazy()]) {
    assert.throws(
      () => toMonthlyReturns(input),
      (e) => e instanceof InvalidArgumentError && /1 row\(s\) repeat a date/.test(e.message),
    );
  }
});

Deno.test("analyze and analyzeMany take LazyFrames of prices or returns and give the eager results", async () => {
  const { lazy, dir } = await scanned(VBR);
  try {
    const eager = await analyze(VBR, { ...RANGE, ...FRENCH, name: "VBR" });
    const fromLazy = await analyze(lazy, { ...RANGE, ...FRENCH, name: "VBR" });
    assert.deepEqual(fromLazy.fit.params.toRecord(), eager.fit.params.toRecord());
    assert.equal(fromLazy.nobs, 131);
    const returns = toMonthlyReturns(VBR).select("period", "return");
    const fromReturns = await analyze(returns.lazy(), { ...RANGE, ...FRENCH });
    assert.deepEqual(
      fromReturns.fit.params.toRecord(),
      (await analyze(returns, { ...RANGE, ...FRENCH })).fit.params.toRecord(),
    );
    assert.equal(fromReturns.nobs, 132);
    // Wide daily prices, one column per asset, with each asset's own missing days.
    const wide = VBR.select("date", pl.col("adjClose").alias("VBR"))
      .join(SPY.select("date", pl.col("adjClose").alias("SPY")), {
        on: "date",
        how: "full",
        coalesce: true,
      })
      .sort("date");
    const many = await analyzeMany(wide, { ...RANGE, ...FRENCH });
    const manyLazy = await analyzeMany(wide.lazy(), { ...RANGE, ...FRENCH });
    assert.deepEqual(manyLazy.assets, ["VBR", "SPY"]);
    assert.deepEqual(manyLazy.params.data, many.params.data);
    assert.deepEqual(manyLazy.nobs.toRecord(), many.nobs.toRecord());
  } finally {
    await removeDir(dir);
  }
});

Deno.test("olsMany and ols read LazyFrames as frames", () => {
  const X = pl.DataFrame({ f1: [1, 2, 3, 4, 5, 6], f2: [2, 1, 4, 3, 6, 5] });
  const Y = pl.DataFrame({ a: [1.1, 2.3, 2.9, 4.2, 5.1, 5.8], b: [0.5, 0.1, 0.9, 0.4, 1.3, 0.8] });
  const eager = olsMany(Y, X, { addConstant: true });
  const lazy = olsMany(Y.lazy(), X.lazy(), { addConstant: true });
  assert.deepEqual(lazy.params.data, eager.params.data);
  assert.deepEqual(
    ols(Y.getColumn("a"), X.lazy(), { addConstant: true }).params.toRecord(),
    ols(Y.getColumn("a"), X, { addConstant: true }).params.toRecord(),
  );
});

Deno.test("a Promise (a forgotten await) is refused with what was passed and what to write", async () => {
  const pending = readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv");
  const promiseMessage =
    /got a Promise where a frame was expected: the call that makes the frame was not awaited\. Write await/;
  assert.throws(
    () => toMonthlyReturns(pending as never),
    (e) =>
      e instanceof InvalidArgumentError && promiseMessage.test(e.message) &&
      /^A returns function \(toReturns, toMonthlyReturns/.test(e.message),
  );
  await assert.rejects(
    () => analyze(pending as never, { ...RANGE, ...FRENCH }),
    (e) => e instanceof InvalidArgumentError && /^analyze got a Promise/.test(e.message),
  );
  await assert.rejects(
    () => analyzeMany(pending as never, { ...RANGE, ...FRENCH }),
    (e) => e instanceof InvalidArgumentError && /^analyzeMany got a Promise/.test(e.message),
  );
  assert.throws(
    () => olsMany(pending as never, { f: [1, 2, 3] }),
    (e) => e instanceof RegressionInputError && /^Y is a Promise, not a frame/.test(e.message),
  );
  assert.throws(
    () => ols([1, 2, 3], pending as never),
    (e) => e instanceof RegressionInputError && /^X is a Promise/.test(e.message),
  );
  assert.throws(
    () => ols(pending as never, { f: [1, 2, 3] }),
    (e) =>
      e instanceof RegressionInputError &&
      /got a Promise \(a call that was not awaited/.test(e.message),
  );
  await pending;
  // Other non-frames say what they are.
  assert.throws(
    () => toMonthlyReturns(42 as never),
    (e) => e instanceof InvalidArgumentError && /; got a number \(42\)\.$/.test(e.message),
  );
  assert.throws(
    () => toMonthlyReturns(new Map() as never),
    (e) => e instanceof InvalidArgumentError && /; got a Map\.$/.test(e.message),
  );
});

Deno.test("a returns frame given to analyze with an invalid or repeated period is refused, naming the row", async () => {
  const periods = Array.from(
    { length: 24 },
    (_, i) => `${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
  );
  const ret = periods.map((_, i) => 0.01 * Math.sin(i));
  const cases: [string, string[], RegExp][] = [
    [
      "month 13",
      periods.with(5, "2019-13"),
      /^Row 5 of the returns frame has period "2019-13", which is not a monthly period \("YYYY-MM", month 01 to 12\)/,
    ],
    [
      "a day",
      periods.with(5, "2019-06-03"),
      /^Row 5 .* period "2019-06-03", which is not a monthly period/,
    ],
    [
      "repeated",
      periods.with(5, "2019-05"),
      /^The returns frame has period "2019-05" twice \(rows 4 and 5\)/,
    ],
  ];
  for (const [what, bad, message] of cases) {
    await assert.rejects(
      () => analyze({ period: bad, return: ret }, FRENCH),
      (e) => e instanceof InvalidArgumentError && message.test(e.message),
      what,
    );
  }
  await assert.rejects(
    () =>
      analyze(
        { period: ["2020-01-02", "2020-02-30", "2020-01-06"], return: [0.01, 0.02, 0.03] },
        { ...FRENCH, frequency: "daily" },
      ),
    (e) =>
      e instanceof InvalidArgumentError &&
      /period "2020-02-30", which is not a daily period \("YYYY-MM-DD", a real date\)/.test(
        e.message,
      ),
  );
  // The valid frame runs.
  assert.equal((await analyze({ period: periods, return: ret }, FRENCH)).nobs, 24);
});
