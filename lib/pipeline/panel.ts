/**
 * The one pipeline from what a user has to what a regression needs: tickers, price frames,
 * returns frames, lazy frames, records of columns or danfojs frames, and the factors (from the
 * Ken French library, from the user, or already in the input) become one aligned {@link Panel}.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import { type CacheOptions, fetchOptionsOf } from "../data/cache.ts";
import {
  addDays,
  checkRange,
  type DateInput,
  endIncluding,
  filterPeriods,
  type Frequency,
  lastIncludedDay,
  monthStart,
  normalizeDate,
} from "../data/dates.ts";
import { type FactorFile, type FactorModel, famaFrenchFactorFiles } from "../data/factors.ts";
import type { HttpOptions } from "../data/http.ts";
import type { DataFrame, LazyFrame } from "../data/polars.ts";
import type { ProgressOption } from "../data/progress.ts";
import { yahooPrices } from "../data/yahoo.ts";
import { InvalidArgumentError } from "../errors.ts";
import { type FrameLike, frameSchema, isLazyFrame, numericColumns, toPolars } from "./interop.ts";
import { joinOnPeriod, type JoinReport } from "./joins.ts";
import { checkPeriodKeys } from "./periods.ts";
import { periodEndRows, toReturns } from "./returns.ts";
import { toWide } from "./wide.ts";

/** The factors a panel needs and where they come from when the input lacks them. */
export interface FactorSpec {
  /** Factor columns, in model order. */
  factors: string[];
  /** Name of the factors in the join report ("Fama-French 3-Factor" gives "… factors"). */
  label: string;
  /** The Ken French model holding them, downloaded when neither input nor `data` has them. */
  library?: FactorModel;
  /** The user's factors: a frame with `period`, the factor columns (and `RF`). */
  data?: FrameLike;
}

/**
 * Where an analysis's data come from and which part is used: shared by `analyze` (one asset),
 * `analyzeMany` (many) and {@linkcode buildPanel}.
 */
export interface SourceOptions extends CacheOptions, HttpOptions {
  /** First date or period (inclusive). Required for tickers and prices. */
  start?: DateInput;
  /**
   * End of the range. Required for tickers and prices. A day is exclusive, as in yfinance
   * (`"2020-12-31"` stops on 2020-12-30); a month (`"2020-12"`) or year includes all of it.
   */
  end?: DateInput;
  /** "monthly" (default), "weekly" or "daily". */
  frequency?: Exclude<Frequency, "annual">;
  /** Regress returns in excess of RF (default true): the panel then holds `RF` too. */
  excess?: boolean;
  /** One asset: the return column of a returns frame (default "excessReturn" if present, else "return"). */
  returnCol?: string;
  /** One asset: the name shown in titles and the join report (default: the ticker, or "asset"). */
  name?: string;
  /**
   * Many assets: the asset columns of a frame. Default: every numeric column except
   * `period`/`date`, `RF` and factor columns (MKT_RF, SMB, HML, RMW, CMA, MOM and the model's).
   */
  assets?: string[];
  /** Factor region for library models (default "US"). */
  region?: string;
  /** Prices: also fetch the period before `start`, so it gets a return too (default false). */
  includeFirstPeriod?: boolean;
  /** Base URL or mirror folder of the Ken French library. */
  frenchSource?: string;
  /** Base URL of the Yahoo chart API. */
  yahooSource?: string;
  /** Vintage ("YYYYMM") of the Ken French files: one kept in the store or in a mirror folder. */
  vintage?: string;
  /** Tickers: downloads at once (default 4). */
  concurrency?: number;
  /** Tickers: progress display (default: in a terminal or notebook). */
  progress?: ProgressOption;
  /** Tickers: stop at the first failed download ("raise", default) or skip it ("collect"). */
  onError?: "raise" | "collect";
}

