import assert from "node:assert/strict";
import { exposureComparisonChart, exposureHeatmap, PlotInputError } from "../mod.ts";

type Trace = Record<string, unknown>;

const INPUT = {
  assets: ["VBR", "SPY", "AAPL"],
  factors: ["MKT_RF", "SMB", "HML"],
  betas: [[1.01, 0.56, 0.4], [0.98, -0.15, 0.02], [1.2, -0.3, -0.45]],
  lower: [[0.97, 0.5, 0.35], [0.96, -0.19, -0.01], [1.05, -0.5, -0.62]],
  upper: [[1.05, 0.62, 0.45], [1.0, -0.11, 0.05], [1.35, -0.1, -0.28]],
};

function rejects(fn: () => unknown, field: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PlotInputError, `expected PlotInputError, got ${e}`);
    assert.equal(e.field, field);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("grouped by factor: one bar trace per asset, whiskers upper − beta and beta − lower", () => {
  const fig = exposureComparisonChart({ ...INPUT, title: "ETFs" });
  const data = fig.spec.data as Trace[];
  assert.deepEqual(data.map((t) => t.name), INPUT.assets);
  assert.ok(data.every((t) => t.type === "bar"));
  assert.deepEqual(data[2].x, INPUT.factors);
  assert.deepEqual(data[2].y, INPUT.betas[2]);
  const err = data[2].error_y as { array: number[]; arrayminus: number[]; symmetric: boolean };
  assert.equal(err.symmetric, false);
  [0.15, 0.2, 0.17].forEach((v, i) => assert.ok(Math.abs(err.array[i] - v) < 1e-12));
  [0.15, 0.2, 0.17].forEach((v, i) => assert.ok(Math.abs(err.arrayminus[i] - v) < 1e-12));
  assert.deepEqual(data[0].customdata, [[0.97, 1.05], [0.5, 0.62], [0.35, 0.45]]);
  assert.match(
    data[0].hovertemplate as string,
    /<b>VBR<\/b> · %\{x\}<br>Beta %\{y:\.3f\}<br>95% CI/,
  );
  // Each asset has its own colour.
  const colors = data.map((t) => (t.marker as { color: string }).color);
  assert.equal(new Set(colors).size, 3);
  assert.equal(fig.spec.layout.barmode, "group");
  assert.equal((fig.spec.layout.title as { text: string }).text, "ETFs");
});

Deno.test("grouped by asset: one bar trace per factor, assets along the axis", () => {
  const fig = exposureComparisonChart({ ...INPUT, groupBy: "asset", level: 0.9 });
  const data = fig.spec.data as Trace[];
  assert.deepEqual(data.map((t) => t.name), INPUT.factors);
  assert.deepEqual(data[1].x, INPUT.assets);
  assert.deepEqual(data[1].y, [0.56, -0.15, -0.3]);
  const err = data[1].error_y as { array: number[] };
  [0.06, 0.04, 0.2].forEach((v, i) => assert.ok(Math.abs(err.array[i] - v) < 1e-12));
  assert.match(data[1].hovertemplate as string, /90% CI/);
});

Deno.test("without intervals the bars have no whiskers, and many assets group by asset", () => {
  const assets = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);
  const fig = exposureComparisonChart({
    assets,
    factors: ["MKT_RF"],
    betas: assets.map((_, i) => [0.8 + i / 20]),
  });
  const data = fig.spec.data as Trace[];
  assert.equal(data.length, 1);
  assert.equal(data[0].name, "MKT_RF");
  assert.deepEqual(data[0].x, assets);
  assert.equal(data[0].error_y, undefined);
  assert.match(
    (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text,
    /^Bars: estimates$/,
  );
});

Deno.test("heatmap: rows of assets top to bottom, centred colour scale, stars where significant", () => {
  const fig = exposureHeatmap({
    assets: INPUT.assets,
    factors: INPUT.factors,
    values: INPUT.betas,
    pvalues: [[0, 1e-12, 1e-9], [0, 0.001, 0.4], [0, 0.049, 0.06]],
    title: "Exposures",
  });
  const [heat] = fig.spec.data as Trace[];
  assert.equal(heat.type, "heatmap");
  assert.deepEqual(heat.z, INPUT.betas);
  assert.deepEqual(heat.y, INPUT.assets);
  assert.deepEqual(heat.text, [
    ["1.01*", "0.56*", "0.40*"],
    ["0.98*", "−0.15*", "0.02"],
    ["1.20*", "−0.30*", "−0.45"],
  ]);
  assert.equal(heat.zmid, 0);
  assert.equal(heat.zmin, -1.2);
  assert.equal(heat.zmax, 1.2);
  assert.deepEqual(heat.customdata, [[0, 1e-12, 1e-9], [0, 0.001, 0.4], [0, 0.049, 0.06]]);
  assert.equal((fig.spec.layout.yaxis as { autorange: string }).autorange, "reversed");
  assert.match(
    (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text,
    /\* significant at 5%/,
  );
  const tall = exposureHeatmap({
    assets: Array.from({ length: 25 }, (_, i) => `P${i}`),
    factors: ["MKT_RF"],
    values: Array.from({ length: 25 }, () => [1]),
  });
  assert.equal(tall.spec.layout.height, 176 + 26 * 25);
  const plain = (tall.spec.data[0] as Trace).text as string[][];
  assert.equal(plain[0][0], "1.00");
});

Deno.test("comparison charts reject bad input with the field named", () => {
  rejects(
    () => exposureComparisonChart({ ...INPUT, betas: INPUT.betas.slice(1) }),
    "betas",
    /"betas" has 2 row\(s\) but "assets" has 3/,
  );
  rejects(
    () => exposureComparisonChart({ ...INPUT, betas: [[1, 2], [1, 2, 3], [1, 2, 3]] }),
    "betas[0]",
    /"betas\[0\]" has 2 value\(s\) but "factors" has 3/,
  );
  rejects(
    () => exposureComparisonChart({ ...INPUT, upper: undefined }),
    "upper",
    /give both lower and upper, or neither/,
  );
  rejects(
    () => exposureComparisonChart({ ...INPUT, lower: [[1.1, 0.5, 0.35], ...INPUT.lower.slice(1)] }),
    "lower",
    /lower\[0\]\[0\] \(1\.1\) is above betas\[0\]\[0\] \(1\.01\)/,
  );
  rejects(
    () => exposureComparisonChart({ ...INPUT, groupBy: "time" as "asset" }),
    "groupBy",
    /"factor" or "asset"/,
  );
  rejects(
    () => exposureHeatmap({ assets: ["A"], factors: ["M"], values: [[NaN]] }),
    "values[0]",
    /values\[0\]\[0\] is NaN/,
  );
  rejects(
    () => exposureHeatmap({ assets: ["A"], factors: ["M"], values: [[1]], pvalues: [[1.5]] }),
    "pvalues",
    /pvalues\[0\]\[0\] is 1\.5, not in \[0, 1\]/,
  );
  // The deprecated option name still works for one release, and errors name it.
  rejects(
    () => exposureHeatmap({ assets: ["A"], factors: ["M"], values: [[1]], pValues: [[1.5]] }),
    "pValues",
    /pValues\[0\]\[0\] is 1\.5, not in \[0, 1\]/,
  );
  rejects(() => exposureHeatmap({ assets: [], factors: ["M"], values: [] }), "assets", /empty/);
});
