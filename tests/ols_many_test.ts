import assert from "node:assert/strict";
import {
  CollinearityError,
  type CovType,
  ols,
  olsMany,
  type OLSManyResults,
  type OLSResults,
  RegressionInputError,
} from "../mod.ts";
import { applyQt, backSubstitute } from "../lib/stats/linalg.ts";
import { factorShared, solveShared, solveSharedInPlace } from "../lib/stats/ols_many.ts";
import { relErr } from "./support/golden_datasets.ts";
import { portfolioPanel } from "./support/portfolios.ts";
import ref from "./fixtures/asset_pricing_reference.json" with { type: "json" };

const panel = await portfolioPanel();

/** Largest relative difference between the joint fit and ols() on each column. */
function worstDifference(
  many: OLSManyResults,
  single: (asset: string) => OLSResults,
): Record<string, number> {
  const worst = { params: 0, bse: 0, tvalues: 0, pvalues: 0, rsquared: 0, resid: 0, cov: 0 };
  const up = (key: keyof typeof worst, a: number, b: number) => {
    worst[key] = Math.max(worst[key], relErr(a, b));
  };
  many.ynames.forEach((asset, j) => {
    const one = single(asset);
    assert.deepEqual(many.names, one.names);
    one.names.forEach((_, i) => {
      up("params", many.params.get(j, i), one.params[i]);
      up("bse", many.bse.get(j, i), one.bse[i]);
      up("tvalues", many.tvalues.get(j, i), one.tvalues[i]);
      up("pvalues", many.pvalues.get(j, i), one.pvalues[i]);
      one.names.forEach((_, c) =>
        up("cov", many.covParams(j).get(i, c), one.covParams().get(i, c))
      );
    });
    up("rsquared", many.rsquaredAdj[j], one.rsquaredAdj);
    up("rsquared", many.rsquared[j], one.rsquared);
    const e = many.resid(j);
    const scale = Math.max(...one.resid.map(Math.abs));
    one.resid.forEach((v, t) => (worst.resid = Math.max(worst.resid, Math.abs(e[t] - v) / scale)));
  });
  return worst;
}

const COVS: { covType?: CovType; maxlags?: number | "auto" }[] = [
  {},
  { covType: "HC0" },
  { covType: "HC1" },
  { covType: "HC2" },
  { covType: "HC3" },
  { covType: "HAC", maxlags: 6 },
  { covType: "HAC", maxlags: "auto" },
];

for (const cov of COVS) {
  const label = cov.covType
    ? `${cov.covType}${cov.maxlags ? `(${cov.maxlags})` : ""}`
    : "nonrobust";
  Deno.test(`olsMany equals ols() on each of the 25 portfolios to 1e-12 (${label})`, () => {
    const many = olsMany(panel.excess, panel.factors, { addConstant: true, ...cov });
    assert.equal(many.nobs, 738);
    assert.equal(many.covType, cov.covType ?? "nonrobust");
    const worst = worstDifference(
      many,
      (a) => ols(panel.excess[a], panel.factors, { addConstant: true, ...cov }),
    );
    for (const [what, err] of Object.entries(worst)) {
      assert.ok(err <= 1e-12, `${what}: relative difference ${err}`);
    }
  });
}

Deno.test("olsMany reproduces statsmodels' time-series regressions of the 25 portfolios", () => {
  const many = olsMany(panel.excess, panel.factors, { addConstant: true });
  const hac = olsMany(panel.excess, panel.factors, {
    addConstant: true,
    covType: "HAC",
    maxlags: 6,
  });
  assert.deepEqual(many.ynames, ref.assets);
  ref.assets.forEach((asset, j) => {
    ref.time_series.params[j].forEach((v, i) => {
      assert.ok(relErr(many.params.get(asset, i), v) <= 1e-10, `${asset} param ${i}`);
      assert.ok(relErr(many.bse.get(asset, i), ref.time_series.bse[j][i]) <= 1e-10);
      assert.ok(relErr(many.pvalues.get(asset, i), ref.time_series.pvalues[j][i]) <= 1e-8);
      assert.ok(relErr(hac.bse.get(asset, i), ref.time_series.hac6_bse[j][i]) <= 1e-10);
    });
    assert.ok(relErr(many.rsquaredAdj.get(asset), ref.time_series.rsquared_adj[j]) <= 1e-12);
  });
});

Deno.test("with maxlags 'auto' each column gets the Newey-West (1994) lags of its own residuals", () => {
  const many = olsMany(panel.excess, panel.factors, {
    addConstant: true,
    covType: "HAC",
    maxlags: "auto",
  });
  const lags = panel.assets.map((a) => many.covKwdsOf(a).maxlags);
  panel.assets.forEach((a, j) => {
    const one = ols(panel.excess[a], panel.factors, {
      addConstant: true,
      covType: "HAC",
      maxlags: "auto",
    });
    assert.equal(lags[j], one.covKwds.maxlags, a);
  });
  assert.ok(new Set(lags).size > 1, `expected different lags across portfolios, got ${lags}`);
});

Deno.test("olsMany refuses missing values and names the column and rows", () => {
  const y = { A: [1, 2, 3, 4, 5, 6], B: [1, 2, NaN, 4, null, 6] as (number | null)[] };
  assert.throws(
    () => olsMany(y as Record<string, (number | null)[]>, { x: [1, 3, 2, 5, 4, 7] }),
    (e: unknown) =>
      e instanceof RegressionInputError &&
      /Y column "B" has 2 missing or infinite values \(rows 2, 4\)/.test(e.message) &&
      /analyzeMany/.test(e.message),
  );
});

