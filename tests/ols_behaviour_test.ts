import assert from "node:assert/strict";
import { splitUnitNote } from "./support/summary_text.ts";
import pl from "nodejs-polars";
import { addConstant, NamedValues, ols, type OLSResults } from "../mod.ts";
import { DATASETS, GOLDEN, relErr } from "./support/golden_datasets.ts";
import { assertAllClose } from "./support/assert.ts";
import extra from "./fixtures/statsmodels_extra.json" with { type: "json" };

/** Compares summary texts line by line, ignoring only the Date and Time values. */
function assertSameSummary(actual: string, expected: string): void {
  const a = actual.split("\n");
  const e = expected.split("\n");
  assert.equal(a.length, e.length, actual);
  e.forEach((line, i) => {
    if (/^(Date|Time):/.test(line)) assert.equal(a[i].slice(37), line.slice(37), `line ${i + 1}`);
    else assert.equal(a[i], line, `line ${i + 1}`);
  });
}

const factor = () => DATASETS.factor();
const small = () => DATASETS.small();

Deno.test("robust re-estimate summary prints the HC1 note like statsmodels", () => {
  const { y, X } = factor();
  const text = ols(y, X).getRobustcovResults("HC1").summary().toString();
  assertSameSummary(text, extra.factor_HC1_robustcov);
});

Deno.test("fit with covType HAC prints z, P>|z| and the HAC note (with and without correction)", () => {
  const { y, X } = small();
  assertSameSummary(
    ols(y, X, { covType: "HAC", maxlags: 6 }).summary().toString(),
    extra.small_fit_HAC6,
  );
  assertSameSummary(
    ols(y, X, { covType: "HAC", maxlags: 6, useCorrection: true }).summary().toString(),
    extra.small_fit_HAC6_corr,
  );
});

Deno.test("summary honours yname, title and alpha (interval headers follow alpha)", () => {
  const { y, X } = factor();
  const text = ols(y, X).summary({
    yname: "Excess_Return",
    alpha: 0.1,
    title: "Fama-French 5 + momentum",
  }).toString();
  assertSameSummary(text, extra.factor_alpha10_yname);
  assert.match(text, /\[0\.05 +0\.95\]/);
});

Deno.test("long regressor names widen the coefficient table as in statsmodels", () => {
  const { y, X } = factor();
  const renamed = {
    const: X.const,
    Mkt_minus_risk_free: X.MKT_RF,
    Small_minus_Big: X.SMB,
    High_minus_Low: X.HML,
    RMW: X.RMW,
    CMA: X.CMA,
    Momentum_UMD: X.MOM,
  };
  const text = ols(y, renamed, { yname: "VBR_excess_return" }).summary().toString();
  assertSameSummary(text, extra.factor_long_names);
});

Deno.test("a constant implied by dummy columns gives a centered R² and a NaN robust F", () => {
  const { y, X } = small();
  const even = X.x1.map((_, i) => ((i + 1) % 2 === 0 ? 1 : 0));
  const odd = even.map((v) => 1 - v);
  const fit = ols(y, { even, odd, x1: X.x1 });
  const g = extra.implicit_const;
  assert.equal(fit.kConstant, 1);
  assert.ok(relErr(fit.rsquared, g.rsquared) < 1e-10);
  assert.ok(relErr(fit.fvalue, g.fvalue) < 1e-8);
  assertAllClose(fit.params, g.params, { rel: 1e-8 });
  assertAllClose(fit.bse, g.bse, { rel: 1e-8 });
  assert.ok(Number.isNaN(fit.getRobustcovResults("HC1").fvalue));
  assertSameSummary(fit.summary().toString(), g.summary);
});

Deno.test("a constant-only model estimates the mean with a NaN F statistic", () => {
  const { y } = small();
  const fit = ols(y, { const: new Float64Array(y.length).fill(1) });
  const g = extra.const_only;
  assertAllClose(fit.params, g.params, { rel: 1e-10 });
  assertAllClose(fit.bse, g.bse, { rel: 1e-10 });
  assertAllClose(fit.pvalues, g.pvalues, { rel: 1e-8 });
  assert.equal(fit.dfModel, 0);
  assert.ok(Number.isNaN(fit.fvalue) && Number.isNaN(fit.fPvalue));
  const line = fit.summary().toString().split("\n").find((l) => l.includes("F-statistic"));
  assert.match(line!, /F-statistic: +nan$/);
});

