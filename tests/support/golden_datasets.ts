/**
 * The four datasets of `../shared/reference/README.md`, rebuilt from their formulas so
 * tests can compare our fits with the statsmodels figures copied into
 * `tests/fixtures/statsmodels_golden.json`.
 */

import golden from "../fixtures/statsmodels_golden.json" with { type: "json" };

/** A dataset: response and named regressor columns (in statsmodels' column order). */
export interface GoldenDataset {
  y: Float64Array;
  X: Record<string, Float64Array>;
}

const seq = (n: number) => Float64Array.from({ length: n }, (_, i) => i + 1);
const map = (t: Float64Array, f: (v: number, i: number) => number) => Float64Array.from(t, f);

function small(): GoldenDataset {
  const t = seq(60);
  const x1 = map(t, Math.sin);
  const x2 = map(t, (v) => Math.cos(1.7 * v));
  const x3 = map(t, (v) => ((7 * v) % 11) / 11 - 0.5);
  const e = map(
    t,
    (v, i) => 0.8 * (((37 * v) % 101) / 101 - 0.5) + 0.3 * Math.sin(0.9 * v) * x1[i],
  );
  const y = map(t, (_, i) => 0.01 + 1.2 * x1[i] - 0.5 * x2[i] + 0.3 * x3[i] + e[i]);
  return { y, X: { const: map(t, () => 1), x1, x2, x3 } };
}

function factor(): GoldenDataset {
  const t = seq(240);
  const mkt = map(t, (v) => 0.045 * Math.sin(0.37 * v) + 0.01 * Math.cos(2.1 * v));
  const smb = map(t, (v) => 0.03 * Math.sin(0.11 * v + 1.0) + 0.004 * (((13 * v) % 17) / 17 - 0.5));
  const hml = map(
    t,
    (v) => 0.028 * Math.cos(0.23 * v) * Math.sin(0.05 * v) + 0.006 * (((11 * v) % 19) / 19 - 0.5),
  );
  const rmw = map(t, (v) => 0.02 * Math.sin(0.71 * v + 0.3));
  const cma = map(t, (v) => 0.018 * Math.cos(0.53 * v + 0.7));
  const mom = map(t, (v) => 0.04 * Math.sin(0.17 * v) * Math.cos(0.29 * v));
  const u = map(t, (v) => 0.02 * (((97 * v) % 89) / 89 - 0.5));
  const e = map(
    t,
    (v, i) => u[i] + (i > 0 ? 0.5 * u[i - 1] : 0) + 0.01 * Math.abs(mkt[i]) * Math.sin(3.3 * v),
  );
  const y = map(
    t,
    (_, i) =>
      0.001 + 1.05 * mkt[i] + 0.55 * smb[i] + 0.4 * hml[i] - 0.1 * rmw[i] + 0.05 * cma[i] -
      0.02 * mom[i] + e[i],
  );
  return {
    y,
    X: { const: map(t, () => 1), MKT_RF: mkt, SMB: smb, HML: hml, RMW: rmw, CMA: cma, MOM: mom },
  };
}

function noconst(): GoldenDataset {
  const { y, X } = small();
  const { x1, x2, x3 } = X;
  return { y, X: { x1, x2, x3 } };
}

function illcond(): GoldenDataset {
  const t = seq(100);
  const x1 = map(t, (v) => Math.sin(0.3 * v));
  const x2 = map(t, (v, i) => x1[i] + 0.001 * Math.cos(1.1 * v));
  const e = map(t, (v) => 0.1 * (((29 * v) % 31) / 31 - 0.5));
  const y = map(t, (_, i) => 2 + x1[i] - x2[i] + e[i]);
  return { y, X: { const: map(t, () => 1), x1, x2 } };
}

/** Dataset builders by the names used in the golden file. */
export const DATASETS: Record<string, () => GoldenDataset> = { small, factor, noconst, illcond };

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
