import assert from "node:assert/strict";
import {
  EmptyRangeError,
  type RetryEvent,
  UnknownTickerError,
  YahooAuthError,
  YahooConsentError,
  YahooInvalidRequestError,
  yahooPrices,
  YahooRangeLimitError,
  YahooRateLimitError,
} from "../lib/data/mod.ts";
import { yahooEndpoints } from "../lib/data/config.ts";
import { Pacer } from "../lib/data/pacing.ts";
import { YAHOO_RETRY } from "../lib/data/yahoo_session.ts";
import { chartPeriods } from "../lib/data/yahoo.ts";
import { startFixtureServer } from "./support/fixture_server.ts";

const RANGE = { start: "2015-01-01", end: "2015-12" };
const FAST = { retries: 2, baseDelayMs: 1 };

/** The requests a server saw, as "host path" without the query. */
function paths(requests: { path: string; host?: string }[]): string[] {
  return requests.map((r) => `${r.host ?? "-"} ${r.path.replace(/\?.*$/, "")}`);
}

Deno.test("the second host and the cookie and crumb endpoints derive from Yahoo's host, not from a mirror", () => {
  const saved = ["FALLBACK", "COOKIE", "CRUMB"].map((k) =>
    Deno.env.get(`FACTORLAB_YAHOO_${k}_URL`)
  );
  try {
    for (const k of ["FALLBACK", "COOKIE", "CRUMB"]) Deno.env.delete(`FACTORLAB_YAHOO_${k}_URL`);
    assert.deepEqual(yahooEndpoints({ source: "https://query2.finance.yahoo.com" }), {
      base: "https://query2.finance.yahoo.com",
      fallback: "https://query1.finance.yahoo.com",
      cookieUrl: "https://fc.yahoo.com",
      crumbUrl: "https://query1.finance.yahoo.com/v1/test/getcrumb",
    });
    assert.equal(
      yahooEndpoints({ source: "https://query1.finance.yahoo.com/" }).fallback,
      "https://query2.finance.yahoo.com",
    );
    // A mirror is not Yahoo: no second host, no cookie, unless configured.
    assert.deepEqual(yahooEndpoints({ source: "http://127.0.0.1:9/yahoo" }), {
      base: "http://127.0.0.1:9/yahoo",
    });
    assert.deepEqual(
      yahooEndpoints({
        source: "http://127.0.0.1:9/yahoo",
        fallbackSource: "http://127.0.0.1:8/yahoo/",
        cookieSource: "http://127.0.0.1:9/fc",
      }),
      {
        base: "http://127.0.0.1:9/yahoo",
        fallback: "http://127.0.0.1:8/yahoo",
        cookieUrl: "http://127.0.0.1:9/fc",
        crumbUrl: "http://127.0.0.1:9/yahoo/v1/test/getcrumb",
      },
    );
    // The environment configures them like the chart base; false or "none" turns them off.
    Deno.env.set("FACTORLAB_YAHOO_FALLBACK_URL", "http://127.0.0.1:7/q1");
    Deno.env.set("FACTORLAB_YAHOO_COOKIE_URL", "http://127.0.0.1:7/fc");
    Deno.env.set("FACTORLAB_YAHOO_CRUMB_URL", "http://127.0.0.1:7/q1");
    assert.deepEqual(yahooEndpoints({ source: "http://127.0.0.1:7/q2" }), {
      base: "http://127.0.0.1:7/q2",
      fallback: "http://127.0.0.1:7/q1",
      cookieUrl: "http://127.0.0.1:7/fc",
      crumbUrl: "http://127.0.0.1:7/q1/v1/test/getcrumb",
    });
    assert.deepEqual(
      yahooEndpoints({
        source: "https://query2.finance.yahoo.com",
        fallbackSource: false,
        cookieSource: false,
      }),
      { base: "https://query2.finance.yahoo.com" },
    );
    Deno.env.set("FACTORLAB_YAHOO_FALLBACK_URL", "none");
    assert.equal(
      yahooEndpoints({ source: "https://query2.finance.yahoo.com" }).fallback,
      undefined,
    );
  } finally {
    ["FALLBACK", "COOKIE", "CRUMB"].forEach((k, i) => {
      const v = saved[i];
      v === undefined
        ? Deno.env.delete(`FACTORLAB_YAHOO_${k}_URL`)
        : Deno.env.set(`FACTORLAB_YAHOO_${k}_URL`, v);
    });
  }
});