/** Options of {@linkcode buildPanel}. */
export interface PanelOptions extends SourceOptions {
  /** The factors and their source. */
  model: FactorSpec;
  /**
   * Read the input as one asset, as `analyze` does (default false: one column per asset). Its
   * column in the panel is `returnCol` of a returns frame, or "return" for prices.
   */
  single?: boolean;
  /** One asset: the price column of a price frame (default "adjClose"). */
  priceCol?: string;
  /** The function named in error messages (default "analyze" or "analyzeMany"). */
  caller?: string;
}

/**
 * Returns and factors aligned on periods: one Float64Array per column over `periods` (NaN where a
 * value is missing), the assets' returns as given (RF not subtracted), then the factors and RF.
 * The one thing the pipeline hands to the models; build it with {@linkcode buildPanel}.
 */
export interface Panel {
  /** Period keys ("YYYY-MM" or "YYYY-MM-DD"), sorted when the panel was joined. */
  periods: string[];
  /** The columns by name: assets, factors, then `RF` when needed. */
  columns: Map<string, Float64Array>;
  /** Return frequency. */
  frequency: Exclude<Frequency, "annual">;
  /** Asset columns, in input order (one asset: its return column's name). */
  assets: string[];
  /** Factor columns, in model order. */
  factors: string[];
  /** Periods kept and dropped when returns met factors (undefined when nothing was joined). */
  joinReport: JoinReport | undefined;
  /** The Ken French files the factors came from (empty when they were given). */
  factorFiles: FactorFile[];
  /** Tickers whose download failed (with `onError: "collect"`). */
  failures: { ticker: string; error: Error }[];
  /** Price bars Yahoo sent without prices, dropped (one ticker; 0 otherwise). */
  droppedNullBars: number;
}

/**
 * A polars frame of `period` and Float64 columns (default all, in order), with null where a value
 * is NaN (how polars marks a missing value).
 */
export function panelFrame(
  periods: string[],
  columns: Map<string, Float64Array>,
  names: string[] = [...columns.keys()],
): DataFrame {
  const series = (name: string) => {
    const values = columns.get(name)!;
    return values.some(Number.isNaN)
      ? pl.Series(name, Array.from(values, (v) => (Number.isNaN(v) ? null : v)), pl.Float64)
      : pl.Series(name, values);
  };
  return pl.DataFrame([pl.Series("period", periods), ...names.map(series)]);
}

/** Columns never taken as assets from a wide frame: keys, the risk-free rate, library factors. */
const NOT_ASSETS = new Set([
  "period",
  "date",
  "RF",
  "MKT_RF",
  "Mkt-RF",
  "SMB",
  "HML",
  "RMW",
  "CMA",
  "MOM",
  "Mom",
]);

/** Which columns are numeric: a Set of names, or the Map of a record's numeric columns. */
type Lookup = { has(name: string): boolean };

/** Returns read from the input, before the factors are joined. */
interface Returns
  extends Pick<Panel, "periods" | "columns" | "assets" | "failures" | "droppedNullBars"> {
  /** Name of the returns in the join report. */
  name: string;
  /** Made from prices over the user's range (the factors are then fetched over that range). */
  fromPrices: boolean;
}

