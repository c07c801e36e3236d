import assert from "node:assert/strict";
import {
  EmptyRangeError,
  InvalidArgumentError,
  NetworkError,
  parseYahooChart,
  RateLimitError,
  readPriceCsv,
  type RetryEvent,
  ServerError,
  TimeoutError,
  UnexpectedContentError,
  UnknownTickerError,
  yahooPrices,
} from "../lib/data/mod.ts";
import { toMonthlyReturns } from "../lib/pipeline/mod.ts";
import { assertNear } from "./support/assert.ts";
import { startFixtureServer } from "./support/fixture_server.ts";

const VBR_CSV = "data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv";
const SPY_CSV = "data/samples/prices/SPY_daily_1993-01-29_2024-08-02.csv";
const RANGE = { start: "2010-01-01", end: "2020-12" };
const FAST = { retries: 2, baseDelayMs: 1 };

Deno.test("a recorded chart response parses into dated bars, the 4:1 split and the dividend", async () => {
  const body = await Deno.readFile(
    "data/samples/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.body.json",
  );
  const aapl = parseYahooChart(body, { ticker: "AAPL" });
  assert.equal(aapl.prices.height, 49);
  assert.deepEqual(aapl.prices.columns, [
    "date",
    "open",
    "high",
    "low",
    "close",
    "adjClose",
    "volume",
  ]);
  // Timestamp 1598880600 is 2020-08-31 13:30Z, the New York open.
  assert.deepEqual(aapl.prices.row(0).slice(0, 1), ["2020-08-31"]);
  assertNear(aapl.prices.getColumn("close").get(0), 129.0399932861328);
  assertNear(aapl.prices.getColumn("adjClose").get(0), 125.82673645019531);
  assert.equal(aapl.prices.getColumn("date").get(48), "2020-11-06");
  assert.deepEqual(aapl.splits.row(0), ["2020-08-31", 4, 1, 4]);
  assert.deepEqual(aapl.dividends.row(0), ["2020-11-06", 0.205]);
  assert.equal(aapl.currency, "USD");
  assert.equal(aapl.timezone, "America/New_York");
  assert.equal(aapl.droppedNullBars, 0);
  const september = parseYahooChart(body, {
    ticker: "AAPL",
    start: "2020-09-01",
    end: "2020-09-30",
  });
  assert.equal(september.prices.height, 21);
  assert.equal(september.splits.height, 0);
});

/** A chart body with two bars at the given instants, in the shape Yahoo sends. */
function chartAt(instants: string[], meta: Record<string, unknown>): Uint8Array {
  const values = instants.map((_, i) => i + 1);
  return new TextEncoder().encode(JSON.stringify({
    chart: {
      result: [{
        meta,
        timestamp: instants.map((t) => Date.parse(t) / 1000),
        indicators: {
          quote: [{ open: values, high: values, low: values, close: values, volume: values }],
          adjclose: [{ adjclose: values }],
        },
      }],
      error: null,
    },
  }));
}

Deno.test("bars are dated in the exchange's time zone, not in UTC", () => {
  // The ASX opens at 10:00 in Sydney: 23:00 UTC the day before in summer (AEDT, +11),
  // 00:00 UTC the same day in winter (AEST, +10).
  const instants = ["2020-01-01T23:00:00Z", "2020-07-02T00:00:00Z"];
  const zoned = parseYahooChart(
    chartAt(instants, { exchangeTimezoneName: "Australia/Sydney", gmtoffset: 36000 }),
    { ticker: "BHP.AX" },
  );
  assert.deepEqual(zoned.prices.getColumn("date").toArray(), ["2020-01-02", "2020-07-02"]);
  // Without a zone name, the response's gmtoffset (+11 h at request time) dates the bars.
  const offset = parseYahooChart(chartAt(instants, { gmtoffset: 39600 }), { ticker: "BHP.AX" });
  assert.deepEqual(offset.prices.getColumn("date").toArray(), ["2020-01-02", "2020-07-02"]);
});

