/**
 * Factor sets of the usual models (CAPM, FF3, Carhart, FF5, FF5 + momentum) fetched from the Ken
 * French library and joined into one frame with canonical column names.
 *
 * @module
 */

import type { DataFrame } from "./polars.ts";
import type { DateInput } from "./dates.ts";
import { InvalidArgumentError } from "./errors.ts";
import type { Frequency } from "./dates.ts";
import { frenchDataset, type FrenchOptions, type FrenchOrigin } from "./french.ts";

/** A factor model whose factors the library provides. */
export type FactorModel = "capm" | "ff3" | "carhart4" | "ff5" | "ff5mom" | "ff6";

/**
 * Frequencies the library provides factors in.
 *
 * @deprecated Use `Exclude<Frequency, "annual">` ({@link Frequency}); this name goes in 0.2.0.
 */
export type FactorFrequency = Exclude<Frequency, "annual">;

/**
 * Canonical names of the library's column names, used by the factor-model layer: `Mkt-RF` is
 * not a valid identifier in formulas, and momentum is called `Mom` in US files and `WML` in
 * international ones.
 */
export const FACTOR_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  "Mkt-RF": "MKT_RF",
  "Mkt": "MKT",
  "SMB": "SMB",
  "HML": "HML",
  "RMW": "RMW",
  "CMA": "CMA",
  "Mom": "MOM",
  "WML": "MOM",
  "UMD": "MOM",
  "ST_Rev": "ST_REV",
  "LT_Rev": "LT_REV",
  "RF": "RF",
});

/** The factors (canonical names, without RF) of each model. */
export const MODEL_FACTORS: Readonly<Record<FactorModel, readonly string[]>> = Object.freeze({
  capm: ["MKT_RF"],
  ff3: ["MKT_RF", "SMB", "HML"],
  carhart4: ["MKT_RF", "SMB", "HML", "MOM"],
  ff5: ["MKT_RF", "SMB", "HML", "RMW", "CMA"],
  ff5mom: ["MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM"],
  ff6: ["MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM"],
});

const REGION_CODES: Record<string, string> = {
  us: "US",
  usa: "US",
  developed: "Developed",
  developed_ex_us: "Developed_ex_US",
  europe: "Europe",
  japan: "Japan",
  asia_pacific_ex_japan: "Asia_Pacific_ex_Japan",
  north_america: "North_America",
  emerging: "Emerging",
};

/**
 * Renames columns to their canonical factor names ({@link FACTOR_ALIASES}), trimming padding
 * spaces; other columns keep their names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "npm:nodejs-polars@0.25.2";
 * import { canonicalFactorNames } from "./factors.ts";
 * const frame = pl.DataFrame({ period: ["2020-01"], "Mkt-RF": [0.01], "Mom   ": [0.02] });
 * assert.ok(canonicalFactorNames(frame).columns.join() === "period,MKT_RF,MOM");
 * ```
 */
export function canonicalFactorNames(frame: DataFrame): DataFrame {
  const mapping: Record<string, string> = {};
  for (const column of frame.columns) {
    const alias = FACTOR_ALIASES[column.trim()];
    if (alias && alias !== column) mapping[column] = alias;
  }
  return Object.keys(mapping).length ? frame.rename(mapping) : frame;
}

/** Options of {@link famaFrenchFactors}. */
export interface FactorOptions extends Omit<FrenchOptions, "start" | "end"> {
  /** The model whose factors to fetch (default "ff3"). */
  model?: FactorModel;
  /** Frequency (default "monthly"). Weekly exists only for the US three factors. */
  frequency?: Exclude<Frequency, "annual">;
  /** "US" (default), "Developed", "Developed_ex_US", "Europe", "Japan", "Asia_Pacific_ex_Japan", "North_America", "Emerging". */
  region?: string;
  /** First period kept (default: full history). */
  start?: DateInput;
  /**
   * End of the periods kept (default: full history): a day is exclusive, a month or year
   * inclusive (see {@link DateInput}).
   */
  end?: DateInput;
}

function regionCode(region: string): string {
  const key = region.trim().toLowerCase().replace(/[\s-]+/g, "_");
  const code = REGION_CODES[key];
  if (!code) {
    throw new InvalidArgumentError(
      `Unknown region "${region}". Use one of: ${
        Object.values(REGION_CODES).filter((v, i, a) => a.indexOf(v) === i).join(", ")
      }.`,
    );
  }
  return code;
}

/** Library dataset names for a family of factors, or undefined when the library has none. */
function datasetFor(
  family: "three" | "five" | "momentum",
  region: string,
  frequency: Exclude<Frequency, "annual">,
): string | undefined {
  if (region === "US") {
    const names = {
      three: {
        monthly: "F-F_Research_Data_Factors",
        weekly: "F-F_Research_Data_Factors_weekly",
        daily: "F-F_Research_Data_Factors_daily",
      },
      five: {
        monthly: "F-F_Research_Data_5_Factors_2x3",
        daily: "F-F_Research_Data_5_Factors_2x3_daily",
      },
      momentum: { monthly: "F-F_Momentum_Factor", daily: "F-F_Momentum_Factor_daily" },
    } as Record<string, Partial<Record<Exclude<Frequency, "annual">, string>>>;
    return names[family][frequency];
  }
  if (frequency === "weekly") return undefined;
  const daily = frequency === "daily" ? "_Daily" : "";
  if (region === "Emerging") {
    if (frequency === "daily") return undefined;
    return family === "momentum" ? "Emerging_MOM_Factor" : "Emerging_5_Factors";
  }
  const stem = family === "three" ? "3_Factors" : family === "five" ? "5_Factors" : "Mom_Factor";
  return `${region}_${stem}${daily}`;
}

