/**
 * rollingOlsMany: many dependent variables on shared regressors give what rollingOls gives each
 * of them alone, and keep the accuracy of the hard cases (checked against 60-digit solutions).
 */
import assert from "node:assert/strict";
import {
  ols,
  RegressionInputError,
  rollingOls,
  rollingOlsMany,
  type RollingOLSResults,
} from "../mod.ts";
import { relErr } from "./support/golden_datasets.ts";
import exact from "./fixtures/rolling_hard_cases.json" with { type: "json" };

let state = 11;
const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;

/** Three factors and `m` assets with their own betas and noise over `rows` months. */
function panel(rows: number, m: number) {
  const X = {
    MKT_RF: Float64Array.from({ length: rows }, () => 0.006 + 0.09 * uniform()),
    SMB: Float64Array.from({ length: rows }, () => 0.06 * uniform()),
    HML: Float64Array.from({ length: rows }, () => 0.05 * uniform()),
  };
  const Y: Record<string, Float64Array> = {};
  for (let j = 0; j < m; j++) {
    const b = [1 + uniform(), uniform(), uniform()];
    const vol = 0.02 + 0.1 * (uniform() + 0.5);
    Y[`A${j}`] = Float64Array.from(
      { length: rows },
      (_, t) => 0.001 + b[0] * X.MKT_RF[t] + b[1] * X.SMB[t] + b[2] * X.HML[t] + vol * uniform(),
    );
  }
  return { X, Y };
}

/**
 * Largest difference of every per-window figure, relative to the figure, or for coefficients
 * and t statistics near zero to their standard error (a coefficient of 0.01 standard errors has
 * no relative accuracy to speak of).
 */
function worst(a: RollingOLSResults, b: RollingOLSResults): number {
  let err = 0;
  assert.deepEqual(Array.from(a.nobs), Array.from(b.nobs));
  const up = (v: number, w: number, unit: number, what: string) => {
    if (Number.isNaN(v) || Number.isNaN(w)) assert.ok(Number.isNaN(v) && Number.isNaN(w), what);
    else err = Math.max(err, Math.abs(v - w) / Math.max(Math.abs(w), unit));
  };
  b.params.data.forEach((w, i) => {
    up(a.params.data[i], w, b.bse.data[i], "params");
    up(a.bse.data[i], b.bse.data[i], 0, "bse");
    up(a.tvalues.data[i], b.tvalues.data[i], 1, "tvalues");
  });
  a.rsquaredAdj.forEach((v, t) => up(v, b.rsquaredAdj[t], 0, "rsquaredAdj"));
  return err;
}

Deno.test("rollingOlsMany gives each asset what rollingOls gives it alone, bit for bit", () => {
  const { X, Y } = panel(300, 25);
  for (
    const options of [
      { window: 36, addConstant: true },
      { window: 60, addConstant: true, expanding: true, minObs: 12 },
      { window: 24 },
    ]
  ) {
    const many = rollingOlsMany(Y, X, options);
    assert.deepEqual(many.ynames, Object.keys(Y));
    for (const [name, y] of Object.entries(Y)) {
      const alone = rollingOls(y, X, options);
      const err = worst(many.get(name), alone);
      // The same operations in the same order: not even the last bit differs.
      assert.equal(err, 0, `${name} ${JSON.stringify(options)}: ${err}`);
      assert.equal(many.get(name).qrSolved, alone.qrSolved);
    }
  }
});

Deno.test("the hard cases keep their digits: 60-digit solutions of y and of 2y − 3", () => {
  const T = exact.rows;
  const W = exact.window;
  const t = Float64Array.from({ length: T }, (_, i) => i + 1);
  const frac = (a: number, m: number) => t.map((v) => ((a * v) % m) / m);
  const noise = frac(29, 31).map((v) => 0.1 * (v - 0.5));
  const ones = new Float64Array(T).fill(1);
  // The builders of tests/rolling_accuracy_test.ts (their data are the fixture's, bit for bit).
  const a = frac(97, 89);
  const x1 = a.map((v, i) => 1e6 + v + 0.3 * frac(13, 17)[i]);
  const x2 = frac(11, 19).map((v) => 5e5 + v);
  const cases = {
    large_mean: { y: x1.map((v, i) => 3 + 2 * v - x2[i] + noise[i]), X: { const: ones, x1, x2 } },
    near_collinear: (() => {
      const c1 = frac(7, 11).map((v, i) => v + frac(3, 13)[i]);
      const c2 = c1.map((v, i) => v + 1e-3 * (frac(13, 17)[i] - 0.5));
      return { y: c1.map((v, i) => 2 + v - c2[i] + noise[i]), X: { const: ones, x1: c1, x2: c2 } };
    })(),
    regime_change: (() => {
      const s = t.map((v) => (v <= 60 ? 1e4 : 1));
      const r1 = a.map((v, i) => s[i] * (v - 0.5));
      const r2 = frac(11, 19).map((v, i) => s[i] * (v - 0.5));
      const y = r1.map((v, i) => 0.5 + 1.5 * v - 0.7 * r2[i] + s[i] * noise[i]);
      return { y, X: { const: ones, x1: r1, x2: r2 } };
    })(),
  };
  const reference = exact.cases as Record<string, { params: number[][]; bse: number[][] }>;
  for (const [name, { y, X }] of Object.entries(cases)) {
    // 2y − 3: slopes and standard errors double, the intercept becomes 2α − 3.
    const many = rollingOlsMany({ y, z: y.map((v) => 2 * v - 3) }, X, { window: W });
    const [fy, fz] = [many.get("y"), many.get("z")];
    reference[name].params.forEach((row, w) => {
      const end = w + W - 1;
      row.forEach((v, j) => {
        assert.ok(relErr(fy.params.get(end, j), v) <= 1e-8, `${name} y param ${j} at ${end}`);
        const vz = j === 0 ? 2 * v - 3 : 2 * v;
        assert.ok(relErr(fz.params.get(end, j), vz) <= 1e-8, `${name} z param ${j} at ${end}`);
        const bse = reference[name].bse[w][j];
        assert.ok(relErr(fy.bse.get(end, j), bse) <= 1e-8, `${name} y bse ${j}`);
        assert.ok(relErr(fz.bse.get(end, j), 2 * bse) <= 1e-8, `${name} z bse ${j}`);
      });
    });
    if (name === "near_collinear") assert.ok(fy.qrSolved > 0 && fz.qrSolved > 0);
  }
});

