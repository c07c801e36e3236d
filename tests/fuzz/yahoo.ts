/**
 * Yahoo inputs: mutations of the recorded chart response (fields set to hostile values, bytes of
 * the JSON changed) checked against a reading of the mutated JSON, and random tickers checked
 * against the request path they would produce.
 *
 * @module
 */

import { parseYahooChart } from "../../lib/data/yahoo.ts";
import { checkYahooSymbol } from "../../lib/data/yahoo_chart.ts";
import { InvalidTickerError } from "../../lib/data/errors.ts";
import { attempt, OK, type Rng, type Tally, type Verdict } from "./core.ts";

/** The recorded AAPL chart response of the samples. */
export const CHART_SAMPLE = "data/samples/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.body.json";

// deno-lint-ignore no-explicit-any
type Json = any;

const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  -0.01,
  1e308,
  -1e308,
  5e-324,
  "12.5",
  "",
  true,
  [],
  {},
  1.5,
  2 ** 53,
  -(2 ** 53),
  1e15,
  -1e15,
  -3e9,
  "America/New_York",
  "Mars/Base",
  "../../etc",
  "Etc/GMT+12",
  "UTC",
  86_400 * 30,
  64_800,
];

const PRICE_FIELDS = ["open", "high", "low", "close", "volume"];

function mutateChart(body: Json, rng: Rng): string {
  const r = body.chart.result[0];
  const n = r.timestamp.length;
  const i = rng.int(n);
  const value = structuredClone(rng.pick(HOSTILE_VALUES));
  switch (rng.int(9)) {
    case 0:
      r.meta.exchangeTimezoneName = value;
      return `meta.exchangeTimezoneName := ${JSON.stringify(value)}`;
    case 1:
      delete r.meta.exchangeTimezoneName;
      r.meta.gmtoffset = value;
      return `no zone name, meta.gmtoffset := ${JSON.stringify(value)}`;
    case 2:
      r.timestamp[i] = value;
      return `timestamp[${i}] := ${JSON.stringify(value)}`;
    case 3: {
      const field = rng.pick(PRICE_FIELDS);
      r.indicators.quote[0][field][i] = value;
      return `${field}[${i}] := ${JSON.stringify(value)}`;
    }
    case 4:
      r.indicators.adjclose[0].adjclose[i] = value;
      return `adjclose[${i}] := ${JSON.stringify(value)}`;
    case 5: {
      const field = rng.pick(["numerator", "denominator", "date"]);
      r.events.splits["1598880600"][field] = value;
      return `split ${field} := ${JSON.stringify(value)}`;
    }
    case 6: {
      const field = rng.pick(["amount", "date"]);
      r.events.dividends["1604673000"][field] = value;
      return `dividend ${field} := ${JSON.stringify(value)}`;
    }
    case 7: {
      const path = rng.pick(["meta", "timestamp", "indicators", "events", "quote", "adjclose"]);
      if (path === "quote") r.indicators.quote = value;
      else if (path === "adjclose") r.indicators.adjclose = value;
      else r[path] = value;
      return `${path} := ${JSON.stringify(value)}`;
    }
    default: {
      const a = rng.int(n);
      [r.timestamp[a], r.timestamp[i]] = [r.timestamp[i], r.timestamp[a]];
      return `timestamps ${a} and ${i} swapped`;
    }
  }
}

function zoneDate(ts: number, zone: string | undefined, offset: number): string {
  if (zone === undefined) return new Date((ts + offset) * 1000).toISOString().slice(0, 10);
  return new Date(ts * 1000).toLocaleDateString("sv-SE", { timeZone: zone });
}

const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

