import assert from "node:assert/strict";
import { neweyWestLags, ols, referenceDataset, RegressionInputError } from "../mod.ts";
import { assertClose } from "./support/assert.ts";
import reference from "./fixtures/newey_west_1994.json" with { type: "json" };

/** Figures of tests/fixtures/make_newey_west_reference.py (numpy rule, statsmodels HAC). */
interface NeweyWestCase {
  names: string[];
  nobs: number;
  pilot_lags: number;
  sigma: number[];
  s0: number;
  s1: number;
  gamma: number;
  bandwidth: number;
  lags: number;
  robustcov_bse: number[];
  robustcov_pvalues: number[];
  fit_hac_bse: number[];
  fit_hac_pvalues: number[];
}
const CASES = reference.cases as Record<string, NeweyWestCase>;

/** AR(1) regressor and errors built by recursion, as the fixture script does. */
function persistent(meanOnly: boolean): { y: Float64Array; X: Record<string, Float64Array> } {
  const T = 400;
  const x = new Float64Array(T);
  const e = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    const t = i + 1;
    const v = ((3 * t) % 127) / 127 - 0.5;
    const w = ((5 * t) % 131) / 131 - 0.5;
    x[i] = (i ? 0.85 * x[i - 1] : 0) + v;
    e[i] = (i ? 0.7 * e[i - 1] : 0) + w;
  }
  const y = x.map((v, i) => 0.5 + 2 * v + e[i]);
  const ones = new Float64Array(T).fill(1);
  return { y, X: meanOnly ? { const: ones } : { const: ones, x } };
}

const DATA: Record<string, () => { y: Float64Array; X: Record<string, Float64Array> }> = {
  small: () => referenceDataset("small"),
  factor: () => referenceDataset("factor"),
  noconst: () => referenceDataset("noconst"),
  illcond: () => referenceDataset("illcond"),
  persistent: () => persistent(false),
  persistent_mean: () => persistent(true),
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`${name}: Newey-West 1994 lags and HAC errors match numpy and statsmodels`, () => {
    const { y, X } = DATA[name]();
    const fit = ols(y, X);
    const robust = fit.getRobustcovResults("HAC", { maxlags: "auto" });
    const kw = robust.covKwds;
    assert.equal(kw.maxlags, c.lags);
    assert.equal(kw.lagSelection, "newey-west-1994");
    const nw = kw.neweyWest!;
    assert.equal(nw.pilotLags, c.pilot_lags);
    assert.equal(nw.nobs, c.nobs);
    assertClose(nw.s0, c.s0, { rel: 1e-8, label: "s0" });
    assertClose(nw.s1, c.s1, { rel: 1e-8, label: "s1" });
    assertClose(nw.gamma, c.gamma, { rel: 1e-8, label: "gamma" });
    assertClose(nw.bandwidth, c.bandwidth, { rel: 1e-8, label: "bandwidth" });
    c.robustcov_bse.forEach((b, i) =>
      assertClose(robust.bse[i], b, { rel: 1e-8, label: `bse[${i}]` })
    );
    c.robustcov_pvalues.forEach((p, i) =>
      assertClose(robust.pvalues[i], p, { rel: 1e-6, label: `p[${i}]` })
    );

    const atFit = ols(y, X, { covType: "HAC", maxlags: "auto" });
    assert.equal(atFit.useT, false);
    assert.equal(atFit.covKwds.maxlags, c.lags);
    c.fit_hac_bse.forEach((b, i) =>
      assertClose(atFit.bse[i], b, { rel: 1e-8, label: `fit bse[${i}]` })
    );
    c.fit_hac_pvalues.forEach((p, i) =>
      assertClose(atFit.pvalues[i], p, { rel: 1e-6, label: `fit p[${i}]` })
    );
  });
}

