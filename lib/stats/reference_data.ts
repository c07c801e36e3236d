/**
 * The formula-defined datasets behind the statsmodels reference figures
 * (`tests/fixtures/statsmodels_golden.md`): deterministic, so tests, benchmarks and the demo can
 * rebuild them anywhere and compare with statsmodels.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
/** A regression dataset: the response and named regressor columns. */
export interface ReferenceDataset {
  /** Dependent variable. */
  y: Float64Array;
  /** Regressors in statsmodels' column order (`const` first where the model has one). */
  X: Record<string, Float64Array>;
}

/** Names of the reference datasets. */
export type ReferenceDatasetName = "small" | "factor" | "noconst" | "illcond";

const seq = (n: number) => Float64Array.from({ length: n }, (_, i) => i + 1);
const map = (t: Float64Array, f: (v: number, i: number) => number) => Float64Array.from(t, f);
const ones = (n: number) => new Float64Array(n).fill(1);

function small(): ReferenceDataset {
  const t = seq(60);
  const x1 = map(t, Math.sin);
  const x2 = map(t, (v) => Math.cos(1.7 * v));
  const x3 = map(t, (v) => ((7 * v) % 11) / 11 - 0.5);
  const e = map(
    t,
    (v, i) => 0.8 * (((37 * v) % 101) / 101 - 0.5) + 0.3 * Math.sin(0.9 * v) * x1[i],
  );
  const y = map(t, (_, i) => 0.01 + 1.2 * x1[i] - 0.5 * x2[i] + 0.3 * x3[i] + e[i]);
  return { y, X: { const: ones(60), x1, x2, x3 } };
}

function factor(): ReferenceDataset {
  const t = seq(240);
  const mkt = map(t, (v) => 0.045 * Math.sin(0.37 * v) + 0.01 * Math.cos(2.1 * v));
  const smb = map(
    t,
    (v) => 0.03 * Math.sin(0.11 * v + 1.0) + 0.004 * (((13 * v) % 17) / 17 - 0.5),
  );
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
    X: { const: ones(240), MKT_RF: mkt, SMB: smb, HML: hml, RMW: rmw, CMA: cma, MOM: mom },
  };
}

function noconst(): ReferenceDataset {
  const { y, X } = small();
  return { y, X: { x1: X.x1, x2: X.x2, x3: X.x3 } };
}

function illcond(): ReferenceDataset {
  const t = seq(100);
  const x1 = map(t, (v) => Math.sin(0.3 * v));
  const x2 = map(t, (v, i) => x1[i] + 0.001 * Math.cos(1.1 * v));
  const e = map(t, (v) => 0.1 * (((29 * v) % 31) / 31 - 0.5));
  const y = map(t, (_, i) => 2 + x1[i] - x2[i] + e[i]);
  return { y, X: { const: ones(100), x1, x2 } };
}

const BUILDERS: Record<ReferenceDatasetName, () => ReferenceDataset> = {
  small,
  factor,
  noconst,
  illcond,
};

/**
 * One of the four formula-defined reference datasets: `"small"` (60 × 4), `"factor"`
 * (240 monthly observations of a synthetic asset on six factor-like series plus a
 * constant, with autocorrelated errors), `"noconst"` (small without the constant) and
 * `"illcond"` (two nearly collinear regressors).
 *
 * @param name Which dataset.
 * @returns A fresh copy of the dataset.
 *
 * @example
 * ```ts
 * import { ols, referenceDataset } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { y, X } = referenceDataset("factor");
 * const fit = ols(y, X);
 * assert.equal(fit.nobs, 240);
 * assert.equal(fit.params.get("MKT_RF").toFixed(4), "1.0454"); // as statsmodels prints it
 * ```
 */
export function referenceDataset(name: ReferenceDatasetName): ReferenceDataset {
  const build = BUILDERS[name];
  if (!build) {
    throw new InvalidArgumentError(
      `Unknown reference dataset "${name}". Use one of ${Object.keys(BUILDERS).join(", ")}.`,
    );
  }
  return build();
}
