/**
 * Factor-model analysis: `analyze` one asset against a library or custom model, and read
 * its betas, alpha, report, interpretation, attribution and figures.
 *
 * @module
 */

export {
  Alpha,
  type AnalysisFrequency,
  analyze,
  type AnalyzeOptions,
  type Attribution,
  betasOnly,
  FactorAnalysis,
} from "./analysis.ts";
export { type Interpretable, interpretAnalysis } from "./interpret.ts";
export {
  type CustomModel,
  FACTOR_LABELS,
  type ModelInput,
  type ModelSpec,
  resolveModel,
} from "./specs.ts";
export {
  type AssetExposure,
  PortfolioRisk,
  portfolioRisk,
  type PortfolioRiskOptions,
} from "./risk.ts";
export { analyzeMany, type AnalyzeManyOptions, ManyAnalysis, type SkippedAsset } from "./many.ts";
export {
  type ConstructedFactors,
  constructFactors,
  type ConstructOptions,
  factorsFromSixPortfolios,
  type PanelColumns,
  SIX_PORTFOLIOS,
  type SixPortfolioColumns,
  TooFewFirmsError,
} from "./construct.ts";
export {
  RollingBetas,
  rollingBetas,
  type RollingBetasInput,
  type RollingInput,
} from "./rolling.ts";