Deno.test("the summary note says the lags were chosen by the Newey-West 1994 rule", () => {
  const { y, X } = referenceDataset("factor");
  const auto = ols(y, X).getRobustcovResults("HAC", { maxlags: "auto" }).summary().toString();
  assert.ok(
    auto.includes(
      "[1] Standard Errors are heteroscedasticity and autocorrelation robust (HAC) using 4 lags " +
        "(Newey-West 1994 automatic selection) and without small sample correction",
    ),
    auto,
  );
  const fixed = ols(y, X).getRobustcovResults("HAC", { maxlags: 4 });
  assert.equal(fixed.covKwds.lagSelection, "fixed");
  assert.equal(
    fixed.covKwds.description,
    "Standard Errors are heteroscedasticity and autocorrelation robust (HAC) using 4 lags and " +
      "without small sample correction",
  );
  // The same lags give the same standard errors, chosen or given.
  const chosen = ols(y, X).getRobustcovResults("HAC", { maxlags: "auto", useCorrection: true });
  const given = ols(y, X).getRobustcovResults("HAC", { maxlags: 4, useCorrection: true });
  assert.deepEqual(Array.from(chosen.bse), Array.from(given.bse));
  assert.match(chosen.covKwds.description, /automatic selection\) and with small sample/);
});

Deno.test("the constant's scores are left out of the lag rule, as in the paper", () => {
  // With every weight 1, the rule would see the constant's scores (the residuals) too.
  const { y, X } = referenceDataset("factor");
  const fit = ols(y, X);
  const resid = fit.resid;
  const scores = Object.values(X).map((col) => col.map((v, t) => v * resid[t]));
  const withConstant = neweyWestLags(scores);
  const paper = neweyWestLags(scores, { weights: [0, 1, 1, 1, 1, 1, 1] });
  assert.equal(
    paper.bandwidth,
    fit.getRobustcovResults("HAC", { maxlags: "auto" }).covKwds
      .neweyWest!.bandwidth,
  );
  assert.notEqual(withConstant.bandwidth, paper.bandwidth);
});

Deno.test("neweyWestLags follows the formula on a series worked by hand", () => {
  // h = (1, −1, 1, −1, 1): T = 5, pilot n = floor(4 · 0.05^(2/9)) = 2,
  // σ₀ = 1, σ₁ = −4/5, σ₂ = 3/5, s⁽⁰⁾ = 1 + 2(−0.8 + 0.6) = 0.6, s⁽¹⁾ = 2(−0.8 + 2 · 0.6) = 0.8,
  // γ̂ = 1.1447 · (4/3)^(2/3), bandwidth γ̂ · 5^(1/3) ≈ 2.37, so 2 lags.
  const s = neweyWestLags([1, -1, 1, -1, 1]);
  assert.equal(s.pilotLags, 2);
  assertClose(s.s0, 0.6, { rel: 1e-14, label: "s0" });
  assertClose(s.s1, 0.8, { rel: 1e-14, label: "s1" });
  assertClose(s.gamma, 1.1447 * Math.cbrt(16 / 9), { rel: 1e-14, label: "gamma" });
  assertClose(s.bandwidth, 1.1447 * Math.cbrt(16 / 9) * Math.cbrt(5), {
    rel: 1e-14,
    label: "bandwidth",
  });
  assert.equal(s.lags, 2);
});

Deno.test("neweyWestLags caps the lags at T − 1 and gives 0 for all-zero scores", () => {
  const capped = neweyWestLags([2, 2, -3, 2, -3, 2, 2, -3]);
  assert.ok(capped.bandwidth > 30, String(capped.bandwidth));
  assert.equal(capped.lags, 7);
  assert.equal(neweyWestLags([0, 0, 0, 0]).lags, 0);
});

Deno.test("neweyWestLags refuses unusable scores with what to do", () => {
  assert.throws(() => neweyWestLags([1]), /at least 2 observations/);
  assert.throws(() => neweyWestLags([[1, 2, 3], [1, 2]]), /column 1 has 2 values, column 0 has 3/);
  assert.throws(() => neweyWestLags([[1, 2], [3, 4]], { weights: [1] }), /1 weights for 2/);
  assert.throws(() => neweyWestLags([1, NaN, 3]), /missing or infinite value at row 1/);
  assert.throws(() => neweyWestLags([]), RegressionInputError);
});

Deno.test('maxlags must be a whole number or "auto"', () => {
  const { y, X } = referenceDataset("small");
  assert.throws(
    () => ols(y, X, { covType: "HAC", maxlags: "six" as "auto" }),
    /whole number from 0 to 59 .* or "auto", not "six"/,
  );
  assert.throws(() => ols(y, X, { covType: "HAC" }), /or \{ maxlags: "auto" \}/);
  assert.throws(() => ols(y, X, { covType: "HC1", maxlags: "auto" }), /HAC" only/);
});
