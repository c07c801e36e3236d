/**
 * One call from "ticker and years" to the regression table: prices → period returns → factors
 * → one-to-one join on period → excess returns, with a report of every dropped period.
 *
 * @module
 */

import type { DateInput } from "../data/dates.ts";
import { type FactorFile, type FactorModel, MODEL_FACTORS } from "../data/factors.ts";
import type { DataFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import { excessReturns } from "./excess.ts";
import type { FrameLike } from "./interop.ts";
import type { JoinReport } from "./joins.ts";
import { buildPanel, panelFrame, type SourceOptions } from "./panel.ts";

/** Options of {@link factorData}. */
export interface FactorDataOptions
  extends Omit<SourceOptions, "start" | "end" | "excess" | "returnCol" | "name" | "assets"> {
  /** First period (inclusive). */
  start: DateInput;
  /** Last period (inclusive). */
  end: DateInput;
  /** Factor model (default "ff3"). */
  model?: FactorModel;
  /** Price column used when the asset is given as a frame (default "adjClose"). */
  priceCol?: string;
}

/** The aligned table and how it was made. */
export interface FactorData {
  /** `period`, `return`, `excessReturn`, the model's factors and `RF`, sorted by period. */
  frame: DataFrame;
  /** The factor columns, in model order (the regressors). */
  factors: string[];
  /** Periods kept and dropped by the join of returns and factors. */
  report: JoinReport;
  /** Price bars dropped because Yahoo sent them without prices (0 for a frame). */
  droppedNullBars: number;
  /** The Ken French files the factors came from, with their vintages. */
  factorFiles: FactorFile[];
}

/**
 * Builds the table a factor regression needs for one asset: its period returns from daily
 * adjusted closes (downloaded from Yahoo for a ticker, or taken from a price frame), the factors
 * of `model` from the Ken French library, inner-joined one to one on `period`, plus the excess
 * return. The report lists the periods dropped from either side.
 *
 * @param asset a ticker ("VBR"), or daily prices with `date` and `adjClose` columns
 * @param options period range, model, frequency, sources, cache and HTTP options
 * @returns the aligned frame, the factor names and the join report
 *
 * @example VBR and FF3, 2010-2020, from local files
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPriceCsv } from "../data/files.ts";
 * import { factorData } from "./factor_data.ts";
 * const prices = await readPriceCsv("data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv");
 * const { frame, factors, report } = await factorData(prices, {
 *   start: "2010-01-01",
 *   end: "2020-12-31",
 *   model: "ff3",
 *   frenchSource: "data/samples/french",
 *   vintage: "202101",
 * });
 * assert.ok(frame.height === 131 && factors.join() === "MKT_RF,SMB,HML");
 * assert.ok(report.rightOnly.length === 1); // 2010-01 has factors but no return
 * ```
 */
export async function factorData(
  asset: string | FrameLike,
  options: FactorDataOptions,
): Promise<FactorData> {
  const model = options.model ?? "ff3";
  const factors = [...MODEL_FACTORS[model]];
  const panel = await buildPanel(asset, {
    ...options,
    model: { factors, label: model, library: model },
    single: true,
    caller: "factorData",
  });
  if (panel.joinReport === undefined) {
    throw new InvalidArgumentError(
      "factorData takes a ticker or daily prices (date, adjClose); this frame already holds " +
        "returns and factors, so it is the aligned table.",
    );
  }
  const frame = excessReturns(panelFrame(panel.periods, panel.columns))
    .select("period", "return", "excessReturn", ...factors, "RF");
  const { joinReport: report, droppedNullBars, factorFiles } = panel;
  return { frame, factors, report, droppedNullBars, factorFiles };
}