Deno.test("with missing values each column is fitted on its own rows, as rollingOls does", () => {
  const { X, Y } = panel(120, 4);
  Y.A1 = Y.A1.map((v, t) => (t % 13 === 4 ? NaN : v));
  const many = rollingOlsMany(Y, X, { window: 36, addConstant: true, missing: "skip" });
  for (const [name, y] of Object.entries(Y)) {
    const alone = rollingOls(y, X, { window: 36, addConstant: true, missing: "skip" });
    assert.equal(worst(many.get(name), alone), 0, name);
  }
  assert.ok(Number.isNaN(many.get("A1").params.get(40, "const")));
  assert.equal(many.paramsAt(100).get("A2", "SMB"), many.get("A2").params.get(100, "SMB"));
});

Deno.test("the cross-section of one window end, by name; bad input is refused", () => {
  const { X, Y } = panel(80, 3);
  const periods = Array.from({ length: 80 }, (_, i) => `${2000 + Math.floor(i / 12)}-${i % 12}`);
  const many = rollingOlsMany(Y, X, { window: 36, addConstant: true, index: periods });
  const last = many.paramsAt(periods[79]);
  assert.deepEqual(last.rowNames, ["A0", "A1", "A2"]);
  assert.deepEqual(last.colNames, ["const", "MKT_RF", "SMB", "HML"]);
  assert.equal(last.get("A2", "SMB"), many.get("A2").params.get(periods[79], "SMB"));
  assert.ok(Number.isNaN(many.paramsAt(10).get("A0", "const")));
  assert.throws(() => many.get("B"), /No dependent variable named "B"/);
  assert.throws(() => many.paramsAt("1999-1"), /No row labelled "1999-1"/);
  assert.throws(
    () => rollingOlsMany({ A: Y.A0, B: Y.A1.subarray(1) }, X, { window: 36 }),
    (e) => e instanceof RegressionInputError && /Y column "B" has 79 values/.test(e.message),
  );
  assert.throws(() => rollingOlsMany({}, X, { window: 36 }), /Y has no columns/);
});

Deno.test("an outlier of y leaving the window: y's moments alone are recomputed, to the same figures", () => {
  const { X, Y } = panel(200, 3);
  // A return a thousand times the others in month 50: once it leaves the window, the updates
  // that took it in and out dwarf y's co-moments, while the factors' are fine.
  Y.A1 = Y.A1.map((v, t) => (t === 50 ? 1e3 : v));
  const many = rollingOlsMany(Y, X, { window: 36, addConstant: true });
  for (const [name, y] of Object.entries(Y)) {
    const alone = rollingOls(y, X, { window: 36, addConstant: true });
    assert.equal(worst(many.get(name), alone), 0, name);
  }
  // Windows after the outlier left agree with a fresh fit of their rows.
  for (const end of [86, 100, 199]) {
    const rows = (v: Float64Array) => v.subarray(end - 35, end + 1);
    const fresh = ols(rows(Y.A1), { MKT_RF: rows(X.MKT_RF), SMB: rows(X.SMB), HML: rows(X.HML) }, {
      addConstant: true,
    });
    fresh.params.forEach((v, i) => {
      const b = many.get("A1").params.get(end, i);
      assert.ok(Math.abs(b - v) <= 1e-10 * Math.max(Math.abs(v), fresh.bse[i]), `${end} ${i}`);
    });
  }
});

Deno.test("many rolling results print every variable's coefficients in the last window", () => {
  const n = 30;
  const x = Array.from({ length: n }, (_, i) => Math.cos(i / 2));
  const a = x.map((v, i) => 0.2 + 0.9 * v + 0.05 * Math.sin(5 * i));
  const b = a.map((v) => 3 * v);
  const many = rollingOlsMany({ A: a, B: b }, { x }, { window: 10, addConstant: true });
  const text = String(many);
  assert.match(text, /Rolling OLS Results: 2 variables/);
  assert.match(text, /Coefficients in the window ending 29/);
  const last = many.paramsAt(29);
  for (const y of ["A", "B"]) {
    const cells = text.split("\n").find((l) => l.startsWith(`${y} `))!.trim().split(/ +/).slice(1);
    assert.deepEqual(cells, [last.get(y, "const"), last.get(y, "x")].map((v) => v.toFixed(4)));
  }
});
