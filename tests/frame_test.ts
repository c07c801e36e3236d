import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArgumentError, readPriceCsv, yahooPrices } from "../lib/data/mod.ts";
import {
  excessReturns,
  factorData,
  joinOnPeriod,
  resampleLast,
  toDailyReturns,
  toMonthlyReturns,
  toPolars,
  toReturns,
  toWeeklyReturns,
  toWide,
} from "../lib/pipeline/mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/mod.ts";
import { assertNear } from "./support/assert.ts";
import { startFixtureServer } from "./support/fixture_server.ts";

const VBR_CSV = "data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv";
const SPY_CSV = "data/samples/prices/SPY_daily_1993-01-29_2024-08-02.csv";
const RANGE = { start: "2010-01-01", end: "2020-12" };
const FRENCH = "data/samples/french";

Deno.test("VBR and SPY 2010-2020 give 132 month-end prices and 131 returns, 2010-02..2020-12", async () => {
  for (const file of [VBR_CSV, SPY_CSV]) {
    const prices = await readPriceCsv(file, RANGE);
    const monthEnd = resampleLast(prices, "monthly");
    assert.equal(monthEnd.height, 132, file);
    assert.equal(monthEnd.getColumn("period").get(0), "2010-01");
    assert.equal(monthEnd.getColumn("date").get(131), "2020-12-31");
    const monthly = toMonthlyReturns(prices);
    assert.equal(monthly.height, 131, file);
    assert.equal(monthly.getColumn("period").get(0), "2010-02");
    assert.equal(monthly.getColumn("period").get(130), "2020-12");
  }
});

Deno.test("monthly returns match values computed by hand from the VBR file", async () => {
  const monthly = toMonthlyReturns(await readPriceCsv(VBR_CSV, RANGE));
  // 2010-01-29 Adj Close 41.34024429321289, 2010-02-26 43.41313171386719.
  assertNear(monthly.getColumn("return").get(0), 43.41313171386719 / 41.34024429321289 - 1);
  // 2020-11-30 130.28628540039062, 2020-12-31 139.14303588867188: +6.798 %.
  assertNear(monthly.getColumn("return").get(130), 139.14303588867188 / 130.28628540039062 - 1);
  assertNear(monthly.getColumn("return").get(130), 0.06798, 5e-6);
  assert.equal(monthly.getColumn("date").get(0), "2010-02-26");
});

Deno.test("keepFirst keeps the first period with a null return; log returns are ln(1 + r)", () => {
  const prices = { date: ["2020-01-31", "2020-02-28", "2020-03-31"], adjClose: [100, 110, 99] };
  const monthly = toMonthlyReturns(prices, { keepFirst: true, log: true });
  assert.deepEqual(monthly.getColumn("return").toArray().slice(0, 1), [null]);
  assertNear(monthly.getColumn("return").get(1), 0.1);
  assertNear(monthly.getColumn("logReturn").get(2), Math.log(0.9));
});

Deno.test("a missing month gives no return instead of a two-month one", () => {
  const prices = {
    date: ["2020-01-31", "2020-02-28", "2020-04-30", "2020-05-29"],
    adjClose: [100, 110, 121, 133.1],
  };
  const monthly = toMonthlyReturns(prices);
  assert.deepEqual(monthly.getColumn("period").toArray(), ["2020-02", "2020-05"]);
});

Deno.test("daily and weekly returns are keyed by trading day", async () => {
  const prices = await readPriceCsv(VBR_CSV, RANGE);
  const daily = toDailyReturns(prices);
  assert.equal(daily.height, 2768);
  assert.equal(daily.getColumn("period").get(0), "2010-01-05");
  const weekly = toWeeklyReturns(prices);
  // The week ending Friday 2010-01-08 has no return; 2020-12-31 (Thursday) ends the last week.
  assert.equal(weekly.getColumn("period").get(0), "2010-01-15");
  assert.equal(weekly.getColumn("period").get(weekly.height - 1), "2020-12-31");
  assert.equal(weekly.height, 573);
  const annual = toReturns(prices, "annual");
  assert.deepEqual(annual.getColumn("period").toArray().slice(0, 2), ["2011", "2012"]);
});

Deno.test("returns of a long multi-ticker frame are computed per ticker", async () => {
  const server = await startFixtureServer();
  try {
    const { prices } = await yahooPrices(["VBR", "SPY"], {
      ...RANGE,
      source: server.yahooBase,
      cache: false,
      progress: false,
    });
    const monthly = toMonthlyReturns(prices, { by: "ticker" });
    assert.equal(monthly.height, 262);
    const spy = monthly.filter(pl.col("ticker").eq(pl.lit("SPY")));
    assert.equal(spy.getColumn("period").get(0), "2010-02");
    const alone = toMonthlyReturns(await readPriceCsv(SPY_CSV, RANGE));
    assert.deepEqual(spy.getColumn("return").toArray(), alone.getColumn("return").toArray());
    // The long layout's ticker column is used without being named.
    assert.deepEqual(toMonthlyReturns(prices).toRecords(), monthly.toRecords());
  } finally {
    await server.close();
  }
});

