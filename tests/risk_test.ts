import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  analyze,
  analyzeMany,
  type FactorAnalysis,
  famaFrenchFactors,
  frenchDataset,
  InvalidArgumentError,
  LabeledMatrix,
  PlotInputError,
  portfolioRisk,
  riskDecompositionChart,
} from "../mod.ts";
import ref from "./fixtures/risk_model.json" with { type: "json" };

// Reference: numpy (lstsq betas, np.cov factor covariance, the decomposition term by term) on the
// six 2x3 portfolios and FF3 of vintage 202412, 2010-01..2020-12; see
// tests/fixtures/make_factor_models_reference.py.
const FACTORS = ["MKT_RF", "SMB", "HML"];

async function sixPortfolioAnalyses(): Promise<
  { analyses: FactorAnalysis[]; frame: pl.DataFrame }
> {
  const six = (await frenchDataset("data/samples/french/6_Portfolios_2x3_CSV_202412.zip", {
    start: "2010-01",
    end: "2020-12",
  })).tables[0].frame;
  const factors = await famaFrenchFactors({
    model: "ff3",
    source: "data/samples/french",
    vintage: "202412",
    start: "2010-01",
    end: "2020-12",
  });
  const frame = six.join(factors, { on: "period" });
  const analyses = await Promise.all(
    ref.assets.map((name) =>
      analyze(frame.select("period", pl.col(name).alias("return"), ...FACTORS, "RF"), {
        name,
        model: "ff3",
      })
    ),
  );
  return { analyses, frame };
}

function assertRel(actual: number, expected: number, tol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= tol, `${what}: ${actual} vs numpy ${expected} (rel ${err})`);
}

function assertAllRel(actual: ArrayLike<number>, expected: number[], tol: number, what: string) {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assertRel(actual[i], expected[i], tol, `${what}[${i}]`);
}

const weights = Object.fromEntries(ref.assets.map((a, i) => [a, ref.weights[i]]));

Deno.test("risk model of six portfolios from their FF3 analyses matches numpy", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  for (const [mode, expected] of [["sample", ref.sample], ["unbiased", ref.unbiased]] as const) {
    const risk = portfolioRisk(weights, analyses, { specificVariance: mode });
    assert.deepEqual(risk.factors, FACTORS);
    assert.equal(risk.factorPeriods, ref.nobs);
    assert.equal(risk.periodsPerYear, 12);
    ref.assets.forEach((a, i) =>
      assertAllRel(risk.assetBetas[a], ref.betas[i], 1e-10, `betas ${a}`)
    );
    assertAllRel(
      risk.specificVariances,
      mode === "sample" ? ref.specific_sample : ref.specific_unbiased,
      1e-10,
      "specific variances",
    );
    assertAllRel(risk.factorCovariance.data, ref.factor_covariance.flat(), 1e-12, "F");
    assertAllRel(risk.exposures, expected.exposures, 1e-10, "exposures");
    assertRel(risk.commonVariance, expected.common_variance, 1e-10, "common");
    assertRel(risk.specificVariance, expected.specific_variance, 1e-10, "specific");
    assertRel(risk.totalVariance, expected.total_variance, 1e-10, "total");
    assertAllRel(risk.factorContributions, expected.factor_contributions, 1e-10, "factor contrib");
    assertAllRel(risk.marginalContributions, expected.marginal_contributions, 1e-10, "marginal");
    assertAllRel(risk.assetContributions, expected.asset_contributions, 1e-10, "asset contrib");
  }
});

Deno.test("an analyzeMany result gives the same decomposition as one analysis per asset", async () => {
  const { analyses, frame } = await sixPortfolioAnalyses();
  const many = await analyzeMany(frame, { model: "ff3", assets: ref.assets });
  const fromMany = portfolioRisk(weights, many);
  const fromEach = portfolioRisk(weights, analyses);
  assert.deepEqual(fromMany.assets, fromEach.assets);
  assertAllRel(fromMany.exposures, Array.from(fromEach.exposures), 1e-12, "exposures");
  assertRel(fromMany.totalVariance, ref.sample.total_variance, 1e-10, "total vs numpy");
  assertAllRel(
    fromMany.factorContributions,
    ref.sample.factor_contributions,
    1e-10,
    "factor contributions vs numpy",
  );
});

