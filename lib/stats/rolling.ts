/**
 * Rolling and expanding OLS: one regression per window end, with statsmodels' `RollingOLS`
 * semantics (window ends, `min_nobs`, `expanding`, missing values handled per window) and the
 * per-window results a statsmodels user knows (`params`, `bse`, `tvalues`, `pvalues`,
 * `rsquared`, `rsquared_adj`, `nobs`), by name.
 *
 * @module
 */

import { Displayable, HeaderBlock, Summary, Table } from "../display/mod.ts";
import { InvalidArgumentError } from "../errors.ts";
import { buildDesign, type Design, type RegressorsInput, type ResponseInput } from "./design.ts";
import { fSf } from "./distributions.ts";
import { RegressionInputError } from "./errors.ts";
import { LabeledMatrix } from "./labeled_matrix.ts";
import { firstDuplicate, NamedValues } from "./named.ts";
import { impliedConstantOf, ldexp, scalingExponent } from "./lstsq.ts";
import { householderQr } from "./linalg.ts";
import { Inference, Memo } from "./inference.ts";
import { readResponses, responsePosition } from "./ols_many.ts";
import { solveWindows, type WindowSolutions } from "./window_moments.ts";

/**
 * Missing values in rolling regressions: `"drop"` (default, as statsmodels) estimates each
 * window from its complete rows; `"skip"` gives no estimate for a window holding a missing row;
 * `"raise"` refuses missing values.
 */
export type RollingMissingPolicy = "drop" | "skip" | "raise";

/** Options of {@linkcode rollingOls}. */
export interface RollingOLSOptions {
  /**
   * Rows per regression (e.g. 36 for three years of monthly data). Required unless
   * `expanding` is set, when it defaults to the whole sample (a purely expanding regression).
   */
  window?: number;
  /**
   * Fewest complete rows a window needs for an estimate (default: the number of regressors,
   * as statsmodels' `min_nobs`). Windows with fewer give NaN.
   */
  minObs?: number;
  /**
   * Also estimate the windows that end before a full window is available, from the first row
   * on, as soon as they have `minObs` complete rows (statsmodels' `expanding=True`).
   */
  expanding?: boolean;
  /** Prepend a `const` column of ones (default false, like `sm.OLS`). */
  addConstant?: boolean;
  /** Rows with NaN, null or ±Infinity; see {@linkcode RollingMissingPolicy}. */
  missing?: RollingMissingPolicy;
  /**
   * Student's t for p-values and intervals (default true, as a single OLS fit; statsmodels'
   * `RollingOLS.fit()` defaults to the normal distribution: pass false to match it).
   */
  useT?: boolean;
  /** A label per row, such as "YYYY-MM" periods: results are keyed by them. */
  index?: readonly string[];
}

/** The estimates of one window, by regressor name. */
export interface RollingWindowEstimate {
  /** Position of the window's last row. */
  end: number;
  /** Position of the window's first row. */
  start: number;
  /** Label of the last row (its position as text when no `index` was given). */
  label: string;
  /** Complete rows used. */
  nobs: number;
  /** Coefficients. */
  params: NamedValues;
  /** Standard errors. */
  bse: NamedValues;
  /** t (or z) statistics. */
  tvalues: NamedValues;
  /** Two-sided p-values. */
  pvalues: NamedValues;
  /** R² (uncentered without a constant). */
  rsquared: number;
  /** Adjusted R². */
  rsquaredAdj: number;
}

/** Confidence intervals per window: lower and upper bounds, window ends × regressors. */
export interface RollingConfidenceIntervals {
  /** Significance level (0.05 gives 95% intervals). */
  alpha: number;
  /** Lower bounds. */
  lower: LabeledMatrix;
  /** Upper bounds. */
  upper: LabeledMatrix;
}

