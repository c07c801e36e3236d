import assert from "node:assert/strict";
import { main } from "../cli.ts";
import { MODEL_FACTORS, plotlyScriptTag } from "../mod.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import refs from "./fixtures/statsmodels_analyses.json" with { type: "json" };

/** Runs the CLI in-process against the loopback server, capturing stdout and stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const server = await startFixtureServer();
  const env = {
    FACTORLAB_FRENCH_BASE_URL: server.frenchBase,
    FACTORLAB_YAHOO_BASE_URL: server.yahooBase,
    FACTORLAB_CACHE_DIR: await Deno.makeTempDir({ dir: "data" }),
  };
  const saved = Object.keys(env).map((k) => [k, Deno.env.get(k)] as const);
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    await Deno.remove(env.FACTORLAB_CACHE_DIR, { recursive: true });
    await server.close();
  }
}

// The README's main job: the tutorial's call (a day as end is exclusive, as in yfinance).
const VBR = ["analyze", "VBR", "--start", "2010-01-01", "--end", "2020-12-31"];

Deno.test("analyze VBR prints the join report, the summary and the condensed report", async () => {
  const { code, out } = await run([...VBR, "--model", "ff3"]);
  assert.equal(code, 0);
  assert.match(out, /^Joined 131 periods \(2010-02\.\.2020-12\) from VBR/);
  assert.match(out, /OLS Regression Results/);
  // The tutorial's published figures: 1.0137 (1.0136), 0.5574, 0.4030, p 0.374, DW 1.665, 5.03.
  assert.match(out, /^MKT_RF +1\.0137 +0\.018 +57\.271 +0\.000 +0\.979 +1\.049$/m);
  assert.match(out, /^SMB +0\.5574 /m);
  assert.match(out, /^HML +0\.4029 /m);
  assert.match(out, /^const +-0\.0006 +0\.001 +-0\.892 +0\.374 /m);
  assert.match(out, /Durbin-Watson: +1\.664$/m);
  assert.match(out, /^Kurtosis: +5\.030 /m);
  assert.match(out, /^Is Alpha Significant\? +NO \(p-value: 0\.3742\)$/m);
});

Deno.test("analyze --json prints one record per ticker with statsmodels' estimates", async () => {
  const { code, out } = await run([
    "analyze",
    "VBR",
    "SPY",
    "--start",
    "2010-01-01",
    "--end",
    "2020-12-31",
    "--json",
  ]);
  assert.equal(code, 0);
  const results = JSON.parse(out);
  assert.deepEqual(results.map((r: { name: string }) => r.name), ["VBR", "SPY"]);
  const spy = results[1];
  refs.SPY_ff3_monthly.params.forEach((p, i) => {
    const got = Object.values(spy.params as Record<string, number>)[i];
    assert.ok(Math.abs(got - p) <= 1e-8 * Math.abs(p), `SPY param ${i}`);
  });
  assert.equal(spy.nobs, 131);
});

Deno.test("analyze --html writes one offline page with plotly.js once and four figures each", async () => {
  const dir = await Deno.makeTempDir({ dir: "data" });
  try {
    const path = `${dir}/report.html`;
    const { code, err } = await run([...VBR, "--cov", "HAC", "--maxlags", "6", "--html", path]);
    assert.equal(code, 0);
    assert.match(err, /wrote .*report\.html/);
    const html = await Deno.readTextFile(path);
    assert.equal(html.split(plotlyScriptTag()).length, 2);
    assert.equal(html.split("Plotly.newPlot(").length - 1, 4);
    assert.match(html, /heteroscedasticity and autocorrelation robust \(HAC\) using 6 lags/);
    assert.match(html, /What the VBR regression says/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("analyze exits 1 for data problems and 2 for usage mistakes, saying why", async () => {
  const unknown = await run(["analyze", "NOPE", "--start", "2010-01", "--end", "2020-12"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /does not know the ticker "NOPE"/);
  const cases: [string[], RegExp][] = [
    [["analyze", "VBR", "--start", "2010-01"], /needs --start and --end/],
    [[...VBR, "--cov", "HAC"], /--cov HAC needs --maxlags/],
    [[...VBR, "--cov", "HC9"], /--cov must be one of nonrobust, HC0/],
    [[...VBR, "--model", "ff4"], /--model must be one of capm, ff3/],
    [[...VBR, "--freq", "yearly"], /--freq must be monthly, weekly or daily/],
    [["analyze", "VBR", "--start", "2010-13", "--end", "2020-12"], /month in start date "2010-13"/],
    [["analyze", "--start", "2010-01", "--end", "2020-12"], /at least one ticker/],
    [["analyze", "VBR", "--bogus"], /Unknown option '--bogus'/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await run(args);
    assert.equal(code, 2, args.join(" "));
    assert.match(err, message);
  }
});

Deno.test("demo prints the reference-dataset summary without any download", async () => {
  const { code, out } = await run(["demo", "--cov", "HAC", "--maxlags", "6"]);
  assert.equal(code, 0);
  assert.match(out, /Covariance Type: +HAC/);
  // t = 47.072 is statsmodels' HAC(6) t for MKT_RF (golden file: 47.07204).
  assert.match(out, /^MKT_RF +1\.0454 +0\.022 +47\.072/m);
});

Deno.test("--maxlags auto picks the Newey-West (1994) lags and says so", async () => {
  const { code, out } = await run(["demo", "--cov", "HAC", "--maxlags", "auto"]);
  assert.equal(code, 0);
  assert.match(out, /using 4 lags \(Newey-West 1994 automatic selection\) and without small/);
  const bad = await run(["demo", "--cov", "HAC", "--maxlags", "six"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--maxlags must be a whole number or auto, not "six"/);
});

Deno.test("several tickers: each one's results are printed, the failures listed at the end, exit 1", async () => {
  const { code, out, err } = await run([
    "analyze",
    "VBR",
    "ZZZZ",
    "SPY",
    "--start",
    "2010-01",
    "--end",
    "2020-12",
  ]);
  assert.equal(code, 1);
  assert.equal(out.match(/OLS Regression Results/g)?.length, 2);
  assert.match(out, /^Joined 131 periods \(2010-02\.\.2020-12\) from VBR/m);
  assert.match(out, /^Joined 131 periods \(2010-02\.\.2020-12\) from SPY/m);
  const summary = err.slice(err.lastIndexOf("1 of 3 tickers failed"));
  assert.match(summary, /^1 of 3 tickers failed \(analysed: VBR, SPY\):\n {2}ZZZZ: .*"ZZZZ"/);
  const json = await run([
    "analyze",
    "ZZZZ",
    "SPY",
    "--start",
    "2010-01",
    "--end",
    "2020-12",
    "--json",
  ]);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.out).map((r: { name: string }) => r.name), ["SPY"]);
  assert.match(json.err, /1 of 2 tickers failed \(analysed: SPY\):\n {2}ZZZZ:/);
});

Deno.test("an --html path that cannot be written is a clear message with the full path and exit 1, before any download", async () => {
  const dir = await Deno.makeTempDir({ dir: "data" });
  const full = await Deno.realPath(dir);
  const saved = Deno.env.get("INIT_CWD");
  try {
    Deno.env.set("INIT_CWD", full);
    const missing = await run([...VBR, "--html", "missing-dir/x.html"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.out, "");
    assert.equal(
      missing.err,
      `error: --html missing-dir/x.html: cannot write ${full}/missing-dir/x.html: the folder ` +
        `${full}/missing-dir does not exist. Create the folder or choose another path.`,
    );
    const folder = await run([...VBR, "--html", "."]);
    assert.equal(folder.code, 1);
    assert.equal(
      folder.err,
      `error: --html .: ${full} is a folder; give a file name, e.g. --html ${full}/report.html`,
    );
    await Deno.writeTextFile(`${full}/file`, "");
    const underFile = await run([...VBR, "--html", "file/x.html"]);
    assert.equal(underFile.code, 1);
    assert.match(underFile.err, new RegExp(`the folder ${full}/file is a file\\.`));
  } finally {
    saved === undefined ? Deno.env.delete("INIT_CWD") : Deno.env.set("INIT_CWD", saved);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a relative --html path starts in the folder the task was started from, and the full path is printed", async () => {
  const dir = await Deno.makeTempDir({ dir: "data" });
  const full = await Deno.realPath(dir);
  const saved = Deno.env.get("INIT_CWD");
  try {
    Deno.env.set("INIT_CWD", full);
    const { code, err } = await run([...VBR, "--model", "capm", "--html", "out.html"]);
    assert.equal(code, 0);
    assert.equal(err, `wrote ${full}/out.html`);
    assert.match(await Deno.readTextFile(`${full}/out.html`), /What the VBR regression says/);
  } finally {
    saved === undefined ? Deno.env.delete("INIT_CWD") : Deno.env.set("INIT_CWD", saved);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("more lags than the range can have observations is a usage mistake (exit 2)", async () => {
  const analyzeLags = await run([...VBR, "--cov", "HAC", "--maxlags", "500"]);
  assert.equal(analyzeLags.code, 2);
  assert.match(
    analyzeLags.err,
    /^error: --maxlags 500 is too many: the monthly periods from 2010-01-01 to 2020-12-30 hold at most 132 observations/,
  );
  const demoLags = await run(["demo", "--cov", "HAC", "--maxlags", "500"]);
  assert.equal(demoLags.code, 2);
  assert.match(demoLags.err, /--maxlags 500 is too many/);
});

Deno.test("--help lists every model", async () => {
  const { code, out } = await run(["--help"]);
  assert.equal(code, 0);
  const line = out.split("\n").find((l) => l.trimStart().startsWith("--model"))!;
  for (const model of Object.keys(MODEL_FACTORS)) assert.match(line, new RegExp(`\\b${model}\\b`));
  assert.match(line, /ff6/);
});

Deno.test("--vintage runs on a stored vintage and the report names it; a malformed one is a usage mistake", async () => {
  const wrong = await run([...VBR, "--vintage", "2024-12"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--vintage is written YYYYMM \(e\.g\. 202412\), not "2024-12"/);
  // Nothing stored and the library serves 202601: the error lists what there is (exit 1).
  const missing = await run([...VBR, "--vintage", "199901"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /Vintage 199901 of "F-F_Research_Data_Factors" is not stored/);
  const current = await run([...VBR, "--vintage", "202601"]);
  assert.equal(current.code, 0);
  assert.match(
    current.out,
    /^Factor Data: +Ken French F-F_Research_Data_Factors \(vintage 202601\)$/m,
  );
});
