/**
 * Inputs of the cold-start benchmark (task 5): a stand-in for the Ken French library and Yahoo
 * on a loopback port, serving the synthetic FF3 factors and daily prices of `bench/data.ts` in
 * their real formats, so that one online run of the CLI fills a cache and the timed runs read
 * it offline; and the same data as plain CSV files for the Python reference.
 *
 * @module
 */

import { strToU8, zipSync } from "fflate";
import { DATA_DIR, type Meta, readF64 } from "./data.ts";

/** The Ken French file as the library writes it: percent, CRLF, an annual table after it. */
async function frenchCsv(meta: Meta): Promise<string> {
  const { periods } = meta.cold;
  const f = await readF64("cold_factors.f64");
  const rf = await readF64("cold_rf.f64");
  const m = periods.length;
  const pct = (v: number) => (v * 100).toFixed(2).padStart(7);
  const rows = periods.map((p, i) =>
    `${p.replace("-", "")},${pct(f[i])},${pct(f[m + i])},${pct(f[2 * m + i])},${pct(rf[i])}`
  );
  return [
    "This file was created by the factorlab benchmark (synthetic data).",
    "",
    ",Mkt-RF,SMB,HML,RF",
    ...rows,
    "",
    " Annual Factors: January-December ",
    ",Mkt-RF,SMB,HML,RF",
    "  2000,   1.00,   1.00,   1.00,   1.00",
    "",
    "Copyright 2026 factorlab benchmark",
    "",
  ].join("\r\n");
}

/** Yahoo chart JSON of the synthetic ticker: bars at the New York open of each day. */
async function chartJson(meta: Meta): Promise<string> {
  const { dates, ticker } = meta.cold;
  const prices = Array.from(await readF64("cold_prices.f64"));
  return JSON.stringify({
    chart: {
      result: [{
        meta: {
          currency: "USD",
          symbol: ticker,
          exchangeName: "PCX",
          instrumentType: "ETF",
          gmtoffset: -18000,
          timezone: "EST",
          exchangeTimezoneName: "America/New_York",
          dataGranularity: "1d",
        },
        timestamp: dates.map((d) => Date.parse(`${d}T14:30:00Z`) / 1000),
        events: {},
        indicators: {
          quote: [{
            open: prices,
            high: prices,
            low: prices,
            close: prices,
            volume: prices.map(() => 1e6),
          }],
          adjclose: [{ adjclose: prices }],
        },
      }],
      error: null,
    },
  });
}

/** A running loopback server; `frenchBase` and `yahooBase` go into the FACTORLAB_* variables. */
export interface ColdServer {
  frenchBase: string;
  yahooBase: string;
  close(): Promise<void>;
}

/** Serves the synthetic FF3 zip and chart JSON on 127.0.0.1. */
export async function startColdServer(meta: Meta): Promise<ColdServer> {
  const zip = zipSync({ "F-F_Research_Data_Factors.csv": strToU8(await frenchCsv(meta)) });
  const chart = await chartJson(meta);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/french/ftp/F-F_Research_Data_Factors_CSV.zip") {
      return new Response(zip, { headers: { "content-type": "application/x-zip-compressed" } });
    }
    if (path === `/yahoo/v8/finance/chart/${meta.cold.ticker}`) {
      return new Response(chart, { headers: { "content-type": "application/json" } });
    }
    return new Response("Not Found", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    frenchBase: `${base}/french`,
    yahooBase: `${base}/yahoo`,
    close: () => server.shutdown(),
  };
}

/** Writes the same prices and factors as CSV for the Python reference; returns their paths. */
export async function writeColdCsv(meta: Meta): Promise<{ prices: string; factors: string }> {
  const prices = `${DATA_DIR}/cold_prices.csv`;
  const factors = `${DATA_DIR}/cold_ff3.csv`;
  const close = await readF64("cold_prices.f64");
  await Deno.writeTextFile(
    prices,
    ["Date,Adj Close", ...meta.cold.dates.map((d, i) => `${d},${close[i]}`)].join("\n") + "\n",
  );
  const text = await frenchCsv(meta);
  const table = text.split("\r\n").slice(2).filter((l) => /^\s*,|^\d{6},/.test(l)).slice(0, -1);
  await Deno.writeTextFile(factors, table.join("\n").replace(/^,/, "period,") + "\n");
  return { prices, factors };
}