/** What an accepted chart must hold, read from the mutated JSON without the parser. */
function checkChart(body: Json, accepted: ReturnType<typeof parseYahooChart>): Verdict {
  const r = body.chart.result[0];
  const zone = r.meta?.exchangeTimezoneName ?? undefined;
  const offset = r.meta?.gmtoffset ?? 0;
  const ts: number[] = r.timestamp;
  const q = r.indicators.quote[0];
  const adj = r.indicators.adjclose[0].adjclose;
  const expected = new Map<string, unknown[]>();
  for (let i = 0; i < ts.length; i++) {
    if (!Number.isSafeInteger(ts[i])) return { wrong: `timestamp ${ts[i]} accepted` };
    if (i > 0 && !(ts[i] > ts[i - 1])) return { wrong: `unordered timestamps accepted` };
    const row = [q.open[i], q.high[i], q.low[i], q.close[i], adj[i], q.volume[i]];
    for (const [c, v] of row.entries()) {
      if (
        v !== null && (c === 5 ? !(typeof v === "number" && v >= 0 && isFinite(v)) : !positive(v))
      ) {
        return { wrong: `the value ${JSON.stringify(v)} was accepted as a price or volume` };
      }
    }
    if (q.close[i] === null || adj[i] === null) continue;
    expected.set(zoneDate(ts[i], zone, offset), row);
  }
  const prices = accepted.prices;
  const dates = prices.getColumn("date").toArray() as string[];
  if (dates.length < expected.size) return { loss: `${dates.length} of ${expected.size} bars` };
  if (dates.length > expected.size) {
    return { wrong: `${dates.length - expected.size} bars invented` };
  }
  const columns = ["open", "high", "low", "close", "adjClose", "volume"].map((c) =>
    prices.getColumn(c).toArray()
  );
  for (const [k, date] of dates.entries()) {
    const row = expected.get(date);
    if (row === undefined) {
      return { wrong: `a bar dated ${date}, which the response does not hold` };
    }
    for (let c = 0; c < 6; c++) {
      if (!Object.is(columns[c][k], row[c])) {
        return { wrong: `${date} column ${c} is ${columns[c][k]}, the response says ${row[c]}` };
      }
    }
  }
  const split = r.events?.splits?.["1598880600"];
  const ratios = accepted.splits.getColumn("ratio").toArray() as number[];
  if (split && ratios.length === 1) {
    if (!positive(split.numerator) || !positive(split.denominator) || !positive(ratios[0])) {
      return { wrong: `the split ${JSON.stringify(split)} was accepted` };
    }
  }
  const dividend = r.events?.dividends?.["1604673000"];
  const amounts = accepted.dividends.getColumn("amount").toArray() as number[];
  if (
    dividend && amounts.length === 1 &&
    !(positive(dividend.amount) && amounts[0] === dividend.amount)
  ) {
    return { wrong: `the dividend ${JSON.stringify(dividend)} was read as ${amounts[0]}` };
  }
  return OK;
}

/** Field and byte mutations of the recorded chart response. */
export async function fuzzYahooChart(
  t: Tally,
  rng: Rng,
  count: number,
  limitMs: number,
): Promise<void> {
  const text = await Deno.readTextFile(CHART_SAMPLE);
  for (let n = 0; n < count; n++) {
    if (n % 4 === 3) {
      // Byte-level damage of the JSON text.
      const at = rng.int(text.length);
      const damaged = text.slice(0, at) + rng.pick(["", "9", "-", ",", "}", '"', "e9", "\u0000"]) +
        text.slice(at + 1);
      await attempt(t, `JSON byte ${at}`, () => {
        const accepted = parseYahooChart(new TextEncoder().encode(damaged), { ticker: "AAPL" });
        let body: Json;
        try {
          body = JSON.parse(damaged);
        } catch {
          return { wrong: "JSON that does not parse was accepted" };
        }
        return checkChart(body, accepted);
      }, limitMs);
      continue;
    }
    const body = JSON.parse(text);
    const label = mutateChart(body, rng);
    await attempt(t, label, () => {
      const accepted = parseYahooChart(new TextEncoder().encode(JSON.stringify(body)), {
        ticker: "AAPL",
      });
      return checkChart(body, accepted);
    }, limitMs);
  }
}

const TICKER_CHARS = [..."ABZaz09^.=-&_/\\ %?#\n\t\u0000\u00e9:+*~", "..", "%2F", "%2E"];

/**
 * Random tickers: an accepted one must be a plain symbol whose request path stays the chart
 * path of that symbol; a refused one must raise InvalidTickerError.
 */
export async function fuzzTickers(
  t: Tally,
  rng: Rng,
  count: number,
  limitMs: number,
): Promise<void> {
  for (let n = 0; n < count; n++) {
    let ticker = "";
    const length = rng.int(8);
    for (let i = 0; i < length; i++) ticker += rng.pick(TICKER_CHARS);
    await attempt(t, `ticker ${JSON.stringify(ticker)}`, () => {
      let symbol: string;
      try {
        symbol = checkYahooSymbol(ticker);
      } catch (error) {
        if (error instanceof InvalidTickerError) throw error;
        return { wrong: `refused with ${(error as Error).name}, not InvalidTickerError` };
      }
      const path = `/v8/finance/chart/${encodeURIComponent(symbol)}`;
      const url = new URL(`http://127.0.0.1${path}?period1=0`);
      if (url.pathname !== path || decodeURIComponent(url.pathname.split("/")[4]) !== symbol) {
        return { wrong: `${JSON.stringify(ticker)} changes the request path to ${url.pathname}` };
      }
      if (!/^\^?[A-Z0-9&]+(?:[-.=][A-Z0-9&]+)*$/.test(symbol)) {
        return { wrong: `${JSON.stringify(symbol)} was accepted as a symbol` };
      }
      return OK;
    }, limitMs);
  }
}
