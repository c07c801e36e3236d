import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { analyze, betasOnly, InvalidArgumentError, NamedValues } from "../mod.ts";
import { relErr } from "./support/golden_datasets.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { assertAllClose } from "./support/assert.ts";
import refs from "./fixtures/statsmodels_analyses.json" with { type: "json" };

// Reference figures: statsmodels 0.13.5 on returns built independently with pandas, as the
// tutorial builds them (make_statsmodels_analyses.py: prices before the exclusive end, then
// resample("M").last().pct_change(), inner merge on period) from the same files.
// The tutorial's own call: yfinance's end is exclusive, so December 2020 ends on the 30th.
const RANGE = { start: "2010-01-01", end: "2020-12-31" };

async function withServer(fn: (sources: Record<string, unknown>) => Promise<void>) {
  const server = await startFixtureServer();
  try {
    await fn({ yahooSource: server.yahooBase, frenchSource: server.frenchBase, cache: false });
  } finally {
    await server.close();
  }
}

Deno.test("analyze('VBR') over HTTP reproduces statsmodels on pandas-built monthly data", async () => {
  await withServer(async (sources) => {
    const vbr = await analyze("VBR", { model: "ff3", ...RANGE, ...sources });
    const ref = refs.VBR_ff3_monthly;
    assert.equal(vbr.nobs, 131);
    assert.equal(vbr.periods[0], "2010-02");
    assert.equal(vbr.periods[130], "2020-12");
    assert.deepEqual(vbr.joinReport?.rightOnly, ["2010-01"]);
    assertAllClose(vbr.fit.params, ref.params, { rel: 1e-8, label: "params" });
    assertAllClose(vbr.fit.bse, ref.bse, { rel: 1e-8, label: "bse" });
    assertAllClose(vbr.fit.pvalues, ref.pvalues, { rel: 1e-6, label: "pvalues" });
    assertAllClose([vbr.fit.rsquaredAdj, vbr.fit.durbinWatson], [
      ref.rsquared_adj,
      ref.durbin_watson,
    ], { rel: 1e-8, label: "fit" });
    // The summary is statsmodels' table, line for line (but the timestamp).
    const ours = vbr.summary({ yname: "Excess_Return" }).toString().split("\n");
    ref.summary.split("\n").forEach((line, i) => {
      if (!/^(Date|Time):/.test(line)) assert.equal(ours[i], line, `summary line ${i + 1}`);
    });
    const hac = vbr.getRobustcovResults("HAC", { maxlags: 6 });
    assertAllClose(hac.fit.bse, ref.hac6_bse, { rel: 1e-8, label: "HAC(6) bse" });
    assertAllClose(hac.fit.pvalues, ref.hac6_pvalues, { rel: 1e-6, label: "HAC(6) pvalues" });
    assert.deepEqual(Array.from(hac.fit.params), Array.from(vbr.fit.params));
  });
});

Deno.test("the tutorial's own call reproduces every figure it publishes", async () => {
  await withServer(async (sources) => {
    // analyze("VBR", { model: "ff3", start: "2010-01-01", end: "2020-12-31" }) with the 202601
    // factor vintage; the tutorial prints these figures from yf.download(..., end="2020-12-31").
    const fit = (await analyze("VBR", { model: "ff3", ...RANGE, ...sources })).fit;
    assert.equal(fit.nobs, 131);
    assert.ok(["1.0136", "1.0137"].includes(fit.params.get("MKT_RF").toFixed(4)));
    assert.equal(fit.params.get("SMB").toFixed(4), "0.5574");
    assert.ok(["0.4029", "0.4030"].includes(fit.params.get("HML").toFixed(4)));
    assert.equal(fit.params.get("const").toFixed(4), "-0.0006");
    assert.equal(fit.pvalues.get("const").toFixed(3), "0.374");
    assert.equal(fit.rsquaredAdj.toFixed(3), "0.980");
    assert.ok(["1.664", "1.665"].includes(fit.durbinWatson.toFixed(3)));
    assert.ok(fit.jarqueBera().pvalue < 0.05 && fit.omnibus().pvalue < 0.05);
    assert.equal(fit.skew.toFixed(3), "-0.822");
    assert.equal(fit.kurtosis.toFixed(3), "5.030");
  });
});

