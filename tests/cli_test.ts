import assert from "node:assert/strict";
import { main } from "../cli.ts";
import { plotlyScriptTag } from "../mod.ts";
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
