/**
 * The real data bundled with factorlab (`data/samples`, see its PROVENANCE.md): Ken French files
 * in the library's own zip format and Yahoo daily price CSVs of VBR, SPY and AAPL. A notebook can
 * switch to them on purpose, to work without a network ({@link useSamples}); a folder of price
 * CSVs also works as a Yahoo source of its own ({@link localPriceHistory}).
 *
 * @module
 */

import pl from "../deps/polars.ts";
import { fileURLToPath } from "node:url";
import { setDefaultSources } from "./config.ts";
import { endIncluding } from "./dates.ts";
import { EmptyRangeError, FactorlabDataError } from "./errors.ts";
import { readPriceCsv } from "./files.ts";
import type { PriceHistory } from "./yahoo.ts";

const SAMPLES = new URL("../../data/samples/", import.meta.url);

/** What {@link useSamples} switched to. */
export interface SampleSources {
  /** Folder of Ken French files (NAME_CSV_YYYYMM.zip). */
  french: string;
  /** Folder of daily price CSVs (TICKER_daily_FIRST_LAST.csv). */
  prices: string;
  /** Tickers with bundled prices. */
  tickers: string[];
  /** Ken French datasets bundled, by name, with their vintages. */
  datasets: Record<string, string[]>;
}

/** The bundled samples are only in a local copy of the repository. */
export class SamplesUnavailableError extends FactorlabDataError {}

function samplesFolder(): string {
  if (SAMPLES.protocol !== "file:") {
    throw new SamplesUnavailableError(
      `The bundled sample data is not available: factorlab was loaded from ${SAMPLES.origin}, ` +
        "not from a local copy. Clone the repository (git clone …) and import its mod.ts to " +
        "work offline from data/samples.",
    );
  }
  return fileURLToPath(SAMPLES);
}

/**
 * Makes every later download read the real files bundled in `data/samples` instead of the
 * network: Ken French datasets from their bundled vintages (the newest by default) and Yahoo
 * prices of the bundled tickers (VBR, SPY, AAPL). Call it on purpose, for a classroom without a
 * network; `useSamples(false)` goes back to the live sources. A source passed to a call still
 * wins.
 *
 * @param on `true` (default) to use the samples, `false` to go back to the live sources.
 * @returns what is bundled (folders, tickers, datasets and vintages).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useSamples, yahooPrices } from "../../mod.ts";
 * const samples = useSamples();
 * assert.ok(samples.tickers.includes("VBR"));
 * const vbr = await yahooPrices("VBR", { start: "2020-12", end: "2020-12" });
 * assert.equal(vbr.prices.getColumn("date").get(0), "2020-12-01");
 * useSamples(false);
 * ```
 */
export function useSamples(on = true): SampleSources {
  if (!on) {
    setDefaultSources({});
    return { french: "", prices: "", tickers: [], datasets: {} };
  }
  const root = samplesFolder();
  const french = `${root}french`;
  const prices = `${root}prices`;
  const datasets: Record<string, string[]> = {};
  for (const entry of Deno.readDirSync(french)) {
    const match = /^(.+)_CSV_(\d{6})\.zip$/.exec(entry.name);
    if (match) (datasets[match[1]] ??= []).push(match[2]);
  }
  for (const list of Object.values(datasets)) list.sort();
  const tickers = [...new Set(priceFiles(prices).map((f) => f.ticker))].sort();
  setDefaultSources({ french, yahoo: prices });
  return { french, prices, tickers, datasets };
}

interface PriceFile {
  ticker: string;
  name: string;
  first: string;
  last: string;
}

/** Daily price files named TICKER_daily_FIRST_LAST.csv (the bundled samples' pattern). */
function priceFiles(folder: string): PriceFile[] {
  const files: PriceFile[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    const match = /^([A-Za-z0-9.^=-]+)_daily_(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\.csv$/
      .exec(entry.name);
    if (match) {
      files.push({
        ticker: match[1].toUpperCase(),
        name: entry.name,
        first: match[2],
        last: match[3],
      });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Daily prices of `ticker` from a local folder of price CSVs, as {@link yahooPrices} gives them
 * from the network: the folder holds Yahoo-style CSVs named `TICKER_daily_FIRST_LAST.csv` (or
 * `TICKER.csv`). `start` and `end` are the first and last day wanted, both inclusive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localPriceHistory } from "./samples.ts";
 * const spy = await localPriceHistory("data/samples/prices", "SPY", "2020-12-01", "2020-12-31");
 * assert.equal(spy.prices.height, 22);
 * ```
 */
export async function localPriceHistory(
  folder: string,
  ticker: string,
  start: string,
  end: string,
): Promise<PriceHistory> {
  const symbol = ticker.toUpperCase();
  let files: PriceFile[];
  try {
    files = priceFiles(folder).filter((f) => f.ticker === symbol);
    if (files.length === 0 && exists(`${folder}/${symbol}.csv`)) {
      files = [{ ticker: symbol, name: `${symbol}.csv`, first: "", last: "" }];
    }
  } catch (error) {
    throw new FactorlabDataError(
      `Cannot read the price folder ${folder}: ${(error as Error).message}. Point the Yahoo ` +
        "source at a folder of TICKER_daily_FIRST_LAST.csv files, or at a chart API base URL.",
      { cause: error },
    );
  }
  // The file that covers the range, else the one with the most of it.
  const file = files.find((f) => f.first <= start && f.last >= end) ??
    files.sort((a, b) => b.last.localeCompare(a.last))[0];
  if (!file) {
    const available = [...new Set(priceFiles(folder).map((f) => f.ticker))].join(", ");
    throw new FactorlabDataError(
      `No prices of ${symbol} in ${folder}` +
        (available ? ` (it holds ${available})` : "") +
        ". Use one of those tickers, add TICKER_daily_FIRST_LAST.csv, or use the live source " +
        "(useSamples(false)).",
    );
  }
  const path = `${folder}/${file.name}`;
  const prices = await readPriceCsv(path, { start, end: endIncluding(end) });
  if (prices.height === 0) throw new EmptyRangeError(symbol, start, end);
  return {
    ticker: symbol,
    prices,
    dividends: pl.DataFrame({ date: [] as string[], amount: [] as number[] }),
    splits: pl.DataFrame({
      date: [] as string[],
      numerator: [] as number[],
      denominator: [] as number[],
      ratio: [] as number[],
    }),
    droppedNullBars: 0,
    currency: undefined,
    timezone: undefined,
    source: path,
  };
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
