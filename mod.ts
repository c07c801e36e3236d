/**
 * factorlab: factor-model research in Deno notebooks and on the command line.
 *
 * Ordinary least squares with statsmodels-grade results and summary, robust standard
 * errors (HC0–HC3, Newey-West HAC) and residual diagnostics.
 *
 * @example Fit a factor model and print the statsmodels summary
 * ```ts
 * import { ols } from "./mod.ts";
 *
 * const mkt = [0.012, -0.034, 0.021, 0.008, -0.015, 0.027, 0.011, -0.006, 0.019, -0.022];
 * const smb = [0.004, 0.002, -0.006, 0.003, 0.001, -0.004, 0.005, 0.002, -0.001, 0.003];
 * const excess = [0.015, -0.036, 0.019, 0.011, -0.013, 0.024, 0.016, -0.004, 0.018, -0.019];
 * const fit = ols(excess, { MKT_RF: mkt, SMB: smb }, { addConstant: true });
 * console.log(fit.summary().toString());
 * console.log(fit.params.get("MKT_RF"), fit.pvalues.get("const"));
 * ```
 *
 * @module
 */

export * from "./lib/stats/mod.ts";
export { FactorReport, Interpretation } from "./lib/report/factor_report.ts";
export type { FactorReportData, ReportBeta } from "./lib/report/factor_report.ts";
export {
  formatFrame,
  type FormatFrameOptions,
  type FrameToFormat,
} from "./lib/report/frame_table.ts";
export { checkSetup, type SetupCheck, type SetupOptions, SetupReport } from "./lib/setup.ts";
export { FactorlabError } from "./lib/errors.ts";
export * from "./lib/data/mod.ts";
export * from "./lib/pipeline/mod.ts";
export * from "./lib/plot/mod.ts";
export * from "./lib/models/mod.ts";
