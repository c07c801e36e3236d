/**
 * Statistical factors: principal component analysis of a return panel (periods × assets), by
 * a thin SVD of the demeaned panel, never by forming the covariance matrix.
 *
 * @module
 */

import { FactorlabError } from "../errors.ts";
import { danfoColumn, type DanfoFrameLike, isDanfoFrame } from "../frame_like.ts";
import { Displayable, type Summary, Table } from "../display/mod.ts";
import { labelOf, NamedValues } from "./named.ts";
import { thinSvd } from "./svd.ts";
import { sumSquares } from "./linalg.ts";

/** Options of {@linkcode pca}. */
export interface PCAOptions {
  /** Number of components to keep (default and maximum: min(periods − 1, assets)). */
  components?: number;
  /**
   * Divide each asset's demeaned returns by their sample standard deviation (n − 1) first: a
   * PCA of the correlation matrix instead of the covariance matrix (default false).
   */
  standardize?: boolean;
  /**
   * Column holding row labels (periods or dates), left out of the analysis. Default: a column
   * named "period", else one named "date", when the panel has it.
   */
  labels?: string;
  /** Rows with a missing or non-finite value: "raise" (default) names one; "drop" drops them. */
  missing?: "raise" | "drop";
}

/**
 * The panel given to {@linkcode pca} cannot be analysed as it is: a non-numeric column, a
 * missing value, too few periods, a constant column with `standardize`, or a bad option.
 *
 * @example
 * ```ts
 * import { pca, PCAInputError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => pca({ a: [0.01, null, 0.02], b: [0.0, 0.01, 0.03] }), PCAInputError);
 * ```
 */
export class PCAInputError extends FactorlabError {}

/**
 * A return panel: a record of named columns, a nodejs-polars or danfojs DataFrame (recognised
 * by shape), or an array of rows (assets named `x1`, `x2`, …).
 */
export type PanelInput =
  | Record<string, ArrayLike<number | null | undefined> | ArrayLike<string>>
  | { readonly columns: string[]; getColumn(name: string): { toArray(): unknown[] } }
  | DanfoFrameLike
  | ArrayLike<ArrayLike<number | null | undefined>>;

interface PcaParts {
  assets: string[];
  periods: string[] | undefined;
  droppedRows: number[];
  mean: Float64Array;
  scale: Float64Array | undefined;
  singular: Float64Array;
  totalSumSquares: number;
  loadings: Float64Array[];
  scores: Float64Array[];
}

/**
 * Results of a principal component analysis. Component j has a loading vector `vⱼ` (unit
 * length, one entry per asset) and scores `Xc vⱼ` (one per period, `Xc` the demeaned, possibly
 * standardized panel); the scores of different components are uncorrelated and their sample
 * variances are the explained variances.
 *
 * Sign convention: an SVD fixes each component only up to its sign; here each loading vector
 * is signed so that its loadings sum to a positive number (so the first component of a panel of
 * stock or portfolio returns reads as the market: every loading of the same sign is positive);
 * when the sum is zero to rounding (below 1e-8 of the sum of absolute loadings), the largest
 * absolute loading is made positive instead. Scores carry the same sign.
 */
export class PCAResults extends Displayable {
  /** Asset (column) names, in panel order. */
  readonly assets: readonly string[];
  /** Component names "PC1", "PC2", …. */
  readonly components: readonly string[];
  /** Row labels (periods or dates) of the rows used, when the panel had a label column. */
  readonly periods: readonly string[] | undefined;
  /** Number of periods used. */
  readonly nobs: number;
  /** Positions (in the input) of rows dropped for missing values (`missing: "drop"`). */
  readonly droppedRows: readonly number[];
  /** Sample mean of each asset, subtracted before the decomposition. */
  readonly mean: NamedValues;
  /** Sample standard deviation (n − 1) each asset was divided by, when standardized. */
  readonly scale: NamedValues | undefined;
  /** Singular values of the demeaned (standardized) panel, one per component. */
  readonly singularValues: NamedValues;
  /** Variance of each component's scores: singular value² / (periods − 1). */
  readonly explainedVariance: NamedValues;
  /** Share of the panel's total variance (sum of the assets' variances) each component explains. */
  readonly explainedVarianceRatio: NamedValues;
  /** Sum of the assets' sample variances (of the standardized panel: the number of assets). */
  readonly totalVariance: number;
  /** Loadings of each component by asset: `loadings[j].get("SMALL LoBM")`; unit length. */
  readonly loadings: readonly NamedValues[];
  /** Scores of each component, one per period: the demeaned panel times the loadings. */
  readonly scores: readonly Float64Array[];