Deno.test("fit with covType HC3 uses normal p-values and intervals", () => {
  const { y, X } = factor();
  const fit = ols(y, X, { covType: "HC3" });
  const g = extra.factor_fit_HC3;
  assertAllClose(fit.pvalues, g.pvalues, { rel: 1e-6 });
  assertAllClose(fit.confInt().lower, g.conf_int.map((r) => r[0]), { rel: 1e-8 });
  assert.ok(relErr(fit.fvalue, g.fvalue) < 1e-8);
  assert.ok(relErr(fit.fPvalue, g.f_pvalue) < 1e-6);
});

Deno.test("non-robust Breusch-Pagan matches het_breuschpagan(robust=False)", () => {
  const { y, X } = small();
  const r = ols(y, X).hetBreuschPagan({ robust: false });
  assertAllClose([r.lm, r.lmPvalue, r.fvalue, r.fPvalue], extra.small_bp_nonrobust, { rel: 1e-8 });
  assert.equal(r.lmDf, 3);
});

Deno.test("predict matches statsmodels for rows and matches by name for records", () => {
  const { y, X } = small();
  const fit = ols(y, X);
  const rows = [[1, 0.5, -0.2, 0.1], [1, -1, 1, 0]];
  assertAllClose(fit.predict(rows), extra.predict_small, { rel: 1e-12 });
  // Named columns in another order; the constant is added back because the model has one.
  const { x1, x2, x3 } = X;
  const fit2 = ols(y, { x1, x2, x3 }, { addConstant: true });
  assertAllClose(
    fit2.predict({ x3: [0.1, 0], x2: [-0.2, 1], x1: [0.5, -1] }),
    extra.predict_small,
    { rel: 1e-12 },
  );
  assertAllClose(fit2.predict(), fit2.fittedValues as unknown as number[]);
  assert.throws(() => fit2.predict({ x1: [1], x2: [1] }), /column "x3" is missing/);
  assert.throws(() => fit2.predict([[1, 2]]), /rows have 2 values but the model has 4/);
});

Deno.test("resid plus fitted values give back y, and residuals are orthogonal to X", () => {
  const { y, X } = factor();
  const fit = ols(y, X);
  const resid = fit.resid;
  const fitted = fit.fittedValues;
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(resid[i] + fitted[i] - y[i]) < 1e-15);
  for (const col of Object.values(X)) {
    const dot = col.reduce((s, v, i) => s + v * resid[i], 0);
    assert.ok(Math.abs(dot) < 1e-14, `Xᵀe = ${dot}`);
  }
});

Deno.test("params, bse and coefficients are readable by name", () => {
  const { y, X } = factor();
  const fit = ols(y, X);
  const g = GOLDEN.factor.nonrobust;
  assert.ok(fit.params instanceof NamedValues);
  assert.equal(fit.params.get("SMB"), fit.params[2]);
  assert.equal(fit.param("HML"), fit.params[3]);
  assert.ok(relErr(fit.bse.get("MKT_RF"), g.bse[1]) < 1e-8);
  const smb = fit.coefficient("SMB");
  assert.equal(smb.name, "SMB");
  assert.ok(relErr(smb.lower, g.conf_int[2][0]) < 1e-8);
  assert.deepEqual(fit.summary().coefficients, fit.coefficients());
  assert.throws(() => fit.param("Mkt-RF"), /No entry named "Mkt-RF". Names: "const", "MKT_RF"/);
  assert.equal(fit.covParams().get("SMB", "SMB"), fit.bse.get("SMB") ** 2);
});

Deno.test("eigenvalues are those of XᵀX, largest first, and give the condition number", () => {
  const { y, X } = DATASETS.illcond();
  const fit = ols(y, X);
  const ev = fit.eigenvalues;
  assert.ok(ev[0] >= ev[1] && ev[1] >= ev[2]);
  assert.ok(relErr(Math.sqrt(ev[0] / ev[2]), GOLDEN.illcond.nonrobust.condition_number) < 1e-9);
  assert.match(fit.summary().toString(), /\[2\] The condition number is large, 2\.04e\+03\./);
});

