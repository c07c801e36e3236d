/**
 * Excess returns: an asset's return minus the risk-free rate of the same period.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "../data/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import { type FrameLike, toPolars } from "./interop.ts";

/** Options of {@link excessReturns}. */
export interface ExcessOptions {
  /** The return column (default "return"). */
  returnCol?: string;
  /** The risk-free column (default "RF"). */
  rfCol?: string;
  /** The new column (default "excessReturn"). */
  outCol?: string;
  /**
   * Refuse a risk-free rate that looks like percent (mean above 0.1 per period) while returns
   * are decimals, the commonest mistake with Ken French data (default true).
   */
  checkUnits?: boolean;
}

/**
 * Adds `excessReturn = return − RF` to a frame holding both (e.g. after {@link joinOnPeriod}).
 * Both must be in the same unit, decimals after loading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { excessReturns } from "./excess.ts";
 * const frame = excessReturns({ period: ["2020-01"], return: [0.012], RF: [0.002] });
 * assert.ok(Math.abs(frame.getColumn("excessReturn").get(0) - 0.01) < 1e-15);
 * ```
 */
export function excessReturns(frame: FrameLike, options: ExcessOptions = {}): DataFrame {
  const data = toPolars(frame);
  const returnCol = options.returnCol ?? "return";
  const rfCol = options.rfCol ?? "RF";
  const outCol = options.outCol ?? "excessReturn";
  for (const column of [returnCol, rfCol]) {
    if (!data.columns.includes(column)) {
      throw new InvalidArgumentError(
        `No column "${column}" among ${data.columns.join(", ")}. Join the returns with the ` +
          `factors first (joinOnPeriod), or name the columns with { returnCol, rfCol }.`,
      );
    }
  }
  if (options.checkUnits ?? true) {
    const stats = data.select(
      pl.col(rfCol).cast(pl.Float64).abs().mean().alias("rf"),
      pl.col(returnCol).cast(pl.Float64).abs().mean().alias("ret"),
    );
    const rf = stats.getColumn("rf").get(0) as number | null;
    const ret = stats.getColumn("ret").get(0) as number | null;
    if (rf !== null && ret !== null && rf > 0.1 && ret < 1) {
      throw new InvalidArgumentError(
        `${rfCol} averages ${rf.toFixed(3)} per period, which looks like percent while ` +
          `${returnCol} looks like decimals. Load factors with percent: false (the default) ` +
          `or divide by 100; pass { checkUnits: false } if this is really right.`,
      );
    }
  }
  return data.withColumns(
    pl.col(returnCol).cast(pl.Float64).sub(pl.col(rfCol).cast(pl.Float64)).alias(outCol),
  );
}
