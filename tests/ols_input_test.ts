import assert from "node:assert/strict";
import { CollinearityError, ols, RegressionInputError } from "../mod.ts";
import { DATASETS, relErr } from "./support/golden_datasets.ts";

const small = () => DATASETS.small();

Deno.test("length mismatch names the column and both lengths", () => {
  const { y, X } = small();
  assert.throws(
    () => ols(y, { x1: X.x1, x2: X.x2.slice(1) }),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /y has 60 values but X column "x2" has 59/.test(e.message) &&
      /Align y and X/.test(e.message),
  );
});

Deno.test("NaN and Infinity are reported per column with counts and rows", () => {
  const { y, X } = small();
  const yBad = y.slice();
  yBad[3] = NaN;
  const x2 = X.x2.slice();
  x2[10] = Infinity;
  x2[20] = NaN;
  assert.throws(
    () => ols(yBad, { x1: X.x1, x2 }, { addConstant: true }),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /y has 1 missing or infinite value \(row 3\)/.test(e.message) &&
      /X column "x2" has 2 missing or infinite values \(rows 10, 20\)/.test(e.message) &&
      /missing: "drop"/.test(e.message),
  );
});

Deno.test("null and undefined count as missing values too", () => {
  const y = [1, 2, null, 4, 5, 6];
  assert.throws(() => ols(y, { x: [1, 2, 3, 4, 5, 7] }, { addConstant: true }), /y has 1 missing/);
});

Deno.test('missing: "drop" drops incomplete rows, reports them and equals a fit without them', () => {
  const { y, X } = small();
  const yBad = y.slice();
  yBad[5] = NaN;
  const x1 = X.x1.slice();
  x1[7] = -Infinity;
  const fit = ols(yBad, { x1, x2: X.x2 }, { addConstant: true, missing: "drop" });
  assert.equal(fit.nobs, 58);
  assert.deepEqual(fit.droppedRows, [5, 7]);
  const keep = (v: Float64Array) => v.filter((_, i) => i !== 5 && i !== 7);
  const clean = ols(keep(y), { x1: keep(X.x1), x2: keep(X.x2) }, { addConstant: true });
  for (let i = 0; i < 3; i++) assert.ok(relErr(fit.params[i], clean.params[i]) < 1e-13);
  assert.match(
    fit.summary().toString(),
    /\[2\] 2 observations were dropped because of missing values\./,
  );
});

Deno.test("fewer observations than regressors is refused with the counts", () => {
  assert.throws(
    () => ols([1, 2, 3], { a: [1, 2, 4], b: [3, 1, 2], c: [0, 1, 1] }, { addConstant: true }),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /Too few observations: 3 for 4 regressors \(const, a, b, c\)/.test(e.message),
  );
  // Equality leaves no residual degrees of freedom, so it is refused too.
  assert.throws(() => ols([1, 2], { a: [1, 2], b: [2, 1] }), /Too few observations: 2 for 2/);
});

Deno.test("an all-zero column is refused by name", () => {
  const { y, X } = small();
  assert.throws(
    () => ols(y, { x1: X.x1, zero: new Float64Array(60) }, { addConstant: true }),
    (e: Error) => e instanceof RegressionInputError && /"zero" is all zeros/.test(e.message),
  );
});

Deno.test("two constant columns are refused as collinear, by name", () => {
  const { y, X } = small();
  const fives = new Float64Array(60).fill(5);
  assert.throws(
    () => ols(y, { const: X.const, fives, x1: X.x1 }),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /2 constant columns \("const", "fives"\)/.test(e.message),
  );
});

Deno.test("perfect collinearity names the dependent column and its combination", () => {
  const { y, X } = small();
  const combo = X.x1.map((v, i) => 2 * v - X.x2[i]);
  assert.throws(
    () => ols(y, { x1: X.x1, x2: X.x2, combo, x3: X.x3 }, { addConstant: true }),
    (e: Error) => {
      assert.ok(e instanceof CollinearityError);
      assert.deepEqual(e.collinear, ["combo"]);
      assert.equal(e.rank, 4);
      assert.match(e.message, /rank 4 for 5 columns/);
      assert.match(e.message, /"combo" = 2·"x1" − "x2"/);
      return true;
    },
  );
});

Deno.test("duplicated regressors are reported as collinear", () => {
  const { y, X } = small();
  assert.throws(
    () => ols(y, { x1: X.x1, again: X.x1.slice() }, { addConstant: true }),
    (e: Error) => e instanceof CollinearityError && /"again" = "x1"/.test(e.message),
  );
});

Deno.test("non-numeric columns are refused with a hint to select the regressors", () => {
  assert.throws(
    () => ols([1, 2, 3, 4], { period: ["2010-01", "2010-02", "2010-03", "2010-04"] } as never),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /X column "period" is not numeric: it holds a string \("2010-01"\)/.test(e.message) &&
      /select/.test(e.message),
  );
});

Deno.test("empty X, duplicate names and a missing y are refused", () => {
  assert.throws(() => ols([1, 2, 3], {}), /X has no columns/);
  assert.throws(() => ols(null as never, { a: [1, 2] }), /y is missing/);
  assert.throws(() => ols([1, 2, 3], "abc" as never), RegressionInputError);
});

Deno.test("covariance options are validated with helpful messages", () => {
  const { y, X } = small();
  assert.throws(() => ols(y, X, { covType: "HC5" as never }), /Unknown covType "HC5". Use one of/);
  assert.throws(() => ols(y, X, { covType: "HAC" }), /needs maxlags.*maxlags: 3/);
  assert.throws(() => ols(y, X, { covType: "HAC", maxlags: 2.5 }), /whole number from 0 to 59/);
  assert.throws(() => ols(y, X, { covType: "HC1", maxlags: 3 }), /apply to covType "HAC" only/);
  assert.throws(() => ols(y, X).confInt(1.5), /alpha must be between 0 and 1/);
  assert.throws(() => ols(y, X, { missing: "omit" as never }), /missing must be "raise" or "drop"/);
});

Deno.test("diagnostic tests that need a constant say so", () => {
  const { y, X } = DATASETS.noconst();
  const fit = ols(y, X);
  assert.throws(() => fit.hetWhite(), /White test needs a model with a constant/);
  assert.throws(() => fit.hetBreuschPagan(), /Breusch-Pagan test needs a model with a constant/);
});
