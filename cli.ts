/**
 * factorlab's command line.
 *
 * ```sh
 * deno task analyze VBR --start 2010-01-01 --end 2020-12-31 --model ff3
 * deno task analyze VBR SPY --start 2010-01 --end 2020-12 --cov HAC --maxlags 6
 * deno task analyze VBR --start 2010-01 --end 2020-12 --html data/vbr.html
 * deno task analyze VBR --start 2010-01 --end 2020-12 --json
 * deno task demo                        # OLS summary on the formula-defined reference dataset
 * ```
 *
 * Exit codes: 0 success, 1 a data or estimation problem (unknown ticker, no network, too few
 * observations, …), 2 a usage error (unknown option, bad value or date).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  analyze,
  type AnalyzeOptions,
  CollinearityError,
  type CovType,
  type FactorAnalysis,
  FactorlabDataError,
  htmlPage,
  InvalidArgumentError,
  MODEL_FACTORS,
  ols,
  referenceDataset,
  type ReferenceDatasetName,
  RegressionInputError,
} from "./mod.ts";

const USAGE = `factorlab: factor-model research from the command line

Usage:
  deno task analyze TICKER [TICKER ...] --start YYYY-MM --end YYYY-MM [options]
  deno task demo [options]

Options for analyze:
  --start DATE       first day or month (YYYY-MM-DD, YYYY-MM or YYYY), inclusive; required
  --end DATE         end of the range; required. A day is exclusive, as in yfinance
                     (2020-12-31 stops on 2020-12-30); a month or year is inclusive
                     (2020-12 includes December 31)
  --model NAME       capm, ff3 (default), carhart4, ff5 or ff5mom
  --freq FREQ        monthly (default), weekly or daily
  --cov TYPE         nonrobust (default), HC0, HC1, HC2, HC3 or HAC
  --maxlags N        lags for --cov HAC (required with it); "auto": Newey-West (1994) rule
  --correction       HAC small-sample correction
  --alpha A          significance level (default 0.05)
  --region NAME      factor region (default US)
  --html FILE        also write a self-contained HTML report with figures
  --json             print machine-readable results instead of tables
  --offline          use only the download cache (FACTORLAB_OFFLINE=1 does the same)

Options for demo (OLS on a formula-defined reference dataset):
  --dataset NAME     factor (default), small, noconst or illcond
  --cov, --maxlags, --correction, --alpha as above
  --format FORMAT    text (default), markdown or html

  -h, --help         this help

Data come from the Ken French library and Yahoo Finance; FACTORLAB_FRENCH_BASE_URL,
FACTORLAB_YAHOO_BASE_URL and FACTORLAB_CACHE_DIR point them elsewhere.
`;

/** A usage mistake: exit code 2 with the help text. */
class UsageError extends Error {}

type Values = Record<string, string | boolean | undefined>;

