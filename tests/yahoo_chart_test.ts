import assert from "node:assert/strict";
import {
  DataFormatError,
  InvalidArgumentError,
  InvalidTickerError,
  parseYahooChart,
  yahooPrices,
} from "../lib/data/mod.ts";
import { checkChartResult, checkYahooSymbol } from "../lib/data/yahoo_chart.ts";

const SAMPLE = "data/samples/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.body.json";

// deno-lint-ignore no-explicit-any
type Json = any;

async function sample(): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(SAMPLE));
}

function encode(body: Json): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Parses a damaged copy of the sample and returns the DataFormatError it must raise. */
function refusal(body: Json): DataFormatError {
  try {
    parseYahooChart(encode(body), { ticker: "AAPL" });
  } catch (error) {
    if (error instanceof DataFormatError) return error;
    throw new Error(`expected a DataFormatError, got ${error}`);
  }
  throw new Error("the damaged response was accepted");
}

Deno.test("the sample's bars are dated in New York, not UTC, with events on trading days", async () => {
  const aapl = parseYahooChart(encode(await sample()), { ticker: "AAPL" });
  assert.equal(aapl.prices.getColumn("date").get(0), "2020-08-31");
  assert.equal(aapl.prices.getColumn("date").get(48), "2020-11-06");
  assert.deepEqual(aapl.dividends.toRecords(), [{ date: "2020-11-06", amount: 0.205 }]);
  assert.deepEqual(aapl.splits.toRecords(), [
    { date: "2020-08-31", numerator: 4, denominator: 1, ratio: 4 },
  ]);
  assert.equal(aapl.timezone, "America/New_York");
});

Deno.test("an unknown exchangeTimezoneName is a DataFormatError naming the field", async () => {
  for (const zone of ["Mars/Base", "", "America/New_York\u0000", "+25:00"]) {
    const body = await sample();
    body.chart.result[0].meta.exchangeTimezoneName = zone;
    const error = refusal(body);
    assert.match(error.message, /meta\.exchangeTimezoneName .* is not a time zone/);
  }
  const body = await sample();
  body.chart.result[0].meta.exchangeTimezoneName = 42;
  assert.match(refusal(body).message, /meta\.exchangeTimezoneName is 42, not text/);
});

Deno.test("without a zone name, gmtoffset dates the bars and must lie within ±18 hours", async () => {
  const body = await sample();
  delete body.chart.result[0].meta.exchangeTimezoneName;
  const aapl = parseYahooChart(encode(body), { ticker: "AAPL" });
  assert.equal(aapl.prices.getColumn("date").get(0), "2020-08-31");
  for (const offset of [1e12, -90_000, "x", [0]]) {
    body.chart.result[0].meta.gmtoffset = offset;
    assert.match(refusal(body).message, /meta\.gmtoffset is .* not an offset within ±18 hours/);
  }
});

Deno.test("timestamps out of range, fractional, repeated or unordered are refused", async () => {
  const cases: [(ts: number[]) => void, RegExp][] = [
    [(ts) => ts[3] = 1e15, /timestamp 4 is 1000000000000000, not a whole number of seconds/],
    [(ts) => ts[0] = -3e9, /timestamp 1 is -3000000000/],
    [(ts) => ts[5] = ts[5] + 0.5, /timestamp 6 is .*not a whole number/],
    [(ts) => ts[10] = ts[9], /bar 11 \(2020-09-14\) is not later than the bar before it/],
    [(ts) => ts[10] = ts[9] + 60, /two bars are dated 2020-09-14/],
    [(ts) => [ts[1], ts[2]] = [ts[2], ts[1]], /bar 3 .* is not later/],
  ];
  for (const [damage, pattern] of cases) {
    const body = await sample();
    damage(body.chart.result[0].timestamp);
    assert.match(refusal(body).message, pattern);
  }
});

Deno.test("a live session's repeated last day keeps the later bar", async () => {
  const body = await sample();
  const result = body.chart.result[0];
  result.timestamp.push(result.timestamp.at(-1) + 3600);
  for (const list of Object.values(result.indicators.quote[0]) as number[][]) {
    list.push(list.at(-1)!);
  }
  result.indicators.quote[0].close[49] = 999;
  result.indicators.adjclose[0].adjclose.push(998);
  const aapl = parseYahooChart(encode(body), { ticker: "AAPL" });
  assert.equal(aapl.prices.height, 49);
  assert.equal(aapl.prices.getColumn("close").get(48), 999);
});

