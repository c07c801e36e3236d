import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { frenchDataset, pca, PCAInputError } from "../mod.ts";
import { thinSvd } from "../lib/stats/svd.ts";
import ref from "./fixtures/pca_25_portfolios.json" with { type: "json" };

// Reference: numpy.linalg.svd of the demeaned (and standardized) panel, with the same sign
// convention, made by tests/fixtures/make_factor_models_reference.py.
async function portfolios25() {
  const file = await frenchDataset("data/samples/french/25_Portfolios_5x5_CSV_202412.zip", {
    start: "1963-07",
    end: "2024-12",
  });
  return file.tables[0].frame;
}

function maxAbsDiff(actual: ArrayLike<number>, expected: number[]): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst;
}

function maxRelDiff(actual: ArrayLike<number>, expected: number[]): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]));
  }
  return worst;
}

for (const variant of ["covariance", "correlation"] as const) {
  Deno.test(`PCA of the 25 size/value portfolios (${variant}) matches numpy's SVD to 1e-8`, async () => {
    const frame = await portfolios25();
    const result = pca(frame, { standardize: variant === "correlation" });
    const expected = ref[variant];
    assert.equal(result.nobs, ref.nobs);
    assert.deepEqual(result.assets, ref.assets);
    assert.equal(result.periods?.[0], ref.periods[0]);
    assert.equal(result.periods?.at(-1), ref.periods[1]);
    assert.equal(result.components.length, 25);
    assert.ok(maxRelDiff(result.singularValues, expected.singular_values) < 1e-10);
    assert.ok(maxRelDiff(result.explainedVariance, expected.explained_variance) < 1e-10);
    assert.ok(maxRelDiff(result.explainedVarianceRatio, expected.explained_variance_ratio) < 1e-10);
    assert.ok(Math.abs(result.totalVariance / expected.total_variance - 1) < 1e-12);
    assert.ok(maxAbsDiff(result.mean, expected.mean) < 1e-15);
    // Every component, including the 25th whose gap to the 24th is 2e-3 of the first.
    result.loadings.forEach((l, j) => {
      const d = maxAbsDiff(l, expected.loadings[j]);
      assert.ok(d < 1e-8, `loadings of PC${j + 1} differ by ${d}`);
    });
    result.scores.slice(0, 2).forEach((s, j) => {
      assert.ok(maxAbsDiff(s, expected.scores_first2[j]) < 1e-10, `scores of PC${j + 1}`);
    });
    if (variant === "correlation") {
      assert.ok(maxRelDiff(result.scale!, expected.scale!) < 1e-12);
      // A correlation PCA splits the number of assets among the components.
      assert.ok(Math.abs(result.totalVariance - 25) < 1e-10);
    } else {
      assert.equal(result.scale, undefined);
      assert.ok(maxAbsDiff(result.factorReturns[0], expected.factor_returns_pc1) < 1e-12);
    }
  });
}

Deno.test("the first component of size/value portfolios is the market: all loadings positive", async () => {
  const result = pca(await portfolios25(), { components: 3 });
  assert.equal(result.components.length, 3);
  assert.ok(result.loadings[0].every((v) => v > 0));
  assert.equal(result.explainedVarianceRatio.get("PC1").toFixed(4), "0.8335");
  assert.equal(result.cumulativeVarianceRatio.get("PC3").toFixed(4), "0.9333");
  // Shares are of the total variance, not of the kept components.
  const kept = result.explainedVarianceRatio.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(result.cumulativeVarianceRatio[2] - kept) < 1e-15);
});

Deno.test("scores are uncorrelated, have the explained variances, and rebuild the panel", () => {
  const t = 40;
  const cols: Record<string, number[]> = {};
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  const f1 = Array.from({ length: t }, rand);
  const f2 = Array.from({ length: t }, rand);
  for (let i = 0; i < 6; i++) {
    cols[`a${i}`] = f1.map((v, k) => (1 + i / 3) * v + (i % 2 ? 0.5 : -0.5) * f2[k] + 0.1 * rand());
  }
  const result = pca(cols);
  assert.equal(result.components.length, 6);
  const s = result.scores;
  for (let a = 0; a < s.length; a++) {
    let ss = 0;
    for (const v of s[a]) ss += v * v;
    assert.ok(Math.abs(ss / (t - 1) - result.explainedVariance[a]) < 1e-14);
    for (let b = a + 1; b < s.length; b++) {
      let dot = 0;
      for (let k = 0; k < t; k++) dot += s[a][k] * s[b][k];
      assert.ok(Math.abs(dot) < 1e-13, `scores of PC${a + 1} and PC${b + 1} are correlated`);
    }
  }
  // Xc = Σ_j scores_j loadings_jᵀ when every component is kept.
  for (let i = 0; i < 6; i++) {
    const name = `a${i}`;
    for (let k = 0; k < t; k++) {
      let rebuilt = result.mean.get(name);
      for (let j = 0; j < 6; j++) rebuilt += s[j][k] * result.loadings[j].get(name);
      assert.ok(Math.abs(rebuilt - cols[name][k]) < 1e-14);
    }
  }
});