Deno.test("the same model from betas and factor returns, long-short weights taken as given", async () => {
  const { frame } = await sixPortfolioAnalyses();
  const assets = ref.assets.map((name, i) => ({
    name,
    betas: Object.fromEntries(FACTORS.map((f, j) => [f, ref.betas[i][j]])),
    specificVariance: ref.specific_sample[i],
  }));
  const longShort = Object.fromEntries(ref.assets.map((a, i) => [a, ref.long_short_weights[i]]));
  assert.throws(
    () => portfolioRisk(longShort, assets, { factorReturns: frame }),
    /sum to 0, not 1/,
  );
  const risk = portfolioRisk(longShort, assets, { factorReturns: frame, weightSum: "any" });
  const expected = ref.long_short;
  assert.equal(risk.periodsPerYear, undefined);
  assertAllRel(risk.exposures, expected.exposures, 1e-12, "exposures");
  assertRel(risk.totalVariance, expected.total_variance, 1e-12, "total");
  assertAllRel(risk.factorContributions, expected.factor_contributions, 1e-12, "factor contrib");
  assertAllRel(risk.assetContributions, expected.asset_contributions, 1e-12, "asset contrib");
  // Small minus big: an SMB exposure near 1 carries the risk; the market and HML, nearly
  // hedged, contribute a little negatively.
  assert.ok(Math.abs(risk.exposures.get("SMB") - 1) < 0.1);
  assert.ok(risk.factorContributions.get("SMB") > 0.9 * risk.totalVariance);
  assert.ok(risk.factorContributions.get("MKT_RF") < 0 && risk.factorContributions.get("HML") < 0);
});

Deno.test("for one asset the common and specific parts add up to its sample variance", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  for (const a of analyses) {
    const risk = portfolioRisk({ [a.name]: 1 }, [a]);
    const y = a.data.getColumn("excessReturn").toArray() as number[];
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / (y.length - 1);
    assertRel(risk.totalVariance, variance, 1e-12, `${a.name} variance`);
    assertRel(risk.commonShare, a.fit.rsquared, 1e-12, `${a.name} common share is R²`);
  }
});

Deno.test("a portfolio regression has the weighted betas; the diagonal model omits residual covariances", async () => {
  const { analyses, frame } = await sixPortfolioAnalyses();
  const portfolioReturn = ref.assets.reduce(
    (expr, a, i) => expr.plus(pl.col(a).mul(ref.weights[i])),
    pl.lit(0),
  );
  const portfolio = await analyze(
    frame.select("period", portfolioReturn.alias("return"), ...FACTORS, "RF"),
    { name: "P", model: "ff3" },
  );
  const risk = portfolioRisk(weights, analyses);
  // OLS is linear in y: the portfolio's betas are the weighted betas.
  FACTORS.forEach((f) => assertRel(risk.exposures.get(f), portfolio.betas.get(f), 1e-12, f));
  const direct = portfolioRisk({ P: 1 }, [portfolio]);
  assertRel(direct.commonVariance, risk.commonVariance, 1e-12, "common parts agree");
  // Its residual is Σ wᵢ eᵢ, whose variance adds the cross terms the diagonal model leaves out.
  const resid = analyses.map((a) => a.fit.resid);
  const n = resid[0].length;
  let cross = 0;
  for (let i = 0; i < resid.length; i++) {
    for (let j = 0; j < resid.length; j++) {
      if (i === j) continue;
      let s = 0;
      for (let t = 0; t < n; t++) s += resid[i][t] * resid[j][t];
      cross += ref.weights[i] * ref.weights[j] * s / (n - 1);
    }
  }
  assertRel(direct.specificVariance, risk.specificVariance + cross, 1e-10, "specific + cross");
  assertRel(direct.totalVariance, risk.totalVariance + cross, 1e-12, "total + cross");
});

