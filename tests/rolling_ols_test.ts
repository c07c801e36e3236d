import assert from "node:assert/strict";
import { ols, referenceDataset, RegressionInputError, rollingOls } from "../mod.ts";
import type { RollingOLSResults } from "../mod.ts";
import { relErr } from "./support/golden_datasets.ts";
import reference from "./fixtures/rolling_ols_statsmodels.json" with { type: "json" };

/** statsmodels RollingOLS figures (tests/fixtures/make_rolling_ols_reference.py). */
interface RollingCase {
  nobs: number[];
  params: (number | null)[][];
  bse: (number | null)[][];
  rsquared: (number | null)[];
  rsquared_adj?: (number | null)[];
  pvalues?: (number | null)[][];
  pvalues_normal?: (number | null)[][];
  conf_int_lower?: (number | null)[][];
  conf_int_upper?: (number | null)[][];
  ssr?: (number | null)[];
  fvalue?: (number | null)[];
  f_pvalue?: (number | null)[];
}
const CASES = reference.cases as unknown as Record<string, RollingCase>;
const TOL = 1e-8;
const P_TOL = 1e-6;

/** The golden "factor" data with the fixture's missing values put in. */
function factorWithMissing(): { y: Float64Array; X: Record<string, Float64Array> } {
  const { y, X } = referenceDataset("factor");
  for (const { column, rows } of reference.missing) {
    for (const r of rows) (column === "y" ? y : X[column])[r] = NaN;
  }
  return { y, X };
}

/** Worst relative error over a per-window series; NaN must sit exactly where statsmodels has none. */
function worstSeries(actual: ArrayLike<number>, expected: (number | null)[], what: string): number {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let t = 0; t < expected.length; t++) {
    const e = expected[t];
    if (e === null) {
      assert.ok(Number.isNaN(actual[t]), `${what}[${t}]: expected no estimate, got ${actual[t]}`);
      continue;
    }
    worst = Math.max(worst, relErr(actual[t], e));
  }
  return worst;
}

function worstMatrix(
  actual: { get(row: number, col: number): number },
  expected: (number | null)[][],
  what: string,
): number {
  let worst = 0;
  expected.forEach((row, t) =>
    row.forEach((e, j) => {
      const a = actual.get(t, j);
      if (e === null) {
        assert.ok(Number.isNaN(a), `${what}[${t}][${j}]: expected no estimate, got ${a}`);
      } else worst = Math.max(worst, relErr(a, e));
    })
  );
  return worst;
}

function checkAgainstStatsmodels(fit: RollingOLSResults, c: RollingCase): void {
  assert.deepEqual(Array.from(fit.nobs), c.nobs);
  const checks: [string, number, number][] = [
    ["params", worstMatrix(fit.params, c.params, "params"), TOL],
    ["bse", worstMatrix(fit.bse, c.bse, "bse"), TOL],
    ["rsquared", worstSeries(fit.rsquared, c.rsquared, "rsquared"), TOL],
  ];
  if (c.rsquared_adj) {
    checks.push(["rsquaredAdj", worstSeries(fit.rsquaredAdj, c.rsquared_adj, "adj"), TOL]);
  }
  for (const [what, worst, tol] of checks) {
    assert.ok(worst <= tol, `${what}: worst relative error ${worst.toExponential(2)} > ${tol}`);
  }
}

Deno.test("rolling 36-month factor regressions match statsmodels RollingOLS", () => {
  const { y, X } = referenceDataset("factor");
  const fit = rollingOls(y, X, { window: 36 });
  const c = CASES.window36;
  assert.deepEqual(fit.names, reference.names);
  checkAgainstStatsmodels(fit, c);
  const worst = {
    pvalues: worstMatrix(fit.pvalues, c.pvalues!, "pvalues"),
    lower: worstMatrix(fit.confInt().lower, c.conf_int_lower!, "conf_int lower"),
    upper: worstMatrix(fit.confInt().upper, c.conf_int_upper!, "conf_int upper"),
    ssr: worstSeries(fit.ssr, c.ssr!, "ssr"),
    fvalue: worstSeries(fit.fvalue, c.fvalue!, "fvalue"),
    fPvalue: worstSeries(fit.fPvalue, c.f_pvalue!, "f_pvalue"),
  };
  for (const [what, err] of Object.entries(worst)) {
    const tol = what === "pvalues" || what === "fPvalue" ? P_TOL : TOL;
    assert.ok(err <= tol, `${what}: worst relative error ${err.toExponential(2)} > ${tol}`);
  }
});

