/**
 * The pipeline from inputs to aligned data: {@link buildPanel} turns tickers, price or returns
 * frames, lazy frames, records and danfojs frames plus the factors into one aligned
 * {@link Panel}; beneath it, period keys, prices to returns (daily, weekly, monthly), long to
 * wide, one-to-one joins on period with a report of dropped periods, excess returns, danfojs
 * interop, and the one-call {@link factorData}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { excessReturns, joinOnPeriod, toMonthlyReturns } from "./mod.ts";
 * const prices = { date: ["2020-01-31", "2020-02-28", "2020-03-31"], adjClose: [100, 110, 99] };
 * const returns = toMonthlyReturns(prices);
 * const factors = { period: ["2020-02", "2020-03"], RF: [0.001, 0.001] };
 * const { frame } = joinOnPeriod(returns, factors);
 * assert.ok(excessReturns(frame).height === 2);
 * ```
 *
 * @module
 */

export { type ExcessOptions, excessReturns } from "./excess.ts";
export { type FactorData, factorData, type FactorDataOptions } from "./factor_data.ts";
export {
  type DanfoLikeFrame,
  describeValue,
  type FrameLike,
  isLazyFrame,
  toColumns,
  toPolars,
} from "./interop.ts";
export { joinOnPeriod, type JoinOptions, JoinReport } from "./joins.ts";
export {
  buildPanel,
  type FactorSpec,
  type Panel,
  type PanelOptions,
  type SourceOptions,
} from "./panel.ts";
export { type ReturnFrequency } from "./periods.ts";
export {
  periodEndRows,
  resampleLast,
  type ReturnOptions,
  toDailyReturns,
  toMonthlyReturns,
  toReturns,
  toWeeklyReturns,
} from "./returns.ts";
export { toWide, type WideOptions } from "./wide.ts";