Deno.test("a 401 'Invalid Crumb' gets a cookie from the cookie endpoint, a crumb with it, and the request again with both", async () => {
  const server = await startFixtureServer();
  try {
    const source = server.fail("needcrumb401", "yahoo");
    const events: RetryEvent[] = [];
    const options = {
      ...RANGE,
      source,
      cookieSource: server.cookieUrl,
      crumbSource: server.yahooBase,
      cache: false,
      onRetry: (e: RetryEvent) => events.push(e),
    };
    const spy = await yahooPrices("SPY", options);
    assert.equal(spy.prices.height, 252);
    assert.deepEqual(paths(server.requests), [
      "- /fail/needcrumb401/yahoo/v8/finance/chart/SPY",
      "- /fc",
      "- /yahoo/v1/test/getcrumb",
      "- /fail/needcrumb401/yahoo/v8/finance/chart/SPY",
    ]);
    const [, cookie, crumb, again] = server.requests;
    assert.match(cookie.headers.get("user-agent") ?? "", /Chrome/);
    assert.match(crumb.headers.get("cookie") ?? "", /^A3=d=AQABBfixture0&S=AQAAAfixture$/);
    assert.equal(again.headers.get("cookie"), crumb.headers.get("cookie"));
    assert.equal(new URL(again.path, server.url).searchParams.get("crumb"), "fixCrumb0.x");
    assert.deepEqual(events.map((e) => [e.status, e.reason]), [[401, "cookie-crumb"]]);
    // The cookie and crumb are kept for the next request: no second exchange.
    await yahooPrices("VBR", options);
    assert.equal(server.requests.length, 5);
    assert.match(server.requests[4].path, /crumb=fixCrumb0\.x/);
  } finally {
    await server.close();
  }
});

Deno.test("a plain 429 also triggers the cookie-and-crumb exchange once", async () => {
  const server = await startFixtureServer();
  try {
    const vbr = await yahooPrices("VBR", {
      ...RANGE,
      source: server.fail("needcrumb429", "yahoo"),
      cookieSource: server.cookieUrl,
      crumbSource: server.yahooBase,
      cache: false,
    });
    assert.equal(vbr.prices.height, 252);
    assert.deepEqual(paths(server.requests).map((p) => p.split("/").pop()), [
      "VBR",
      "fc",
      "getcrumb",
      "VBR",
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("a refusal the crumb cannot fix ends in YahooAuthError saying why, after one exchange", async () => {
  const server = await startFixtureServer();
  try {
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("needcrumb401", "yahoo"),
          cookieSource: server.fail("nocookie", "fc"),
          cache: false,
          retry: FAST,
        }),
      (e: unknown) =>
        e instanceof YahooAuthError && e.status === 401 && /Invalid Crumb/.test(e.message) &&
        /set no cookie/.test(e.message) && /readPriceCsv/.test(e.message),
    );
    assert.equal(paths(server.requests).filter((p) => p.endsWith("/fc")).length, 1);
    // Without a cookie endpoint (a mirror), the refusal is reported at once.
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("needcrumb401", "yahoo"),
          cache: false,
        }),
      (e: unknown) =>
        e instanceof YahooAuthError && /no cookie endpoint is configured/.test(e.message),
    );
  } finally {
    await server.close();
  }
});