/**
 * Builds the one aligned panel of an analysis from any input: a ticker or a list of tickers
 * (prices from Yahoo), daily prices (a frame with `date`: long with `adjClose` for one asset, one
 * column per asset for many), returns (a frame with `period`), a LazyFrame of either (reduced by
 * polars before it is read), a record of columns (Float64Array columns are used without a copy)
 * or a danfojs frame. The model's factors (and RF) are taken from the input when it has them,
 * otherwise from `model.data` or the Ken French library, and joined one to one on period.
 *
 * @param input Ticker(s), or a prices or returns frame.
 * @param options The factors, range, frequency, layout and data sources.
 * @returns The panel: periods, the asset, factor and RF columns, the join report and files.
 * @throws {InvalidArgumentError} for input it cannot read, naming what is wrong and what to pass.
 *
 * @example Two assets' returns with their own factor columns: nothing to download
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPanel, panelFrame } from "./panel.ts";
 * const returns = {
 *   period: ["2020-01", "2020-02", "2020-03"],
 *   A: new Float64Array([0.01, -0.02, 0.03]),
 *   B: [0.02, null, 0.01],
 *   MKT_RF: [0.011, -0.08, 0.05],
 *   RF: [0.001, 0.001, 0.001],
 * };
 * const panel = await buildPanel(returns, { model: { factors: ["MKT_RF"], label: "CAPM" } });
 * assert.deepEqual(panel.assets, ["A", "B"]);
 * assert.deepEqual([...panel.columns.keys()], ["A", "B", "MKT_RF", "RF"]);
 * assert.equal(panel.columns.get("A"), returns.A); // used as it is
 * assert.ok(Number.isNaN(panel.columns.get("B")![1]));
 * assert.equal(panelFrame(panel.periods, panel.columns).getColumn("B").get(1), null);
 * ```
 */
export async function buildPanel(
  input: string | string[] | FrameLike,
  options: PanelOptions,
): Promise<Panel> {
  const frequency = options.frequency ?? "monthly";
  const returns = await readReturns(input, frequency, options);
  const single = options.single === true;
  const rf = (options.excess ?? true) && !(single && returns.assets[0] === "excessReturn");
  const needed = [...options.model.factors, ...(rf ? ["RF"] : [])];
  const joined = await withFactors(returns, needed, frequency, options);
  return {
    ...joined,
    frequency,
    assets: returns.assets,
    factors: [...options.model.factors],
    failures: returns.failures,
    droppedNullBars: returns.droppedNullBars,
  };
}

function callerOf(options: PanelOptions): string {
  return options.caller ?? (options.single ? "analyze" : "analyzeMany");
}

/** The first day of prices: `start`, or the period before it with `includeFirstPeriod`. */
function priceStart(start: string, options: PanelOptions): string {
  if (!options.includeFirstPeriod) return start;
  const frequency = options.frequency ?? "monthly";
  if (frequency === "monthly") return monthStart(start, -1);
  // A week back covers the previous trading day or week even across long holiday weekends.
  return addDays(start, frequency === "weekly" ? -10 : -7);
}