Deno.test("VBR 2010-2020 from the chart API has the source file's trading days and adjusted closes", async () => {
  const server = await startFixtureServer();
  try {
    const vbr = await yahooPrices("vbr", { ...RANGE, source: server.yahooBase, cache: false });
    const file = await readPriceCsv(VBR_CSV, RANGE);
    assert.equal(vbr.ticker, "VBR");
    assert.equal(vbr.prices.height, 2769);
    // Dates survive the UTC timestamps across every DST change, and prices are unchanged.
    assert.deepEqual(vbr.prices.getColumn("date").toArray(), file.getColumn("date").toArray());
    assert.deepEqual(
      vbr.prices.getColumn("adjClose").toArray(),
      file.getColumn("adjClose").toArray(),
    );
    assert.deepEqual(vbr.prices.row(0), ["2010-01-04", ...file.row(0).slice(1)]);
    // Ex-dividend dates of 2020, where Adj Close / Close steps up in the source file.
    const exDates = vbr.dividends.getColumn("date").toArray().map(String).filter((d) =>
      d.startsWith("2020")
    );
    assert.deepEqual(exDates, ["2020-03-10", "2020-06-25", "2020-09-25", "2020-12-24"]);
    const request = new URL(server.requests[0].path, server.url);
    assert.equal(request.pathname, "/yahoo/v8/finance/chart/VBR");
    assert.equal(request.searchParams.get("interval"), "1d");
    assert.equal(request.searchParams.get("events"), "div,splits");
    assert.equal(Number(request.searchParams.get("period1")), Date.parse("2009-12-31") / 1000);
  } finally {
    await server.close();
  }
});

Deno.test("SPY monthly returns from chart prices match the hand-checked month-end values", async () => {
  const server = await startFixtureServer();
  try {
    const spy = await yahooPrices("SPY", {
      start: "2009-12-01",
      end: "2020-12",
      source: server.yahooBase,
      cache: false,
    });
    const monthly = toMonthlyReturns(spy.prices);
    assert.equal(monthly.height, 132);
    assert.equal(monthly.getColumn("period").get(0), "2010-01");
    assertNear(monthly.getColumn("return").get(0), -0.03634, 5e-6);
    assertNear(monthly.getColumn("return").get(131), 0.03705, 5e-6);
    const file = await readPriceCsv(SPY_CSV, { start: "2009-12-01", end: "2020-12" });
    assert.deepEqual(
      monthly.getColumn("return").toArray(),
      toMonthlyReturns(file).getColumn("return").toArray(),
    );
  } finally {
    await server.close();
  }
});

Deno.test("several tickers come back long or wide, with failures collected and progress reported", async () => {
  const server = await startFixtureServer();
  try {
    const options = { ...RANGE, source: server.yahooBase, cache: false };
    const events: string[] = [];
    const long = await yahooPrices(["VBR", "SPY", "NOPE"], {
      ...options,
      onError: "collect",
      progress: (e) => events.push(`${e.done}/${e.total}:${e.ok}`),
    });
    assert.equal(long.prices.height, 2 * 2769);
    assert.deepEqual(long.prices.columns.slice(0, 2), ["ticker", "date"]);
    assert.deepEqual(long.histories.map((h) => h.ticker), ["VBR", "SPY"]);
    assert.equal(long.failures.length, 1);
    assert.ok(long.failures[0].error instanceof UnknownTickerError);
    assert.deepEqual(events.map((e) => e.split(":")[0]), ["1/3", "2/3", "3/3"]);
    assert.equal(events.length, 3);
    assert.equal(events.filter((e) => e.endsWith(":false")).length, 1);
    const wide = await yahooPrices(["VBR", "SPY"], { ...options, layout: "wide", progress: false });
    assert.deepEqual(wide.prices.columns, ["date", "VBR", "SPY"]);
    assert.equal(wide.prices.height, 2769);
    await assert.rejects(
      () => yahooPrices(["VBR", "NOPE"], { ...options, progress: false }),
      UnknownTickerError,
    );
  } finally {
    await server.close();
  }
});

Deno.test("several tickers with the default progress work outside a notebook and a terminal", async () => {
  const server = await startFixtureServer();
  try {
    const both = await yahooPrices(["VBR", "SPY"], {
      ...RANGE,
      source: server.yahooBase,
      cache: false,
    });
    assert.equal(both.prices.height, 2 * 2769);
  } finally {
    await server.close();
  }
});

Deno.test("an unknown ticker raises UnknownTickerError with Yahoo's description", async () => {
  const server = await startFixtureServer();
  try {
    await assert.rejects(
      () => yahooPrices("NOPE", { ...RANGE, source: server.yahooBase, cache: false }),
      (e) =>
        e instanceof UnknownTickerError && e.ticker === "NOPE" &&
        /No data found, symbol may be delisted/.test(e.message),
    );
    await assert.rejects(() => yahooPrices("BAD TICKER", RANGE), InvalidArgumentError);
    await assert.rejects(
      () => yahooPrices("SPY", { start: "2021-01-01", end: "2020-01-01" }),
      InvalidArgumentError,
    );
  } finally {
    await server.close();
  }
});