/**
 * Fits OLS on a window of `window` rows ending at every row: a rolling regression, or an
 * expanding one that starts from the first row. Matches statsmodels' `RollingOLS`: the
 * results of the window ending at row t sit at row t, the first `window − 1` rows have none
 * (unless `expanding`), and with `missing: "drop"` a window with fewer than `minObs` complete
 * rows has none.
 *
 * The windows are solved from moment sums updated as rows enter and leave (O(k²) per row plus
 * a k × k solve per window, not a QR factorization per window), centred on the window mean so
 * that large means cost no digits; a window whose error bound from the moments exceeds 1e-9
 * (near-collinear regressors, an almost perfect fit) is solved by QR of its rows. Classical
 * (non-robust) standard errors.
 *
 * @param y Dependent variable: numbers, a Float64Array, or a polars/danfojs Series.
 * @param X Regressors: a record of named columns, a polars or danfojs DataFrame, or rows.
 * @param options Window, minimum observations, expanding start, constant, missing values.
 * @returns Per-window results keyed by window end and regressor name.
 * @throws {RegressionInputError} for unusable input or a window that does not fit the sample.
 *
 * @example Three-year rolling betas of a factor model
 * ```ts
 * import { referenceDataset, rollingOls } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { y, X } = referenceDataset("factor"); // 240 months, constant and six factors
 * const rolling = rollingOls(y, X, { window: 36 });
 * assert.equal(rolling.params.rows, 240);
 * assert.ok(Number.isNaN(rolling.params.get(34, "MKT_RF"))); // 35 rows: no estimate yet
 * const last = rolling.at(239)!; // the window of rows 204..239
 * assert.equal(last.start, 204);
 * assert.equal(last.nobs, 36);
 * assert.ok(Math.abs(last.params.get("MKT_RF") - 1.05) < 0.1);
 * ```
 */
export function rollingOls(
  y: ResponseInput,
  X: RegressorsInput,
  options: RollingOLSOptions = {},
): RollingOLSResults {
  const missing = checkMissing(options.missing);
  const design = buildDesign(y, X, {
    addConstant: options.addConstant,
    missing: missing === "raise" ? "raise" : "drop",
  });
  const k = design.k;
  const rows = design.nobs + design.droppedRows.length;
  // Back to one entry per input row, missing rows flagged.
  const valid = new Uint8Array(rows).fill(1);
  for (const r of design.droppedRows) valid[r] = 0;
  const yAll = new Float64Array(rows).fill(NaN);
  const xAll = new Float64Array(rows * k).fill(NaN);
  for (let t = 0, r = 0; t < rows; t++) {
    if (!valid[t]) continue;
    yAll[t] = design.y[r];
    for (let j = 0; j < k; j++) xAll[j * rows + t] = design.x[j * design.nobs + r];
    r++;
  }
  return solveRolling(design, xAll, [yAll], valid, options, missing === "skip").results(0);
}

/**
 * The rolling regressions of the columns `ys` on the regressors of `design`, both given one entry
 * per row (`x` column-major `rows × k`; both scaled in place) with the usable rows flagged in
 * `valid`: options checked, all windows of all columns solved together, each column's results.
 */
