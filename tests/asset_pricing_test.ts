import assert from "node:assert/strict";
import {
  famaMacBeth,
  type FamaMacBethSE,
  grsTest,
  LabeledMatrix,
  neweyWestLags,
  ols,
  RegressionInputError,
  TestResult,
} from "../mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/symbols.ts";
import { relErr } from "./support/golden_datasets.ts";
import { portfolioPanel } from "./support/portfolios.ts";
import ref from "./fixtures/asset_pricing_reference.json" with { type: "json" };

// Reference figures: tests/fixtures/make_asset_pricing_reference.py (numpy, scipy, statsmodels
// 0.13.5) on the same files: GRS by its matrix formula, Fama-MacBeth by explicit loops.
const panel = await portfolioPanel();

function close(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      relErr(actual[i], expected[i]) <= tol,
      `${what}[${i}]: ${actual[i]} vs numpy ${expected[i]} (rel ${relErr(actual[i], expected[i])})`,
    );
  }
}

/** A deterministic pseudo-random stream (LCG), so synthetic panels are the same every run. */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Removes the mean and the projection on the columns of F, so the OLS alpha and betas are 0. */
function orthogonalize(e: number[], F: number[][]): number[] {
  const T = e.length;
  const X = [new Array(T).fill(1), ...F];
  const fit = ols(e, Object.fromEntries(X.map((c, j) => [`c${j}`, c])));
  return Array.from(fit.resid);
}

Deno.test("GRS on the 25 portfolios with FF3 matches the matrix formula (F, p, Wald, alphas)", () => {
  const grs = grsTest(panel.excess, panel.factors);
  const r = ref.grs_ff3;
  assert.equal(grs.nobs, 738);
  assert.deepEqual([grs.df, grs.dfDenom], r.df);
  assert.equal(grs.distribution, "F");
  assert.equal(grs.distributionLabel, "F(25, 710)");
  close([grs.statistic, grs.wald.statistic], [r.F, r.wald], 1e-12, "statistics");
  close([grs.pvalue, grs.wald.pvalue], [r.F_pvalue, r.wald_pvalue], 1e-10, "p-values");
  assert.equal(grs.wald.distributionLabel, "chi2(25)");
  close(grs.alphas, r.alphas, 1e-10, "alphas");
  close([grs.factorSharpe, grs.tangencySharpe], [r.factor_sharpe, r.tangency_sharpe], 1e-12, "SR");
  assert.equal(grs.nullHypothesis, "all 25 alphas are zero");
  assert.ok(grs.rejects(0.01));
});

Deno.test("GRS for the CAPM on the 25 portfolios matches the matrix formula", () => {
  const grs = grsTest(panel.excess, { MKT_RF: panel.factors.MKT_RF });
  close([grs.statistic, grs.pvalue], [ref.grs_capm.F, ref.grs_capm.F_pvalue], 1e-10, "CAPM GRS");
  assert.deepEqual([grs.df, grs.dfDenom], ref.grs_capm.df);
});

Deno.test("GRS is zero when every alpha is zero by construction", () => {
  const rand = stream(7);
  const T = 120;
  const F = [0, 1].map(() => Array.from({ length: T }, () => 0.01 + 0.04 * rand()));
  const returns: Record<string, number[]> = {};
  for (let i = 0; i < 6; i++) {
    const e = orthogonalize(Array.from({ length: T }, () => 0.02 * rand()), F);
    returns[`P${i}`] = e.map((v, t) => (0.5 + 0.2 * i) * F[0][t] + (0.3 - 0.1 * i) * F[1][t] + v);
  }
  const grs = grsTest(returns, { F1: F[0], F2: F[1] });
  assert.ok(grs.statistic < 1e-25, `F = ${grs.statistic}`);
  assert.ok(grs.pvalue > 1 - 1e-12);
  assert.ok(grs.wald.statistic < 1e-25);
  assert.ok(Math.max(...grs.alphas.map(Math.abs)) < 1e-15);
  assert.ok(Math.abs(grs.betas.get("P3", "F2") - 0) < 1e-12);
  assert.ok(Math.abs(grs.tangencySharpe - grs.factorSharpe) < 1e-12);
});

Deno.test("GRS with one asset is the squared t statistic of its alpha, with the same p-value", () => {
  const asset = "ME3 BM3";
  const grs = grsTest({ [asset]: panel.excess[asset] }, panel.factors);
  const fit = ols(panel.excess[asset], panel.factors, { addConstant: true });
  const t = fit.tvalues.get("const");
  assert.ok(relErr(grs.statistic, t * t) <= 1e-12);
  assert.ok(relErr(grs.pvalue, fit.pvalues.get("const")) <= 1e-10);
  assert.deepEqual([grs.df, grs.dfDenom], [1, 738 - 1 - 3]);
  assert.ok(relErr(grs.alphaStats.get(asset, "t"), t) <= 1e-12);
});