Deno.test("a month as end includes the whole month: end 2020-12 keeps December 31", async () => {
  await withServer(async (sources) => {
    const whole = await analyze("VBR", { start: "2010-01", end: "2020-12", ...sources });
    const ref = refs.VBR_ff3_monthly_whole_months;
    assert.equal(whole.nobs, ref.nobs);
    assertAllClose(whole.fit.params, ref.params, { rel: 1e-8, label: "params" });
    assertAllClose(whole.fit.bse, ref.bse, { rel: 1e-8, label: "bse" });
    // The same months, but December's return ends on the 31st instead of the 30th.
    const tutorial = await analyze("VBR", { ...RANGE, ...sources });
    assert.deepEqual(whole.periods, tutorial.periods);
    assert.notEqual(whole.fit.params.get("SMB"), tutorial.fit.params.get("SMB"));
    // A day as end is exclusive: the next day includes it, as yfinance's end does.
    const nextDay = await analyze("VBR", { start: "2010-01-01", end: "2021-01-01", ...sources });
    assert.deepEqual(Array.from(nextDay.fit.params), Array.from(whole.fit.params));
  });
});

Deno.test("the condensed report prints the tutorial's lines for VBR", async () => {
  await withServer(async (sources) => {
    const vbr = await analyze("VBR", { ...RANGE, ...sources });
    assert.equal(
      vbr.report().toString(),
      [
        "--- Fama-French 3-Factor Analysis: VBR (2010-02 to 2020-12, 131 months) ---",
        "Market Beta (MKT_RF):  1.0137",
        "Size Beta (SMB):       0.5574",
        "Value Beta (HML):      0.4029",
        "Monthly Alpha:         -0.0006 (annualized ≈ -0.78%)",
        "Is Alpha Significant?  NO (p-value: 0.3742)",
        "Adj. R-squared:        0.9795",
        "Durbin-Watson:         1.66 (target ~2.0)",
        "White Test:            Warning: Heteroscedasticity detected! (p-value: 1.24e-14)",
        "Factor Data:           Ken French F-F_Research_Data_Factors (vintage 202601)",
      ].join("\n"),
    );
    assert.deepEqual(vbr.factorFiles.map((f) => [f.name, f.vintage, f.origin]), [
      ["F-F_Research_Data_Factors", "202601", "network"],
    ]);
    assert.equal(
      (vbr.toJSON().factorFiles as { vintage: string }[])[0].vintage,
      "202601",
    );
    const alpha = vbr.alpha;
    assert.equal(alpha.periodsPerYear, 12);
    assert.ok(relErr(alpha.annualized, 12 * refs.VBR_ff3_monthly.params[0]) < 1e-12);
    assert.equal(alpha.significant, false);
  });
});

