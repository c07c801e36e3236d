/**
 * The NIST StRD linear regression problems (tests/fixtures/nist): every problem, and the issue's
 * unit variants of Norris and Longley, against the exact solution of the doubles the test holds
 * (60-digit arithmetic, make_nist_reference.py) and against NIST's certified values, in `ols`,
 * `rollingOls` (moment path with QR fallback) and `rollingOlsMany` (shared-regressor path).
 * Digits are LRE (McCullough 1998): −log10 of the relative error, capped at 15.
 */
import assert from "node:assert/strict";
import { CollinearityError, ols, rollingOls, rollingOlsMany } from "../mod.ts";
import nist from "./fixtures/nist/nist_linear.json" with { type: "json" };
import reference from "./fixtures/nist/nist_reference.json" with { type: "json" };

type Problem = (typeof nist.problems)[keyof typeof nist.problems];
type Exact = { params: number[]; bse: number[]; residual_sd: number; rsquared: number };

/** Fewest correct significant digits over a vector (15 when exact). */
function digits(values: ArrayLike<number>, ref: readonly number[]): number {
  let worst = 15;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(values[i] - ref[i]) / Math.abs(ref[i]);
    worst = Math.min(worst, err === 0 ? 15 : -Math.log10(err));
  }
  return worst;
}

/** The regressors as make_nist_reference.py builds them (powers as repeated double products). */
function build(problem: Problem, factors: Record<string, number> = {}) {
  const y = problem.y.map((v) => v * (factors["0"] ?? 1));
  const X: Record<string, number[]> = {};
  const degree = problem.model.polynomial;
  if (degree > 1) {
    const x = problem.x[0];
    let power = x.slice();
    X.x1 = power.slice();
    for (let d = 2; d <= degree; d++) {
      power = power.map((v, i) => v * x[i]);
      X[`x${d}`] = power.slice();
    }
  } else {
    problem.x.forEach((col, j) => (X[`x${j + 1}`] = col.map((v) => v * (factors[j + 1] ?? 1))));
  }
  return { y, X, addConstant: problem.model.intercept };
}

const problems = nist.problems as Record<string, Problem>;
const exactOf = reference.problems as Record<string, { exact: Exact }>;
const cases: { name: string; problem: Problem; factors: Record<string, number>; exact: Exact }[] =
  Object.keys(problems).map((name) => ({
    name,
    problem: problems[name],
    factors: {},
    exact: exactOf[name].exact,
  }));
for (const [name, v] of Object.entries(reference.variants)) {
  cases.push({ name, problem: problems[v.problem], factors: v.factors, exact: v.exact });
}

/** Wampler1 is an exact fit in doubles: its standard errors are 0 (to 1e-55 in the reference). */
const EXACT_FIT = new Set(["Wampler1"]);

for (const { name, problem, factors, exact } of cases) {
  Deno.test(`NIST ${name}: ols gets params and standard errors to at least 9 digits`, () => {
    const { y, X, addConstant } = build(problem, factors);
    const fit = ols(y, X, { addConstant });
    assert.ok(digits(fit.params, exact.params) >= 9, `params: ${digits(fit.params, exact.params)}`);
    if (EXACT_FIT.has(name)) {
      fit.bse.forEach((se, j) => assert.ok(se < 1e-20 * Math.abs(fit.params[j]), `bse ${se}`));
    } else {
      assert.ok(digits(fit.bse, exact.bse) >= 9, `bse: ${digits(fit.bse, exact.bse)}`);
      assert.ok(digits([Math.sqrt(fit.scale)], [exact.residual_sd]) >= 9);
      assert.ok(digits([fit.rsquared], [exact.rsquared]) >= 9);
    }
  });

  Deno.test(`NIST ${name}: rollingOls and rollingOlsMany get at least 9 digits`, () => {
    const { y, X, addConstant } = build(problem, factors);
    const last = y.length - 1;
    const single = rollingOls(y, X, { window: y.length, addConstant });
    const many = rollingOlsMany({ a: y, b: y.map((v) => -2 * v) }, X, {
      window: y.length,
      addConstant,
    }).get("a");
    for (const r of [single, many]) {
      assert.ok(digits(r.params.row(last), exact.params) >= 9);
      if (!EXACT_FIT.has(name)) assert.ok(digits(r.bse.row(last), exact.bse) >= 9);
    }
  });
}

const certified = (name: string) => problems[name].certified;

Deno.test("NIST Filip and Wampler5 reach their certified values (Filip to 7.9: its doubles)", () => {
  // Filip's x^k rounded to doubles moves the exact solution itself in the 8th digit
  // (exact_vs_certified in the reference); everything else is within double rounding.
  for (const [name, atLeast] of [["Filip", 7.8], ["Wampler5", 13], ["Longley", 13]] as const) {
    const { y, X, addConstant } = build(problems[name]);
    const fit = ols(y, X, { addConstant });
    assert.ok(digits(fit.params, certified(name).params) >= atLeast, name);
    assert.ok(digits(fit.bse, certified(name).bse) >= atLeast, name);
  }
});

Deno.test("rescaling columns changes no decision and no digit: the scaled condition number", () => {
  const { y, X } = build(problems.Longley);
  const base = ols(y, X, { addConstant: true });
  const { y: y2, X: X2 } = build(problems.Longley, { "2": 1e12, "5": 1e-12 });
  const scaled = ols(y2, X2, { addConstant: true });
  assert.ok(Math.abs(scaled.scaledConditionNumber / base.scaledConditionNumber - 1) < 1e-9);
  // statsmodels' figure moves by 17 orders of magnitude; the fixture has both.
  const v = reference.variants["Longley GNP × 1e12, Population × 1e-12"];
  assert.ok(Math.abs(scaled.conditionNumber / v.condition_number - 1) < 1e-6);
  assert.ok(Math.abs(scaled.scaledConditionNumber / v.scaled_condition_number - 1) < 1e-6);
  assert.ok(Math.abs(scaled.params.get("x2") / (base.params.get("x2") * 1e-12) - 1) < 1e-12);
});

Deno.test("a genuinely collinear design is refused whatever the units, naming the combination", () => {
  const { y, X } = build(problems.Longley);
  for (const unit of [1, 1e12, 1e-12]) {
    const x = { ...X, x1: X.x1.map((v) => v * unit), again: X.x1.map((v) => v * unit * 3) };
    assert.throws(
      () => ols(y, x, { addConstant: true }),
      (e: Error) => e instanceof CollinearityError && /"again" = 3·"x1"/.test(e.message),
    );
  }
});

Deno.test("NIST Filip's summary says it was solved in double-double, with both condition numbers", () => {
  const { y, X, addConstant } = build(problems.Filip);
  const fit = ols(y, X, { addConstant });
  assert.ok(fit.extendedPrecision);
  const text = fit.summary().toString();
  assert.match(text, /Cond\. No\. +1\.77e\+15/);
  assert.match(text, /scaled to unit length is 5\.21e\+09 \(Cond\. No\. above is statsmodels'/);
  assert.match(text, /computed with double-double arithmetic/);
  const norris = build(problems.Norris);
  assert.ok(!ols(norris.y, norris.X, { addConstant: true }).extendedPrecision);
});
