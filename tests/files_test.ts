import assert from "node:assert/strict";
import {
  DataFormatError,
  FactorlabDataError,
  frenchDataset,
  readPriceCsv,
} from "../lib/data/mod.ts";
import { toMonthlyReturns } from "../lib/pipeline/mod.ts";
import { assertNear } from "./support/assert.ts";
import { removeDir, tempCacheDir } from "./support/temp.ts";

const PRICES = "data/samples/prices";

Deno.test("a Yahoo download CSV is read with canonical column names and every row", async () => {
  const vbr = await readPriceCsv(`${PRICES}/VBR_daily_2004-01-30_2022-06-17.csv`);
  assert.deepEqual(vbr.columns, ["date", "open", "high", "low", "close", "adjClose", "volume"]);
  assert.equal(vbr.height, 4629);
  assert.equal(vbr.getColumn("date").get(0), "2004-01-30");
  assert.equal(vbr.getColumn("date").get(4628), "2022-06-17");
  const spy = await readPriceCsv(`${PRICES}/SPY_daily_1993-01-29_2024-08-02.csv`);
  assert.equal(spy.height, 7934);
});

Deno.test("the yfinance layout (AdjClose, Dividends) is read too and agrees with the Yahoo CSV", async () => {
  const range = { start: "2010-01-01", end: "2020-12" };
  const yf = await readPriceCsv(`${PRICES}/VBR_daily_yfinance_2005-01-03_2026-05-01.csv`, range);
  assert.deepEqual(yf.columns, [
    "date",
    "open",
    "high",
    "low",
    "close",
    "adjClose",
    "volume",
    "dividends",
  ]);
  const yahoo = await readPriceCsv(`${PRICES}/VBR_daily_2004-01-30_2022-06-17.csv`, range);
  const a = toMonthlyReturns(yf).getColumn("return").toArray() as number[];
  const b = toMonthlyReturns(yahoo).getColumn("return").toArray() as number[];
  assert.equal(a.length, 131);
  // Two independent downloads agree to 1e-6 (PROVENANCE cross-check).
  a.forEach((value, i) => assertNear(value, b[i], 1e-6));
  // 33 ex-dividend rows in 2010-2020, counted in the file with awk; 2020 matches the Yahoo CSV steps.
  assert.equal(yf.filter(yf.getColumn("dividends").gt(0)).height, 33);
});

Deno.test("a CRLF monthly Yahoo CSV keeps its rows, the partial month included", async () => {
  const monthly = await readPriceCsv(`${PRICES}/VBR_monthly_2005-01_2024-05.csv`);
  assert.equal(monthly.height, 234);
  assert.deepEqual(monthly.getColumn("date").toArray().slice(-2), ["2024-05-01", "2024-05-09"]);
  assert.equal(typeof monthly.getColumn("volume").get(0), "number");
});