/** Runs the command line with the given arguments; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        start: { type: "string" },
        end: { type: "string" },
        model: { type: "string", default: "ff3" },
        freq: { type: "string", default: "monthly" },
        cov: { type: "string", default: "nonrobust" },
        maxlags: { type: "string" },
        correction: { type: "boolean", default: false },
        alpha: { type: "string", default: "0.05" },
        region: { type: "string" },
        html: { type: "string" },
        json: { type: "boolean", default: false },
        offline: { type: "boolean", default: false },
        dataset: { type: "string", default: "factor" },
        format: { type: "string", default: "text" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === "help") {
    console.log(USAGE);
    return 0;
  }
  try {
    if (command === "analyze") return await runAnalyze(rest, values);
    if (command === "demo") {
      console.log(demo(values));
      return 0;
    }
    throw new UsageError(
      command === undefined ? "no command given" : `unknown command "${command}"`,
    );
  } catch (e) {
    if (e instanceof UsageError || e instanceof InvalidArgumentError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (
      e instanceof FactorlabDataError || e instanceof RegressionInputError ||
      e instanceof CollinearityError
    ) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      console.error(
        `error: ${
          (e as Error).message
        }\nThe analyze task may only reach the Ken French and Yahoo ` +
          "hosts (and a mirror on 127.0.0.1) and write inside the project folder.",
      );
      return 1;
    }
    throw e;
  }
}

const COV_TYPES = ["nonrobust", "HC0", "HC1", "HC2", "HC3", "HAC"];

function covSettings(
  values: Values,
): { covType: CovType; maxlags?: number | "auto"; useCorrection?: boolean } {
  const covType = COV_TYPES.find((c) => c.toLowerCase() === String(values.cov).toLowerCase());
  if (covType === undefined) {
    throw new UsageError(`--cov must be one of ${COV_TYPES.join(", ")}, not "${values.cov}"`);
  }
  const maxlags = values.maxlags === undefined
    ? undefined
    : values.maxlags === "auto"
    ? "auto"
    : Number(values.maxlags);
  if (typeof maxlags === "number" && !(Number.isInteger(maxlags) && maxlags >= 0)) {
    throw new UsageError(`--maxlags must be a whole number or auto, not "${values.maxlags}"`);
  }
  if (covType === "HAC" && maxlags === undefined) {
    throw new UsageError(
      "--cov HAC needs --maxlags (for example --maxlags 6 for monthly data, or --maxlags auto)",
    );
  }
  if (covType !== "HAC" && (maxlags !== undefined || values.correction)) {
    throw new UsageError("--maxlags and --correction apply to --cov HAC only");
  }
  return {
    covType: covType as CovType,
    maxlags,
    useCorrection: values.correction ? true : undefined,
  };
}

function significance(values: Values): number {
  const alpha = Number(values.alpha);
  if (!(alpha > 0 && alpha < 1)) {
    throw new UsageError(`--alpha must be between 0 and 1, not "${values.alpha}"`);
  }
  return alpha;
}

async function runAnalyze(tickers: string[], values: Values): Promise<number> {
  if (tickers.length === 0) throw new UsageError("analyze needs at least one ticker, e.g. VBR");
  if (values.start === undefined || values.end === undefined) {
    throw new UsageError("analyze needs --start and --end, e.g. --start 2010-01 --end 2020-12");
  }
  const model = String(values.model);
  if (!(model in MODEL_FACTORS)) {
    throw new UsageError(
      `--model must be one of ${Object.keys(MODEL_FACTORS).join(", ")}, not "${model}"`,
    );
  }
  const freq = String(values.freq);
  if (!["monthly", "weekly", "daily"].includes(freq)) {
    throw new UsageError(`--freq must be monthly, weekly or daily, not "${freq}"`);
  }
  const options: AnalyzeOptions = {
    model: model as AnalyzeOptions["model"],
    start: String(values.start),
    end: String(values.end),
    frequency: freq as AnalyzeOptions["frequency"],
    region: values.region as string | undefined,
    significance: significance(values),
    offline: values.offline ? true : undefined,
    ...covSettings(values),
  };
  const analyses: FactorAnalysis[] = [];
  for (const ticker of tickers) analyses.push(await analyze(ticker, options));
  if (values.json) {
    console.log(JSON.stringify(analyses.map((a) => a.toJSON()), null, 2));
  } else {
    for (const a of analyses) {
      if (a.joinReport) console.log(a.joinReport.toString() + "\n");
      console.log(a.summary().toString() + "\n");
      console.log(a.report().toString() + "\n");
    }
  }
  if (values.html !== undefined) {
    const blocks = analyses.flatMap((a) => [
      a.report().toHTML(),
      a.interpret().toHTML(),
      a.summary().toHTML(),
      a.plotExposures(),
      a.plotFitted(),
      a.plotResiduals(),
      a.plotAttribution(),
    ]);
    const path = String(values.html);
    await htmlPage({ title: `Factor analysis: ${tickers.join(", ")}`, blocks }).save(path);
    console.error(`wrote ${path}`);
  }
  return 0;
}

function demo(values: Values): string {
  const names = ["factor", "small", "noconst", "illcond"];
  if (!names.includes(String(values.dataset))) {
    throw new UsageError(`--dataset must be one of ${names.join(", ")}, not "${values.dataset}"`);
  }
  const { y, X } = referenceDataset(values.dataset as ReferenceDatasetName);
  const fit = ols(y, X);
  const { covType, maxlags, useCorrection } = covSettings(values);
  const results = covType === "nonrobust"
    ? fit
    : fit.getRobustcovResults(covType, { maxlags, useCorrection });
  const summary = results.summary({
    alpha: significance(values),
    yname: values.dataset === "factor" ? "excess_return" : "y",
  });
  switch (values.format) {
    case "text":
      break;
    case "markdown":
      return summary.toMarkdown();
    case "html":
      return summary.toHTML();
    default:
      throw new UsageError(`--format must be text, markdown or html, not "${values.format}"`);
  }
  const lines = [summary.toString(), ""];
  if (results.kConstant === 1 && X.const !== undefined) {
    const white = fit.hetWhite();
    const verdict = white.lmPvalue < 0.05
      ? "heteroscedasticity detected"
      : "variance looks constant";
    lines.push(
      `White test for heteroscedasticity: LM = ${white.lm.toFixed(3)}, ` +
        `p = ${white.lmPvalue.toPrecision(3)} -> ${verdict}.`,
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

if (import.meta.main) Deno.exit(await main(Deno.args));