function solveRolling(
  design: Design,
  x: Float64Array,
  ys: Float64Array[],
  valid: Uint8Array,
  options: RollingOlsOptions,
  skipMissing: boolean,
): { results: (j: number) => RollingOLSResults; paramsAt: (t: number) => Float64Array } {
  const { names, constIndex } = design;
  const [k, rows, m] = [names.length, valid.length, ys.length];
  const expanding = options.expanding ?? false;
  const window = checkWindow(options.window, expanding, rows, k, names);
  const minObs = checkMinObs(options.minObs ?? k, window, k, names);
  const labels = checkIndex(options.index, rows);
  const colExp = scaleColumns(x, rows, k, valid);
  // Row by row: the kernel reads the variables of a row together.
  const y = new Float64Array(rows * m);
  const yExps = ys.map((c, j) => {
    const e = scaleColumns(c, rows, 1, valid)[0];
    for (let t = 0; t < rows; t++) y[t * m + j] = c[t];
    return e;
  });
  const constValue = constIndex >= 0 ? x[constIndex * rows + valid.indexOf(1)] : 1;
  const solutions = solveWindows(
    { x, y, valid, rows, k, m, constIndex, constValue },
    { window, expanding, minObs, skipMissing },
  );
  // 1 when the model has a constant, explicit or implied by the columns (statsmodels' rule).
  const kConstant = constIndex >= 0 || impliedConstantOf(householderQr(design.x, design.nobs, k))
    ? 1
    : 0;
  return {
    results: (j) =>
      new RollingOLSResults({
        names,
        labels,
        window,
        minObs,
        expanding,
        kConstant,
        useT: options.useT ?? true,
        solutions: solutions.of(j),
        colExp,
        yExp: yExps[j],
      }),
    paramsAt: (t) =>
      solutions.paramsAt(t).map((v, i) => ldexp(v, colExp[i % k] - yExps[Math.floor(i / k)])),
  };
}

/**
 * Scales each column of a column-major `rows × k` array in place by the power of two that brings
 * its largest valid magnitude into [1, 2), and returns the exponents. Exact: the windows then
 * give bit for bit the results of the unscaled data wherever those neither overflow nor
 * underflow, and data from 1e-300 to 1e300 are solved as well as data near 1.
 */
function scaleColumns(v: Float64Array, rows: number, k: number, valid: Uint8Array): Int32Array {
  const exps = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    let max = 0;
    for (let t = 0; t < rows; t++) if (valid[t]) max = Math.max(max, Math.abs(v[j * rows + t]));
    exps[j] = scalingExponent([max]);
    for (let t = 0; t < rows; t++) v[j * rows + t] = ldexp(v[j * rows + t], exps[j]);
  }
  return exps;
}

/**
 * Rolling (or expanding) OLS of many dependent variables on the same regressors, e.g. the
 * three-year betas of thousands of assets: {@linkcode rollingOls} for each column of Y, with the
 * same options and the same results, computed together. When X and Y are complete, the moments of
 * the regressors, their factorization and its condition number are updated and computed once
 * per row and window for all columns; each column adds only its own co-moments with the
 * regressors (O(k) per row) and a triangular solve per window (O(k²)), instead of O(k²) per row
 * and a factorization per window. With missing values each column is fitted by
 * {@linkcode rollingOls} on its own.
 *
 * @param Y Dependent variables: a record of named columns, a polars/danfojs DataFrame (every
 *   column a dependent variable), or an array of rows (named y1, y2, …).
 * @param X Regressors, as for {@linkcode rollingOls}.
 * @param options Window, minimum observations, expanding start, constant, missing values, index.
 * @returns Each column's {@linkcode RollingOLSResults} by name, and cross-sections by window end.
 * @throws {RegressionInputError} for unusable input or a window that does not fit the sample.
 *
 * @example Rolling betas of two portfolios, and the cross-section of the last window
 * ```ts
 * import { referenceDataset, rollingOls, rollingOlsMany } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { y, X } = referenceDataset("factor");
 * const Y = { A: y, B: y.map((v, t) => 0.5 * v + 0.01 * Math.sin(t)) };
 * const many = rollingOlsMany(Y, X, { window: 36 });
 * const alone = rollingOls(Y.B, X, { window: 36 });
 * const diff = many.get("B").params.get(239, "MKT_RF") - alone.params.get(239, "MKT_RF");
 * assert.ok(Math.abs(diff) < 1e-12);
 * assert.deepEqual(many.paramsAt(239).rowNames, ["A", "B"]);
 * ```
 */