async function readReturns(
  input: string | string[] | FrameLike,
  frequency: Exclude<Frequency, "annual">,
  options: PanelOptions,
): Promise<Returns> {
  const single = options.single === true;
  const caller = callerOf(options);
  if (typeof input === "string" && !single) {
    throw new InvalidArgumentError(
      `${caller} takes a list of tickers (["${input}"]) or a wide frame; for one asset use ` +
        `analyze("${input}").`,
    );
  }
  const isTickers = !single && Array.isArray(input) && input.every((v) => typeof v === "string");
  if (typeof input === "string" || isTickers) {
    const tickers = typeof input === "string" ? [input] : input as string[];
    if (tickers.length === 0) throw new InvalidArgumentError("Pass at least one ticker.");
    const range = priceRange(
      options,
      single ? `"${options.name ?? tickers[0].toUpperCase()}"` : "tickers",
    );
    const download = {
      ...fetchOptionsOf(options),
      start: priceStart(range.start, options),
      end: range.end,
      source: options.yahooSource,
    };
    if (typeof input === "string") {
      const history = await yahooPrices(input, download);
      const returns = toReturns(history.prices, frequency, { priceCol: options.priceCol });
      return {
        ...pricePanel(returns, undefined, ["return"], history.ticker, options),
        droppedNullBars: history.droppedNullBars,
      };
    }
    const set = await yahooPrices(tickers, {
      ...download,
      concurrency: options.concurrency,
      progress: options.progress,
      onError: options.onError,
    });
    if (set.histories.length === 0) {
      throw new InvalidArgumentError(
        `No prices could be downloaded for ${tickers.join(", ")}: ${
          set.failures.map((f) => `${f.ticker}: ${f.error.message}`).join("; ")
        }`,
      );
    }
    const returns = toReturns(set.prices, frequency, { by: "ticker" });
    const assets = set.histories.map((h) => h.ticker);
    return {
      ...pricePanel(returns, "ticker", assets, "asset returns", options),
      failures: set.failures,
    };
  }
  // A record of columns with a period column is read as it is: Float64Array columns are used
  // without a copy, and a polars frame of thousands of columns is never built.
  const record = periodRecord(input);
  let names: string[];
  let numeric: Lookup;
  let read: (columns: string[]) => { periods: (string | null)[]; values: Float64Array[] };
  let lazy = isLazyFrame(input) ? input : undefined;
  if (record !== undefined) {
    // One pass over the names (a record may hold thousands of columns).
    const arrays = new Map<string, Float64Array>();
    names = [];
    for (const name in record) {
      names.push(name);
      const column = name === "period" ? undefined : numericArray(record[name]);
      if (column !== undefined) arrays.set(name, column);
    }
    numeric = arrays;
    read = (columns) => ({
      periods: Array.from(record.period as ArrayLike<string>),
      values: columns.map((c) => arrays.get(c)!),
    });
  } else {
    // A LazyFrame is read for its schema only; its rows are reduced by polars below.
    const frame = lazy ? lazy.limit(0).collectSync() : toPolars(input as FrameLike, caller);
    ({ names, numeric } = frameSchema(frame));
    if (!names.includes("period")) {
      if (!names.includes("date")) {
        throw new InvalidArgumentError(
          single
            ? `A frame given to ${caller} needs a "period" column (returns) or a "date" column ` +
              `(daily prices); it has ${names.join(", ")}.`
            : `A frame given to ${caller} needs a "period" column (returns, one column per ` +
              `asset) or a "date" column (daily prices, one column per asset); it has ` +
              `${names.join(", ")}.`,
        );
      }
      return priceFrame(lazy ?? frame, names, numeric, frequency, options);
    }
    read = (columns) => {
      const all = lazy ? lazy.collectSync() : frame;
      lazy = undefined;
      return {
        periods: all.getColumn("period").cast(pl.Utf8).toArray() as (string | null)[],
        values: numericColumns(all, columns),
      };
    };
  }
  const assets = single
    ? [returnColumn(names, numeric, options)]
    : pickAssets(names, numeric, "period", options);
  const present = [...options.model.factors, "RF"].filter((c) =>
    numeric.has(c) && !assets.includes(c)
  );
  const { periods, values } = read([...assets, ...present]);
  checkPeriodKeys(
    periods,
    frequency,
    single ? "the returns frame" : `the returns${record ? "" : " frame"} given to ${caller}`,
  );
  const columns = new Map<string, Float64Array>();
  [...assets, ...present].forEach((c, j) => columns.set(c, values[j]));
  return {
    ...keepPeriods(periods as string[], columns, options.start, options.end),
    assets,
    failures: [],
    droppedNullBars: 0,
    name: single ? options.name ?? "asset" : "asset returns",
    fromPrices: false,
  };
}

/** The range of a price download, required: `start` normalized, `end` as given. */
function priceRange(options: PanelOptions, what: string): { start: string; end: DateInput } {
  if (options.start === undefined || options.end === undefined) {
    throw new InvalidArgumentError(
      `${callerOf(options)}(${what}) needs the period: { start: "2010-01-01", end: "2020-12-31" }.`,
    );
  }
  const start = normalizeDate(options.start, "start");
  checkRange(start, options.end);
  return { start, end: options.end };
}

