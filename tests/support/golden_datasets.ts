/**
 * The statsmodels figures for the four reference datasets (rebuilt from their formulas by
 * `referenceDataset`), copied into `tests/fixtures/statsmodels_golden.json`.
 */

import golden from "../fixtures/statsmodels_golden.json" with { type: "json" };
import { referenceDataset } from "../../mod.ts";
import type { ReferenceDataset } from "../../mod.ts";

/** Dataset builders by the names used in the golden file. */
export const DATASETS: Record<string, () => ReferenceDataset> = Object.fromEntries(
  (["small", "factor", "noconst", "illcond"] as const).map((n) => [n, () => referenceDataset(n)]),
);

/** The statsmodels figures (statsmodels 0.13.5, Debian). */
export const GOLDEN = golden.datasets as unknown as Record<string, GoldenEntry>;

/** Results of one covariance variant in the golden file. */
export interface GoldenInference {
  params: number[];
  bse: number[];
  tvalues: number[];
  pvalues: number[];
  conf_int: [number, number][];
  fvalue: number;
  f_pvalue: number;
}

/** Everything the golden file holds for one dataset. */
export interface GoldenEntry {
  names: string[];
  nobs: number;
  nonrobust: GoldenInference & Record<string, number>;
  diag: Record<string, number>;
  het_white?: number[];
  het_bp?: number[];
  summary_text: string;
  [variant: string]: unknown;
}

/** Relative difference `|a − b| / |b|` (absolute when b is 0). */
export function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}
