import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { analyze, analyzeMany, grsTest, InvalidArgumentError, ols, readPriceCsv } from "../mod.ts";
import { JUPYTER_DISPLAY } from "../lib/display/symbols.ts";
import { relErr } from "./support/golden_datasets.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { portfolioPanel } from "./support/portfolios.ts";
import ref from "./fixtures/asset_pricing_reference.json" with { type: "json" };
import refs from "./fixtures/statsmodels_analyses.json" with { type: "json" };

const FRENCH = { frenchSource: "data/samples/french", vintage: "202412" };
const panel = await portfolioPanel();
/** The raw value-weighted portfolio returns (no factors): analyzeMany adds FF3 and RF itself. */
const portfolios = panel.frame.select("period", ...panel.assets);

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      relErr(actual[i], expected[i]) <= tol,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]} (rel ${relErr(actual[i], expected[i])})`,
    );
  }
}

async function withServer(fn: (sources: Record<string, unknown>) => Promise<void>) {
  const server = await startFixtureServer();
  try {
    await fn({ yahooSource: server.yahooBase, frenchSource: server.frenchBase, cache: false });
  } finally {
    await server.close();
  }
}

Deno.test("25 portfolios from a wide frame: the tidy frame matches statsmodels per portfolio", async () => {
  const many = await analyzeMany(portfolios, { model: "ff3", ...FRENCH });
  assert.deepEqual(many.assets, ref.assets);
  assert.deepEqual(many.terms, ["const", "MKT_RF", "SMB", "HML"]);
  assert.equal(many.joinReport?.rows, 738);
  const tidy = many.coefficientsFrame();
  assert.deepEqual(tidy.columns, ["asset", "term", "coef", "stdErr", "t", "pvalue"]);
  // The deprecated name keeps the old column name for one release.
  assert.deepEqual(many.coefficients().columns, ["asset", "term", "coef", "stdErr", "t", "pValue"]);
  assert.equal(tidy.height, 25 * 4);
  const rows = tidy.toRecords() as {
    asset: string;
    term: string;
    coef: number;
    stdErr: number;
    pvalue: number;
  }[];
  ref.assets.forEach((asset, j) => {
    const own = rows.filter((r) => r.asset === asset);
    assert.deepEqual(own.map((r) => r.term), many.terms);
    close(own.map((r) => r.coef), ref.time_series.params[j], 1e-10, `${asset} coef`);
    close(own.map((r) => r.stdErr), ref.time_series.bse[j], 1e-10, `${asset} stdErr`);
    close(own.map((r) => r.pvalue), ref.time_series.pvalues[j], 1e-8, `${asset} pvalue`);
    close([many.rsquaredAdj.get(asset)], [ref.time_series.rsquared_adj[j]], 1e-12, "adj R²");
    assert.equal(many.nobs.get(asset), 738);
  });
});

Deno.test("analyzeMany's joint tests on the 25 portfolios equal GRS and Fama-MacBeth references", async () => {
  const many = await analyzeMany(portfolios, { model: "ff3", ...FRENCH });
  const grs = many.grs();
  close([grs.statistic, grs.pvalue], [ref.grs_ff3.F, ref.grs_ff3.F_pvalue], 1e-10, "GRS");
  assert.equal(grs.nobs, 738);
  const fm = many.famaMacBeth({ maxlags: 6 });
  close(fm.riskPremia, ref.fm_ff3.risk_premia, 1e-12, "risk premia");
  close(fm.bse("shanken"), ref.fm_ff3.se_shanken, 1e-12, "Shanken se");
  assert.equal(fm.lambdas.rowNames[0], "1963-07");
  const rolling = many.famaMacBeth({ window: 60, maxlags: 6 });
  assert.equal(rolling.lambdas.rowNames[0], ref.fm_ff3_rolling60.first_period);
  close(rolling.riskPremia, ref.fm_ff3_rolling60.risk_premia, 1e-12, "rolling premia");
  const subset = many.grs({ assets: ["SMALL LoBM", "BIG HiBM"] });
  assert.equal(subset.df, 2);
  const direct = grsTest(
    { "SMALL LoBM": panel.excess["SMALL LoBM"], "BIG HiBM": panel.excess["BIG HiBM"] },
    panel.factors,
  );
  close([subset.statistic], [direct.statistic], 1e-12, "subset GRS");
});

Deno.test("each asset keeps its own valid periods, and equals ols() on exactly those rows", async () => {
  // A late listing (first 100 months missing), scattered gaps, and an asset with 3 returns.
  const late = panel.frame.getColumn("ME2 BM3").toArray().map((v, t) => (t < 100 ? null : v));
  const gaps = panel.frame.getColumn("ME4 BM1").toArray().map((v, t) => (t % 17 === 5 ? null : v));
  const brief = panel.frame.getColumn("BIG LoBM").toArray().map((v, t) => (t < 3 ? v : null));
  const frame = portfolios.withColumns(
    pl.Series("ME2 BM3", late, pl.Float64),
    pl.Series("ME4 BM1", gaps, pl.Float64),
    pl.Series("BIG LoBM", brief, pl.Float64),
  );
  const many = await analyzeMany(frame, { ...FRENCH });
  assert.equal(many.assets.length, 24);
  assert.deepEqual(many.skipped, [{
    asset: "BIG LoBM",
    reason: "only 3 periods with a return and factors (needs 5)",
  }]);
  assert.throws(() => many.fit("BIG LoBM"), /BIG LoBM was not fitted: only 3 periods/);
  assert.equal(many.nobs.get("ME2 BM3"), 638);
  assert.equal(many.nobs.get("ME4 BM1"), 738 - 44); // t = 5, 22, …, 736
  assert.equal(many.nobs.get("SMALL LoBM"), 738);
  for (const asset of ["ME2 BM3", "ME4 BM1", "SMALL LoBM"]) {
    const y = panel.excess[asset].map((v, t) => {
      const raw = frame.getColumn(asset).get(t);
      return raw === null ? NaN : v;
    });
    const one = ols(y, panel.factors, { addConstant: true, missing: "drop" });
    close(many.params.row(asset), one.params, 1e-12, `${asset} params`);
    close(many.bse.row(asset), one.bse, 1e-12, `${asset} bse`);
    close(many.pvalues.row(asset), one.pvalues, 1e-12, `${asset} pvalues`);
    close(many.fit(asset).params, one.params, 1e-12, `${asset} fit()`);
    assert.equal(many.analysis(asset).nobs, one.nobs);
  }
  // Joint tests use the periods every asset has: months 100.. without the gaps of ME4 BM1.
  const grs = many.grs();
  const common = panel.periods.map((_, t) => t).filter((t) => t >= 100 && t % 17 !== 5);
  assert.equal(grs.nobs, common.length);
  const direct = grsTest(
    Object.fromEntries(many.assets.map((a) => [a, common.map((t) => panel.excess[a][t])])),
    {
      MKT_RF: common.map((t) => panel.factors.MKT_RF[t]),
      SMB: common.map((t) => panel.factors.SMB[t]),
      HML: common.map((t) => panel.factors.HML[t]),
    },
  );
  close(
    [grs.statistic, grs.pvalue],
    [direct.statistic, direct.pvalue],
    1e-12,
    "GRS on common periods",
  );
  assert.match(many.table().note ?? "", /Skipped: BIG LoBM \(only 3 periods/);
});

Deno.test("robust standard errors per asset equal ols() with the same covariance", async () => {
  const many = await analyzeMany(portfolios, {
    ...FRENCH,
    assets: ["SMALL HiBM", "ME3 BM3"],
    covType: "HAC",
    maxlags: 6,
  });
  assert.equal(many.covType, "HAC");
  ["SMALL HiBM", "ME3 BM3"].forEach((asset) => {
    const j = ref.assets.indexOf(asset);
    close(many.bse.row(asset), ref.time_series.hac6_bse[j], 1e-10, `${asset} HAC(6) bse`);
    const one = ols(panel.excess[asset], panel.factors, {
      addConstant: true,
      covType: "HAC",
      maxlags: 6,
    });
    close(many.pvalues.row(asset), one.pvalues, 1e-12, `${asset} HAC p-values (normal)`);
    assert.equal(many.fit(asset).covType, "HAC");
  });
  assert.match(many.table().note ?? "", /HAC\) using 6 lags/);
});

Deno.test("with maxlags 'auto' each asset gets its own Newey-West (1994) lags, as ols() would", async () => {
  const assets = ["SMALL LoBM", "ME2 BM4", "BIG HiBM"];
  const many = await analyzeMany(portfolios, {
    ...FRENCH,
    assets,
    covType: "HAC",
    maxlags: "auto",
  });
  const lags = assets.map((a) => {
    const one = ols(panel.excess[a], panel.factors, {
      addConstant: true,
      covType: "HAC",
      maxlags: "auto",
    });
    close(many.bse.row(a), one.bse, 1e-12, `${a} HAC(auto) bse`);
    assert.equal(many.fit(a).covKwds.maxlags, one.covKwds.maxlags);
    return one.covKwds.maxlags!;
  });
  assert.match(
    many.table().note ?? "",
    new RegExp(
      `Newey-West \\(1994\\) automatic selection \\(${Math.min(...lags)} to ${
        Math.max(...lags)
      }\\)`,
    ),
  );
});

Deno.test("tickers over HTTP: VBR and SPY reproduce statsmodels and equal analyze() for each", async () => {
  await withServer(async (sources) => {
    // The tutorial's call (prices up to 2020-12-30), as the pandas-built reference.
    const range = { start: "2010-01-01", end: "2020-12-31" };
    const many = await analyzeMany(["VBR", "SPY"], { model: "ff3", ...range, ...sources });
    assert.deepEqual(many.assets, ["VBR", "SPY"]);
    for (
      const [ticker, r] of [["VBR", refs.VBR_ff3_monthly], ["SPY", refs.SPY_ff3_monthly]] as const
    ) {
      assert.equal(many.nobs.get(ticker), 131);
      close(many.params.row(ticker), r.params, 1e-8, `${ticker} params`);
      close(many.bse.row(ticker), r.bse, 1e-8, `${ticker} bse`);
      close(many.pvalues.row(ticker), r.pvalues, 1e-6, `${ticker} pvalues`);
      const single = await analyze(ticker, { model: "ff3", ...range, ...sources });
      close(many.params.row(ticker), single.fit.params, 1e-12, `${ticker} vs analyze`);
      close(many.bse.row(ticker), single.fit.bse, 1e-12, `${ticker} bse vs analyze`);
      assert.deepEqual(many.analysis(ticker).periods, single.periods);
      assert.equal(many.analysis(ticker).report().toString(), single.report().toString());
      const [a, b] = [many.alpha(ticker), single.alpha];
      close(
        [a.perPeriod, a.annualized, a.tvalue, a.pvalue],
        [
          b.perPeriod,
          b.annualized,
          b.tvalue,
          b.pvalue,
        ],
        1e-12,
        `${ticker} alpha`,
      );
      assert.equal(a.significant, b.significant);
    }
  });
});

Deno.test("a ticker that cannot be downloaded is skipped with the reason when failures are collected", async () => {
  await withServer(async (sources) => {
    const range = { start: "2015-01-01", end: "2016-12", progress: false };
    const many = await analyzeMany(["SPY", "NOSUCH"], { ...range, ...sources, onError: "collect" });
    assert.deepEqual(many.assets, ["SPY"]);
    assert.equal(many.skipped.length, 1);
    assert.equal(many.skipped[0].asset, "NOSUCH");
    assert.match(many.skipped[0].reason, /^download failed: .*NOSUCH/);
    await assert.rejects(() => analyzeMany(["SPY", "NOSUCH"], { ...range, ...sources }), /NOSUCH/);
  });
});

Deno.test("daily tickers over HTTP: AAPL's figures match statsmodels, annualized by 252", async () => {
  await withServer(async (sources) => {
    const many = await analyzeMany(["AAPL", "SPY"], {
      start: "2020-01-01",
      end: "2022-12",
      frequency: "daily",
      ...sources,
    });
    assert.equal(many.nobs.get("AAPL"), 755);
    close(many.params.row("AAPL"), refs.AAPL_ff3_daily.params, 1e-8, "AAPL params");
    close(many.bse.row("AAPL"), refs.AAPL_ff3_daily.bse, 1e-8, "AAPL bse");
    assert.equal(many.alpha("AAPL").periodsPerYear, 252);
    assert.match(many.table().toString(), /^asset\s+first\s+last\s+days/m);
  });
});

Deno.test("a wide frame of daily prices gives the same fits as analyze() on each price series", async () => {
  const read = async (file: string, name: string) =>
    (await readPriceCsv(`data/samples/prices/${file}`)).select(
      "date",
      pl.col("adjClose").alias(name),
    );
  const vbr = await read("VBR_daily_yfinance_2005-01-03_2026-05-01.csv", "VBR");
  const spy = await read("SPY_daily_1993-01-29_2024-08-02.csv", "SPY");
  const prices = vbr.join(spy, { on: "date", how: "full", coalesce: true }).sort("date");
  const options = {
    start: "2010-01-01",
    end: "2020-12",
    frenchSource: "data/samples/french",
    vintage: "202601",
  };
  const many = await analyzeMany(prices, options);
  assert.deepEqual(many.assets, ["VBR", "SPY"]);
  const single = await analyze(vbr.rename({ VBR: "adjClose" }), { name: "VBR", ...options });
  assert.equal(many.nobs.get("VBR"), 131);
  close(many.params.row("VBR"), single.fit.params, 1e-12, "VBR params");
  assert.equal(many.betas.get("VBR", "MKT_RF").toFixed(4), "1.0137");
});

Deno.test("the per-asset table has periods, alpha (per period, annualized, p), betas and adj. R²", async () => {
  const many = await analyzeMany(portfolios, {
    ...FRENCH,
    assets: ["SMALL LoBM", "BIG HiBM"],
  });
  const lines = many.table().toString().split("\n");
  assert.equal(lines[0], "Fama-French 3-Factor: 2 assets, monthly");
  assert.match(
    lines[1],
    /^asset\s+first\s+last\s+months\s+alpha\s+alpha ann\. %\s+P\(alpha\)\s+MKT_RF\s+SMB\s+HML\s+adj\. R²$/,
  );
  const j = ref.assets.indexOf("SMALL LoBM");
  const [a] = ref.time_series.params[j];
  assert.match(
    lines[2],
    new RegExp(
      `^SMALL LoBM\\s+1963-07\\s+2024-12\\s+738\\s+${a.toFixed(4)}\\s+${
        (a * 1200).toFixed(2)
      }\\s+0\\.0000`,
    ),
  );
  const html = many[JUPYTER_DISPLAY]()["text/html"] as string;
  assert.match(html, /<table[^]*BIG HiBM/);
  const json = many.toJSON() as { params: Record<string, Record<string, number>> };
  assert.ok(relErr(json.params["BIG HiBM"].HML, ref.time_series.params[24][3]) < 1e-10);
});

Deno.test("exposure figures: bars with intervals for a few assets, a heatmap for many", async () => {
  const few = await analyzeMany(portfolios, { ...FRENCH, assets: ["SMALL HiBM", "BIG LoBM"] });
  const bars = few.plotExposures();
  const traces = bars.spec.data as {
    type: string;
    name: string;
    y: number[];
    error_y: { array: number[] };
  }[];
  assert.deepEqual(traces.map((t) => [t.type, t.name]), [["bar", "SMALL HiBM"], [
    "bar",
    "BIG LoBM",
  ]]);
  close(traces[1].y, few.betas.row("BIG LoBM"), 0, "bar heights");
  const ci = few.fit("BIG LoBM").confInt(0.05);
  close(
    traces[1].error_y.array,
    [1, 2, 3].map((i) => ci.upper[i] - few.params.get("BIG LoBM", i)),
    1e-12,
    "whiskers",
  );
  const many = await analyzeMany(portfolios, FRENCH);
  const heat = many.plotExposures().spec.data[0] as {
    type: string;
    z: number[][];
    text: string[][];
  };
  assert.equal(heat.type, "heatmap");
  assert.equal(heat.z.length, 25);
  close(heat.z[24], many.betas.row("BIG HiBM"), 0, "heatmap row");
  // Every market beta is highly significant: a star on each.
  assert.ok(heat.text.every((row) => row[0].endsWith("*")));
  assert.equal(many.plotExposures({ kind: "bars", groupBy: "asset" }).spec.data.length, 3);
});

Deno.test("analyzeMany says what is wrong with its input", async () => {
  await assert.rejects(
    () => analyzeMany("VBR" as unknown as string[]),
    (e: unknown) =>
      e instanceof InvalidArgumentError && /for one asset use analyze\("VBR"\)/.test(e.message),
  );
  await assert.rejects(() => analyzeMany(["VBR", "SPY"]), /needs the period: \{ start:/);
  await assert.rejects(
    () => analyzeMany({ month: ["2020-01"], A: [0.01] }),
    /needs a "period" column \(returns, one column per asset\) or a "date" column/,
  );
  await assert.rejects(
    () => analyzeMany(portfolios, { ...FRENCH, assets: ["SMALL LoBM", "NOPE"] }),
    /no column "NOPE"/,
  );
  await assert.rejects(
    () => analyzeMany(panel.frame, { ...FRENCH, assets: ["SMALL LoBM", "HML"] }),
    /"HML" is a factor or key column, not an asset/,
  );
  await assert.rejects(
    () => analyzeMany(portfolios, { ...FRENCH, minObs: 2 }),
    /minObs must be a whole number of at least 5/,
  );
  await assert.rejects(
    () => analyzeMany(portfolios.head(4), { ...FRENCH, assets: ["SMALL LoBM"] }),
    /No asset could be fitted: SMALL LoBM \(only 4 periods with a return and factors \(needs 5\)\)/,
  );
  const many = await analyzeMany(portfolios, { ...FRENCH, assets: ["SMALL LoBM"] });
  assert.throws(() => many.fit("ME1 BM2"), /No asset "ME1 BM2"\. Assets: SMALL LoBM/);
});

Deno.test("analyzeMany refuses a returns frame with an impossible or repeated period, naming the row", async () => {
  const periods = Array.from(
    { length: 24 },
    (_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
  );
  const frame = (keys: string[]) =>
    pl.DataFrame({
      period: keys,
      A: keys.map((_, i) => Math.sin(i) / 50),
      MKT_RF: keys.map((_, i) => Math.cos(i) / 40),
      RF: keys.map(() => 0.001),
    });
  await assert.rejects(
    () => analyzeMany(frame(periods.with(7, "2010-13")), { model: "capm", progress: false }),
    /^InvalidArgumentError: Row 7 of the returns frame given to analyzeMany has period "2010-13"/,
  );
  await assert.rejects(
    () => analyzeMany(frame(periods.with(9, periods[8])), { model: "capm", progress: false }),
    /has period "2010-09" twice \(rows 8 and 9\)/,
  );
  await assert.rejects(
    () =>
      analyzeMany({ period: periods.with(3, "2010-4"), A: periods.map(() => 0.01) }, {
        model: "capm",
        progress: false,
      }),
    /Row 3 of the returns given to analyzeMany has period "2010-4"/,
  );
});