Deno.test("GRS rejects alphas planted in a synthetic panel, and not the same panel without", () => {
  const rand = stream(11);
  const T = 240;
  const mkt = Array.from({ length: T }, () => 0.006 + 0.045 * rand());
  const noise = Array.from({ length: 10 }, () => Array.from({ length: T }, () => 0.03 * rand()));
  const build = (alpha: number) =>
    Object.fromEntries(noise.map((e, i) => [
      `P${i}`,
      e.map((v, t) => (i % 2 ? alpha : 0) + (0.7 + 0.06 * i) * mkt[t] + v),
    ]));
  assert.ok(grsTest(build(0.02), { MKT_RF: mkt }).pvalue < 1e-10);
  assert.ok(grsTest(build(0), { MKT_RF: mkt }).pvalue > 0.01);
});

Deno.test("GRS refuses too few periods, missing values and spanned assets, saying why", () => {
  const short = Object.fromEntries(panel.assets.map((a) => [a, panel.excess[a].slice(0, 27)]));
  const f = { MKT_RF: panel.factors.MKT_RF.slice(0, 27), SMB: panel.factors.SMB.slice(0, 27) };
  assert.throws(
    () => grsTest(short, f),
    (e: unknown) =>
      e instanceof RegressionInputError &&
      /T = 27, N = 25, L = 2, so T − N − L = 0\. Use a longer sample/.test(e.message),
  );
  // One more period is enough: T − N − L = 1 denominator degree of freedom.
  const longer = Object.fromEntries(panel.assets.map((a) => [a, panel.excess[a].slice(0, 28)]));
  const f28 = { MKT_RF: panel.factors.MKT_RF.slice(0, 28), SMB: panel.factors.SMB.slice(0, 28) };
  assert.equal(grsTest(longer, f28).dfDenom, 1);
  assert.throws(
    () => grsTest({ A: [0.01, NaN, 0.02, 0.01, 0.03, 0.0] }, { M: [1, 2, 3, 4, 5, 6] }),
    /returns column "A" has a missing or infinite value \(row 1\)[^]*balanced panel/,
  );
  const m = panel.factors.MKT_RF;
  assert.throws(
    () => grsTest({ market: m, other: panel.excess["ME1 BM2"] }, panel.factors),
    /"market" is an exact combination of the factors/,
  );
  const [a, b] = [panel.excess["ME1 BM2"], panel.excess["ME4 BM4"]];
  assert.throws(
    () => grsTest({ a, b, average: a.map((v, t) => (v + b[t]) / 2) }, panel.factors),
    /residuals of the assets are linearly dependent/,
  );
});