Deno.test("two prices on one date without a series column are refused, not mixed", () => {
  const twoSeries = {
    date: ["2020-01-31", "2020-01-31", "2020-02-28", "2020-02-28"],
    adjClose: [100, 50, 110, 40],
  };
  assert.throws(
    () => toMonthlyReturns(twoSeries),
    (e) =>
      e instanceof InvalidArgumentError && /2 row\(s\) repeat a date/.test(e.message) &&
      /\{ by: "ticker" \}/.test(e.message),
  );
  const named = toMonthlyReturns({ ...twoSeries, fund: ["A", "B", "A", "B"] }, { by: "fund" });
  assert.deepEqual(named.getColumn("fund").toArray(), ["A", "B"]);
  assertNear(named.getColumn("return").get(0), 0.1);
  assertNear(named.getColumn("return").get(1), -0.2);
});

Deno.test("joinOnPeriod reports the periods dropped from each side", () => {
  const returns = { period: ["2019-12", "2020-01", "2020-02"], return: [0.01, 0.02, 0.03] };
  const factors = {
    period: ["2020-01", "2020-02", "2020-03", "2020-04"],
    RF: [0.001, 0.001, 0.001, 0.001],
  };
  const { frame, report } = joinOnPeriod(returns, factors, { leftName: "VBR", rightName: "FF3" });
  assert.deepEqual(frame.columns, ["period", "return", "RF"]);
  assert.equal(frame.height, 2);
  assert.deepEqual(report.leftOnly, ["2019-12"]);
  assert.deepEqual(report.rightOnly, ["2020-03", "2020-04"]);
  assert.deepEqual(report.range, ["2020-01", "2020-02"]);
  assert.equal(
    report.toString(),
    "Joined 2 periods (2020-01..2020-02) from VBR (3 rows) and FF3 (4 rows).\n" +
      "Dropped 1 period(s) only in VBR: 2019-12.\n" +
      "Dropped 2 period(s) only in FF3: 2020-03, 2020-04.",
  );
  const displayable = report as unknown as Record<symbol, () => Record<string, string>>;
  const display = displayable[Symbol.for("Jupyter.display")]();
  assert.match(display["text/markdown"], /^- Joined 2 periods/);
});

Deno.test("joinOnPeriod refuses repeated periods and mixed frequencies", () => {
  assert.throws(
    () =>
      joinOnPeriod({ period: ["2020-01", "2020-01"], a: [1, 2] }, { period: ["2020-01"], b: [1] }),
    (e) =>
      e instanceof InvalidArgumentError &&
      /repeats 1 period value\(s\) \(2020-01\)/.test(e.message),
  );
  assert.throws(
    () => joinOnPeriod({ period: ["2020-01-02"], a: [1] }, { period: ["2020-01"], b: [1] }),
    /frequencies differ/,
  );
  assert.throws(
    () => joinOnPeriod({ date: ["2020-01"] }, { period: ["2020-01"] }),
    /no "period" column/,
  );
});

Deno.test("excessReturns subtracts RF and refuses a percent RF next to decimal returns", () => {
  const frame = excessReturns({
    period: ["2020-01", "2020-02"],
    return: [0.05, -0.02],
    RF: [0.001, 0.002],
  });
  assertNear(frame.getColumn("excessReturn").get(0), 0.049);
  assertNear(frame.getColumn("excessReturn").get(1), -0.022);
  assert.throws(
    () => excessReturns({ return: [0.05], RF: [0.15] }),
    (e) => e instanceof InvalidArgumentError && /looks like percent/.test(e.message),
  );
  assert.equal(excessReturns({ return: [0.05], RF: [0.15] }, { checkUnits: false }).height, 1);
  const named = excessReturns({ ret: [0.05], rf: [0.002] }, { returnCol: "ret", rfCol: "rf" });
  assert.deepEqual(named.columns, ["ret", "rf", "excessReturn"]);
  assertNear(named.getColumn("excessReturn").get(0), 0.048);
  assert.throws(() => excessReturns({ ret: [0.05], RF: [0.001] }), /No column "return"/);
});