export function rollingOlsMany(
  Y: RegressorsInput,
  X: RegressorsInput,
  options: RollingOLSOptions = {},
): RollingOLSManyResults {
  const { names: ynames, columns } = readResponses(Y);
  const rows = columns[0].length;
  const mismatch = columns.findIndex((c) => c.length !== rows);
  if (mismatch >= 0) {
    throw new RegressionInputError(
      `Length mismatch: Y column "${ynames[mismatch]}" has ${columns[mismatch].length} values ` +
        `but "${ynames[0]}" has ${rows}. Align the columns first (for example join on period).`,
    );
  }
  checkMissing(options.missing);
  // Rows where X is incomplete are dropped from this design: none means X is complete.
  const design = buildDesign(new Float64Array(rows), X, {
    addConstant: options.addConstant,
    missing: "drop",
  });
  let complete = design.droppedRows.length === 0;
  for (const c of columns) {
    for (let t = 0; t < rows && complete; t++) complete = c[t] - c[t] === 0;
  }
  if (!complete) {
    const each = columns.map((c) => rollingOls(c, X, options));
    return new RollingOLSManyResults(ynames, each[0], (j) => each[j], (t) => {
      const k = each[0].names.length;
      const out = new Float64Array(each.length * k);
      each.forEach((r, j) => out.set(r.params.data.subarray(t * k, (t + 1) * k), j * k));
      return out;
    });
  }
  const solved = solveRolling(
    design,
    Float64Array.from(design.x),
    columns.map((c) => Float64Array.from(c)),
    new Uint8Array(rows).fill(1),
    options,
    false,
  );
  return new RollingOLSManyResults(ynames, solved.results(0), solved.results, solved.paramsAt);
}

/**
 * Results of {@linkcode rollingOlsMany}: one {@linkcode RollingOLSResults} per dependent
 * variable (built on first use), and the estimates of all of them at one window end.
 */
export class RollingOLSManyResults extends Displayable {
  /** Names of the dependent variables. */
  readonly ynames: readonly string[];
  /** Regressor names, in column order. */
  readonly names: readonly string[];
  /** Row labels: the `index` given, or the positions "0", "1", …. */
  readonly labels: readonly string[];
  /** Rows per window. */
  readonly window: number;
  readonly #results: (RollingOLSResults | undefined)[];
  readonly #make: (j: number) => RollingOLSResults;
  readonly #paramsAt: (t: number) => Float64Array;
  readonly #position: Map<string, number>;

  /** @internal Use {@linkcode rollingOlsMany}. */
  constructor(
    ynames: string[],
    first: RollingOLSResults,
    make: (j: number) => RollingOLSResults,
    paramsAt: (t: number) => Float64Array,
  ) {
    super();
    this.ynames = Object.freeze([...ynames]);
    this.names = first.names;
    this.labels = first.labels;
    this.window = first.window;
    this.#results = new Array(ynames.length);
    this.#results[0] = first;
    this.#make = make;
    this.#paramsAt = paramsAt;
    this.#position = new Map(ynames.map((name, j) => [name, j]));
  }