Deno.test("a failing first host falls back to the second at once (query2 → query1)", async () => {
  const server = await startFixtureServer();
  try {
    const events: RetryEvent[] = [];
    const spy = await yahooPrices("SPY", {
      ...RANGE,
      source: server.yahooHost("query2", "429-nora"),
      fallbackSource: server.yahooHost("query1"),
      cache: false,
      onRetry: (e) => events.push(e),
    });
    assert.equal(spy.prices.height, 252);
    assert.deepEqual(paths(server.requests), [
      "query2 /host/query2/fail/429-nora/yahoo/v8/finance/chart/SPY",
      "query1 /host/query1/yahoo/v8/finance/chart/SPY",
    ]);
    assert.deepEqual(events.map((e) => [e.status, e.delayMs, e.reason]), [[
      429,
      0,
      "fallback-host",
    ]]);
    // Outages and dropped connections fall back too.
    const vbr = await yahooPrices("VBR", {
      ...RANGE,
      source: server.yahooHost("query2", "500"),
      fallbackSource: server.yahooHost("query1"),
      cache: false,
    });
    assert.equal(vbr.prices.height, 252);
  } finally {
    await server.close();
  }
});

Deno.test("a persistent plain 429 ends within 25 s in YahooRateLimitError that says what was tried and what to do", async () => {
  const server = await startFixtureServer();
  try {
    const started = performance.now();
    const waits: number[] = [];
    let failure: unknown;
    try {
      await yahooPrices("SPY", {
        ...RANGE,
        source: server.yahooHost("query2", "429-nora"),
        fallbackSource: server.yahooHost("query1", "429-nora"),
        cookieSource: server.cookieUrl,
        crumbSource: server.yahooHost("query1"),
        cache: false,
        onRetry: (event) => waits.push(event.delayMs),
      });
    } catch (error) {
      failure = error;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`persistent 429: gave up after ${seconds.toFixed(1)} s`);
    // What bounds the time is the plan, not this machine's speed: the waits it chose add up to
    // at most the 20 s budget, which leaves 5 s of the 25 for the requests themselves.
    const waited = waits.reduce((a, b) => a + b, 0);
    assert.ok(waits.length >= 3, `only ${waits.length} retries`);
    assert.ok(
      waited <= YAHOO_RETRY.maxElapsedMs && YAHOO_RETRY.maxElapsedMs <= 20_000,
      `${waited} ms`,
    );
    assert.ok(failure instanceof YahooRateLimitError, String(failure));
    assert.equal(failure.status, 429);
    assert.match(failure.message, /Yahoo Finance is rate limiting these requests/);
    assert.match(failure.message, /both hosts .* and a fresh cookie and crumb/);
    for (const advice of [/Wait/, /FACTORLAB_OFFLINE=1/, /readPriceCsv\(\)/, /\{ source \}/]) {
      assert.match(failure.message, advice);
    }
    const seen = paths(server.requests);
    assert.equal(seen.filter((p) => p.endsWith("/fc")).length, 1);
    assert.equal(seen.filter((p) => p.endsWith("/getcrumb")).length, 1);
    const charts = seen.filter((p) => p.includes("/chart/"));
    assert.equal(failure.attempts, charts.length);
    assert.ok(
      charts.some((p) => p.startsWith("query1")) && charts.some((p) => p.startsWith("query2")),
    );
  } finally {
    await server.close();
  }
});

Deno.test("Yahoo's consent page is recognised, on the chart and on the cookie endpoint", async () => {
  const server = await startFixtureServer();
  try {
    await assert.rejects(
      () => yahooPrices("SPY", { ...RANGE, source: server.fail("consent", "yahoo"), cache: false }),
      (e: unknown) => e instanceof YahooConsentError && /consent\.yahoo\.com/.test(e.message),
    );
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          ...RANGE,
          source: server.fail("needcrumb401", "yahoo"),
          cookieSource: server.fail("consent", "fc"),
          cache: false,
        }),
      YahooConsentError,
    );
  } finally {
    await server.close();
  }
});