/** Daily prices in a frame: one series (`single`, long) or one column per asset (wide). */
function priceFrame(
  frame: DataFrame | LazyFrame,
  names: string[],
  numeric: Lookup,
  frequency: Exclude<Frequency, "annual">,
  options: PanelOptions,
): Returns {
  const single = options.single === true;
  const range = single ? priceRange(options, `"${options.name ?? "asset"}"`) : {
    start: options.start === undefined ? undefined : normalizeDate(options.start, "start"),
    end: options.end,
  };
  const start = range.start === undefined ? undefined : priceStart(range.start, options);
  const name = single ? options.name ?? "asset" : "asset returns";
  if (single) {
    const priceCol = options.priceCol;
    const prices = isLazyFrame(frame)
      ? periodEndRows(frame, frequency, { priceCol, start, end: range.end })
      : filterPeriods(frame, start, range.end, "date");
    const returns = toReturns(prices, frequency, { priceCol });
    return pricePanel(returns, undefined, ["return"], name, options);
  }
  const assets = pickAssets(names, numeric, "date", options);
  // One column per asset: stacked into the long layout, returns per asset, then one column per
  // asset again (each asset's missing days simply have no row).
  const stacked = (f: DataFrame | LazyFrame) =>
    f.select("date", ...assets.map((a) => pl.col(a).cast(pl.Float64)))
      .unpivot("date", assets, { variableName: "__asset", valueName: "__price" });
  const prices = isLazyFrame(frame)
    ? periodEndRows(
      (stacked(frame) as LazyFrame).filter(pl.col("__price").isNotNull()),
      frequency,
      { by: "__asset", priceCol: "__price", start, end: range.end },
    )
    : (stacked(filterPeriods(frame, start, range.end, "date")) as DataFrame)
      .filter(pl.col("__price").isNotNull());
  const returns = toReturns(prices, frequency, { by: "__asset", priceCol: "__price" });
  return pricePanel(returns, "__asset", assets, name, options);
}

/**
 * Long returns (`by`, `period`, `return`) as panel columns: cut to the range when the period
 * before `start` was fetched, then one column per series (or the one `return` column).
 */
function pricePanel(
  returns: DataFrame,
  by: string | undefined,
  assets: string[],
  name: string,
  options: PanelOptions,
): Returns {
  let long = returns;
  if (options.includeFirstPeriod) long = filterPeriods(long, options.start, options.end);
  let wide: DataFrame;
  if (by === undefined) {
    wide = long.select("period", "return");
    // One series: a frame holding several (a `ticker` column) would repeat periods.
    checkPeriodKeys(
      wide.getColumn("period").toArray() as string[],
      options.frequency ?? "monthly",
      "the price frame's returns",
    );
  } else wide = toWide(long, { by });
  const values = numericColumns(wide, by === undefined ? ["return"] : assets);
  return {
    periods: wide.getColumn("period").toArray() as string[],
    columns: new Map(assets.map((a, j) => [a, values[j]])),
    assets,
    failures: [],
    droppedNullBars: 0,
    name,
    fromPrices: true,
  };
}

/** One asset's return column: as given, or "excessReturn" if present, else "return". */
function returnColumn(
  names: string[],
  numeric: Lookup,
  options: PanelOptions,
): string {
  const returnCol = options.returnCol ??
    (names.includes("excessReturn") ? "excessReturn" : "return");
  if (!names.includes(returnCol)) {
    throw new InvalidArgumentError(
      `The returns frame has no "${returnCol}" column (columns: ${names.join(", ")}). ` +
        "Name the return column with { returnCol }.",
    );
  }
  if (!numeric.has(returnCol)) {
    throw new InvalidArgumentError(`Return column "${returnCol}" is not numeric.`);
  }
  return returnCol;
}