  /** @internal Use {@linkcode pca}. */
  constructor(parts: PcaParts) {
    super();
    const k = parts.singular.length;
    const n = parts.scores[0]?.length ?? 0;
    this.assets = Object.freeze([...parts.assets]);
    this.components = Object.freeze(Array.from({ length: k }, (_, j) => `PC${j + 1}`));
    this.periods = parts.periods === undefined ? undefined : Object.freeze([...parts.periods]);
    this.nobs = n;
    this.droppedRows = Object.freeze([...parts.droppedRows]);
    this.mean = new NamedValues(parts.assets, parts.mean);
    this.scale = parts.scale === undefined ? undefined : new NamedValues(parts.assets, parts.scale);
    this.singularValues = new NamedValues(this.components, parts.singular);
    this.explainedVariance = new NamedValues(
      this.components,
      parts.singular.map((s) => (s * s) / (n - 1)),
    );
    this.explainedVarianceRatio = new NamedValues(
      this.components,
      parts.singular.map((s) => (s * s) / parts.totalSumSquares),
    );
    this.totalVariance = parts.totalSumSquares / (n - 1);
    this.loadings = Object.freeze(parts.loadings.map((l) => new NamedValues(parts.assets, l)));
    this.scores = Object.freeze(parts.scores);
  }

  /** Running total of the explained variance ratios. */
  get cumulativeVarianceRatio(): NamedValues {
    let s = 0;
    return new NamedValues(this.components, Array.from(this.explainedVarianceRatio, (r) => s += r));
  }

  /**
   * Each component's return as a portfolio: the raw (not demeaned) returns weighted by the
   * loadings, divided by each asset's standard deviation when standardized. It differs from the
   * scores by a constant (the portfolio's mean return), so it is the series to use as a
   * statistical factor in a regression.
   */
  get factorReturns(): Float64Array[] {
    return this.scores.map((score, j) => {
      const l = this.loadings[j];
      let offset = 0;
      for (let i = 0; i < l.length; i++) offset += (l[i] * this.mean[i]) / (this.scale?.[i] ?? 1);
      return score.map((v) => v + offset);
    });
  }

  /**
   * The component (factor) returns as named columns: `period` (when the panel had labels)
   * then `PC1`, `PC2`, …, ready for `analyze`, `analyzeMany` or `pl.DataFrame`.
   *
   * @example
   * ```ts
   * import { pca } from "../../mod.ts";
   * import assert from "node:assert/strict";
   *
   * const panel = {
   *   period: ["2020-01", "2020-02", "2020-03", "2020-04"],
   *   a: [0.01, -0.02, 0.03, 0.0],
   *   b: [0.012, -0.018, 0.025, 0.002],
   *   c: [0.008, -0.025, 0.035, -0.004],
   * };
   * const columns = pca(panel, { components: 2 }).factorReturnsColumns();
   * assert.deepEqual(Object.keys(columns), ["period", "PC1", "PC2"]);
   * assert.equal(columns.PC1.length, 4);
   * ```
   */
  factorReturnsColumns(): Record<string, ArrayLike<string | number>> {
    const columns: Record<string, ArrayLike<string | number>> = {};
    if (this.periods !== undefined) columns.period = [...this.periods];
    this.factorReturns.forEach((r, j) => (columns[this.components[j]] = r));
    return columns;
  }

  /** Explained variance per component, as a table. */
  table(): Table {
    const cumulative = this.cumulativeVarianceRatio;
    return new Table(
      [
        { header: "component" },
        { header: "singular value", format: "%.4f" },
        { header: "variance", format: "%.6f" },
        { header: "explained", format: "%.2f%%" },
        { header: "cumulative", format: "%.2f%%" },
      ],
      this.components.map((c, j) => [
        c,
        this.singularValues[j],
        this.explainedVariance[j],
        100 * this.explainedVarianceRatio[j],
        100 * cumulative[j],
      ]),
      {
        title: `Principal components of ${this.assets.length} assets over ${this.nobs} periods` +
          (this.scale ? " (standardized)" : ""),
        note: `Total variance ${this.totalVariance.toPrecision(6)}; variances are sample ` +
          "variances (n − 1) of the component scores.",
      },
    );
  }

  /** The explained-variance table as a summary: what the results print and display. */
  summary(): Summary {
    return this.table().summary();
  }
}

