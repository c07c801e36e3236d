/**
 * Degenerate numbers and argument mistakes: a constant y gives undefined (NaN) R² and F with a
 * note, never −∞ or statistics made of rounding noise; a bad significance level is the project's
 * InvalidArgumentError; units never decide rank.
 */
import assert from "node:assert/strict";
import {
  CollinearityError,
  FactorlabError,
  InvalidArgumentError,
  ols,
  olsMany,
  RegressionInputError,
  rollingOls,
} from "../mod.ts";

const x = [1, 2, 3, 4, 5, 6, 7, 8];
const flat = [3, 3, 3, 3, 3, 3, 3, 3];

Deno.test("constant y: exact coefficients, NaN R² and F, and notes saying why", () => {
  const fit = ols(flat, { x }, { addConstant: true });
  assert.deepEqual([...fit.params], [3, 0]);
  assert.deepEqual([...fit.bse], [0, 0]);
  assert.ok(Number.isNaN(fit.rsquared) && Number.isNaN(fit.rsquaredAdj));
  assert.ok(Number.isNaN(fit.fvalue) && Number.isNaN(fit.fPvalue));
  assert.ok([...fit.tvalues].every(Number.isNaN));
  const text = fit.summary().toString();
  assert.match(text, /R-squared: +nan/);
  assert.match(text, /y is constant \(every value is 3\)/);
  assert.match(text, /Every residual is zero/);
  assert.doesNotMatch(text, /-inf +Adj/);
});

Deno.test("constant y with robust errors and without a constant: no −∞ anywhere", () => {
  const robust = ols(flat, { x }, { addConstant: true, covType: "HC1" });
  assert.ok(Number.isNaN(robust.rsquared) && Number.isNaN(robust.fvalue));
  const noConst = ols(flat, { x });
  assert.ok(noConst.rsquared < 1 && noConst.rsquared > 0);
});

Deno.test("constant y in olsMany and rollingOls: NaN R², exact coefficients", () => {
  const other = [1, 2, 1, 3, 1, 2, 5, 1];
  const many = olsMany({ flat, other }, { x }, { addConstant: true });
  assert.ok(Number.isNaN(many.rsquared[0]));
  const alone = ols(other, { x }, { addConstant: true });
  assert.ok(Math.abs(many.rsquared[1] - alone.rsquared) < 1e-14 && alone.rsquared > 0.1);
  assert.deepEqual([...many.params.row("flat")], [3, 0]);
  assert.deepEqual([...many.ssr].slice(0, 1), [0]);
  const rolling = rollingOls(flat, { x }, { window: 4, addConstant: true });
  assert.ok(Number.isNaN(rolling.rsquared[7]) && Number.isNaN(rolling.fvalue[7]));
  assert.ok(Math.abs(rolling.params.get(7, "const") - 3) < 1e-14);
});

Deno.test("a significance level outside (0, 1) is an InvalidArgumentError, everywhere", () => {
  const fit = ols([1.1, 1.9, 3.2, 3.9, 5.1, 6.2, 6.8, 8.1], { x }, { addConstant: true });
  const rolling = rollingOls(x, { x: x.map((v) => v * v) }, { window: 4, addConstant: true });
  const many = olsMany({ a: x }, { x: x.map((v) => v * v) }, { addConstant: true });
  for (
    const bad of [
      () => fit.confInt(0),
      () => fit.confInt(1),
      () => fit.confInt(NaN),
      () => fit.summary({ alpha: 0 }),
      () => fit.summary({ alpha: 1.5 }),
      () => rolling.confInt(0),
      () => many.coefficients("a", 0),
    ]
  ) {
    assert.throws(
      bad,
      (e: Error) =>
        e instanceof InvalidArgumentError && e instanceof FactorlabError &&
        /alpha must be between 0 and 1/.test(e.message),
    );
  }
  assert.throws(
    () => fit.summary({ title: 3 as unknown as string }),
    (e: Error) => e instanceof InvalidArgumentError && /title must be a string/.test(e.message),
  );
  assert.throws(
    () => fit.summary({ date: new Date("not a date") }),
    (e: Error) => e instanceof InvalidArgumentError && /valid Date/.test(e.message),
  );
});

Deno.test("olsMany decides singularity with unit-length columns: units refuse nothing", () => {
  const y = { a: [1.1, 1.9, 3.2, 3.9, 5.1, 6.2, 6.8, 8.1] };
  const small = olsMany(y, { x }, { addConstant: true });
  const nano = olsMany(y, { x: x.map((v) => v * 1e-12) }, { addConstant: true });
  assert.ok(Math.abs(nano.params.get("a", "x") * 1e-12 / small.params.get("a", "x") - 1) < 1e-12);
  assert.throws(
    () => olsMany(y, { x, twice: x.map((v) => 2e12 * v) }, { addConstant: true }),
    CollinearityError,
  );
});

Deno.test("300 regressors are fitted (the singular values are no longer O(k⁴))", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const X: Record<string, number[]> = {};
  for (let j = 0; j < 300; j++) X[`x${j}`] = Array.from({ length: 400 }, rnd);
  const y = Array.from({ length: 400 }, rnd);
  const fit = ols(y, X, { addConstant: true });
  assert.equal(fit.params.length, 301);
  // The residuals are orthogonal to every column: the fit is a least-squares solution.
  const resid = fit.resid;
  for (const name of ["x0", "x150", "x299"]) {
    const dot = X[name].reduce((s, v, i) => s + v * resid[i], 0);
    assert.ok(Math.abs(dot) < 1e-12, `${name}: ${dot}`);
  }
  assert.ok(fit.scaledConditionNumber > 1 && fit.scaledConditionNumber < 100);
});

Deno.test("olsMany refuses magnitudes its shared factorization cannot square, naming the column", () => {
  const y = [1.1, 1.9, 3.2, 3.9, 5.1, 6.2, 6.8, 8.1];
  for (
    const [Y, X, what] of [
      [{ big: y.map((v) => v * 1e154) }, { x }, 'Y column "big"'],
      [{ a: y }, { tiny: x.map((v) => v * 1e-160) }, 'X column "tiny"'],
    ] as const
  ) {
    assert.throws(
      () => olsMany(Y, X, { addConstant: true }),
      (e: Error) =>
        e instanceof RegressionInputError && e.message.startsWith(what) &&
        /fit each column with ols/.test(e.message),
    );
  }
  // ols itself scales: the same data are solved.
  const fit = ols(y.map((v) => v * 1e154), { x }, { addConstant: true });
  const plain = ols(y, { x }, { addConstant: true });
  assert.ok(Math.abs(fit.bse[1] / (plain.bse[1] * 1e154) - 1) < 1e-12);
});
