/**
 * Hard least-squares problems built for this project, against their exact solutions (80-digit
 * arithmetic, tests/fixtures/hard/make_ols_hard_cases.py): polynomials on narrow ranges, a huge
 * residual variance, columns in wildly different units, data near the ends of the double range,
 * near-collinear factor sets. Every problem is solved to at least 9 digits in `ols`, `rollingOls`
 * and `rollingOlsMany`, or refused with a typed error; never NaN or infinite standard errors.
 */
import assert from "node:assert/strict";
import { CollinearityError, ols, rollingOls, rollingOlsMany } from "../mod.ts";
import hard from "./fixtures/hard/ols_hard_cases.json" with { type: "json" };

function digits(values: ArrayLike<number>, ref: readonly number[]): number {
  let worst = 15;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(values[i] - ref[i]) / Math.abs(ref[i]);
    worst = Math.min(worst, err === 0 ? 15 : -Math.log10(err));
  }
  return worst;
}

/** Beyond double precision even with unit-length columns (scaled condition number 3.9e15). */
const REFUSED = "polynomial degree 4 on [1000, 1001]";

type Case = (typeof hard.cases)[keyof typeof hard.cases];
for (const [name, c] of Object.entries(hard.cases) as [string, Case][]) {
  const x = c.x as Record<string, number[]>;
  if (name === REFUSED) {
    Deno.test(`${name}: refused as collinear to machine precision`, () => {
      assert.throws(() => ols(c.y, x, { addConstant: c.addConstant }), CollinearityError);
    });
    continue;
  }
  Deno.test(`${name}: ols gets params and standard errors to at least 9 digits`, () => {
    const fit = ols(c.y, x, { addConstant: c.addConstant });
    assert.deepEqual([...fit.names], c.names);
    assert.ok(
      digits(fit.params, c.exact.params) >= 9,
      `params ${digits(fit.params, c.exact.params)}`,
    );
    assert.ok(digits(fit.bse, c.exact.bse) >= 9, `bse ${digits(fit.bse, c.exact.bse)}`);
    assert.ok(digits([fit.rsquared], [c.exact.rsquared]) >= 9);
    assert.ok(Math.abs(fit.scaledConditionNumber / c.scaled_condition_number - 1) < 1e-3);
    if (c.statsmodels_condition_number !== null) {
      assert.ok(Math.abs(fit.conditionNumber / c.statsmodels_condition_number - 1) < 1e-3);
    }
    const text = fit.summary().toString();
    assert.doesNotMatch(text, /\b(nan|inf)\b/);
  });

  Deno.test(`${name}: rollingOls and rollingOlsMany get at least 9 digits`, () => {
    const last = c.y.length - 1;
    const options = { window: c.y.length, addConstant: c.addConstant };
    const single = rollingOls(c.y, x, options);
    const many = rollingOlsMany({ a: c.y, b: c.y.map((v) => v / 4) }, x, options).get("a");
    for (const r of [single, many]) {
      assert.ok(digits(r.params.row(last), c.exact.params) >= 9);
      assert.ok(digits(r.bse.row(last), c.exact.bse) >= 9);
      assert.ok(digits([r.rsquared[last]], [c.exact.rsquared]) >= 9);
    }
  });
}