Deno.test("Yahoo's error texts map to specific errors", async () => {
  const answers: [number, string, string, (e: unknown) => boolean][] = [
    [
      422,
      "Unprocessable Entity",
      "1d data not available for startTime=-2208988800 and endTime=1630245075. Only 100 years " +
      "worth of day granularity data are allowed to be fetched per request.",
      (e: unknown) => e instanceof YahooRangeLimitError && e.ticker === "SPY",
    ],
    [
      400,
      "Bad Request",
      "Invalid input - start date cannot be after end date. startDate = 1, endDate = 0",
      (e: unknown) =>
        e instanceof YahooInvalidRequestError && /start date cannot be after/.test(e.message),
    ],
    [
      404,
      "Not Found",
      "No data found, symbol may be delisted",
      (e: unknown) => e instanceof UnknownTickerError && /may be delisted/.test(e.message),
    ],
    [
      400,
      "Bad Request",
      "Data doesn't exist for startDate = 1, endDate = 2",
      (e: unknown) => e instanceof EmptyRangeError,
    ],
  ];
  for (const [status, code, description, check] of answers) {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => Response.json({ chart: { result: null, error: { code, description } } }, { status }),
    );
    try {
      await assert.rejects(
        () =>
          yahooPrices("SPY", {
            ...RANGE,
            source: `http://127.0.0.1:${server.addr.port}`,
            cache: false,
          }),
        check,
        description,
      );
    } finally {
      await server.shutdown();
    }
  }
});

Deno.test("without a start, a request stays inside Yahoo's 100-year limit; an earlier start is fetched in parts", async () => {
  const server = await startFixtureServer();
  try {
    const spy = await yahooPrices("SPY", {
      end: "2020-12",
      source: server.yahooBase,
      cache: false,
    });
    assert.equal(spy.prices.getColumn("date").get(0), "1993-01-29");
    const [only] = server.requests.map((r) => new URL(r.path, server.url).searchParams);
    const span = Number(only.get("period2")) - Number(only.get("period1"));
    assert.ok(span < 100 * 365.25 * 86_400, `${span / 86_400 / 365.25} years`);
    assert.equal(only.get("period1"), String(chartPeriods("1922-01-01", "2020-12-31").period1));
    const long = await yahooPrices("SPY", {
      start: "1850-01-01",
      end: "2020-12",
      source: server.yahooBase,
      cache: false,
    });
    assert.deepEqual(long.prices.row(0), spy.prices.row(0));
    assert.equal(long.prices.height, spy.prices.height);
    assert.equal(server.requests.length, 1 + 2);
  } finally {
    await server.close();
  }
});

Deno.test("a pacer runs one task at a time and starts each at least the interval after the last", async () => {
  // A clock of the test's own: the spacing is exact, whatever the machine's load.
  let now = 1_000;
  const clock = {
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
  };
  const pacer = new Pacer({ concurrency: 1, minIntervalMs: 60, jitter: 0 }, clock);
  const starts: number[] = [];
  let running = 0;
  let most = 0;
  const task = (work: number) =>
    pacer.run(async () => {
      starts.push(now);
      most = Math.max(most, ++running);
      now += work;
      await Promise.resolve();
      running--;
    });
  await Promise.all([task(5), task(100), task(5), task(5)]);
  assert.equal(most, 1);
  // The second starts 60 ms after the first; the third waits for the slow second (105 ms in
  // all), which is already more than the interval after its start; the fourth 60 after the third.
  assert.deepEqual(starts, [1_000, 1_060, 1_160, 1_220]);
});

Deno.test("downloads of several tickers all go through a pacer of one at a time", async () => {
  const server = await startFixtureServer();
  try {
    await yahooPrices(["SPY", "VBR", "AAPL"], {
      ...RANGE,
      source: server.yahooBase,
      cache: false,
      concurrency: 3,
      pace: { concurrency: 1, minIntervalMs: 60, jitter: 0 },
      progress: false,
    });
    assert.deepEqual(
      server.requests.map((r) => r.path.match(/chart\/([A-Z]+)/)?.[1]).sort(),
      ["AAPL", "SPY", "VBR"],
    );
  } finally {
    await server.close();
  }
});
