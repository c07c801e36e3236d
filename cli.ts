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
 * Exit codes: 0 success, 1 a data, file or estimation problem (unknown ticker, no network, a
 * report path that cannot be written, too few observations, …; with several tickers, any that
 * failed), 2 a usage error (unknown option, bad value or date).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, resolve } from "node:path";
import { lastIncludedDay, normalizeDate } from "./lib/data/dates.ts";
import {
  analyze,
  type AnalyzeOptions,
  CollinearityError,
  type CovType,
  type FactorAnalysis,
  FactorlabDataError,
  FactorlabError,
  htmlPage,
  InvalidArgumentError,
  MODEL_FACTORS,
  ols,
  referenceDataset,
  type ReferenceDatasetName,
  RegressionInputError,
} from "./mod.ts";

const MODELS = Object.keys(MODEL_FACTORS);

const USAGE = `factorlab: factor-model research from the command line

Usage:
  deno task analyze TICKER [TICKER ...] --start YYYY-MM --end YYYY-MM [options]
  deno task demo [options]

Options for analyze:
  --start DATE       first day or month (YYYY-MM-DD, YYYY-MM or YYYY), inclusive; required
  --end DATE         end of the range; required. A day is exclusive, as in yfinance
                     (2020-12-31 stops on 2020-12-30); a month or year is inclusive
                     (2020-12 includes December 31)
  --model NAME       ${MODELS.map((m) => m === "ff3" ? "ff3 (default)" : m).join(", ")}
  --freq FREQ        monthly (default), weekly or daily
  --cov TYPE         nonrobust (default), HC0, HC1, HC2, HC3 or HAC
  --maxlags N        lags for --cov HAC (required with it); "auto": Newey-West (1994) rule
  --correction       HAC small-sample correction
  --alpha A          significance level (default 0.05)
  --region NAME      factor region (default US)
  --html FILE        also write a self-contained HTML report with figures (relative to the
                     folder the command was started in)
  --json             print machine-readable results instead of tables
  --offline          no network: only the cache and the local store of prices and Ken French
                     vintages (FACTORLAB_OFFLINE=1 does the same)
  --vintage YYYYMM   use that vintage of the Ken French files (one downloaded before and kept
                     in the store); the report's "Factor Data" line names the vintage used

Options for demo (OLS on a formula-defined reference dataset):
  --dataset NAME     factor (default), small, noconst or illcond
  --cov, --maxlags, --correction, --alpha as above
  --format FORMAT    text (default), markdown or html

  -h, --help         this help

With several tickers each one's results are printed and those that failed are listed at the
end (exit code 1 if any failed).

Data come from the Ken French library and Yahoo Finance; FACTORLAB_FRENCH_BASE_URL,
FACTORLAB_YAHOO_BASE_URL, FACTORLAB_CACHE_DIR and FACTORLAB_STORE_DIR point them elsewhere
(docs/data-sources.md).
`;

/** A usage mistake: exit code 2 with the help text. */
class UsageError extends Error {}

/** A file the command cannot write (exit code 1); the message names the full path. */
class OutputFileError extends FactorlabError {}

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
        vintage: { type: "string" },
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
      e instanceof CollinearityError || e instanceof OutputFileError
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

/**
 * The HAC settings of the options. `periods` is the most observations the data can have, so
 * that a lag count no regression can use is a usage mistake found before any download.
 */