Deno.test("429 answers are retried, waiting as long as Retry-After asks", async () => {
  const server = await startFixtureServer();
  try {
    const retries: RetryEvent[] = [];
    const vbr = await yahooPrices("VBR", {
      ...RANGE,
      source: server.fail("429x1-ra1", "yahoo"),
      cache: false,
      retry: FAST,
      onRetry: (e) => retries.push(e),
    });
    assert.equal(vbr.prices.height, 2769);
    assert.deepEqual(retries.map((r) => [r.attempt, r.status, r.delayMs]), [[1, 429, 1000]]);
    const backoff: RetryEvent[] = [];
    await yahooPrices("VBR", {
      ...RANGE,
      source: server.fail("429x2-ra0", "yahoo"),
      cache: false,
      retry: { retries: 3, baseDelayMs: 5, jitter: 0 },
      onRetry: (e) => backoff.push(e),
    });
    // Without a Retry-After wait, the delay doubles: 5 ms, then 10 ms.
    assert.deepEqual(backoff.map((r) => r.delayMs), [5, 10]);
    // With the default jitter each wait is drawn from the upper half of the doubled delay.
    const jittered: RetryEvent[] = [];
    await yahooPrices("VBR", {
      ...RANGE,
      source: server.fail("429x3-nora", "yahoo"),
      cache: false,
      retry: { retries: 3, baseDelayMs: 40 },
      onRetry: (e) => jittered.push(e),
    });
    assert.deepEqual(jittered.map((r) => r.reason), ["backoff", "backoff", "backoff"]);
    jittered.forEach((r, i) => {
      const full = 40 * 2 ** i;
      assert.ok(r.delayMs >= full / 2 && r.delayMs <= full, `retry ${i + 1} waited ${r.delayMs}`);
    });
  } finally {
    await server.close();
  }
});

Deno.test("persistent 429s end in RateLimitError, at once when Retry-After (seconds or date) exceeds the limit", async () => {
  const server = await startFixtureServer();
  try {
    await assert.rejects(
      () =>
        yahooPrices("VBR", {
          ...RANGE,
          source: server.fail("429-ra0", "yahoo"),
          cache: false,
          retry: FAST,
        }),
      (e) => e instanceof RateLimitError && e.attempts === 3 && e.status === 429,
    );
    const before = server.requests.length;
    await assert.rejects(
      () =>
        yahooPrices("VBR", {
          ...RANGE,
          source: server.fail("429-ra120", "yahoo"),
          cache: false,
          retry: { ...FAST, maxDelayMs: 60_000 },
        }),
      (e) => e instanceof RateLimitError && e.attempts === 1 && e.retryAfterMs === 120_000,
    );
    assert.equal(server.requests.length, before + 1);
    // Retry-After may also be an HTTP date: about two minutes ahead, so again no retry.
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("429-radate120", "yahoo"),
          cache: false,
          retry: { ...FAST, maxDelayMs: 60_000 },
        }),
      (e) =>
        e instanceof RateLimitError && e.attempts === 1 && e.retryAfterMs !== undefined &&
        e.retryAfterMs > 100_000 && e.retryAfterMs <= 120_000,
    );
    assert.equal(server.requests.length, before + 2);
  } finally {
    await server.close();
  }
});

Deno.test("server errors are retried and then reported as ServerError", async () => {
  const server = await startFixtureServer();
  try {
    const recovered = await yahooPrices("SPY", {
      ...RANGE,
      source: server.fail("500x1", "yahoo"),
      cache: false,
      retry: FAST,
    });
    assert.equal(recovered.prices.height, 2769);
    assert.equal(server.requests.length, 2);
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("500", "yahoo"),
          cache: false,
          retry: FAST,
        }),
      (e) => e instanceof ServerError && e.status === 500 && e.attempts === 3,
    );
  } finally {
    await server.close();
  }
});