Deno.test("useT: false gives statsmodels RollingOLS's default normal p-values", () => {
  const { y, X } = referenceDataset("factor");
  const fit = rollingOls(y, X, { window: 36, useT: false });
  assert.equal(fit.useT, false);
  const worst = worstMatrix(fit.pvalues, CASES.window36.pvalues_normal!, "normal p-values");
  assert.ok(worst <= P_TOL, `worst ${worst}`);
});

Deno.test("missing values are dropped per window, as statsmodels does", () => {
  const { y, X } = factorWithMissing();
  const fit = rollingOls(y, X, { window: 36 });
  checkAgainstStatsmodels(fit, CASES.window36_missing);
  // The window ending at row 60 holds rows 25..60, 11 of them incomplete (y 50-52, MKT_RF 53-60).
  assert.equal(fit.nobs[60], 25);
});

Deno.test("windows with fewer than minObs complete rows have no estimate", () => {
  const { y, X } = factorWithMissing();
  const fit = rollingOls(y, X, { window: 36, minObs: 30 });
  checkAgainstStatsmodels(fit, CASES.window36_missing_min30);
  assert.equal(fit.at(60), null);
  assert.ok(Number.isNaN(fit.params.get(60, "MKT_RF")));
  assert.equal(fit.nobs[60], 0);
  assert.equal(fit.at(200)?.nobs, 35);
});

Deno.test("expanding windows start at minObs complete rows and roll once full", () => {
  const { y, X } = factorWithMissing();
  const fit = rollingOls(y, X, { window: 36, minObs: 12, expanding: true });
  checkAgainstStatsmodels(fit, CASES.expanding_window36_min12_missing);
  // Row 5 is missing, so the first window with 12 complete rows ends at row 12.
  assert.equal(fit.at(11), null);
  assert.deepEqual({ start: fit.at(12)!.start, nobs: fit.at(12)!.nobs }, { start: 0, nobs: 12 });
  assert.equal(fit.at(100)!.start, 65);
});

Deno.test('missing: "skip" leaves every window holding a missing row without an estimate', () => {
  const { y, X } = factorWithMissing();
  const fit = rollingOls(y, X, { window: 36, missing: "skip" });
  const c = CASES.skip_window36;
  assert.deepEqual(Array.from(fit.nobs), c.nobs);
  assert.ok(worstMatrix(fit.params, c.params, "params") <= TOL);
  assert.ok(worstMatrix(fit.bse, c.bse, "bse") <= TOL);
  assert.ok(worstSeries(fit.rsquared, c.rsquared, "rsquared") <= TOL);
  // Row 200 (SMB) is missing: windows ending at 200..235 are skipped, 236 is the next.
  assert.equal(fit.at(235), null);
  assert.equal(fit.at(236)?.nobs, 36);
});

Deno.test("infinite values count as missing, like NaN and null", () => {
  const { y, X } = factorWithMissing();
  const withInf = factorWithMissing();
  withInf.y[120] = Infinity;
  withInf.X.SMB[200] = -Infinity;
  const a = rollingOls(y, X, { window: 36 });
  const b = rollingOls(withInf.y, withInf.X, { window: 36 });
  assert.deepEqual(Array.from(b.nobs), Array.from(a.nobs));
  assert.deepEqual(Array.from(b.params.data), Array.from(a.params.data));
});