Deno.test("factorData builds the VBR FF3 table of the tutorial from the loopback services", async () => {
  const server = await startFixtureServer();
  try {
    const options = {
      ...RANGE,
      model: "ff3" as const,
      yahooSource: server.yahooBase,
      frenchSource: `${server.frenchBase}/v/202101`,
      cache: false,
    };
    const { frame, factors, report, droppedNullBars } = await factorData("VBR", options);
    assert.deepEqual(frame.columns, [
      "period",
      "return",
      "excessReturn",
      "MKT_RF",
      "SMB",
      "HML",
      "RF",
    ]);
    assert.deepEqual(factors, ["MKT_RF", "SMB", "HML"]);
    assert.equal(frame.height, 131);
    assert.deepEqual(report.rightOnly, ["2010-01"]);
    assert.deepEqual(report.leftOnly, []);
    assert.equal(droppedNullBars, 0);
    // 201002: "3.40, 1.19, 3.19, 0.00" in the 202101 file.
    const first = frame.row(0);
    assert.equal(first[0], "2010-02");
    assertNear(first[1], 43.41313171386719 / 41.34024429321289 - 1);
    assertNear(first[2], first[1]);
    assertNear(first[3], 0.034);
    assertNear(first[4], 0.0119);
    assertNear(first[5], 0.0319);
    assertNear(first[6], 0);
    const withFirst = await factorData("VBR", { ...options, includeFirstPeriod: true });
    assert.equal(withFirst.frame.height, 132);
    assert.equal(withFirst.frame.getColumn("period").get(0), "2010-01");
    assertNear(withFirst.frame.getColumn("return").get(0), -0.02992, 5e-6);
    assert.deepEqual(withFirst.report.rightOnly, []);
  } finally {
    await server.close();
  }
});

Deno.test("factorData at weekly frequency joins weekly returns with the weekly factor file", async () => {
  const server = await startFixtureServer();
  try {
    const { frame, report } = await factorData("VBR", {
      ...RANGE,
      frequency: "weekly",
      yahooSource: server.yahooBase,
      frenchSource: server.frenchBase,
      cache: false,
    });
    // Both sides key a week by its last trading day, so only the first week (no return) drops.
    assert.equal(frame.height, 573);
    assert.deepEqual(report.leftOnly, []);
    assert.deepEqual(report.rightOnly, ["2010-01-08"]);
    assert.equal(frame.getColumn("period").get(0), "2010-01-15");
    const weekly = toWeeklyReturns(await readPriceCsv(VBR_CSV, RANGE));
    assert.deepEqual(frame.getColumn("return").toArray(), weekly.getColumn("return").toArray());
  } finally {
    await server.close();
  }
});

Deno.test("factorData accepts a price frame and daily frequency", async () => {
  const prices = await readPriceCsv("data/samples/prices/AAPL_daily_1980-12-12_2023-07-19.csv");
  const { frame, report } = await factorData(prices, {
    start: "2020-01-01",
    end: "2022-12",
    frequency: "daily",
    frenchSource: FRENCH,
    vintage: "202212",
  });
  // 756 trading days in the factor file for 2020-2022; the first has no return.
  assert.equal(frame.height, 755);
  assert.deepEqual(report.rightOnly, ["2020-01-02"]);
  assert.equal(frame.getColumn("period").get(0), "2020-01-03");
});

Deno.test("rows in any order give the month-end prices of the ordered rows; repeats are found after sorting", async () => {
  const vbr = (await readPriceCsv(VBR_CSV, RANGE)).select("date", "adjClose");
  const spy = (await readPriceCsv(SPY_CSV, RANGE)).select("date", "adjClose");
  const long = pl.concat([
    vbr.withColumns(pl.lit("VBR").alias("ticker")),
    spy.withColumns(pl.lit("SPY").alias("ticker")),
  ]).select("ticker", "date", "adjClose");
  // A fixed shuffle: rows taken by a stride coprime with the height.
  const n = long.height;
  const stride = 7919;
  const shuffled = long.select(
    pl.all().gather(Array.from({ length: n }, (_, i) => (i * stride) % n)),
  );
  const ordered = resampleLast(long, "monthly").toRecords();
  assert.equal(ordered.length, 2 * 132);
  // Sorted by ticker, then period, as before.
  assert.deepEqual(ordered.map((r) => r.ticker), [
    ...Array(132).fill("SPY"),
    ...Array(132).fill("VBR"),
  ]);
  assert.deepEqual(resampleLast(shuffled, "monthly").toRecords(), ordered);
  assert.deepEqual(
    toMonthlyReturns(shuffled).toRecords(),
    toMonthlyReturns(long).toRecords(),
  );
  // The same date twice for one ticker, far apart in the frame.
  const repeated = pl.concat([shuffled, long.slice(100, 1)]);
  assert.throws(
    () => resampleLast(repeated, "monthly"),
    /1 row\(s\) repeat a ticker and date already seen/,
  );
});

