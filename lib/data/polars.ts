/**
 * The frame type of the public API.
 *
 * @module
 */

import type { DataFrame as PolarsDataFrame } from "../deps/polars.ts";

/**
 * A nodejs-polars DataFrame (npm:nodejs-polars@0.25.2), the frame every function of factorlab
 * returns. Use its methods directly (`frame.filter(...)`, `frame.getColumn("return")`), or
 * `toColumns(frame)` for plain arrays.
 */
export type DataFrame = PolarsDataFrame;