Deno.test("contributions add up: factors to the common part, assets to the total", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  const risk = portfolioRisk(weights, analyses);
  const sum = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0);
  assertRel(sum(risk.factorContributions), risk.commonVariance, 1e-14, "factors");
  assertRel(sum(risk.assetContributions), risk.totalVariance, 1e-14, "assets");
  // Euler: Σ exposure × marginal = the common part of the volatility.
  const euler = sum(risk.exposures.map((b, k) => b * risk.marginalContributions[k]));
  assertRel(euler * risk.volatility, risk.commonVariance, 1e-14, "Euler");
  assertRel(risk.commonShare + risk.specificShare, 1, 1e-15, "shares");
  assertRel(risk.annualizedVolatility!, risk.volatility * Math.sqrt(12), 1e-15, "annualized");
});

Deno.test("the table lists each factor, the common, specific and total rows", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  const risk = portfolioRisk(weights, analyses, { name: "Six" });
  const text = risk.toString();
  const lines = text.split("\n");
  assert.equal(lines[0], "Risk decomposition: Six (6 assets, 3 factors)");
  assert.match(lines[1], /^component\s+exposure\s+variance\s+share\s+vol contribution \(ann\.\)$/);
  assert.deepEqual(lines.slice(2, 8).map((l) => l.split(/\s{2,}/)[0]), [
    "MKT_RF",
    "SMB",
    "HML",
    "common factors",
    "specific",
    "total",
  ]);
  assert.match(lines[7], /100\.0%/);
  const annual = (100 * risk.annualizedVolatility!).toFixed(2);
  assert.match(lines[7], new RegExp(`${annual.replace(".", "\\.")}%$`));
  assert.match(text, /annualized volatility .*\(12 periods a year\)/);
  assert.match(risk.assetTable().toString(), /^SMALL LoBM +0\.3000/m);
  assert.deepEqual(Object.keys(risk.toJSON().factorContributions as object), FACTORS);
});

Deno.test("the decomposition figure is a waterfall of shares ending at 100%", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  const risk = portfolioRisk(weights, analyses);
  const fig = risk.plot();
  const bars = fig.spec.data[0] as {
    x: string[];
    y: number[];
    base: number[];
    customdata: number[];
  };
  assert.deepEqual(bars.x, [...FACTORS, "Common", "Specific", "Total"]);
  FACTORS.forEach((f, k) => {
    assertRel(bars.y[k], risk.factorContributions.get(f) / risk.totalVariance, 1e-15, f);
    assertRel(bars.customdata[k], risk.factorContributions.get(f), 1e-15, `${f} variance`);
  });
  assertRel(bars.y[3], risk.commonShare, 1e-14, "common bar");
  assertRel(bars.base[4], risk.commonShare, 1e-14, "specific starts at the common share");
  assertRel(bars.base[4] + bars.y[4], 1, 1e-14, "specific ends at 100%");
  assert.deepEqual([bars.base[5], bars.y[5]], [0, 1]);
  // Steps: each factor starts where the previous one ended.
  assertRel(bars.base[2], bars.y[0] + bars.y[1], 1e-15, "HML starts after MKT_RF and SMB");
  const title = fig.spec.layout.title as { text: string; subtitle: { text: string } };
  assert.equal(title.text, "Risk decomposition: Portfolio");
  assert.match(title.subtitle.text, /annualized volatility/);
});