function covSettings(
  values: Values,
  periods: { count: number; what: string },
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
  if (typeof maxlags === "number" && maxlags >= periods.count) {
    throw new UsageError(
      `--maxlags ${maxlags} is too many: ${periods.what} hold${
        periods.count === 1 ? "s" : ""
      } at most ${periods.count} observations, and the lags must be fewer (6 or 12 are usual ` +
        "for monthly data; --maxlags auto picks them by the Newey-West rule)",
    );
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
    vintage: vintageOf(values),
    ...covSettings(values, periodsBetween(String(values.start), String(values.end), freq)),
  };
  // A report that cannot be written is found before anything is downloaded.
  const htmlPath = values.html === undefined ? undefined : await outputPath(String(values.html));
  const analyses: FactorAnalysis[] = [];
  const failures: { ticker: string; error: Error }[] = [];
  for (const ticker of tickers) {
    let a: FactorAnalysis;
    try {
      a = await analyze(ticker, options);
    } catch (e) {
      // A usage mistake is the same for every ticker: stop (exit 2). Anything else is this one's.
      if (e instanceof InvalidArgumentError || !isTickerFailure(e)) throw e;
      failures.push({ ticker, error: e as Error });
      if (!values.json) console.error(`error: ${ticker}: ${(e as Error).message}\n`);
      continue;
    }
    analyses.push(a);
    if (!values.json) {
      if (a.joinReport) console.log(a.joinReport.toString() + "\n");
      console.log(a.summary().toString() + "\n");
      console.log(a.report().toString() + "\n");
    }
  }
  if (values.json) console.log(JSON.stringify(analyses.map((a) => a.toJSON()), null, 2));
  if (htmlPath !== undefined && analyses.length > 0) {
    const blocks = analyses.flatMap((a) => [
      a.report().toHTML(),
      a.interpret().toHTML(),
      a.summary().toHTML(),
      a.plotExposures(),
      a.plotFitted(),
      a.plotResiduals(),
      a.plotAttribution(),
    ]);
    const title = `Factor analysis: ${analyses.map((a) => a.name).join(", ")}`;
    try {
      await htmlPage({ title, blocks }).save(htmlPath);
    } catch (e) {
      throw new OutputFileError(
        `cannot write the HTML report to ${htmlPath}: ${(e as Error).message}. Choose a path ` +
          "in a folder you can write to.",
        { cause: e },
      );
    }
    console.error(`wrote ${htmlPath}`);
  }
  if (failures.length === 0) return 0;
  const done = analyses.length === 0 ? "none" : analyses.map((a) => a.name).join(", ");
  console.error(
    `${failures.length} of ${tickers.length} ticker${tickers.length === 1 ? "" : "s"} failed ` +
      `(analysed: ${done}):\n` +
      failures.map((f) => `  ${f.ticker}: ${f.error.message}`).join("\n"),
  );
  return 1;
}

function vintageOf(values: Values): string | undefined {
  if (values.vintage === undefined) return undefined;
  const vintage = String(values.vintage);
  if (!/^\d{6}$/.test(vintage)) {
    throw new UsageError(`--vintage is written YYYYMM (e.g. 202412), not "${vintage}"`);
  }
  return vintage;
}

/** Whether an error belongs to one ticker's analysis (the others can still go on). */
function isTickerFailure(e: unknown): boolean {
  return e instanceof FactorlabError || e instanceof RegressionInputError ||
    e instanceof CollinearityError;
}

/** The folder relative paths start from: where `deno task` was started, else the cwd. */
function startFolder(): string {
  try {
    return Deno.env.get("INIT_CWD") ?? Deno.cwd();
  } catch {
    // Without permission to read INIT_CWD, the process's own folder is the one it was run in.
    return Deno.cwd();
  }
}

/**
 * The full path of an output file, checked before any work: its folder must exist and the path
 * must not be a folder.
 */
async function outputPath(path: string): Promise<string> {
  const full = resolve(startFolder(), path);
  const folder = dirname(full);
  const kind = async (p: string) => {
    try {
      return (await Deno.stat(p)).isDirectory ? "folder" : "file";
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return "missing";
      throw new OutputFileError(
        `cannot write the HTML report to ${full}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  };
  const parent = await kind(folder);
  if (parent !== "folder") {
    throw new OutputFileError(
      `--html ${path}: cannot write ${full}: the folder ${folder} ${
        parent === "missing" ? "does not exist" : "is a file"
      }. Create the folder or choose another path.`,
    );
  }
  if (await kind(full) === "folder") {
    throw new OutputFileError(
      `--html ${path}: ${full} is a folder; give a file name, e.g. --html ${
        resolve(full, "report.html")
      }`,
    );
  }
  return full;
}

/** The most periods of `freq` from `start` to `end` (a bound on the observations). */
function periodsBetween(start: string, end: string, freq: string): { count: number; what: string } {
  const first = normalizeDate(start, "start");
  const last = lastIncludedDay(end);
  const days = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000) + 1;
  const months = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 +
    Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
  const count = Math.max(
    0,
    freq === "monthly" ? months : freq === "weekly" ? Math.ceil(days / 7) + 1 : days,
  );
  return { count, what: `the ${freq} periods from ${first} to ${last}` };
}

function demo(values: Values): string {
  const names = ["factor", "small", "noconst", "illcond"];
  if (!names.includes(String(values.dataset))) {
    throw new UsageError(`--dataset must be one of ${names.join(", ")}, not "${values.dataset}"`);
  }
  const { y, X } = referenceDataset(values.dataset as ReferenceDatasetName);
  const fit = ols(y, X);
  const { covType, maxlags, useCorrection } = covSettings(values, {
    count: y.length,
    what: `the ${values.dataset} dataset's ${y.length} rows`,
  });
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