/** The asset columns: as given, or every numeric column that is not a key, factor or RF. */
function pickAssets(
  names: string[],
  numeric: Lookup,
  key: string,
  options: PanelOptions,
): string[] {
  const factors = options.model.factors;
  const given = options.assets;
  const assets = given ??
    names.filter((c) => c !== key && !NOT_ASSETS.has(c) && !factors.includes(c) && numeric.has(c));
  if (!Array.isArray(assets) || assets.length === 0) {
    throw new InvalidArgumentError(
      `The frame has no asset columns (columns: ${names.join(", ")}). Name them with ` +
        "{ assets: [...] }.",
    );
  }
  // Columns found in the frame are there, distinct, numeric, and not factors or keys.
  if (given === undefined) return assets;
  const known = new Set(names);
  const missing = assets.filter((a) => !known.has(a));
  if (missing.length) {
    throw new InvalidArgumentError(
      `The frame has no column${missing.length > 1 ? "s" : ""} ${
        missing.map((m) => `"${m}"`).join(", ")
      } (columns: ${names.join(", ")}).`,
    );
  }
  const clash = assets.find((a) => factors.includes(a) || a === "RF" || a === key);
  if (clash !== undefined) {
    throw new InvalidArgumentError(
      `"${clash}" is a factor or key column, not an asset; drop it from assets.`,
    );
  }
  const seen = new Set<string>();
  const dup = assets.find((a) => seen.size === seen.add(a).size);
  if (dup !== undefined) throw new InvalidArgumentError(`Asset "${dup}" is listed twice.`);
  const text = assets.find((a) => !numeric.has(a));
  if (text !== undefined) throw new InvalidArgumentError(`Asset column "${text}" is not numeric.`);
  return assets;
}

/**
 * A record of equally long columns with a `period` column of strings (not a polars or danfojs
 * frame), or undefined for anything else.
 */
function periodRecord(input: unknown): Record<string, ArrayLike<unknown>> | undefined {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return undefined;
  const candidate = input as Record<string, unknown>;
  if (typeof candidate.getColumn === "function" || Array.isArray(candidate.values)) {
    return undefined;
  }
  const period = candidate.period as ArrayLike<unknown> | undefined;
  if (period === undefined || period === null || typeof period.length !== "number") {
    return undefined;
  }
  for (let i = 0; i < period.length; i++) if (typeof period[i] !== "string") return undefined;
  for (const name in candidate) {
    const column = candidate[name] as ArrayLike<unknown> | null;
    if (column === null || typeof column !== "object" || column.length !== period.length) {
      return undefined;
    }
  }
  return candidate as Record<string, ArrayLike<unknown>>;
}

/** A column of numbers (null and undefined as NaN), or undefined when it holds anything else. */
function numericArray(values: ArrayLike<unknown>): Float64Array | undefined {
  if (values instanceof Float64Array) return values;
  if (ArrayBuffer.isView(values)) {
    return values instanceof BigInt64Array || values instanceof BigUint64Array
      ? Float64Array.from(values as ArrayLike<bigint>, Number)
      : Float64Array.from(values as ArrayLike<number>);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "number") out[i] = v;
    else if (v === null || v === undefined) out[i] = NaN;
    else return undefined;
  }
  return out;
}

/** The rows whose period overlaps `start`..`end` (the `end` convention of lastIncludedDay). */
function keepPeriods(
  periods: string[],
  columns: Map<string, Float64Array>,
  start?: DateInput,
  end?: DateInput,
): { periods: string[]; columns: Map<string, Float64Array> } {
  if ((start === undefined && end === undefined) || periods.length === 0) {
    return { periods, columns };
  }
  const lo = start === undefined ? undefined : normalizeDate(start, "start");
  const hi = end === undefined ? undefined : lastIncludedDay(end);
  checkRange(lo, end);
  const width = periods[0].length;
  const rows: number[] = [];
  periods.forEach((p, t) => {
    const key = p.slice(0, width);
    if (
      (lo === undefined || key >= lo.slice(0, width)) &&
      (hi === undefined || key <= hi.slice(0, width))
    ) {
      rows.push(t);
    }
  });
  return gatherRows(periods, columns, rows);
}