Deno.test("bad input says what is wrong and what to do", async () => {
  const { analyses } = await sixPortfolioAnalyses();
  const isArg = (pattern: RegExp) => (e: unknown) =>
    e instanceof InvalidArgumentError && pattern.test(e.message);
  assert.throws(
    () => portfolioRisk({ "SMALL LoBM": 0.5, "BIG HiBM": 0.4 }, analyses),
    isArg(/sum to 0\.9, not 1.*weightSum: "normalize"/),
  );
  const normalized = portfolioRisk({ "SMALL LoBM": 0.5, "BIG HiBM": 0.3 }, analyses, {
    weightSum: "normalize",
  });
  assert.deepEqual(Array.from(normalized.weights), [0.625, 0.375]);
  assert.throws(
    () => portfolioRisk({ "SMALL LoBM": 0.5, VBR: 0.5 }, analyses),
    isArg(/"VBR", which is not among the assets \(SMALL LoBM, ME1 BM2/),
  );
  assert.throws(() => portfolioRisk({ "SMALL LoBM": NaN }, analyses), isArg(/must be numbers/));
  assert.throws(
    () => portfolioRisk({ a: 1 }, [{ name: "a", betas: { MKT_RF: 1 }, specificVariance: 0.001 }]),
    isArg(/need the factors' covariance/),
  );
  assert.throws(
    () =>
      portfolioRisk({ a: 0.5, b: 0.5 }, [
        { name: "a", betas: { MKT_RF: 1, SMB: 0.2 }, specificVariance: 0.001 },
        { name: "b", betas: { MKT_RF: 1 }, specificVariance: 0.001 },
      ], {
        factorCovariance: LabeledMatrix.square(["MKT_RF", "SMB"], Float64Array.from([1, 0, 0, 1])),
      }),
    isArg(/every asset needs a beta on every factor/),
  );
  assert.throws(
    () =>
      portfolioRisk(
        { a: 1 },
        [{ name: "a", betas: { MKT_RF: 1, MOM: 0.1 }, specificVariance: 0 }],
        {
          factorCovariance: LabeledMatrix.square(["MKT_RF"], Float64Array.from([0.002])),
        },
      ),
    isArg(/factorCovariance has no MOM/),
  );
  assert.throws(
    () =>
      portfolioRisk({ a: 1 }, [{ name: "a", betas: { MKT_RF: 1 }, specificVariance: -1 }], {
        factorCovariance: LabeledMatrix.square(["MKT_RF"], Float64Array.from([0.002])),
      }),
    isArg(/specificVariance -1/),
  );
  const capm = await analyze(
    analyses[0].data.select("period", pl.col("excessReturn"), "MKT_RF"),
    { name: "capm", model: "capm" },
  );
  assert.throws(
    () => portfolioRisk({ capm: 0.5, "SMALL LoBM": 0.5 }, [analyses[0], capm]),
    isArg(/different factors.*same model/),
  );
  assert.throws(
    () => portfolioRisk({ "SMALL LoBM": 1 }, [analyses[0], analyses[0]]),
    isArg(/"SMALL LoBM" is given twice/),
  );
});

Deno.test("the decomposition chart refuses inputs it cannot draw, naming the field", () => {
  const field = (name: string) => (e: unknown) => e instanceof PlotInputError && e.field === name;
  const ok = { names: ["MKT_RF"], contributions: [0.002], specific: 0.0001 };
  assert.throws(
    () => riskDecompositionChart({ ...ok, contributions: [0.002, 0.001] }),
    field("contributions"),
  );
  assert.throws(() => riskDecompositionChart({ ...ok, specific: -0.0001 }), field("specific"));
  assert.throws(() => riskDecompositionChart({ ...ok, names: ["Total"] }), field("names"));
  assert.throws(
    () => riskDecompositionChart({ ...ok, contributions: [-0.001] }),
    (e: unknown) => e instanceof PlotInputError && /must be positive/.test(e.message),
  );
  const perPeriod = riskDecompositionChart(ok).spec.layout.title as { subtitle: { text: string } };
  assert.match(perPeriod.subtitle.text, /volatility 4\.58% per period/);
});