Deno.test("a nodejs-polars DataFrame and Series work as X and y, taking the Series name", () => {
  const { y, X } = factor();
  const frame = pl.DataFrame({
    MKT_RF: Array.from(X.MKT_RF),
    SMB: Array.from(X.SMB),
    HML: Array.from(X.HML),
  });
  const series = pl.Series("Excess_Return", Array.from(y));
  const fromFrame = ols(series, frame, { addConstant: true });
  const fromRecord = ols(y, { MKT_RF: X.MKT_RF, SMB: X.SMB, HML: X.HML }, { addConstant: true });
  assert.deepEqual(fromFrame.names, ["const", "MKT_RF", "SMB", "HML"]);
  assert.equal(fromFrame.yname, "Excess_Return");
  assertAllClose(fromFrame.params, Array.from(fromRecord.params));
  assert.match(fromFrame.summary().toString(), /Dep\. Variable: +Excess_Return/);
});

Deno.test("a danfojs-shaped frame (columns + column().values) works as X", () => {
  const { y, X } = small();
  const danfoLike = {
    columns: ["x1", "x2"],
    column: (name: string) => ({ values: Array.from(X[name]) }),
  };
  const fit = ols(y, danfoLike, { addConstant: true });
  assert.deepEqual(fit.names, ["const", "x1", "x2"]);
});

Deno.test("X as an array of rows is named x1..xk with the constant column called const", () => {
  const { y, X } = small();
  const rows = Array.from(y, (_, i) => [1, X.x1[i], X.x2[i], X.x3[i]]);
  const fit = ols(y, rows);
  assert.deepEqual(fit.names, ["const", "x1", "x2", "x3"]);
  assertAllClose(fit.params, GOLDEN.small.nonrobust.params, { rel: 1e-8 });
});

Deno.test("addConstant prepends const, and skips, adds or raises when one exists", () => {
  const X = addConstant({ a: [1, 2, 3] });
  assert.deepEqual(Object.keys(X), ["const", "a"]);
  const already = { ones: [1, 1, 1], a: [1, 2, 3] };
  assert.deepEqual(Object.keys(addConstant(already)), ["ones", "a"]);
  assert.deepEqual(Object.keys(addConstant(already, { hasConstant: "add" })), [
    "const",
    "ones",
    "a",
  ]);
  assert.throws(
    () => addConstant(already, { hasConstant: "raise" }),
    /already has a constant column \("ones"\)/,
  );
});

Deno.test("results display in Jupyter as their summary and print it in the console", () => {
  const { y, X } = small();
  const fit: OLSResults = ols(y, X);
  const bundle = fit[Symbol.for("Jupyter.display") as keyof OLSResults] as unknown as () => Record<
    string,
    string
  >;
  const mimes = bundle.call(fit);
  assert.deepEqual(Object.keys(mimes).sort(), ["text/html", "text/plain"]);
  assert.match(Deno.inspect(fit), /OLS Regression Results/);
  assert.match(Deno.inspect(fit.params), /^const +-0\.009420/);
});

Deno.test("tiny-scale regressors keep full accuracy and get the smallest-eigenvalue note", () => {
  const { y, X } = small();
  const fit = ols(y, { const: X.const, x1: X.x1, x2: X.x2, tiny: X.x3.map((v) => v * 1e-6) });
  const g = extra.small_tiny_scale;
  assertAllClose(fit.params, g.params, { rel: 1e-8 });
  assertAllClose(fit.bse, g.bse, { rel: 1e-8 });
  assertAllClose(fit.eigenvalues, g.eigenvals, { rel: 1e-8 });
  const { statsmodels, note } = splitUnitNote(fit.summary().toString());
  assertSameSummary(statsmodels, g.summary);
  // Only the tiny units make statsmodels warn: scaled to unit length, the design is well posed.
  assert.match(
    note ?? "",
    /^\[\d\] With every column scaled to unit length the condition number is \d+(\.\d+)? .*\nso the large figure comes from the units of the columns, not from collinearity\.$/,
  );
});

Deno.test("one danfojs shape: row-major values (no column()) work as X as well", () => {
  const { y, X } = small();
  const rows = Array.from(X.x1, (v, i) => [v, X.x2[i]]);
  const fromValues = ols(y, { columns: ["x1", "x2"], values: rows }, { addConstant: true });
  const fromRecord = ols(y, { x1: X.x1, x2: X.x2 }, { addConstant: true });
  assert.deepEqual(Array.from(fromValues.params), Array.from(fromRecord.params));
});