/** The columns restricted to the given rows, in that order (copied only when that changes them). */
function gatherRows(
  periods: string[],
  columns: Map<string, Float64Array>,
  rows: readonly number[],
): { periods: string[]; columns: Map<string, Float64Array> } {
  if (rows.length === periods.length && rows.every((r, i) => r === i)) return { periods, columns };
  const out = new Map<string, Float64Array>();
  for (const [name, values] of columns) out.set(name, Float64Array.from(rows, (r) => values[r]));
  return { periods: rows.map((r) => periods[r]), columns: out };
}

/**
 * Adds the `needed` factor columns (and RF) the returns lack, from the user's factor data or the
 * Ken French library: an inner join on period, validated one to one, with its report.
 */
async function withFactors(
  returns: Returns,
  needed: string[],
  frequency: Exclude<Frequency, "annual">,
  options: PanelOptions,
): Promise<
  Pick<Panel, "periods" | "columns" | "joinReport" | "factorFiles">
> {
  const model = options.model;
  const names = [...returns.assets, ...needed];
  // The columns in panel order: the map itself when it already is (a record holding its factors).
  const ordered = (columns: Map<string, Float64Array>) =>
    columns.size === names.length && [...columns.keys()].every((key, j) => key === names[j])
      ? columns
      : new Map(names.map((c) => [c, columns.get(c)!]));
  if (needed.every((c) => returns.columns.has(c))) {
    return {
      periods: returns.periods,
      columns: ordered(returns.columns),
      joinReport: undefined,
      factorFiles: [],
    };
  }
  let factors: DataFrame;
  let factorFiles: FactorFile[] = [];
  if (model.data !== undefined) {
    factors = toPolars(model.data);
  } else {
    if (model.library === undefined) {
      throw new InvalidArgumentError(
        `The Ken French library has no model with all of ${model.factors.join(", ")}. Pass your ` +
          "factors as { factors: [...], data: frameWithPeriodAndFactors }, or put them in the " +
          "returns frame.",
      );
    }
    const periods = returns.periods;
    if (periods.length === 0) {
      throw new InvalidArgumentError(
        `The returns of ${returns.name} are empty for the requested period.`,
      );
    }
    // Prices were fetched over the user's range, and so are the factors (the report then shows
    // the first period, which has factors but no return); returns given as such set the range.
    const overRange = returns.fromPrices && options.start !== undefined &&
      options.end !== undefined;
    ({ frame: factors, files: factorFiles } = await famaFrenchFactorFiles({
      ...fetchOptionsOf(options),
      model: model.library,
      frequency,
      region: options.region,
      start: normalizeDate(overRange ? options.start! : periods[0], "start"),
      end: overRange ? options.end! : endIncluding(periods[periods.length - 1]),
      source: options.frenchSource,
      vintage: options.vintage,
    }));
  }
  const fromFactors = needed.filter((c) => !returns.columns.has(c));
  const factorNames = factors.columns;
  const absent = fromFactors.filter((c) => !factorNames.includes(c));
  if (absent.length > 0) {
    throw new InvalidArgumentError(
      `The factor data has no ${absent.map((c) => `"${c}"`).join(", ")} column` +
        `${absent.length > 1 ? "s" : ""} (it has ${factorNames.join(", ")}).`,
    );
  }
  // The join itself (validation, report) runs on the period keys; the numbers follow by row.
  const { frame, report } = joinOnPeriod(
    pl.DataFrame({ period: returns.periods }),
    factors.select("period", ...fromFactors),
    { leftName: returns.name, rightName: `${model.label} factors` },
  );
  const row = new Map(returns.periods.map((p, t) => [p, t]));
  const joined = frame.getColumn("period").toArray() as string[];
  const aligned = gatherRows(returns.periods, returns.columns, joined.map((p) => row.get(p)!));
  const columns = new Map(aligned.columns);
  const factorValues = numericColumns(frame, fromFactors);
  fromFactors.forEach((c, j) => columns.set(c, factorValues[j]));
  return { periods: aligned.periods, columns: ordered(columns), joinReport: report, factorFiles };
}