Deno.test('missing: "raise" names the rows with missing values', () => {
  const { y, X } = factorWithMissing();
  assert.throws(
    () => rollingOls(y, X, { window: 36, missing: "raise" }),
    (e: Error) =>
      e instanceof RegressionInputError && /y has 5 missing/.test(e.message) &&
      /MKT_RF" has 8 missing/.test(e.message),
  );
});

Deno.test("each window's estimates equal an OLS fit on that window's rows", () => {
  const { y, X } = referenceDataset("factor");
  const fit = rollingOls(y, X, { window: 60 });
  for (const end of [59, 137, 239]) {
    const rows = (v: Float64Array) => v.slice(end - 59, end + 1);
    const single = ols(
      rows(y),
      Object.fromEntries(Object.entries(X).map(([k, v]) => [k, rows(v)])),
    );
    const w = fit.at(end)!;
    for (const name of fit.names) {
      assert.ok(relErr(w.params.get(name), single.params.get(name)) < 1e-9, `params ${name}`);
      assert.ok(relErr(w.bse.get(name), single.bse.get(name)) < 1e-9, `bse ${name}`);
      assert.ok(relErr(w.pvalues.get(name), single.pvalues.get(name)) < 1e-6, `p ${name}`);
    }
    assert.ok(relErr(w.rsquaredAdj, single.rsquaredAdj) < 1e-9);
    const ci = fit.confInt(0.1);
    const ci1 = single.confInt(0.1);
    assert.ok(relErr(ci.upper.get(end, "SMB"), ci1.upper.get("SMB")) < 1e-9);
  }
});

Deno.test("results are keyed by the index labels and by regressor name", () => {
  const { y, X } = referenceDataset("factor");
  const periods = Array.from(
    { length: 240 },
    (_, t) => `${2000 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`,
  );
  const fit = rollingOls(y, X, { window: 36, index: periods });
  assert.equal(fit.labels[239], "2019-12");
  const w = fit.at("2019-12")!;
  assert.equal(w.label, "2019-12");
  assert.equal(w.end, 239);
  assert.equal(fit.params.get("2019-12", "HML"), w.params.get("HML"));
  assert.equal(fit.params.column("MKT_RF").get("2019-12"), w.params.get("MKT_RF"));
  assert.equal(fit.rsquared.get("2019-12"), w.rsquared);
  assert.equal(fit.nobs.get("2002-12"), 36); // the first full window: 2000-01..2002-12
  assert.equal(fit.at("2002-11"), null);
  assert.throws(() => fit.at("1999-12"), /No row labelled "1999-12"/);
  assert.throws(() => fit.at(240), /outside 0\.\.239/);
});

Deno.test("expanding without a window is a regression on all rows so far", () => {
  const { y, X } = referenceDataset("small");
  const fit = rollingOls(y, X, { expanding: true, minObs: 10 });
  assert.equal(fit.window, 60);
  assert.equal(fit.at(8), null);
  const last = fit.at(59)!;
  const full = ols(y, X);
  assert.equal(last.nobs, 60);
  for (const name of fit.names) {
    assert.ok(relErr(last.params.get(name), full.params.get(name)) < 1e-10);
  }
});

Deno.test("a model without a constant reports uncentered R² per window", () => {
  const { y, X } = referenceDataset("noconst");
  const fit = rollingOls(y, X, { window: 30 });
  assert.equal(fit.kConstant, 0);
  const single = ols(
    y.slice(0, 30),
    Object.fromEntries(
      Object.entries(X).map(([k, v]) => [k, v.slice(0, 30)]),
    ),
  );
  assert.ok(relErr(fit.rsquared[29], single.rsquared) < 1e-10);
  assert.ok(relErr(fit.params.get(29, "x2"), single.params.get("x2")) < 1e-10);
  assert.ok(relErr(fit.bse.get(29, "x2"), single.bse.get("x2")) < 1e-10);
});

