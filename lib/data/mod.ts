/**
 * Getting data: Kenneth French's data library (every table of any dataset, the dataset list,
 * model factor sets), Yahoo Finance daily prices, local price and French files, and the on-disk
 * cache behind every download.
 *
 * Sources are overridable per call (`source`) or by environment: `FACTORLAB_FRENCH_BASE_URL`,
 * `FACTORLAB_YAHOO_BASE_URL` (and Yahoo's `FACTORLAB_YAHOO_FALLBACK_URL`,
 * `FACTORLAB_YAHOO_COOKIE_URL`, `FACTORLAB_YAHOO_CRUMB_URL`), `FACTORLAB_CACHE_DIR`,
 * `FACTORLAB_STORE_DIR` (the local store of daily prices and Ken French vintages), and
 * `FACTORLAB_OFFLINE=1` (cache, store and local files only). docs/data-sources.md describes how
 * each source is asked and what happens when it fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { famaFrenchFactors } from "./mod.ts";
 * const ff3 = await famaFrenchFactors({ source: "data/samples/french", start: "2020-01", end: "2020-12" });
 * assert.ok(ff3.height === 12);
 * ```
 *
 * @module
 */

export { type BodyOrigin, type CacheOptions, clearCache, type FetchOptions } from "./cache.ts";
export {
  ENV_CACHE_DIR,
  ENV_FRENCH_BASE_URL,
  ENV_OFFLINE,
  ENV_STORE_DIR,
  ENV_YAHOO_BASE_URL,
  ENV_YAHOO_COOKIE_URL,
  ENV_YAHOO_CRUMB_URL,
  ENV_YAHOO_FALLBACK_URL,
  FRENCH_BASE_URL,
  YAHOO_BASE_URL,
} from "./config.ts";
export type { DateInput, Frequency } from "./dates.ts";
export type { DataFrame, LazyFrame } from "./polars.ts";
export {
  CacheError,
  CorruptZipError,
  CrossHostRedirectError,
  DataFormatError,
  EmptyRangeError,
  FactorlabDataError,
  FactorlabError,
  FrenchAccessError,
  HttpError,
  InvalidArgumentError,
  InvalidTickerError,
  NetworkError,
  OfflineError,
  RateLimitError,
  RedirectError,
  RequestError,
  ServerError,
  SizeLimitError,
  TimeoutError,
  TruncatedDataError,
  UnexpectedContentError,
  UnknownDatasetError,
  UnknownTickerError,
  VintageNotFoundError,
  YahooAuthError,
  YahooConsentError,
  YahooInvalidRequestError,
  YahooRangeLimitError,
  YahooRateLimitError,
} from "./errors.ts";
export {
  canonicalFactorNames,
  FACTOR_ALIASES,
  type FactorFile,
  type FactorFrequency,
  type FactorModel,
  type FactorOptions,
  famaFrenchFactorFiles,
  famaFrenchFactors,
  MODEL_FACTORS,
} from "./factors.ts";
export { type PriceCsvOptions, readPriceCsv } from "./files.ts";
export {
  localPriceHistory,
  type SampleSources,
  SamplesUnavailableError,
  useSamples,
} from "./samples.ts";
export {
  type FrenchDataset,
  frenchDataset,
  type FrenchOptions,
  type FrenchOrigin,
  saveFrenchCsv,
} from "./french.ts";
export {
  type DatasetFrequency,
  FRENCH_CATALOG,
  type FrenchDatasetInfo,
  frenchDatasetSpelling,
  listFrenchDatasets,
  type ListFrenchOptions,
  parseDataLibraryHtml,
} from "./french_catalog.ts";
export {
  type FrenchTable,
  type ParsedFrenchFile,
  parseFrenchCsv,
  type TableUnit,
} from "./french_parse.ts";
export { BROWSER_HEADERS, type HttpOptions, type RetryEvent, type RetryOptions } from "./http.ts";
export type { PaceOptions } from "./pacing.ts";
export type { SizeLimits } from "./limits.ts";
export type { RedirectOptions } from "./redirects.ts";
export type { ProgressEvent, ProgressOption } from "./progress.ts";
export type { YahooRequestOptions } from "./yahoo_session.ts";
export {
  parseYahooChart,
  type PriceHistory,
  type PriceSet,
  type YahooOptions,
  yahooPrices,
} from "./yahoo.ts";
