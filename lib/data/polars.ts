/**
 * The frame type of the public API.
 *
 * @module
 */

import type { DataFrame as PolarsDataFrame, LazyDataFrame } from "../deps/polars.ts";

/**
 * A nodejs-polars DataFrame (npm:nodejs-polars@0.25.2), the frame every function of factorlab
 * returns. Use its methods directly (`frame.filter(...)`, `frame.getColumn("return")`), or
 * `toColumns(frame)` for plain arrays.
 */
export type DataFrame = PolarsDataFrame;

/**
 * A nodejs-polars LazyFrame (`pl.scanParquet(path)`, `pl.scanCSV(path)`, `frame.lazy()`): a
 * query polars runs only when collected. Frame functions accept it wherever they accept a
 * DataFrame, and reduce daily prices to period-end rows inside polars before collecting.
 */
export type LazyFrame = LazyDataFrame;