Deno.test("olsMany refuses Y columns of another length than X", () => {
  assert.throws(
    () => olsMany({ A: [1, 2, 3, 4, 5], B: [1, 2, 3, 4] }, { x: [1, 3, 2, 5, 4] }),
    /Y column "B" has 4 values but "A" and X have 5/,
  );
});

Deno.test("olsMany reports collinear regressors as ols does, naming the combination", () => {
  const x = [1, 2, 3, 4, 6, 5];
  assert.throws(
    () =>
      olsMany({ A: [1, 3, 2, 5, 4, 6], B: [2, 1, 4, 3, 6, 5] }, { x, twice: x.map((v) => 2 * v) }, {
        addConstant: true,
      }),
    (e: unknown) =>
      e instanceof CollinearityError && e.collinear.join() === "twice" &&
      /"twice" = 2·"x"/.test(e.message),
  );
});

Deno.test("olsMany without a constant uses uncentered R², as statsmodels", () => {
  const x = [1, 2, 3, 4, 5, 6, 7];
  const Y = { A: [1.1, 2.3, 2.9, 4.2, 5.1, 5.8, 7.3], B: [3, 1, 4, 1, 5, 9, 2] };
  const many = olsMany(Y, { x });
  assert.equal(many.kConstant, 0);
  for (const a of ["A", "B"] as const) {
    const one = ols(Y[a], { x });
    assert.ok(relErr(many.rsquared.get(a), one.rsquared) <= 1e-14);
    assert.ok(relErr(many.params.get(a, "x"), one.params.get("x")) <= 1e-14);
  }
});

Deno.test("olsMany's coefficient rows and table carry each column's estimates", () => {
  const many = olsMany(panel.excess, panel.factors, { addConstant: true });
  const rows = many.coefficients("SMALL HiBM");
  const one = ols(panel.excess["SMALL HiBM"], panel.factors, { addConstant: true });
  const expected = one.coefficients();
  rows.forEach((r, i) => {
    assert.equal(r.name, expected[i].name);
    for (const key of ["coef", "stdErr", "lower", "upper"] as const) {
      assert.ok(relErr(r[key], expected[i][key]) <= 1e-12, `${r.name} ${key}`);
    }
  });
  const table = many.toTable().toString().split("\n");
  assert.equal(table[0], "OLS estimates of 25 regressions on 738 rows");
  assert.match(table[1], /const\s+MKT_RF\s+SMB\s+HML\s+R²\s+adj\. R²$/);
  assert.match(table[2], /^SMALL LoBM\s+-0\.0051\s+1\.09\d\d/);
  assert.throws(() => many.resid("nope"), /No dependent variable named "nope"/);
});

Deno.test("four columns at a time, each column gets exactly the bits of applyQt on it alone", () => {
  let state = 3;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  // 11 columns: two blocks of four and three left over; also a square X (no residual rows).
  for (const [n, k, m] of [[37, 5, 11], [6, 6, 5], [40, 1, 4]]) {
    const x = Float64Array.from({ length: n * k }, (_, i) => (i < n ? 1 : next()));
    const y = Float64Array.from({ length: n * m }, next);
    const shared = factorShared(x, n, k)!;
    const copy = y.slice();
    const solution = solveShared(shared, y, m);
    assert.deepEqual(y, copy, "solveShared leaves its input alone");
    const inPlace = solveSharedInPlace(shared, copy, m);
    assert.equal(inPlace.qty, copy, "solveSharedInPlace overwrites its input with Qᵀy");
    for (let j = 0; j < m; j++) {
      const qty = applyQt(shared.qr, y.subarray(j * n, (j + 1) * n));
      const coef = new Float64Array(k);
      backSubstitute(shared.qr.r, k, k, qty, coef);
      let ssr = 0;
      for (let i = k; i < n; i++) ssr += qty[i] * qty[i];
      assert.deepEqual(solution.qty.subarray(j * n, (j + 1) * n), qty, `Qᵀy of column ${j}`);
      assert.deepEqual(inPlace.qty.subarray(j * n, (j + 1) * n), qty, `in place, column ${j}`);
      assert.deepEqual(solution.coef.subarray(j * k, (j + 1) * k), coef, `coef of column ${j}`);
      assert.equal(solution.ssr[j], ssr, `ssr of column ${j}`);
      assert.equal(inPlace.ssr[j], ssr);
    }
  }
});

Deno.test("fitted values are X b, residuals y − X b, without keeping a copy of Y", () => {
  const Y = Object.fromEntries(panel.assets.slice(0, 6).map((a) => [a, panel.excess[a]]));
  const many = olsMany(Y, panel.factors, { addConstant: true });
  const one = ols(Y[panel.assets[5]], panel.factors, { addConstant: true });
  const fitted = many.fittedValues(5);
  const e = many.resid(5);
  one.fittedValues.forEach((v, t) => {
    assert.ok(Math.abs(fitted[t] - v) <= 1e-14, `fitted ${t}`);
    assert.ok(Math.abs(fitted[t] + e[t] - Y[panel.assets[5]][t]) <= 1e-14, `y ${t}`);
  });
});