  /**
   * The rolling results of one dependent variable, as {@linkcode rollingOls} gives them.
   *
   * @param y Its name or position.
   * @throws {InvalidArgumentError} for an unknown name or a position outside the columns.
   */
  get(y: string | number): RollingOLSResults {
    const j = responsePosition(this.ynames, typeof y === "string" ? this.#position.get(y) ?? y : y);
    return (this.#results[j] ??= this.#make(j));
  }

  /**
   * The coefficients of every dependent variable in the window ending at one row: dependent
   * variables × regressors (NaN for a variable without an estimate there).
   *
   * @param end The row's position, or its label (e.g. "2015-06").
   * @throws {InvalidArgumentError} for a position outside the rows or an unknown label.
   */
  paramsAt(end: number | string): LabeledMatrix {
    const t = rowPosition(this.labels, end);
    return new LabeledMatrix(this.ynames, this.names, this.#paramsAt(t).slice());
  }

  /**
   * What the results print and display: the windows, and every dependent variable's coefficients
   * in the last estimated window.
   */
  summary(): Summary {
    const first = this.get(0);
    const ends = estimatedEnds(first);
    const header = windowsBlock(
      first,
      ends,
      `Rolling OLS Results: ${this.ynames.length} variables`,
    );
    if (ends.length === 0) return Summary.of(header);
    const last = ends[ends.length - 1];
    const params = this.paramsAt(last);
    return Summary.of(
      header,
      new Table(
        [{ header: "" }, ...this.names.map((header) => ({ header, format: "%.4f" }))],
        this.ynames.map((y, i) => [y, ...params.row(i)]),
        { title: `Coefficients in the window ending ${this.labels[last]}` },
      ),
    );
  }
}

/** The rows that end a window with an estimate (not too short, not rank-deficient). */
function estimatedEnds(r: RollingOLSResults): number[] {
  const params = r.params;
  return r.labels.flatMap((_, t) => (Number.isFinite(params.get(t, 0)) ? [t] : []));
}

/** The header of rolling results: the windows and how they were estimated (`ends`). */
function windowsBlock(r: RollingOLSResults, ends: number[], title: string): HeaderBlock {
  const label = (t: number | undefined) => t === undefined ? "none" : r.labels[t];
  return new HeaderBlock(
    [
      ["Window:", r.expanding ? `expanding to ${r.window}` : String(r.window)],
      ["Windows estimated:", `${ends.length} of ${r.labels.length}`],
      ["First window end:", label(ends[0])],
      ["Last window end:", label(ends[ends.length - 1])],
    ],
    [
      ["Regressors:", String(r.names.length)],
      ["Min. observations:", String(r.minObs)],
      ["Inference:", r.useT ? "t" : "normal"],
      ["Rank-deficient windows:", String(r.rankDeficient.length)],
    ],
    title,
  );
}

/** Position of a row given by position or label, or an error saying which rows there are. */
function rowPosition(labels: readonly string[], end: number | string): number {
  const t = typeof end === "number" ? end : labels.indexOf(end);
  if (Number.isInteger(t) && t >= 0 && t < labels.length) return t;
  throw new InvalidArgumentError(
    typeof end === "number"
      ? `Row ${end} is outside 0..${labels.length - 1}.`
      : `No row labelled "${end}" (labels run from "${labels[0]}" to "${labels.at(-1)}").`,
  );
}

function checkWindow(
  window: number | undefined,
  expanding: boolean,
  rows: number,
  k: number,
  names: string[],
): number {
  if (window === undefined) {
    if (expanding) return rows;
    throw new RegressionInputError(
      "rollingOls needs a window: the number of rows per regression (e.g. { window: 36 } for " +
        "three years of monthly data), or { expanding: true } for an expanding regression.",
    );
  }
  if (!Number.isInteger(window) || window < 1) {
    throw new RegressionInputError(
      `window must be a whole number of rows (e.g. 36), not ${JSON.stringify(window)}.`,
    );
  }
  if (window > rows) {
    throw new RegressionInputError(
      `window ${window} is longer than the sample (${rows} rows): use a window of at most ` +
        `${rows} rows, or a longer sample.`,
    );
  }
  if (window <= k) {
    throw new RegressionInputError(
      `window ${window} leaves no residual degrees of freedom for the ${k} regressors ` +
        `(${names.join(", ")}): use a window of more than ${k} rows (36 or 60 for monthly data).`,
    );
  }
  return window;
}

function checkMinObs(minObs: number, window: number, k: number, names: string[]): number {
  if (!Number.isInteger(minObs)) {
    throw new RegressionInputError(
      `minObs must be a whole number of rows, not ${JSON.stringify(minObs)}.`,
    );
  }
  if (minObs < k) {
    throw new RegressionInputError(
      `minObs ${minObs} is less than the ${k} regressors (${names.join(", ")}): a window ` +
        `needs at least as many complete rows as coefficients. Use minObs of ${k} or more.`,
    );
  }
  if (minObs > window) {
    throw new RegressionInputError(
      `minObs ${minObs} is more than the window of ${window} rows, so no window could have an ` +
        `estimate. Use minObs of at most ${window}.`,
    );
  }
  return minObs;
}

function checkMissing(given: RollingMissingPolicy | undefined): RollingMissingPolicy {
  const missing = given ?? "drop";
  if (missing !== "drop" && missing !== "skip" && missing !== "raise") {
    throw new RegressionInputError(
      `missing must be "drop", "skip" or "raise", not ${JSON.stringify(missing)}.`,
    );
  }
  return missing;
}

function checkIndex(index: readonly string[] | undefined, rows: number): string[] {
  if (index === undefined) return Array.from({ length: rows }, (_, t) => String(t));
  if (index.length !== rows) {
    throw new RegressionInputError(
      `index has ${index.length} labels for ${rows} rows: give one label (e.g. a period) per row.`,
    );
  }
  const labels = Array.from(index, String);
  const dup = firstDuplicate(labels);
  if (dup !== undefined) {
    throw new RegressionInputError(`index has the label "${dup}" twice: labels must differ.`);
  }
  return labels;
}

interface RollingParts {
  names: string[];
  labels: string[];
  window: number;
  minObs: number;
  expanding: boolean;
  kConstant: number;
  useT: boolean;
  /** Solutions of the data scaled by powers of two: columns by `2^colExp`, y by `2^yExp`. */
  solutions: WindowSolutions;
  colExp: Int32Array;
  yExp: number;
}

/**
 * Results of {@linkcode rollingOls}: per window end (a row, labelled by the `index` given, or
 * by its position), the estimates of the regression on the window ending there. Matrices are
 * window ends × regressors ({@linkcode LabeledMatrix}); series are {@linkcode NamedValues}
 * keyed by the labels. Windows without an estimate hold NaN (and `nobs` 0).
 */
export class RollingOLSResults extends Displayable {
  /** Regressor names, in column order. */
  readonly names: readonly string[];
  /** Row labels: the `index` given, or the positions "0", "1", …. */
  readonly labels: readonly string[];
  /** Rows per window. */
  readonly window: number;
  /** Fewest complete rows for an estimate. */
  readonly minObs: number;
  /** Whether windows shorter than `window` at the start were estimated. */
  readonly expanding: boolean;
  /** 1 when the model has a constant (explicit, or implied by the columns), else 0. */
  readonly kConstant: number;
  /** Whether p-values and intervals use Student's t (else the normal distribution). */
  readonly useT: boolean;
  /** Window ends whose regressors were perfectly collinear within the window (no estimate). */
  readonly rankDeficient: readonly number[];
  /**
   * How many windows were too ill-conditioned for the updated moments and were solved by QR
   * of their rows instead (for the curious; the results are as accurate either way).
   */
  readonly qrSolved: number;
  readonly #s: WindowSolutions;
  readonly #colExp: Int32Array;
  readonly #yExp: number;
  readonly #memo = new Memo();

  /** @internal Use {@linkcode rollingOls}. */
  constructor(parts: RollingParts) {
    super();
    this.names = Object.freeze([...parts.names]);
    this.labels = Object.freeze([...parts.labels]);
    this.window = parts.window;
    this.minObs = parts.minObs;
    this.expanding = parts.expanding;
    this.kConstant = parts.kConstant;
    this.useT = parts.useT;
    this.rankDeficient = Object.freeze([...parts.solutions.rankDeficient]);
    this.qrSolved = parts.solutions.qrSolved;
    this.#s = parts.solutions;
    this.#colExp = parts.colExp;
    this.#yExp = parts.yExp;
  }

  get #rows(): number {
    return this.labels.length;
  }

  /** Per-window values computed by `f(t, j)` as a window ends × regressors matrix. */
  #matrix(f: (t: number, j: number) => number): LabeledMatrix {
    const T = this.#rows;
    const k = this.names.length;
    const data = new Float64Array(T * k);
    for (let t = 0; t < T; t++) for (let j = 0; j < k; j++) data[t * k + j] = f(t, j);
    return new LabeledMatrix(this.labels, this.names, data);
  }

  #series(f: (t: number) => number): NamedValues {
    return new NamedValues(this.labels, Float64Array.from({ length: this.#rows }, (_, t) => f(t)));
  }

  /** Complete rows used per window (0 where there is no estimate). */
  get nobs(): NamedValues {
    return this.#memo.get("nobs", () => this.#series((t) => this.#s.nobs[t]));
  }

  /** Residual degrees of freedom per window (NaN where there is no estimate). */
  get dfResid(): NamedValues {
    return this.#memo.get("dfResid", () => this.#series((t) => this.#dfResid(t)));
  }

  #dfResid(t: number): number {
    const n = this.#s.nobs[t];
    return n === 0 ? NaN : n - this.names.length;
  }

  /**
   * What the results print and display: the windows (size, how many were estimated, the first and
   * last window end), then each coefficient in the first and last window and its mean, lowest and
   * highest over the estimated windows.
   *
   * @param options The title (default "Rolling OLS Results").
   */
  summary(options: { title?: string } = {}): Summary {
    const ends = estimatedEnds(this);
    const header = windowsBlock(this, ends, options.title ?? "Rolling OLS Results");
    if (ends.length === 0) return Summary.of(header);
    const rows = this.names.map((name) => {
      const c = this.params.column(name);
      let [sum, low, high] = [0, Infinity, -Infinity];
      for (const t of ends) {
        sum += c[t];
        low = Math.min(low, c[t]);
        high = Math.max(high, c[t]);
      }
      return [name, c[ends[0]], c[ends[ends.length - 1]], sum / ends.length, low, high];
    });
    return Summary.of(
      header,
      new Table(
        [
          { header: "" },
          ...["first", "last", "mean", "min", "max"].map((header) => ({ header, format: "%.4f" })),
        ],
        rows,
        { title: "Coefficients over the estimated windows" },
      ),
    );
  }

  /** Coefficients per window end. */
  get params(): LabeledMatrix {
    return this.#memo.get(
      "params",
      () =>
        this.#matrix((t, j) =>
          ldexp(this.#s.params[j * this.#rows + t], this.#colExp[j] - this.#yExp)
        ),
    );
  }

  /** Standard errors per window end (NaN when a window has no residual degrees of freedom). */
  get bse(): LabeledMatrix {
    return this.#memo.get(
      "bse",
      () => this.#matrix((t, j) => ldexp(this.#bseScaled(t, j), this.#colExp[j] - this.#yExp)),
    );
  }

