// The models' old names (deprecated in the Unreleased section of CHANGELOG.md) give what the new
// names give, for one release.
import assert from "node:assert/strict";
import { analyze, analyzeMany } from "../mod.ts";

const returns = {
  period: ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06", "2020-07", "2020-08"],
  excessReturn: [0.011, -0.052, -0.118, 0.121, 0.049, 0.021, 0.052, 0.061],
  MKT_RF: [-0.0011, -0.0813, -0.1339, 0.1365, 0.0558, 0.0246, 0.0577, 0.0763],
};

Deno.test("Alpha.tValue and pValue, and FactorAnalysis.robust, are the new names' values", async () => {
  const a = await analyze(returns, { model: "capm" });
  assert.equal(a.alpha.tValue, a.alpha.tvalue);
  assert.equal(a.alpha.pValue, a.alpha.pvalue);
  assert.equal(a.alpha.pvalue, a.fit.pvalues.get("const"));
  assert.deepEqual(Object.keys(a.alpha.toJSON()).slice(2, 4), ["tvalue", "pvalue"]);
  const old = a.robust("HC1");
  const now = a.getRobustcovResults("HC1");
  assert.equal(now.fit.covType, "HC1");
  assert.deepEqual(Array.from(old.fit.bse), Array.from(now.fit.bse));
  assert.notDeepEqual(Array.from(now.fit.bse), Array.from(a.fit.bse));
});

Deno.test("ManyAnalysis.coefficients() is coefficientsFrame() with the old pValue column", async () => {
  const wide = { ...returns, B: returns.excessReturn.map((r, i) => r + 0.001 * i) };
  const many = await analyzeMany(wide, {
    model: "capm",
    assets: ["excessReturn", "B"],
    excess: false,
  });
  const frame = many.coefficientsFrame();
  const old = many.coefficients();
  assert.deepEqual(frame.getColumn("pvalue").toArray(), old.getColumn("pValue").toArray());
  assert.equal(frame.getColumn("pvalue").get(0), many.pvalues.get("excessReturn", "const"));
});