/**
 * Principal component analysis of a return panel (rows: periods, columns: assets): demeans
 * each asset (and divides by its standard deviation with `standardize`), takes the thin SVD
 * `Xc = U S Vᵀ` by one-sided Jacobi rotations, and reports the loadings `V`, the scores `U S`,
 * the explained variances `s² / (T − 1)` and their shares of the total. The sign of each
 * component follows the convention documented on {@linkcode PCAResults}. Agrees with numpy's
 * `linalg.svd` of the demeaned panel to 1e-8 or better on the 25 Fama-French portfolios.
 *
 * @param panel The returns: a record of columns, a polars or danfojs frame, or rows. A
 *   `period` or `date` column (or the one named by `labels`) labels the rows.
 * @param options Number of components, standardization, label column and missing values.
 * @returns The analysis.
 * @throws {PCAInputError} on non-numeric columns, missing values (unless dropped), fewer than
 *   two periods, constant columns with `standardize`, or a bad number of components.
 *
 * @example Three assets driven by one common factor
 * ```ts
 * import { pca } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const market = [0.02, -0.03, 0.01, 0.04, -0.02, 0.015];
 * const noise = [0.001, -0.002, 0.0005, 0.0015, -0.001, 0.002];
 * const result = pca({
 *   period: ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"],
 *   a: market,
 *   b: market.map((m, t) => 1.5 * m + noise[t]),
 *   c: market.map((m, t) => 0.5 * m - noise[t]),
 * });
 * assert.ok(result.explainedVarianceRatio.get("PC1") > 0.99);
 * assert.ok(result.loadings[0].get("b") > result.loadings[0].get("a")); // positive, by size
 * assert.equal(result.periods?.[0], "2020-01");
 * ```
 */
export function pca(panel: PanelInput, options: PCAOptions = {}): PCAResults {
  const missing = options.missing ?? "raise";
  if (missing !== "raise" && missing !== "drop") {
    throw new PCAInputError(`missing must be "raise" or "drop", not ${JSON.stringify(missing)}.`);
  }
  const read = readPanel(panel, options.labels);
  const assets = read.names;
  const nAssets = assets.length;
  if (nAssets === 0) {
    throw new PCAInputError("The panel has no asset columns: pass at least one column of returns.");
  }
  const totalRows = read.columns[0].length;
  const kept: number[] = [];
  const droppedRows: number[] = [];
  for (let t = 0; t < totalRows; t++) {
    const bad = read.columns.findIndex((c) => !Number.isFinite(c[t]));
    if (bad < 0) {
      kept.push(t);
      continue;
    }
    if (missing === "raise") {
      const where = read.labels ? ` (${read.labels[t]})` : "";
      throw new PCAInputError(
        `Row ${t}${where} of column "${assets[bad]}" is ${
          describeMissing(read.columns[bad][t])
        }. Fill or remove missing values, or pass { missing: "drop" } to drop such rows.`,
      );
    }
    droppedRows.push(t);
  }
  const n = kept.length;
  if (n < 2) {
    throw new PCAInputError(
      `A PCA needs at least 2 periods with every asset present; the panel has ${n}.`,
    );
  }
  const maxComponents = Math.min(n - 1, nAssets);
  const k = options.components ?? maxComponents;
  if (!Number.isInteger(k) || k < 1 || k > maxComponents) {
    throw new PCAInputError(
      `components must be a whole number from 1 to ${maxComponents} (min(periods − 1, assets) ` +
        `for ${n} periods and ${nAssets} assets), not ${k}.`,
    );
  }
  const x = new Float64Array(n * nAssets);
  const mean = new Float64Array(nAssets);
  const scale = options.standardize ? new Float64Array(nAssets) : undefined;
  for (let j = 0; j < nAssets; j++) {
    const col = read.columns[j];
    let m = 0;
    for (const t of kept) m += col[t];
    m /= n;
    mean[j] = m;
    const off = j * n;
    kept.forEach((t, i) => (x[off + i] = col[t] - m));
    if (scale) {
      const sd = Math.sqrt(sumSquares(x, off, off + n) / (n - 1));
      // Demeaning a constant column can leave rounding noise instead of zeros.
      if (!(sd > 0) || kept.every((t) => col[t] === col[kept[0]])) {
        throw new PCAInputError(
          `Column "${assets[j]}" is constant, so it cannot be standardized: drop it, or run the ` +
            "PCA without { standardize: true }.",
        );
      }
      scale[j] = sd;
      for (let i = 0; i < n; i++) x[off + i] /= sd;
    }
  }
  const totalSumSquares = sumSquares(x);
  if (!(totalSumSquares > 0)) {
    throw new PCAInputError(
      "Every column of the panel is constant: there is no variance to explain.",
    );
  }
  const svd = thinSvd(x, n, nAssets);
  const loadings: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = svd.v.subarray(j * nAssets, (j + 1) * nAssets);
    const sign = signOf(v) < 0 ? -1 : 1;
    loadings.push(v.map((x) => sign * x));
    scores.push(svd.us.subarray(j * n, (j + 1) * n).map((x) => sign * x));
  }
  return new PCAResults({
    assets,
    periods: read.labels ? kept.map((t) => read.labels![t]) : undefined,
    droppedRows,
    mean,
    scale,
    singular: svd.s.slice(0, k),
    totalSumSquares,
    loadings,
    scores,
  });
}