Deno.test("the GRS result is a small test object that prints and displays", () => {
  const grs = grsTest(panel.excess, panel.factors);
  assert.ok(grs instanceof TestResult);
  assert.ok(grs.betas instanceof LabeledMatrix);
  assert.deepEqual(grs.betas.colNames, ["MKT_RF", "SMB", "HML"]);
  assert.match(String(grs), /^GRS: 3\.7048 ~ F\(25, 710\), p-value 5\.11e-09; H0: all 25 alphas/);
  const summary = grs.summary().toString().split("\n");
  assert.match(summary[0], /^GRS test: all 25 alphas are zero \(25 assets, 3 factors/);
  assert.match(summary[2], /^GRS\s+3\.7048\s+F\(25, 710\)\s+5\.114e-09$/);
  assert.match(summary[3], /^GRS Wald\s+96\.27\d\d\s+chi2\(25\)/);
  const bundle = grs[JUPYTER_DISPLAY]();
  assert.match(bundle["text/html"] as string, /<table[^]*GRS Wald[^]*SMALL LoBM/);
  assert.deepEqual(grs.wald.toJSON().distribution, "chi2");
});

Deno.test("Fama-MacBeth on the 25 portfolios matches explicit loops: premia, three SEs, R²", () => {
  const fm = famaMacBeth(panel.excess, panel.factors, { maxlags: 6, periods: panel.periods });
  const r = ref.fm_ff3;
  assert.deepEqual(fm.terms, ["const", "MKT_RF", "SMB", "HML"]);
  assert.equal(fm.nobs, 738);
  close(fm.riskPremia, r.risk_premia, 1e-12, "risk premia");
  close(fm.bse("famaMacBeth"), r.se_fm, 1e-12, "Fama-MacBeth se");
  close(fm.bse("neweyWest"), r.se_nw, 1e-12, "Newey-West se");
  close(fm.bse("shanken"), r.se_shanken, 1e-12, "Shanken se");
  close([fm.shankenC!], [r.shanken_c], 1e-12, "Shanken c");
  close([fm.avgRsquared], [r.avg_r2], 1e-12, "average R²");
  close(fm.lambdas.row("1963-07"), r.lambda_first, 1e-10, "first cross-section");
  close(fm.lambdas.row("2024-12"), r.lambda_last, 1e-10, "last cross-section");
  close([fm.rsquaredByPeriod.get("1963-07")], [r.r2_first], 1e-10, "first R²");
  close(fm.alphas, r.pricing_errors, 1e-9, "pricing errors");
  close(fm.betas.data, r.betas.flat(), 1e-10, "first-pass betas");
});

Deno.test("Fama-MacBeth without an intercept matches explicit loops", () => {
  const fm = famaMacBeth(panel.excess, panel.factors, { maxlags: 6, intercept: false });
  const r = ref.fm_ff3_no_intercept;
  assert.deepEqual(fm.terms, ["MKT_RF", "SMB", "HML"]);
  close(fm.riskPremia, r.risk_premia, 1e-12, "risk premia");
  for (
    const [kind, se] of [["famaMacBeth", r.se_fm], ["neweyWest", r.se_nw], [
      "shanken",
      r.se_shanken,
    ]]
  ) {
    close(fm.bse(kind as FamaMacBethSE), se as number[], 1e-12, `${kind} se`);
  }
  close([fm.avgRsquared], [r.avg_r2], 1e-12, "average (uncentred) R²");
});

Deno.test("Fama-MacBeth with 60-month rolling betas matches explicit loops", () => {
  const fm = famaMacBeth(panel.excess, panel.factors, {
    window: 60,
    maxlags: 6,
    periods: panel.periods,
  });
  const r = ref.fm_ff3_rolling60;
  assert.equal(fm.nobs, r.ncross);
  assert.equal(fm.lambdas.rowNames[0], r.first_period);
  close(fm.riskPremia, r.risk_premia, 1e-12, "risk premia");
  close(fm.bse("famaMacBeth"), r.se_fm, 1e-12, "Fama-MacBeth se");
  close(fm.bse("neweyWest"), r.se_nw, 1e-12, "Newey-West se");
  close([fm.avgRsquared], [r.avg_r2], 1e-12, "average R²");
  close(fm.lambdas.row(0), r.lambda_first, 1e-10, "first cross-section");
  close(fm.lambdas.row(fm.nobs - 1), r.lambda_last, 1e-10, "last cross-section");
  close(fm.alphas, r.pricing_errors, 1e-9, "pricing errors");
  assert.equal(fm.hasShanken, false);
  assert.throws(() => fm.bse("shanken"), /full-sample betas[^]*rolling window of 60/);
});

Deno.test("Fama-MacBeth recovers premia exactly when returns are exactly beta times factors", () => {
  const rand = stream(3);
  const T = 90;
  const F = [0, 1].map(() => Array.from({ length: T }, () => 0.005 + 0.05 * rand()));
  const betas = Array.from({ length: 8 }, (_, i) => [0.5 + 0.15 * i, 1 - 0.2 * i + 0.03 * i * i]);
  const returns = Object.fromEntries(
    betas.map((b, i) => [`P${i}`, F[0].map((f0, t) => 0.002 + b[0] * f0 + b[1] * F[1][t])]),
  );
  const fm = famaMacBeth(returns, { A: F[0], B: F[1] }, { maxlags: 0 });
  const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;
  // Each cross-section fits exactly: λ_t = (0.002, f_t), so the premia are the factor means and
  // the plain standard errors are those of a sample mean; Shanken adds only Σ_f / T (Σ̂ = 0).
  assert.ok(Math.abs(fm.riskPremia.get("const") - 0.002) < 1e-13);
  F.forEach((f, j) => {
    const name = j === 0 ? "A" : "B";
    const m = mean(f);
    assert.ok(Math.abs(fm.riskPremia.get(name) - m) < 1e-13);
    const ss = f.reduce((s, v) => s + (v - m) ** 2, 0);
    assert.ok(relErr(fm.bse("famaMacBeth").get(name), Math.sqrt(ss / (T - 1) / T)) < 1e-10);
    assert.ok(relErr(fm.bse("neweyWest").get(name), Math.sqrt(ss / T / T)) < 1e-10);
    assert.ok(relErr(fm.bse("shanken").get(name), Math.sqrt(ss / T / T)) < 1e-10);
  });
  assert.ok(fm.avgRsquared > 1 - 1e-12);
  assert.ok(Math.max(...fm.alphas.map(Math.abs)) < 1e-14);
});

Deno.test("Fama-MacBeth premia with full-sample betas are the regression of mean returns on betas", () => {
  const fm = famaMacBeth(panel.excess, panel.factors);
  const meanReturns = panel.assets.map((a) => panel.excess[a].reduce((s, v) => s + v, 0) / 738);
  const cross = ols(meanReturns, {
    MKT_RF: fm.betas.column("MKT_RF"),
    SMB: fm.betas.column("SMB"),
    HML: fm.betas.column("HML"),
  }, { addConstant: true });
  close(fm.riskPremia, Array.from(cross.params), 1e-10, "premia vs mean-return regression");
});

Deno.test("Fama-MacBeth default Newey-West lags follow floor(4 (T/100)^(2/9)) and say so", () => {
  const fm = famaMacBeth(panel.excess, panel.factors);
  assert.equal(fm.maxlags, Math.floor(4 * Math.pow(738 / 100, 2 / 9)));
  assert.equal(fm.maxlags, 6);
  assert.ok(fm.notes().some((n) => /6 lags \(by the rule floor/.test(n)));
  const given = famaMacBeth(panel.excess, panel.factors, { maxlags: 3 });
  assert.ok(given.notes().some((n) => /3 lags \(as given\)/.test(n)));
  assert.notEqual(given.bse("neweyWest")[1], fm.bse("neweyWest")[1]);
});

Deno.test("Fama-MacBeth with maxlags 'auto' picks the Newey-West (1994) lags of the premia series", () => {
  const fm = famaMacBeth(panel.excess, panel.factors, { maxlags: "auto" });
  const deviations = fm.terms.map((_, j) => {
    const column = fm.lambdas.column(j);
    return column.map((v) => v - fm.riskPremia[j]);
  });
  assert.equal(fm.maxlags, neweyWestLags(deviations).lags);
  assert.ok(fm.notes().some((n) => /Newey-West 1994 automatic selection/.test(n)));
  const fixed = famaMacBeth(panel.excess, panel.factors, { maxlags: fm.maxlags });
  close(fm.bse("neweyWest"), Array.from(fixed.bse("neweyWest")), 0, "same lags, same se");
});

Deno.test("Fama-MacBeth refuses bad windows, lags, too few assets and labels, saying what to do", () => {
  const f = { MKT_RF: panel.factors.MKT_RF };
  assert.throws(
    () => famaMacBeth(panel.excess, f, { window: 2 }),
    /window must be a whole number of periods from 3/,
  );
  assert.throws(
    () => famaMacBeth(panel.excess, f, { window: 738 }),
    /to 737 \(the sample has 738\)/,
  );
  assert.throws(
    () => famaMacBeth(panel.excess, f, { maxlags: -1 }),
    /maxlags must be a whole number from 0 to 737 \(there are 738 cross-sections\) or "auto"/,
  );
  assert.throws(
    () => famaMacBeth({ A: panel.excess["ME1 BM2"], B: panel.excess["ME2 BM2"] }, panel.factors),
    /regresses 2 asset returns on 4 columns[^]*more assets/,
  );
  assert.throws(
    () => famaMacBeth(panel.excess, f, { periods: ["2020-01"] }),
    /periods has 1 labels for 738 rows/,
  );
  assert.throws(
    () => famaMacBeth(panel.excess, { MKT_RF: panel.factors.MKT_RF.slice(1) }),
    /Length mismatch/,
  );
});

Deno.test("the Fama-MacBeth table shows premia with every kind of standard error and the notes", () => {
  const fm = famaMacBeth(panel.excess, panel.factors, { maxlags: 6 });
  const lines = fm.riskPremiaTable().toString().split("\n");
  assert.equal(
    lines[0],
    "Fama-MacBeth risk premia (738 cross-sections of 25 assets; average R² 0.5315)",
  );
  assert.match(lines[1], /risk premium\s+se Fama-MacBeth\s+t Fama-MacBeth\s+se Newey-West/);
  assert.match(
    lines[2],
    /^const\s+0\.01181\s+0\.00258\s+4\.57\s+0\.00266\s+4\.44\s+0\.00262\s+4\.51$/,
  );
  assert.ok(lines.includes("Newey-West standard errors use 6 lags (as given), Bartlett weights."));
  const nw = fm.riskPremiaTable("neweyWest").toString().split("\n");
  assert.match(nw[1], /coef\s+std err\s+z\s+P>\|z\|\s+\[0\.025\s+0\.975\]/);
  assert.match(nw[5], /^HML\s+0\.0032\s+0\.0014\s+2\.332\s+0\.020/);
  assert.ok(relErr(fm.pvalues("neweyWest").get("HML"), 0.0197) < 0.01);
});