/**
 * Fetches the factors of a model from the Ken French library and inner-joins the files it needs
 * (three or five factors, plus momentum) on `period`. The frame has `period`, the model's
 * factors under canonical names (`MKT_RF`, `SMB`, `HML`, `RMW`, `CMA`, `MOM`) and `RF`, in
 * decimals, sorted by period, over the full common history unless `start`/`end` are given.
 *
 * @param options model, frequency, region, period range, source and cache options
 * @returns one frame: period, factors, RF
 *
 * @example Carhart four factors from a folder of downloaded files
 * ```ts
 * import assert from "node:assert/strict";
 * import { famaFrenchFactors } from "./factors.ts";
 * const factors = await famaFrenchFactors({
 *   model: "carhart4",
 *   source: "data/samples/french",
 *   start: "2010-01",
 *   end: "2020-12",
 * });
 * assert.ok(factors.columns.join() === "period,MKT_RF,SMB,HML,MOM,RF");
 * assert.ok(factors.height === 132);
 * ```
 */
export async function famaFrenchFactors(options: FactorOptions = {}): Promise<DataFrame> {
  return (await famaFrenchFactorFiles(options)).frame;
}

/** A library file a factor frame was built from: which vintage, from where, how old. */
export interface FactorFile {
  /** Dataset name ("F-F_Research_Data_Factors"). */
  name: string;
  /** The "YYYYMM CRSP database" vintage the file says it was built from. */
  vintage: string | undefined;
  /** The URL or file read. */
  source: string;
  /** Where the bytes came from (network, cache, store, a local file; "stale-…" on failure). */
  origin: FrenchOrigin;
  /** When the file was downloaded (undefined for a local file). */
  fetchedAt: Date | undefined;
  /** Warnings given while reading it (an older copy used because the library failed). */
  warnings: string[];
}

/**
 * {@link famaFrenchFactors} with the files it read: each one's name, vintage, origin and age,
 * so that a result can say which vintage of the library it used.
 *
 * @param options as for {@link famaFrenchFactors}
 * @returns the factor frame and the files it came from, in the order they were joined
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { famaFrenchFactorFiles } from "./factors.ts";
 * const { frame, files } = await famaFrenchFactorFiles({
 *   model: "carhart4",
 *   source: "data/samples/french",
 *   vintage: "202412",
 *   start: "2020-01",
 *   end: "2020-12",
 * });
 * assert.ok(frame.height === 12);
 * assert.deepEqual(files.map((f) => `${f.name} ${f.vintage}`), [
 *   "F-F_Research_Data_Factors 202412",
 *   "F-F_Momentum_Factor 202412",
 * ]);
 * ```
 */
export async function famaFrenchFactorFiles(
  options: FactorOptions = {},
): Promise<{ frame: DataFrame; files: FactorFile[] }> {
  const model = options.model ?? "ff3";
  const frequency = options.frequency ?? "monthly";
  const wanted = MODEL_FACTORS[model];
  if (!wanted) {
    throw new InvalidArgumentError(
      `Unknown model "${model}". Use one of: ${Object.keys(MODEL_FACTORS).join(", ")}.`,
    );
  }
  if (!["monthly", "weekly", "daily"].includes(frequency)) {
    throw new InvalidArgumentError(
      `Unknown frequency "${frequency}": use monthly, weekly or daily.`,
    );
  }
  const region = regionCode(options.region ?? "US");
  const families: ("three" | "five" | "momentum")[] = [
    wanted.includes("RMW") || region === "Emerging" ? "five" : "three",
  ];
  if (wanted.includes("MOM")) families.push("momentum");
  const { model: _m, frequency: _f, region: _r, ...rest } = options;
  const frames: DataFrame[] = [];
  const files: FactorFile[] = [];
  for (const family of families) {
    const name = datasetFor(family, region, frequency);
    if (!name) {
      throw new InvalidArgumentError(
        `The Ken French library has no ${frequency} ${
          family === "momentum" ? "momentum" : family === "five" ? "five-factor" : "three-factor"
        } file for region ${region}; ` +
          `choose another frequency or model.`,
      );
    }
    const dataset = await frenchDataset(name, rest);
    const { vintage, source, origin, fetchedAt, warnings } = dataset;
    files.push({ name: dataset.name, vintage, source, origin, fetchedAt, warnings });
    const table = dataset.tables.find((t) => t.frequency === frequency);
    if (!table) {
      throw new InvalidArgumentError(
        `${dataset.source} has no ${frequency} table (it has: ` +
          `${dataset.tables.map((t) => t.frequency).join(", ")}).`,
      );
    }
    const frame = canonicalFactorNames(table.frame);
    const keep = ["period", ...wanted, "RF"].filter((c) => frame.columns.includes(c));
    frames.push(frame.select(...(frames.length ? keep.filter((c) => c !== "RF") : keep)));
  }
  let joined = frames[0];
  for (const frame of frames.slice(1)) {
    joined = joined.join(frame, { on: "period", how: "inner", validate: "1:1" });
  }
  const missing = [...wanted, "RF"].filter((c) => !joined.columns.includes(c));
  if (missing.length) {
    throw new InvalidArgumentError(`The library files lack ${missing.join(", ")} for ${model}.`);
  }
  return { frame: joined.select("period", ...wanted, "RF").sort("period"), files };
}
