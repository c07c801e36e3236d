/**
 * How factorlab's results show themselves: the display base ({@linkcode Displayable}), the
 * composable {@linkcode Summary} and its parts, {@linkcode Table}, statsmodels' regression summary,
 * and Python-exact printf formatting. It sits below every other layer, so any result can display.
 *
 * @module
 */

export { Displayable } from "./displayable.ts";
export { formatP, printf, pythonFloatRepr } from "./format.ts";
export {
  regressionSummary,
  type RegressionSummaryData,
  type SummaryDiagnostics,
} from "./regression.ts";
export {
  type CoefficientRow,
  CoefficientTable,
  HeaderBlock,
  Summary,
  type SummaryPart,
  TextPart,
} from "./summary.ts";
export { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle } from "./symbols.ts";
export { type Cell, escapeHtml, Table, type TableColumn } from "./table.ts";