Deno.test("a month whose last rows have no price ends at its last valid price", () => {
  const prices = {
    ticker: ["A", "A", "A", "A", "B", "B"],
    date: ["2020-01-30", "2020-01-31", "2020-02-27", "2020-02-28", "2020-01-31", "2020-02-28"],
    adjClose: [10, 11, 12, NaN, 20, null],
  };
  const last = resampleLast(prices, "monthly").toRecords();
  assert.deepEqual(last, [
    { ticker: "A", period: "2020-01", date: "2020-01-31", adjClose: 11 },
    { ticker: "A", period: "2020-02", date: "2020-02-27", adjClose: 12 },
    { ticker: "B", period: "2020-01", date: "2020-01-31", adjClose: 20 },
  ]);
});

Deno.test("toWide gives polars' pivot: periods sorted, series in order of appearance, nulls in gaps", () => {
  const ticker: string[] = [];
  const period: string[] = [];
  const ret: (number | null)[] = [];
  // Three series with different spans, one with a null value and one with a hole.
  const spans: [string, number, number][] = [["ZZ", 3, 40], ["AA", 0, 59], ["MM", 10, 20]];
  for (const [name, first, last] of spans) {
    for (let t = first; t <= last; t++) {
      if (name === "AA" && t === 30) continue;
      ticker.push(name);
      period.push(`${2000 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
      ret.push(name === "MM" && t === 15 ? null : (t % 7) / 100 - 0.03);
    }
  }
  const long = pl.DataFrame({ ticker, period, return: pl.Series("return", ret, pl.Float64) });
  const wide = toWide(long);
  const pivot = long.pivot("return", { index: "period", on: "ticker" }).sort("period");
  assert.deepEqual(wide.columns, ["period", "ZZ", "AA", "MM"]);
  assert.deepEqual(wide.toRecords(), pivot.toRecords());
  assert.equal(wide.height, 60);
  assert.equal(wide.getColumn("AA").get(30), null);
  assert.equal(wide.getColumn("MM").get(15), null);
  assert.equal(wide.getColumn("ZZ").get(2), null);
});

Deno.test("toWide refuses two values for one series and period, and names missing columns", () => {
  const twice = {
    ticker: ["A", "A", "B"],
    period: ["2020-01", "2020-01", "2020-01"],
    return: [0.1, 0.2, 0.3],
  };
  assert.throws(
    () => toWide(twice),
    (e) =>
      e instanceof InvalidArgumentError &&
      /A has two return values for period 2020-01/.test(e.message),
  );
  assert.throws(
    () => toWide({ fund: ["A"], period: ["2020-01"], return: [0.1] }),
    /No series column "ticker" among fund, period, return: name it with \{ by: "…" \}/,
  );
  const named = toWide({ fund: ["A"], month: ["2020-01"], r: [0.1] }, {
    by: "fund",
    on: "month",
    value: "r",
  });
  assert.deepEqual(named.toRecords(), [{ month: "2020-01", A: 0.1 }]);
});

Deno.test("one danfojs shape: a frame read through column() becomes the same polars frame", () => {
  const values = [[0.01, 0.02], [-0.03, 0.04]];
  const byRows = toPolars({ columns: ["a", "b"], index: ["2020-01", "2020-02"], values });
  const byColumn = toPolars({
    columns: ["a", "b"],
    index: ["2020-01", "2020-02"],
    column: (name: string) => ({ values: values.map((r) => r[name === "a" ? 0 : 1]) }),
  });
  assert.deepEqual(byColumn.toRecords(), byRows.toRecords());
  assert.deepEqual(byRows.columns, ["period", "a", "b"]);
});

Deno.test("a join report shows its lines as text, a Markdown list in Jupyter, and an HTML list", () => {
  const left = pl.DataFrame({ period: ["2020-01", "2020-02", "2020-03"], r: [1, 2, 3] });
  const right = pl.DataFrame({ period: ["2020-02", "2020-03", "2020-04"], f: [4, 5, 6] });
  const { report } = joinOnPeriod(left, right, { leftName: "A<1>", rightName: "F" });
  const lines = String(report).split("\n");
  assert.deepEqual(lines, [
    "Joined 2 periods (2020-02..2020-03) from A<1> (3 rows) and F (3 rows).",
    "Dropped 1 period(s) only in A<1>: 2020-01.",
    "Dropped 1 period(s) only in F: 2020-04.",
  ]);
  assert.equal(report.toMarkdown(), lines.map((l) => `- ${l}`).join("\n"));
  assert.match(report.toHTML(), /<li>Joined 2 periods \(2020-02\.\.2020-03\) from A&lt;1&gt;/);
  assert.deepEqual(Object.keys(report[JUPYTER_DISPLAY]()), ["text/plain", "text/markdown"]);
});