Deno.test("SPY: market beta within 0.1 of one, no alpha, White test from statsmodels", async () => {
  await withServer(async (sources) => {
    const spy = await analyze("SPY", { ...RANGE, ...sources });
    const ref = refs.SPY_ff3_monthly;
    assertAllClose(spy.fit.params, ref.params, { rel: 1e-8, label: "params" });
    assertAllClose([spy.fit.hetWhite().lmPvalue], [ref.white_lm_p], {
      rel: 1e-6,
      label: "White p",
    });
    const sentences = spy.interpret().sentences;
    // 0.976 with a CI excluding 1: measurably below 1, but not a defensive asset.
    assert.match(
      sentences[0],
      /^SPY moves almost exactly with the market: .* by less than 0\.1, though measurably \(MKT_RF beta 0\.98/,
    );
    assert.match(sentences[1], /^SPY behaves like a large-cap stock/);
    assert.match(sentences[2], /^SPY shows no significant value or growth tilt/);
    assert.match(sentences[3], /^No statistically significant alpha/);
    assert.ok(
      sentences.some((s) => /White's test finds heteroscedasticity \(p < 0\.001\)/.test(s)),
    );
  });
});

Deno.test("AAPL daily: 755 trading days, annualized alpha ×252, statsmodels figures", async () => {
  await withServer(async (sources) => {
    const aapl = await analyze("AAPL", {
      start: "2020-01-01",
      end: "2022-12-31",
      frequency: "daily",
      ...sources,
    });
    const ref = refs.AAPL_ff3_daily;
    assert.equal(aapl.nobs, 755);
    assert.equal(aapl.periods[0], "2020-01-03");
    assertAllClose(aapl.fit.params, ref.params, { rel: 1e-8, label: "params" });
    assertAllClose(aapl.fit.bse, ref.bse, { rel: 1e-8, label: "bse" });
    assert.equal(aapl.alpha.periodsPerYear, 252);
    const annualized = (252 * ref.params[0] * 100).toFixed(2);
    assert.ok(
      aapl.report().toString().includes(
        `Daily Alpha:           0.0007 (annualized ≈ ${annualized}%)`,
      ),
    );
  });
});

Deno.test("VBR interpretation follows the estimates: market-like, small-cap, value, fat tails", async () => {
  await withServer(async (sources) => {
    const s = (await analyze("VBR", { ...RANGE, ...sources })).interpret().sentences;
    assert.match(
      s[0],
      /moves almost exactly with the market.*MKT_RF beta 1\.01, 95% CI 0\.98 to 1\.05/,
    );
    assert.match(s[1], /behaves like a small-cap stock/);
    assert.match(s[2], /has a value tilt/);
    assert.match(
      s[3],
      /No statistically significant alpha \(monthly alpha -0\.065%, about -0\.78% a year, p = 0\.3742\)/,
    );
    assert.match(s[4], /explain 98\.0% of the variation/);
    assert.match(s[5], /Durbin-Watson 1\.66 is in the usual 1\.5–2\.5 band/);
    assert.match(s[6], /not normal .*kurtosis 5\.03/);
  });
});

function syntheticReturns(alpha: number, beta: number) {
  const n = 120;
  const period = Array.from(
    { length: n },
    (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
  );
  const MKT_RF = period.map((_, i) => 0.04 * Math.sin(0.7 * i) + 0.01 * Math.cos(2.3 * i));
  const noise = period.map((_, i) => 0.004 * Math.sin(5.1 * i + 1) + 0.003 * Math.cos(3.7 * i));
  const excessReturn = MKT_RF.map((m, i) => alpha + beta * m + noise[i]);
  return pl.DataFrame({ period, excessReturn, MKT_RF });
}

Deno.test("interpretation changes with the numbers: significant alpha and a defensive beta", async () => {
  const a = await analyze(syntheticReturns(0.004, 0.5), { model: "capm", name: "LOWVOL" });
  const s = a.interpret().sentences;
  assert.match(s[0], /^LOWVOL is defensive: .*about 0\.50% per 1% market move/);
  assert.match(s[1], /^Significant positive alpha \(monthly alpha 0\.40\d%, about 4\.8\d% a year/);
  const b = await analyze(syntheticReturns(-0.004, 1.6), { model: "capm", name: "LEVERED" });
  assert.match(b.interpret().sentences[0], /^LEVERED amplifies market moves/);
  assert.match(b.interpret().sentences[1], /^Significant negative alpha/);
  assert.match(b.report().toString(), /Is Alpha Significant\? +YES \(p-value: /);
});

Deno.test("a returns frame with its own factors needs no download (custom factor list)", async () => {
  const frame = syntheticReturns(0, 1).withColumns(
    pl.col("MKT_RF").mul(0.3).add(pl.lit(0.001)).alias("MOM"),
    pl.col("MKT_RF").mul(-0.2).add(pl.col("excessReturn").mul(0.1)).alias("HML"),
  ).rename({ excessReturn: "return" });
  const a = await analyze(frame, {
    model: { factors: ["MOM", "HML"], name: "Momentum and value" },
    excess: false,
    name: "S&P 500",
  });
  assert.deepEqual(a.fit.names, ["const", "MOM", "HML"]);
  assert.equal(a.yColumn, "return");
  assert.equal(a.joinReport, undefined);
  assert.match(
    a.title,
    /^Momentum and value Analysis: S&P 500 \(2000-01 to 2009-12, 120 months\)$/,
  );
  const betas = await betasOnly(frame, { model: { factors: ["MOM", "HML"] }, excess: false });
  assert.ok(betas instanceof NamedValues);
  assert.deepEqual(betas.names, ["MOM", "HML"]);
  assert.deepEqual(Array.from(betas), [a.fit.params[1], a.fit.params[2]]);
});

Deno.test("a returns frame without factors gets them downloaded and joined on period", async () => {
  await withServer(async (sources) => {
    const spy = await analyze("SPY", { ...RANGE, ...sources });
    const returns = spy.data.select("period", "return");
    const again = await analyze(returns, { name: "SPY", ...sources });
    assert.deepEqual(Array.from(again.fit.params), Array.from(spy.fit.params));
    assert.equal(again.joinReport?.rows, 131);
    const momValue = await analyze(returns, {
      name: "SPY",
      model: { factors: ["MOM", "HML"] },
      ...sources,
    });
    assert.deepEqual(momValue.factors, ["MOM", "HML"]);
    assert.equal(momValue.nobs, 131);
  });
});

Deno.test("beta vs correlation: correlations match numpy, betas are the model's", async () => {
  await withServer(async (sources) => {
    const vbr = await analyze("VBR", { ...RANGE, ...sources });
    const table = vbr.factorCorrelations();
    const ref = refs.VBR_ff3_monthly;
    table.rows.forEach((row, i) => {
      assert.equal(row[0], vbr.factors[i]);
      assert.equal(row[1], vbr.fit.params[i + 1]);
      assert.ok(relErr(row[2] as number, ref.corr[i]) < 1e-12, `corr ${row[0]}`);
    });
    assert.match(table.toString(), /^MKT_RF +1\.0137 +0\.9402/m);
  });
});

Deno.test("attribution: alpha, factor contributions and residual add up to the return exactly", async () => {
  await withServer(async (sources) => {
    const vbr = await analyze("VBR", { ...RANGE, ...sources });
    const { frame, components, totals } = vbr.attribution();
    assert.deepEqual(components, ["alpha", "MKT_RF", "SMB", "HML", "residual"]);
    const y = frame.getColumn("excessReturn").toArray() as number[];
    const parts = components.map((c) => frame.getColumn(c).toArray() as number[]);
    const resid = vbr.fit.resid;
    y.forEach((v, t) => {
      const sum = parts.reduce((s, p) => s + p[t], 0);
      // Exact up to the rounding of adding five numbers.
      assert.ok(
        Math.abs(sum - v) <= 4 * Number.EPSILON * Math.abs(v),
        `period ${t}: ${sum} vs ${v}`,
      );
      // The OLS residual comes from the QR solution, this one from the sum: equal to ~10 ulps.
      assert.ok(Math.abs(parts[4][t] - resid[t]) < 1e-15, "residual is the OLS residual");
    });
    const smb = vbr.fit.params.get("SMB");
    const smbFactor = vbr.data.getColumn("SMB").toArray() as number[];
    assert.ok(relErr(totals.get("SMB"), smb * smbFactor.reduce((s, v) => s + v, 0)) < 1e-12);
    assert.ok(Math.abs(totals.get("residual")) < 1e-14); // OLS with a constant
    // The table is in percent, like the attribution chart next to it.
    const { table } = vbr.attribution();
    assert.equal(table.columns[1].header, "sum of returns (%)");
    assert.equal(table.rows[0][1], 100 * totals.get("alpha"));
    assert.match(table.toString(), /^SMB +\d+\.\d\d +\d+\.\d%$/m);
  });
});

Deno.test("toJSON carries the estimates, inference and diagnostics", async () => {
  await withServer(async (sources) => {
    const json = (await analyze("VBR", { ...RANGE, ...sources })).toJSON();
    assert.equal(json.nobs, 131);
    assert.equal(json.start, "2010-02");
    assert.deepEqual(Object.keys(json.params as object), ["const", "MKT_RF", "SMB", "HML"]);
    assert.ok(
      relErr((json.betas as Record<string, number>).SMB, refs.VBR_ff3_monthly.params[2]) < 1e-8,
    );
    const parsed = JSON.parse(JSON.stringify(json));
    assert.equal(parsed.alpha.significant, false);
    assert.equal(parsed.white.lmPvalue < 0.05, true);
  });
});

Deno.test("an analysis displays its report and summary in Jupyter", async () => {
  const a = await analyze(syntheticReturns(0.001, 1), { model: "capm", name: "X" });
  const bundle = (a as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ].call(a);
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.match(bundle["text/plain"], /^--- CAPM Analysis: X/);
  assert.match(bundle["text/plain"], /OLS Regression Results/);
  assert.match(bundle["text/html"], /<caption[^>]*>CAPM Analysis: X/);
});

Deno.test("bad analysis requests fail with what to do", async () => {
  await assert.rejects(
    () => analyze("VBR", { model: "ff4" as never }),
    /Unknown model "ff4". Use one of/,
  );
  await assert.rejects(() => analyze("VBR", {}), /needs the period: \{ start: "2010-01-01"/);
  await assert.rejects(
    () => analyze({ x: [1, 2] }, { model: "capm" }),
    /needs a "period" column \(returns\) or a "date" column/,
  );
  const noRf = syntheticReturns(0, 1);
  await assert.rejects(
    () =>
      analyze(noRf.select("period", "excessReturn").rename({ excessReturn: "return" }), {
        model: { factors: ["MKT_RF"], data: noRf.select("period", "MKT_RF") },
      }),
    (e: Error) => e instanceof InvalidArgumentError && /no "RF" column/.test(e.message),
  );
  await assert.rejects(
    () => analyze(syntheticReturns(0, 1), { model: { factors: ["QMJ"] } }),
    /no model with all of QMJ/,
  );
  await assert.rejects(
    () => analyze(syntheticReturns(0, 1), { model: "capm", significance: 5 }),
    /significance must be between 0 and 1/,
  );
  await assert.rejects(
    () => analyze(syntheticReturns(0, 1), { model: "capm", covType: "HAC" }),
    /needs maxlags/,
  );
});

Deno.test("figures of an analysis carry its betas, intervals, fitted values and attribution", async () => {
  const a = await analyze(syntheticReturns(0.002, 0.9), { model: "capm", name: "X" });
  const ci = a.fit.confInt(0.05);
  const bars = a.plotExposures().spec.data[0] as {
    x: string[];
    y: number[];
    error_y: { array: number[]; arrayminus: number[] };
  };
  assert.deepEqual(bars.x, ["MKT_RF"]);
  assert.deepEqual(bars.y, [a.betas.get("MKT_RF")]);
  assert.ok(Math.abs(bars.error_y.array[0] - (ci.upper.get("MKT_RF") - bars.y[0])) < 1e-15);
  assert.ok(Math.abs(bars.error_y.arrayminus[0] - (bars.y[0] - ci.lower.get("MKT_RF"))) < 1e-15);
  assert.match(String(a.plotExposures()), /Factor Exposures for X/);
  const fitted = a.plotFitted().spec.data.map((t) => t.y as number[]);
  assert.deepEqual(fitted[1], Array.from(a.fit.fittedValues));
  const attribution = a.plotAttribution().spec;
  const names = attribution.data.map((t) => t.name);
  assert.deepEqual(names.slice(0, 3), ["alpha", "MKT_RF", "residual"]);
  assert.equal(a.plotResiduals().spec.data.length >= 3, true);
  const bundle = (a.plotExposures() as unknown as Record<symbol, () => Record<string, unknown>>)[
    Symbol.for("Jupyter.display")
  ]();
  assert.ok("application/vnd.plotly.v1+json" in bundle && "text/html" in bundle);
});

Deno.test("plotScatter draws the simple regression's least-squares line and every residual", async () => {
  const a = await analyze(syntheticReturns(0.002, 0.9), { model: "capm", name: "X" });
  const spec = a.plotScatter("MKT_RF").spec;
  const [gaps, points, line] = spec.data as { x: (number | null)[]; y: (number | null)[] }[];
  const x = points.x as number[];
  const y = points.y as number[];
  // The least-squares line of y on x: slope cov/var, through the means.
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  assert.equal(x.length, a.periods.length);
  assert.ok(Math.abs(slope - a.betas.get("MKT_RF")) < 1e-10, "one factor: the model's beta");
  const lo = Math.min(...x);
  assert.ok(Math.abs((line.y[0] as number) - (intercept + slope * lo)) < 1e-11);
  assert.equal(gaps.x.length, 3 * x.length);
  assert.equal(gaps.y[2], null);
  assert.ok(Math.abs((gaps.y[1] as number) - (intercept + slope * x[0])) < 1e-11);
  const title = spec.layout.title as { subtitle: { text: string } };
  assert.match(title.subtitle.text, /least squares minimises the sum of the squared grey gaps/);
  assert.throws(
    () => a.plotScatter("HML"),
    /"HML" is not a factor of this model; choose one of MKT_RF/,
  );
});

Deno.test("alpha and the White test print as a sentence and a table", async () => {
  const a = await analyze(syntheticReturns(0.004, 0.5), { model: "capm", name: "LOWVOL" });
  assert.match(
    Deno.inspect(a.alpha),
    /^Alpha 0\.40\d% a month \(annualized ≈ 4\.8\d%\), t = \d+\.\d\d, p = .*: significant at the 5% level\.$/,
  );
  assert.equal(a.alpha.toHTML(), `<p>${String(a.alpha)}</p>`);
  assert.deepEqual(Object.keys(a.alpha.toJSON()), [
    "perPeriod",
    "annualized",
    "tvalue",
    "pvalue",
    "significant",
    "level",
    "periodsPerYear",
  ]);
  const white = a.fit.hetWhite();
  const lines = Deno.inspect(white).split("\n");
  assert.equal(lines[0], "White test for heteroscedasticity");
  assert.match(lines[2], /^LM \(χ²\) +\d+\.\d{4} +2 +/);
  assert.match(lines[3], /^F +\d+\.\d{4} +2, 117 +/);
  assert.match(lines[4], /^H0: homoscedasticity/);
  assert.equal(JSON.parse(JSON.stringify(white)).lmDf, 2);
});