/** +1 or −1: the sign that makes the loadings sum positive (see {@linkcode PCAResults}). */
function signOf(v: Float64Array): number {
  let sum = 0;
  let abs = 0;
  let largest = 0;
  for (const x of v) {
    sum += x;
    abs += Math.abs(x);
    if (Math.abs(x) > Math.abs(largest)) largest = x;
  }
  if (Math.abs(sum) > 1e-8 * abs) return Math.sign(sum);
  return largest < 0 ? -1 : 1;
}

interface ReadPanel {
  names: string[];
  columns: Float64Array[];
  labels: string[] | undefined;
}

function readPanel(panel: PanelInput, labelColumn: string | undefined): ReadPanel {
  if (panel == null || typeof panel !== "object") {
    throw new PCAInputError(
      "The panel must be a record of columns, a DataFrame or an array of rows; got " +
        `${panel === null ? "null" : typeof panel}.`,
    );
  }
  let names: string[];
  let raw: (name: string) => ArrayLike<unknown>;
  const frame = panel as {
    columns?: unknown;
    getColumn?: (n: string) => { toArray(): unknown[] };
  };
  if (Array.isArray(frame.columns) && typeof frame.getColumn === "function") {
    names = [...frame.columns] as string[];
    raw = (n) => frame.getColumn!(n).toArray();
  } else if (isDanfoFrame(panel)) {
    names = [...panel.columns];
    raw = (n) => danfoColumn(panel, n) as ArrayLike<unknown>;
  } else if (typeof (panel as ArrayLike<unknown>).length === "number") {
    const rows = panel as ArrayLike<ArrayLike<unknown>>;
    const width = rows.length > 0 ? rows[0]?.length ?? 0 : 0;
    names = Array.from({ length: width }, (_, j) => `x${j + 1}`);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]?.length !== width) {
        throw new PCAInputError(
          `Row ${i} of the panel has ${rows[i]?.length ?? "no"} values, row 0 has ${width}: ` +
            "every row needs one value per asset.",
        );
      }
    }
    raw = (n) => Array.from(rows, (r) => r[Number(n.slice(1)) - 1]);
  } else {
    const record = panel as Record<string, unknown>;
    names = Object.keys(record);
    raw = (n) => {
      const col = record[n] as ArrayLike<unknown>;
      if (col == null || typeof col !== "object" || typeof col.length !== "number") {
        throw new PCAInputError(`Column "${n}" is not an array of numbers.`);
      }
      return col;
    };
  }
  const label = labelColumn ??
    (names.includes("period") ? "period" : names.includes("date") ? "date" : undefined);
  if (label !== undefined && !names.includes(label)) {
    throw new PCAInputError(
      `The label column "${label}" is not in the panel (columns: ${names.join(", ")}).`,
    );
  }
  const assets = names.filter((n) => n !== label);
  const columns = assets.map((name) => {
    const values = raw(name);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === "number") out[i] = v;
      else if (v === null || v === undefined) out[i] = NaN;
      else {
        throw new PCAInputError(
          `Column "${name}" is not numeric (row ${i} holds ${JSON.stringify(v)}). Pass only ` +
            'return columns, with the periods in a "period" column or named by { labels }.',
        );
      }
    }
    return out;
  });
  const lengths = new Set(columns.map((c) => c.length));
  if (lengths.size > 1) {
    throw new PCAInputError(
      `The panel's columns have different lengths (${[...lengths].join(", ")}); every asset ` +
        "needs one value per period (use null for a missing one).",
    );
  }
  let labels: string[] | undefined;
  if (label !== undefined) {
    labels = Array.from(raw(label), labelOf);
    if (columns.length > 0 && labels.length !== columns[0].length) {
      throw new PCAInputError(
        `The label column "${label}" has ${labels.length} values, the returns ${
          columns[0].length
        }.`,
      );
    }
  }
  return { names: assets, columns, labels };
}

function describeMissing(v: number): string {
  return Number.isNaN(v) ? "missing (null or NaN)" : String(v);
}

/** @deprecated Use {@link PCAInputError}; this name goes in 0.2.0. */
export const PcaInputError: typeof PCAInputError = PCAInputError;
/** @deprecated Use {@link PCAInputError}; this name goes in 0.2.0. */
export type PcaInputError = PCAInputError;

/** @deprecated Use {@link PCAOptions}; this name goes in 0.2.0. */
export type PcaOptions = PCAOptions;
