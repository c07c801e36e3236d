/**
 * The statistics of factorlab on their own: ordinary least squares with statsmodels' results and
 * summary, robust covariances (HC0–HC3, Newey-West HAC), residual diagnostics, many-asset and
 * rolling regressions, the GRS and Fama-MacBeth tests, and PCA. This entry point loads no
 * dataframe library (nodejs-polars is not imported): inputs are arrays, records of columns, or any
 * frame-like object with columns.
 *
 * @example A one-factor regression from plain arrays
 * ```ts
 * import assert from "node:assert/strict";
 * import { ols } from "./mod.ts";
 *
 * const mkt = [0.012, -0.034, 0.021, 0.008, -0.015, 0.027, 0.011, -0.006, 0.019, -0.022];
 * const excess = [0.015, -0.036, 0.019, 0.011, -0.013, 0.024, 0.016, -0.004, 0.018, -0.019];
 * const fit = ols(excess, { MKT_RF: mkt }, { addConstant: true });
 * assert.equal(fit.params.get("MKT_RF").toFixed(4), "0.9763");
 * console.log(fit.summary().toString());
 * ```
 *
 * @module
 */

export { addConstant, ols, OLSResults } from "./ols.ts";
export type {
  ConfidenceIntervals,
  OLSOptions,
  OlsOptions,
  PredictInput,
  SummaryOptions,
} from "./ols.ts";
export type { CovOptions, CovSpec, CovType } from "./covariance.ts";
export type {
  DanfoFrameLike,
  LazyFrameLike,
  MissingPolicy,
  PolarsFrameLike,
  RegressorsInput,
  ResponseInput,
  SeriesLike,
} from "./design.ts";
export { CollinearityError, RegressionInputError } from "./errors.ts";
export { NamedValues } from "./named.ts";
export {
  durbinWatson,
  hetBreuschPagan,
  HeteroscedasticityTest,
  hetWhite,
  jarqueBera,
  kurtosis,
  omnibusTest,
  skewness,
} from "./diagnostics.ts";
export type { JarqueBera, Omnibus, TestDesign } from "./diagnostics.ts";
export { referenceDataset } from "./reference_data.ts";
export type { ReferenceDataset, ReferenceDatasetName } from "./reference_data.ts";
export {
  type PanelInput,
  pca,
  PCAInputError,
  PcaInputError,
  type PCAOptions,
  type PcaOptions,
  PCAResults,
} from "./pca.ts";
export {
  olsMany,
  type OLSManyOptions,
  type OlsManyOptions,
  OLSManyResults,
  OlsManyResults,
} from "./ols_many.ts";
export {
  famaMacBeth,
  type FamaMacBethOptions,
  FamaMacBethResults,
  type FamaMacBethSE,
  GRSTest,
  GrsTest,
  grsTest,
} from "./asset_pricing.ts";
export { LabeledMatrix, type LabeledTableOptions, NamedMatrix } from "./labeled_matrix.ts";
export {
  type LegacyTestResultData,
  type TestDistribution,
  TestResult,
  type TestResultData,
  TTestResult,
} from "./test_result.ts";
export type { Constraints, WaldTestOptions } from "./inference.ts";
export {
  type RollingConfidenceIntervals,
  type RollingMissingPolicy,
  rollingOls,
  rollingOlsMany,
  RollingOLSManyResults,
  RollingOlsManyResults,
  type RollingOLSOptions,
  type RollingOlsOptions,
  RollingOLSResults,
  type RollingWindowEstimate,
} from "./rolling.ts";
export {
  type NeweyWestLagOptions,
  neweyWestLags,
  type NeweyWestLagSelection,
} from "./newey_west.ts";
export {
  type Cell,
  type CoefficientRow,
  CoefficientTable,
  Displayable,
  formatP,
  HeaderBlock,
  type MimeBundle,
  regressionSummary,
  type RegressionSummaryData,
  Summary,
  type SummaryDiagnostics,
  type SummaryPart,
  Table,
  type TableColumn,
  TextPart,
} from "../display/mod.ts";
