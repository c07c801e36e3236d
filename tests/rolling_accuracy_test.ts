/**
 * Rolling regressions where plain moment sums lose their digits, checked against every window
 * solved in 60-digit arithmetic (tests/fixtures/make_rolling_hard_cases.py). The data use only
 * +, −, ×, / and % on whole-number floats, so they are bit for bit the fixture's.
 */
import assert from "node:assert/strict";
import { rollingOls } from "../mod.ts";
import { relErr } from "./support/golden_datasets.ts";
import exact from "./fixtures/rolling_hard_cases.json" with { type: "json" };

const T = exact.rows;
const WINDOW = exact.window;
const t = Float64Array.from({ length: T }, (_, i) => i + 1);
const frac = (a: number, m: number) => t.map((v) => ((a * v) % m) / m);
const noise = frac(29, 31).map((v) => 0.1 * (v - 0.5));
const ones = new Float64Array(T).fill(1);

type Data = { y: Float64Array; X: Record<string, Float64Array> };
const BUILDERS: Record<string, () => Data> = {
  large_mean: () => {
    const a = frac(97, 89);
    const b = frac(13, 17);
    const x1 = a.map((v, i) => 1e6 + v + 0.3 * b[i]);
    const x2 = frac(11, 19).map((v) => 5e5 + v);
    return { y: x1.map((v, i) => 3 + 2 * v - x2[i] + noise[i]), X: { const: ones, x1, x2 } };
  },
  near_collinear: () => {
    const b = frac(3, 13);
    const x1 = frac(7, 11).map((v, i) => v + b[i]);
    const c = frac(13, 17);
    const x2 = x1.map((v, i) => v + 1e-3 * (c[i] - 0.5));
    return { y: x1.map((v, i) => 2 + v - x2[i] + noise[i]), X: { const: ones, x1, x2 } };
  },
  regime_change: () => {
    const s = t.map((v) => (v <= 60 ? 1e4 : 1));
    const x1 = frac(97, 89).map((v, i) => s[i] * (v - 0.5));
    const x2 = frac(11, 19).map((v, i) => s[i] * (v - 0.5));
    const y = x1.map((v, i) => 0.5 + 1.5 * v - 0.7 * x2[i] + s[i] * noise[i]);
    return { y, X: { const: ones, x1, x2 } };
  },
  trend: () => {
    const a = frac(97, 89);
    const x1 = t.map((v, i) => 1e5 + 10 * v + a[i]);
    const x2 = frac(11, 19).map((v) => v - 0.5);
    return { y: x1.map((v, i) => 3 + 0.01 * v - x2[i] + noise[i]), X: { const: ones, x1, x2 } };
  },
  no_constant: () => {
    const x1 = frac(97, 89).map((v) => 1e4 + v);
    const x2 = frac(11, 19).map((v) => v - 0.5);
    return { y: x1.map((v, i) => 0.02 * v - x2[i] + noise[i]), X: { x1, x2 } };
  },
};

interface ExactCase {
  names: string[];
  params: number[][];
  bse: number[][];
  rsquared: number[];
}
const CASES = exact.cases as Record<string, ExactCase>;

function worstErrors(name: string): { params: number; bse: number; rsquared: number; qr: number } {
  const { y, X } = BUILDERS[name]();
  const fit = rollingOls(y, X, { window: WINDOW });
  const c = CASES[name];
  assert.deepEqual(fit.names, c.names);
  let params = 0;
  let bse = 0;
  let rsquared = 0;
  c.params.forEach((row, w) => {
    const end = w + WINDOW - 1;
    row.forEach((v, j) => {
      params = Math.max(params, relErr(fit.params.get(end, j), v));
      bse = Math.max(bse, relErr(fit.bse.get(end, j), c.bse[w][j]));
    });
    rsquared = Math.max(rsquared, relErr(fit.rsquared[end], c.rsquared[w]));
  });
  return { params, bse, rsquared, qr: fit.qrSolved };
}

function assertAccurate(errors: { params: number; bse: number; rsquared: number }): void {
  const { params, bse, rsquared } = errors;
  for (const [what, err] of Object.entries({ params, bse, rsquared })) {
    assert.ok(err <= 1e-8, `${what}: worst relative error ${err.toExponential(2)}`);
  }
}

/** Normal equations from raw sums, as a naive updating implementation would solve them. */
function naiveIntercept(y: Float64Array, X: Record<string, Float64Array>, end: number): number {
  const cols = Object.values(X);
  const k = cols.length;
  const a = cols.map(() => new Array(k).fill(0));
  const b = new Array(k).fill(0);
  for (let i = end - WINDOW + 1; i <= end; i++) {
    cols.forEach((ca, p) => {
      b[p] += ca[i] * y[i];
      cols.forEach((cb, q) => (a[p][q] += ca[i] * cb[i]));
    });
  }
  for (let i = 0; i < k; i++) {
    for (let r = i + 1; r < k; r++) {
      const f = a[r][i] / a[i][i];
      for (let c = i; c < k; c++) a[r][c] -= f * a[i][c];
      b[r] -= f * b[i];
    }
  }
  const x = new Array(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < k; c++) s -= a[i][c] * x[c];
    x[i] = s / a[i][i];
  }
  return x[0];
}

Deno.test("regressors with means of a million cost no digits: moments are centred", () => {
  const { y, X } = BUILDERS.large_mean();
  // The case has teeth: raw sums of squares (about 1e12 per row) leave no correct digit.
  const naive = naiveIntercept(y, X, T - 1);
  assert.ok(relErr(naive, CASES.large_mean.params[T - WINDOW][0]) > 1e-2, `naive ${naive}`);
  const errors = worstErrors("large_mean");
  assert.equal(errors.qr, 0, "solved from the updated moments, not by QR");
  assertAccurate(errors);
});

Deno.test("without a constant, large-mean regressors are still solved to 1e-8", () => {
  // About zero the fit is almost perfect (uncentered R² ≈ 1 − 1e-8), so ssr comes from QR.
  const errors = worstErrors("no_constant");
  assertAccurate(errors);
});

Deno.test("near-collinear windows (condition number in the thousands) are solved by QR", () => {
  const errors = worstErrors("near_collinear");
  assert.equal(errors.qr, T - WINDOW + 1, "every window is too ill-conditioned for the moments");
  assertAccurate(errors);
});

Deno.test("after a volatile stretch leaves the window, calm windows keep their digits", () => {
  // Rows 1..60 are 10⁴ times larger: removing them from the sums would leave their rounding
  // behind, so those windows are recomputed from their rows.
  const errors = worstErrors("regime_change");
  // Only the windows where one or two large rows dominate (ends 93 and 94) need QR.
  assert.ok(errors.qr < 5, `${errors.qr} windows solved by QR`);
  assertAccurate(errors);
});

Deno.test("a trending regressor (1e5 + 10 t: its mean drifts off the shift) keeps its digits", () => {
  const errors = worstErrors("trend");
  assert.equal(errors.qr, 0);
  assertAccurate(errors);
});