Deno.test("an HTML page, a truncated body and a slow answer fail with distinct errors", async () => {
  const server = await startFixtureServer();
  try {
    const options = { ...RANGE, cache: false, retry: FAST };
    await assert.rejects(
      () => yahooPrices("SPY", { ...options, source: server.fail("html", "yahoo") }),
      (e) => e instanceof UnexpectedContentError && /HTML page/.test(e.message),
    );
    await assert.rejects(
      () => yahooPrices("SPY", { ...options, source: server.fail("truncated", "yahoo") }),
      (e) => e instanceof UnexpectedContentError && /not chart JSON/.test(e.message),
    );
    await assert.rejects(
      () =>
        yahooPrices("SPY", { ...options, source: server.fail("slow5000", "yahoo"), timeoutMs: 50 }),
      (e) => e instanceof TimeoutError && e.timeoutMs === 50,
    );
  } finally {
    await server.close();
  }
});

Deno.test("a range without trading days raises EmptyRangeError", async () => {
  const server = await startFixtureServer();
  try {
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          start: "2020-01-04",
          end: "2020-01-05",
          source: server.yahooBase,
          cache: false,
        }),
      // The end day is exclusive: the range is Saturday 2020-01-04 alone.
      (e) => e instanceof EmptyRangeError && /2020-01-04 and 2020-01-04/.test(e.message),
    );
    // Before the first trade (SPY: 1993-01-29) Yahoo answers HTTP 400 "Data doesn't exist…".
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          start: "1990-01-01",
          end: "1992-12",
          source: server.yahooBase,
          cache: false,
        }),
      (e) =>
        e instanceof EmptyRangeError && e.ticker === "SPY" &&
        /No prices for SPY between 1990-01-01 and 1992-12-31/.test(e.message),
    );
  } finally {
    await server.close();
  }
});

Deno.test("an unreachable server and a dropped connection raise NetworkError after retries", async () => {
  const server = await startFixtureServer();
  const closed = await startFixtureServer();
  await closed.close();
  try {
    const retries: RetryEvent[] = [];
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: closed.yahooBase,
          cache: false,
          retry: FAST,
          onRetry: (e) => retries.push(e),
        }),
      (e) =>
        e instanceof NetworkError && e.attempts === 3 && e.url.startsWith(closed.yahooBase) &&
        /Could not download .* after 3 attempt\(s\).*Check the network connection/.test(e.message),
    );
    assert.deepEqual(retries.map((r) => r.status), [0, 0]);
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("cut", "yahoo"),
          cache: false,
          retry: FAST,
        }),
      (e) => e instanceof NetworkError && e.attempts === 3,
    );
  } finally {
    await server.close();
  }
});

Deno.test("bars without prices are dropped and counted", async () => {
  const server = await startFixtureServer();
  try {
    const vbr = await yahooPrices("VBR", {
      ...RANGE,
      source: server.fail("nullbars", "yahoo"),
      cache: false,
    });
    assert.ok(vbr.droppedNullBars >= 276 && vbr.droppedNullBars <= 277, `${vbr.droppedNullBars}`);
    assert.equal(vbr.prices.height + vbr.droppedNullBars, 2769);
    assert.equal(vbr.prices.getColumn("adjClose").nullCount(), 0);
  } finally {
    await server.close();
  }
});

Deno.test("chart requests carry a desktop browser's headers, overridable; the base URL can come from the environment", async () => {
  const server = await startFixtureServer();
  Deno.env.set("FACTORLAB_YAHOO_BASE_URL", server.yahooBase);
  try {
    await yahooPrices("SPY", { ...RANGE, cache: false });
    const sent = server.requests[0].headers;
    assert.match(
      sent.get("user-agent") ?? "",
      /^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\).* Chrome\/1\d\d\./,
    );
    assert.equal(sent.get("accept"), "*/*");
    assert.equal(sent.get("accept-language"), "en-US,en;q=0.9");
    assert.equal(sent.get("origin"), "https://finance.yahoo.com");
    assert.equal(sent.get("referer"), "https://finance.yahoo.com/quote/SPY/history/");
    assert.equal(sent.get("sec-fetch-mode"), "cors");
    assert.equal(sent.get("sec-fetch-site"), "same-site");
    assert.match(sent.get("sec-ch-ua") ?? "", /Chromium/);
    // No cookie or crumb until Yahoo asks for one (as yahoo-finance2 does for the chart API).
    assert.equal(sent.get("cookie"), null);
    assert.ok(!server.requests[0].path.includes("crumb="));
    await yahooPrices("SPY", { ...RANGE, cache: false, headers: { "User-Agent": "my-lab/1.0" } });
    assert.equal(server.requests[1].headers.get("user-agent"), "my-lab/1.0");
  } finally {
    Deno.env.delete("FACTORLAB_YAHOO_BASE_URL");
    await server.close();
  }
});