Deno.test("zero, negative, infinite or textual prices and negative volumes are refused with their date", async () => {
  const cases: [string, unknown, RegExp][] = [
    ["close", 0, /the close of 2020-09-02 is 0; prices must be positive/],
    ["open", -1.5, /the open of 2020-09-02 is -1.5/],
    ["high", "1e999", /the high of 2020-09-02 is "1e999"/],
    ["volume", -5, /the volume of 2020-09-02 is -5; volumes must be numbers of 0 or more/],
  ];
  for (const [field, value, pattern] of cases) {
    const body = await sample();
    body.chart.result[0].indicators.quote[0][field][2] = value;
    const error = refusal(body);
    assert.match(error.message, pattern);
    assert.equal(error.key, "2020-09-02");
  }
  const body = await sample();
  body.chart.result[0].indicators.adjclose[0].adjclose[2] = -0.01;
  assert.match(refusal(body).message, /the adjclose of 2020-09-02 is -0\.01/);
});

Deno.test("a series shorter than the timestamps is refused", async () => {
  const body = await sample();
  body.chart.result[0].indicators.quote[0].low.pop();
  assert.match(refusal(body).message, /low has 48 values for 49 timestamps/);
});

Deno.test("split ratios must be finite and positive; event dates must be real times", async () => {
  const split = (await sample()).chart.result[0].events.splits["1598880600"];
  const cases: [Json, RegExp][] = [
    [{ ...split, denominator: 0 }, /split denominator of 2020-08-31 is 0, not a positive number/],
    [{ ...split, numerator: -4 }, /split numerator of 2020-08-31 is -4/],
    [{ ...split, numerator: 1e308, denominator: 1e-308 }, /the split of 2020-08-31 has the ratio/],
    [{ ...split, date: 1e20 }, /a split has the date 100000000000000000000/],
    [{ ...split, date: "soon" }, /a split has the date "soon"/],
  ];
  for (const [entry, pattern] of cases) {
    const body = await sample();
    body.chart.result[0].events.splits = { x: entry };
    assert.match(refusal(body).message, pattern);
  }
  const body = await sample();
  body.chart.result[0].events.dividends["1604673000"].amount = null;
  assert.match(refusal(body).message, /the dividend of 2020-11-06 is null, not a positive number/);
});

Deno.test("structures of the wrong type are DataFormatErrors, not TypeErrors", async () => {
  const damages: [(r: Json) => void, RegExp][] = [
    [(r) => r.meta = [], /meta is not an object/],
    [(r) => r.timestamp = "1,2", /timestamp is not an array/],
    [(r) => r.indicators.quote = {}, /indicators\.quote is not an array/],
    [(r) => r.indicators.quote = [7], /indicators\.quote\[0\] is not an object/],
    [(r) => r.indicators.adjclose = [], /no adjusted closes/],
    [(r) => r.events = 1, /events is not an object/],
    [(r) => r.events.splits = { a: 1 }, /an entry of events\.splits is not an object/],
  ];
  for (const [damage, pattern] of damages) {
    const body = await sample();
    damage(body.chart.result[0]);
    assert.match(refusal(body).message, pattern);
  }
  assert.throws(() => checkChartResult(null, "u"), /the chart result is not an object/);
});

Deno.test("Yahoo symbols are accepted in Yahoo's spelling and upper-cased", () => {
  const accepted: [string, string][] = [
    ["BRK-B", "BRK-B"],
    ["^GSPC", "^GSPC"],
    ["EURUSD=X", "EURUSD=X"],
    ["7203.T", "7203.T"],
    ["m&m.ns", "M&M.NS"],
    [" spy ", "SPY"],
    ["ES=F", "ES=F"],
  ];
  for (const [given, symbol] of accepted) assert.equal(checkYahooSymbol(given), symbol);
});

Deno.test("tickers that could change the request path or are not symbols raise InvalidTickerError", async () => {
  const refused = [
    ".",
    "..",
    "../v7",
    "A/B",
    "BRK B",
    "SPY\n",
    "SP\u0000Y",
    "",
    "-SPY",
    "SPY.",
    "A..B",
    "^",
    "X".repeat(33),
    "%2E%2E",
  ];
  for (const ticker of refused) {
    assert.throws(
      () => checkYahooSymbol(ticker),
      (e) =>
        e instanceof InvalidTickerError && e instanceof InvalidArgumentError &&
        e.ticker === ticker && /e\.g\. "SPY", "BRK-B", "\^GSPC", "EURUSD=X", "7203\.T"/
          .test(e.message),
      JSON.stringify(ticker),
    );
  }
  assert.throws(() => checkYahooSymbol(42), InvalidTickerError);
  // Refused before any request: no server is needed to see the error.
  await assert.rejects(() => yahooPrices("..", { cache: false }), InvalidTickerError);
  await assert.rejects(() => yahooPrices(["SPY", "a/b"], { cache: false }), InvalidTickerError);
});
