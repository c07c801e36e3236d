/**
 * factorlab's command line.
 *
 * ```sh
 * deno task demo                        # OLS summary on the reference factor dataset
 * deno task demo --cov HAC --maxlags 6  # with Newey-West standard errors
 * deno task demo --format markdown      # as Markdown (or html)
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type CovType,
  ols,
  referenceDataset,
  type ReferenceDatasetName,
  RegressionInputError,
} from "./mod.ts";

const USAGE = `factorlab: factor-model research from the command line

Usage:
  deno task demo [options]     OLS on a formula-defined reference dataset

Options for demo:
  --dataset NAME     factor (default), small, noconst or illcond
  --cov TYPE         nonrobust (default), HC0, HC1, HC2, HC3 or HAC
  --maxlags N        lags for --cov HAC (default: floor(4 (T/100)^(2/9)))
  --correction       HAC small-sample correction
  --alpha A          significance level of the intervals (default 0.05)
  --format FORMAT    text (default), markdown or html
  -h, --help         this help
`;

/** Runs the command line with the given arguments; returns the exit code. */
export function main(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dataset: { type: "string", default: "factor" },
        cov: { type: "string", default: "nonrobust" },
        maxlags: { type: "string" },
        correction: { type: "boolean", default: false },
        alpha: { type: "string", default: "0.05" },
        format: { type: "string", default: "text" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined || command === "help") {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command !== "demo") {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  try {
    console.log(demo(values));
  } catch (e) {
    if (e instanceof RegressionInputError || e instanceof RangeError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
  return 0;
}

interface DemoOptions {
  dataset?: string;
  cov?: string;
  maxlags?: string;
  correction?: boolean;
  alpha?: string;
  format?: string;
}

function demo(o: DemoOptions): string {
  const { y, X } = referenceDataset((o.dataset ?? "factor") as ReferenceDatasetName);
  const fit = ols(y, X);
  const covType = (o.cov ?? "nonrobust") as CovType;
  let maxlags: number | undefined;
  if (covType.toUpperCase() === "HAC") {
    maxlags = o.maxlags === undefined
      ? Math.floor(4 * Math.pow(y.length / 100, 2 / 9))
      : Number(o.maxlags);
  } else if (o.maxlags !== undefined) {
    throw new RangeError("--maxlags applies to --cov HAC only.");
  }
  const alpha = Number(o.alpha ?? "0.05");
  const results = covType === "nonrobust"
    ? fit
    : fit.getRobustcovResults(covType, { maxlags, useCorrection: o.correction || undefined });
  const summary = results.summary({ alpha, yname: o.dataset === "factor" ? "excess_return" : "y" });
  switch (o.format ?? "text") {
    case "text":
      break;
    case "markdown":
      return summary.toMarkdown();
    case "html":
      return summary.toHTML();
    default:
      throw new RangeError(`--format must be text, markdown or html, not "${o.format}".`);
  }
  const lines = [summary.toString(), ""];
  if (results.kConstant === 1 && X.const !== undefined) {
    const white = fit.hetWhite();
    lines.push(
      `White test for heteroscedasticity: LM = ${white.lm.toFixed(3)}, p = ${
        white.lmPvalue.toPrecision(3)
      } -> ${white.lmPvalue < 0.05 ? "heteroscedasticity detected" : "variance looks constant"}.`,
    );
  }
  const dw = fit.durbinWatson;
  lines.push(
    `Durbin-Watson ${dw.toFixed(3)} (about 2 means no first-order autocorrelation${
      dw < 1.5 ? "; this is positive autocorrelation, consider --cov HAC" : ""
    }).`,
  );
  return lines.join("\n");
}

if (import.meta.main) Deno.exit(main(Deno.args));