Deno.test("any CSV with a date and a price column works, in common date formats", async () => {
  const dir = await tempCacheDir();
  try {
    await Deno.writeTextFile(
      `${dir}/nav.csv`,
      "when,nav,note\n01/31/2020,100,a\n2/28/2020,null,b\n20200331,121,c\n2020/04/30,133.1,d\n",
    );
    const nav = await readPriceCsv(`${dir}/nav.csv`, { dateColumn: "when", priceColumn: "nav" });
    assert.deepEqual(nav.getColumn("date").toArray(), [
      "2020-01-31",
      "2020-02-28",
      "2020-03-31",
      "2020-04-30",
    ]);
    assert.deepEqual(nav.getColumn("adjClose").toArray(), [100, null, 121, 133.1]);
    // February's only price is null, so February has no month end: March follows a gap and
    // gets no return rather than a two-month one; April is 133.1 / 121 - 1.
    const returns = toMonthlyReturns(nav);
    assert.deepEqual(returns.getColumn("period").toArray(), ["2020-04"]);
    assertNear(returns.getColumn("return").get(0), 0.1);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("a long CSV of several tickers keeps every ticker, and text columns stay text", async () => {
  const dir = await tempCacheDir();
  try {
    await Deno.writeTextFile(
      `${dir}/long.csv`,
      "Date,Symbol,Adj Close,Note\n2020-01-31,AAA,10,start\n2020-01-31,BBB,20,start\n" +
        "2020-02-28,AAA,11,\n2020-02-28,BBB,18,end\n",
    );
    const long = await readPriceCsv(`${dir}/long.csv`);
    assert.deepEqual(long.columns, ["date", "ticker", "adjClose", "Note"]);
    assert.deepEqual(long.getColumn("ticker").toArray(), ["AAA", "AAA", "BBB", "BBB"]);
    assert.deepEqual(long.getColumn("Note").toArray(), ["start", null, "start", "end"]);
    const returns = toMonthlyReturns(long);
    assert.deepEqual(returns.getColumn("ticker").toArray(), ["AAA", "BBB"]);
    assertNear(returns.getColumn("return").get(0), 0.1);
    assertNear(returns.getColumn("return").get(1), -0.1);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("bad dates, missing columns and missing files say what is wrong", async () => {
  const dir = await tempCacheDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.csv`, "Date,Adj Close\n2020-01-31,1\nyesterday,2\n");
    await assert.rejects(
      () => readPriceCsv(`${dir}/bad.csv`),
      (e) =>
        e instanceof DataFormatError &&
        /1 value\(s\) of column "Date" are not dates \(first: "yesterday"\)/.test(e.message),
    );
    await assert.rejects(
      () => readPriceCsv(`${dir}/bad.csv`, { priceColumn: "Price" }),
      (e) => e instanceof DataFormatError && /no price column "Price"/.test(e.message),
    );
    await Deno.writeTextFile(
      `${dir}/money.csv`,
      'Date,Adj Close\n2020-01-31,1.5\n2020-02-28,"1,234.5"\n',
    );
    await assert.rejects(
      () => readPriceCsv(`${dir}/money.csv`),
      (e) =>
        e instanceof DataFormatError &&
        /1 value\(s\) of column "Adj Close" are not numbers \(first: "1,234.5"\)/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/nodate.csv`, "x,y\n1,2\n");
    await assert.rejects(
      () => readPriceCsv(`${dir}/nodate.csv`),
      /no date column found among x, y/,
    );
    await assert.rejects(() => readPriceCsv(`${dir}/absent.csv`), FactorlabDataError);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("the tutorial's daily factor CSV on disk gives what read_csv with skiprows gives", async () => {
  const path = "data/samples/french/F-F_Research_Data_Factors_daily_CSV_202212.zip";
  // pandas 1.5.3: pd.read_csv(path, skiprows=3, index_col=0), copyright row dropped, then
  // len(df) and df.sum(): 25399 rows, 19260701..20221230.
  const whole = (await frenchDataset(path, { percent: true })).tables[0].frame;
  assert.equal(whole.height, 25399);
  assert.equal(whole.getColumn("period").get(25398), "2022-12-30");
  const sums = { "Mkt-RF": 755.58, SMB: 112.99, HML: 392.77, RF: 307.078 };
  for (const [column, sum] of Object.entries(sums)) {
    assertNear(whole.getColumn(column).sum(), sum, 1e-8);
  }
  const daily = await frenchDataset(path, { start: "2020-01-01", end: "2022-12" });
  const frame = daily.tables[0].frame;
  assert.equal(frame.height, 756);
  assert.deepEqual(frame.columns, ["period", "Mkt-RF", "SMB", "HML", "RF"]);
  // The same rows divided by 100: df.loc["20200102":"20221230"].div(100).sum().
  const decimals = { "Mkt-RF": 0.2847, SMB: 0.0381, HML: 0.1549, RF: 0.01812 };
  for (const [column, sum] of Object.entries(decimals)) {
    assertNear(frame.getColumn(column).sum(), sum, 1e-10);
  }
  const first = await frenchDataset(
    "data/samples/french/F-F_Research_Data_Factors_daily_CSV_202212.zip",
    {
      start: "2020-01-02",
      end: "2020-01-03",
      percent: true,
    },
  );
  // "20200102,    0.86,   -0.88,   -0.33,   0.006"
  assert.deepEqual(first.tables[0].frame.row(0), ["2020-01-02", 0.86, -0.88, -0.33, 0.006]);
});

Deno.test("a library zip on disk is opened whatever its member is called", async () => {
  const zip = await frenchDataset("data/samples/french/Europe_5_Factors_CSV_201912.zip");
  assert.deepEqual(zip.tables[0].frame.columns, [
    "period",
    "Mkt-RF",
    "SMB",
    "HML",
    "RMW",
    "CMA",
    "RF",
  ]);
  const csv = await frenchDataset(`file://${Deno.cwd()}/data/absent.csv`).catch((e) => e);
  assert.ok(csv instanceof FactorlabDataError && /File not found/.test(csv.message));
});