Deno.test("a window whose regressors are collinear has no estimate and is reported", () => {
  const t = Array.from({ length: 40 }, (_, i) => i);
  const x = t.map((i) => Math.sin(i));
  // A dummy that is zero for rows 10..29: windows of 12 rows inside that stretch cannot use it.
  const dummy = t.map((i) => (i >= 10 && i < 30 ? 0 : (i % 3) - 1));
  const y = t.map((i) => 1 + 2 * x[i] + 0.5 * dummy[i] + 0.01 * Math.cos(7 * i));
  const fit = rollingOls(y, { x, dummy }, { window: 12, addConstant: true });
  assert.deepEqual(fit.rankDeficient, [21, 22, 23, 24, 25, 26, 27, 28, 29]);
  assert.equal(fit.at(25), null);
  assert.equal(fit.nobs[25], 0);
  assert.ok(Math.abs(fit.params.get(35, "x") - 2) < 0.05);
});

Deno.test("bad windows and minObs are refused with what to do", () => {
  const { y, X } = referenceDataset("factor");
  const cases: [Parameters<typeof rollingOls>[2], RegExp][] = [
    [{}, /needs a window.*\{ window: 36 \}.*expanding: true/],
    [{ window: 300 }, /window 300 is longer than the sample \(240 rows\)/],
    [
      { window: 7 },
      /window 7 leaves no residual degrees of freedom for the 7 regressors.*more than 7/,
    ],
    [{ window: 12.5 }, /window must be a whole number/],
    [{ window: 36, minObs: 5 }, /minObs 5 is less than the 7 regressors.*minObs of 7 or more/],
    [{ window: 36, minObs: 40 }, /minObs 40 is more than the window of 36 rows/],
    [{ window: 36, index: ["2020-01"] }, /index has 1 labels for 240 rows/],
    [{ window: 36, missing: "keep" as "drop" }, /missing must be "drop", "skip" or "raise"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => rollingOls(y, X, options), (e: Error) => {
      assert.ok(e instanceof RegressionInputError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }
  const twice = Array.from({ length: 240 }, (_, t) => (t === 5 ? "a" : `r${t}`));
  twice[9] = "a";
  assert.throws(() => rollingOls(y, X, { window: 36, index: twice }), /label "a" twice/);
});

Deno.test("rolling results print the windows and each coefficient's first, last, mean, min and max", () => {
  const n = 40;
  const x = Array.from({ length: n }, (_, i) => Math.sin(i));
  const y = x.map((v, i) => 0.5 + 1.2 * v + 0.1 * Math.cos(3 * i));
  const r = rollingOls(y, { x }, { window: 12, addConstant: true });
  const text = String(r);
  assert.match(text, /^ +Rolling OLS Results/);
  assert.match(text, /Window: +12 +Regressors: +2/);
  assert.match(text, /Windows estimated: +29 of 40/);
  assert.match(text, /First window end: +11 /);
  assert.match(text, /Last window end: +39 /);
  const slope = Array.from(r.params.column("x")).slice(11);
  const mean = slope.reduce((a, b) => a + b, 0) / slope.length;
  const row = text.split("\n").find((l) => l.startsWith("x "))!.trim().split(/ +/).slice(1);
  assert.deepEqual(
    row,
    [slope[0], slope[28], mean, Math.min(...slope), Math.max(...slope)].map((v) => v.toFixed(4)),
  );
  assert.match(r.toHTML(), /<table/);
});

Deno.test("rolling results count only windows with an estimate: rank-deficient ones are left out", () => {
  const n = 30;
  // x is constant over the first 15 rows, so windows of 12 ending at rows 11..14 are collinear.
  const x = Array.from({ length: n }, (_, i) => (i < 15 ? 1 : Math.sin(i)));
  const y = x.map((v, i) => 0.3 + 0.8 * v + 0.05 * Math.cos(2 * i));
  const r = rollingOls(y, { x }, { window: 12, addConstant: true });
  assert.deepEqual(r.rankDeficient, [11, 12, 13, 14]);
  const text = String(r);
  assert.match(text, /Windows estimated: +15 of 30/);
  assert.match(text, /First window end: +15 /);
  assert.match(text, /Rank-deficient windows: +4/);
});