  /** Standard error in the scaled units of the solutions (where nothing overflows). */
  #bseScaled(t: number, j: number): number {
    const df = this.#dfResid(t);
    if (!(df > 0)) return NaN;
    return Math.sqrt((this.#s.ssr[t] / df) * this.#s.xtxInvDiag[j * this.#rows + t]);
  }

  /** t statistics (z statistics when `useT` is false). */
  get tvalues(): LabeledMatrix {
    return this.#memo.get("tvalues", () => this.#table(this.#inference.tvalues));
  }

  /** Two-sided p-values of the t (or z) statistics. */
  get pvalues(): LabeledMatrix {
    return this.#memo.get("pvalues", () => this.#table(this.#inference.pvalues));
  }

  /**
   * Confidence intervals of the coefficients per window end.
   *
   * @param alpha Significance level: 0.05 (default) gives 95% intervals.
   */
  confInt(alpha = 0.05): RollingConfidenceIntervals {
    const { lower, upper } = this.#inference.confInt(alpha);
    return { alpha, lower: this.#table(lower), upper: this.#table(upper) };
  }

  get #inference(): Inference {
    return this.#memo.get("inference", () =>
      new Inference({
        names: this.names,
        params: () => this.params.data,
        bse: () => this.bse.data,
        // In the scaled units: the ratio is the same, and neither part overflows there.
        tvalues: () =>
          this.#matrix((t, j) => this.#s.params[j * this.#rows + t] / this.#bseScaled(t, j)).data,
        df: (t) => this.#dfResid(t),
        useT: this.useT,
      }));
  }