Deno.test("a wide panel (more assets than periods) keeps periods − 1 components", () => {
  const rows = [
    [0.01, 0.02, -0.01, 0.03, 0.00],
    [-0.02, 0.01, 0.02, -0.01, 0.01],
    [0.03, -0.01, 0.00, 0.02, -0.02],
  ];
  const result = pca(rows);
  assert.deepEqual(result.assets, ["x1", "x2", "x3", "x4", "x5"]);
  assert.equal(result.components.length, 2);
  const total = result.explainedVarianceRatio[0] + result.explainedVarianceRatio[1];
  assert.ok(Math.abs(total - 1) < 1e-14);
  assert.throws(() => pca(rows, { components: 3 }), /from 1 to 2/);
});

Deno.test("missing values are refused with the row named, or dropped on request", () => {
  const panel = pl.DataFrame({
    period: ["2020-01", "2020-02", "2020-03", "2020-04"],
    a: [0.01, null, 0.03, -0.02],
    b: [0.02, 0.01, -0.01, 0.00],
  });
  assert.throws(
    () => pca(panel),
    (e: unknown) =>
      e instanceof PCAInputError && /Row 1 \(2020-02\) of column "a"/.test(e.message) &&
      /missing: "drop"/.test(e.message),
  );
  const dropped = pca(panel, { missing: "drop" });
  assert.deepEqual(dropped.droppedRows, [1]);
  assert.deepEqual(dropped.periods, ["2020-01", "2020-03", "2020-04"]);
  assert.ok(Math.abs(dropped.mean.get("a") - 0.02 / 3) < 1e-17);
});

Deno.test("bad panels get messages that say what to do", () => {
  assert.throws(() => pca({ a: [0.01], b: [0.02] }), /at least 2 periods/);
  assert.throws(() => pca({ name: ["x", "y"], a: [0.01, 0.02] }), /Column "name" is not numeric/);
  assert.throws(
    () => pca({ a: [0.01, 0.02, 0.03], b: [0.1, 0.1, 0.1] }, { standardize: true }),
    /"b" is constant/,
  );
  assert.throws(() => pca({ a: [0.01, 0.02], b: [0.01] }), /different lengths/);
  assert.throws(() => pca({ a: [1, 2, 3] }, { labels: "when" }), /label column "when"/);
});

Deno.test("the explained-variance table shows percentages and running totals", () => {
  const result = pca({ a: [0.01, 0.03, -0.02, 0.0], b: [0.02, 0.05, -0.03, 0.01] });
  const text = result.toString();
  assert.match(text, /^Principal components of 2 assets over 4 periods/);
  const ratio = (100 * result.explainedVarianceRatio[0]).toFixed(2);
  assert.match(
    text,
    new RegExp(`PC1 .* ${ratio.replace(".", "\\.")}% +${ratio.replace(".", "\\.")}%`),
  );
  assert.match(text, /PC2 .*100\.00%$/m);
});

Deno.test("thinSvd reproduces A = U S Vᵀ with orthonormal V for a tall matrix", () => {
  const rows = 7;
  const cols = 4;
  const a = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) + (i % 5) * 0.1);
  const { s, us, v } = thinSvd(a, rows, cols);
  for (let j = 1; j < cols; j++) assert.ok(s[j] <= s[j - 1]);
  for (let p = 0; p < cols; p++) {
    for (let q = 0; q < cols; q++) {
      let dot = 0;
      for (let i = 0; i < cols; i++) dot += v[p * cols + i] * v[q * cols + i];
      assert.ok(Math.abs(dot - (p === q ? 1 : 0)) < 1e-14);
    }
  }
  // A = (U S) Vᵀ
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      let x = 0;
      for (let j = 0; j < cols; j++) x += us[j * rows + i] * v[j * cols + c];
      assert.ok(Math.abs(x - a[c * rows + i]) < 1e-14);
    }
  }
});