  #table(data: Float64Array): LabeledMatrix {
    return new LabeledMatrix(this.labels, this.names, data);
  }

  /** Residual sum of squares per window end. */
  get ssr(): NamedValues {
    return this.#memo.get("ssr", () => this.#series((t) => ldexp(this.#s.ssr[t], -2 * this.#yExp)));
  }

  /** R² per window end (uncentered when the model has no constant, as statsmodels). */
  get rsquared(): NamedValues {
    return this.#memo.get("rsquared", () => this.#series((t) => 1 - this.#s.ssr[t] / this.#tss(t)));
  }

  #tss(t: number): number {
    return this.kConstant ? this.#s.centeredTss[t] : this.#s.uncenteredTss[t];
  }

  /** Adjusted R² per window end. */
  get rsquaredAdj(): NamedValues {
    return this.#memo.get("rsquaredAdj", () => {
      const r2 = this.rsquared;
      return this.#series((t) =>
        1 - ((this.#s.nobs[t] - this.kConstant) / this.#dfResid(t)) * (1 - r2[t])
      );
    });
  }

  /** F statistic per window end: all coefficients but the constant are zero. */
  get fvalue(): NamedValues {
    return this.#memo.get("fvalue", () => {
      const dfModel = this.names.length - this.kConstant;
      return this.#series((t) => {
        const ssr = this.#s.ssr[t];
        return dfModel === 0 ? NaN : ((this.#tss(t) - ssr) / dfModel) / (ssr / this.#dfResid(t));
      });
    });
  }

  /** p-value of {@linkcode fvalue} per window end. */
  get fPvalue(): NamedValues {
    return this.#memo.get("fPvalue", () => {
      const f = this.fvalue;
      const dfModel = this.names.length - this.kConstant;
      return this.#series((t) =>
        Number.isFinite(f[t]) && this.#dfResid(t) > 0 ? fSf(f[t], dfModel, this.#dfResid(t)) : NaN
      );
    });
  }

  /**
   * The estimates of the window ending at a row, or null when that window has none.
   *
   * @param end The row's position, or its label (e.g. "2015-06").
   * @throws {InvalidArgumentError} for a position outside the rows or an unknown label.
   */
  at(end: number | string): RollingWindowEstimate | null {
    const t = rowPosition(this.labels, end);
    if (this.#s.nobs[t] === 0) return null;
    return {
      end: t,
      start: Math.max(0, t - this.window + 1),
      label: this.labels[t],
      nobs: this.#s.nobs[t],
      params: this.params.row(t),
      bse: this.bse.row(t),
      tvalues: this.tvalues.row(t),
      pvalues: this.pvalues.row(t),
      rsquared: this.rsquared[t],
      rsquaredAdj: this.rsquaredAdj[t],
    };
  }
}

/** @deprecated Use {@link RollingOLSManyResults}; this name goes in 0.2.0. */
export const RollingOlsManyResults: typeof RollingOLSManyResults = RollingOLSManyResults;
/** @deprecated Use {@link RollingOLSManyResults}; this name goes in 0.2.0. */
export type RollingOlsManyResults = RollingOLSManyResults;

/** @deprecated Use {@link RollingOLSOptions}; this name goes in 0.2.0. */
export type RollingOlsOptions = RollingOLSOptions;
