import assert from "node:assert/strict";
import { analyze, type FactorAnalysis, readPriceCsv, RegressionInputError } from "../mod.ts";
import { relErr } from "./support/golden_datasets.ts";
import reference from "./fixtures/rolling_vbr_statsmodels.json" with { type: "json" };

const PRICES = "data/samples/prices/VBR_daily_yfinance_2005-01-03_2026-05-01.csv";
const VBR = {
  name: "VBR",
  model: "ff3" as const,
  start: "2010-01-01",
  end: "2020-12",
  frenchSource: "data/samples/french",
  vintage: "202601",
};
const expected = reference.expected;

async function vbr(rolling?: number): Promise<FactorAnalysis> {
  return await analyze(await readPriceCsv(PRICES), { ...VBR, rolling });
}

function assertRows(
  actual: (period: string) => ArrayLike<number> | null,
  rows: (number[] | null)[],
  what: string,
): void {
  rows.forEach((row, t) => {
    const period = reference.input.period[t];
    const got = actual(period);
    if (row === null) return assert.equal(got, null, `${what} ${period}: expected no estimate`);
    assert.ok(got !== null, `${what} ${period}: no estimate`);
    row.forEach((v, j) => {
      assert.ok(relErr(got[j], v) <= 1e-8, `${what} ${period}[${j}]: ${got[j]} vs ${v}`);
    });
  });
}

Deno.test("analyze with rolling: 36 gives VBR's 36-month betas as statsmodels RollingOLS", async () => {
  const a = await vbr(36);
  const rolling = a.rolling!;
  assert.equal(rolling.window, 36);
  assert.deepEqual(rolling.periods, reference.input.period);
  assert.deepEqual(Array.from(rolling.results.nobs), expected.nobs);
  const row = (m: { row(p: string): ArrayLike<number> }, p: string) =>
    rolling.results.nobs.get(p) === 0 ? null : m.row(p);
  assertRows((p) => row(rolling.results.params, p), expected.params, "params");
  assertRows((p) => row(rolling.results.bse, p), expected.bse, "bse");
  const ci = rolling.results.confInt(0.05);
  assertRows((p) => row(ci.lower, p), expected.lower, "lower");
  assertRows((p) => row(ci.upper, p), expected.upper, "upper");
  // Betas and alpha by period and factor name.
  assert.equal(rolling.at("2012-12"), null);
  assert.deepEqual(rolling.at("2013-01")!.names, ["MKT_RF", "SMB", "HML"]);
  assert.ok(relErr(rolling.at("2013-01")!.get("SMB"), expected.params[35]![2]) <= 1e-8);
  assert.equal(rolling.betas.get("2020-12", "HML"), rolling.results.params.get("2020-12", "HML"));
  assert.ok(relErr(rolling.alpha.get("2020-12"), expected.params[130]![0]) <= 1e-8);
});

Deno.test("the rolling frame has a row per period, null before the first full window", async () => {
  const rolling = (await vbr(36)).rolling!;
  const frame = rolling.frame;
  assert.deepEqual(frame.columns, [
    "period",
    "nobs",
    "alpha",
    "MKT_RF",
    "SMB",
    "HML",
    "rsquaredAdj",
  ]);
  assert.equal(frame.height, 131);
  const rows = frame.toRecords() as Record<string, string | number | null>[];
  assert.deepEqual(rows[34], {
    period: "2012-12",
    nobs: 0,
    alpha: null,
    MKT_RF: null,
    SMB: null,
    HML: null,
    rsquaredAdj: null,
  });
  assert.equal(rows[35].nobs, 36);
  assert.equal(rows[35].MKT_RF, rolling.betas.get("2013-01", "MKT_RF"));
  assert.ok(relErr(rows[130].rsquaredAdj as number, expected.rsquared_adj[130]!) <= 1e-8);
});

Deno.test("plotRollingBetas draws each factor's betas with its 95% band", async () => {
  const a = await vbr(36);
  const fig = a.plotRollingBetas();
  const data = fig.spec.data as { name: string; y: (number | null)[]; fill?: string }[];
  const lines = data.filter((d) => d.fill === undefined);
  assert.deepEqual(lines.map((d) => d.name), ["MKT_RF", "SMB", "HML"]);
  // The chart starts at the first full window (2013-01), not at the first period of data.
  assert.equal((data[0] as unknown as { x: string[] }).x[0], "2013-01");
  assert.equal(lines[0].y.length, 131 - 35);
  assert.equal(lines[0].y[0], a.rolling!.betas.get("2013-01", "MKT_RF"));
  const bands = data.filter((d) => d.fill === "toself");
  assert.equal(bands.length, 3);
  assert.equal(bands[0].name, "MKT_RF 95% band");
  // The band polygon runs along the upper bounds, then back along the lower ones.
  assert.ok(relErr(bands[0].y[0]!, expected.upper[35]![1]) <= 1e-8);
  assert.ok(relErr(bands[0].y[bands[0].y.length - 1]!, expected.lower[35]![1]) <= 1e-8);
  const layout = fig.spec.layout as { title: { text: string } };
  assert.match(layout.title.text, /Rolling 36-month betas: VBR/);
  const one = a.plotRollingBetas({ factors: ["SMB"], title: "SMB exposure" });
  assert.equal((one.spec.data as unknown[]).length, 2);
  assert.throws(() => a.plotRollingBetas({ factors: ["MOM"] }), /"MOM" is not a factor/);
});

Deno.test("robust re-estimates keep the rolling betas; --json carries them", async () => {
  const a = await vbr(36);
  const hac = a.getRobustcovResults("HAC", { maxlags: "auto" });
  assert.equal(hac.rolling, a.rolling);
  assert.match(hac.fit.covKwds.description, /Newey-West 1994 automatic selection/);
  const json = a.toJSON() as {
    rolling: { window: number; betas: Record<string, (number | null)[]> };
  };
  assert.equal(json.rolling.window, 36);
  assert.equal(json.rolling.betas.MKT_RF[34], null);
  assert.equal(json.rolling.betas.MKT_RF[35], a.rolling!.betas.get("2013-01", "MKT_RF"));
});

Deno.test("without rolling there are no rolling betas, and the plot says how to get them", async () => {
  const a = await vbr();
  assert.equal(a.rolling, undefined);
  assert.throws(() => a.plotRollingBetas(), /no rolling regressions.*\{ rolling: 36 \}/);
  assert.equal("rolling" in a.toJSON(), false);
});

Deno.test("a window longer than the sample or not whole is refused", async () => {
  const prices = await readPriceCsv(PRICES);
  await assert.rejects(
    () => analyze(prices, { ...VBR, rolling: 200 }),
    (e: Error) =>
      e instanceof RegressionInputError &&
      /window 200 is longer than the sample \(131/.test(e.message),
  );
  await assert.rejects(() => analyze(prices, { ...VBR, rolling: 2.5 }), /whole number of periods/);
});

Deno.test("rolling windows span periods: a period with a gap is left out of its windows", async () => {
  const input = reference.input;
  const returns = {
    ...input,
    excessReturn: input.excessReturn.map((v, t) => (t === 40 ? null : v)),
  };
  const a = await analyze(returns, {
    model: "ff3",
    missing: "drop",
    rolling: { window: 36, minObs: 30 },
  });
  assert.equal(a.nobs, 130);
  assert.deepEqual(a.rolling!.periods, input.period); // every period, the gap included
  assert.equal(a.rolling!.results.nobs.get(input.period[39]), 36);
  assert.equal(a.rolling!.results.nobs.get(input.period[40]), 35);
  assert.equal(a.rolling!.results.nobs.get(input.period[75]), 35);
  assert.equal(a.rolling!.results.nobs.get(input.period[76]), 36);
});

Deno.test("rolling betas print under the asset's name, with the last window's betas", async () => {
  const rolling = (await vbr(36)).rolling!;
  const text = String(rolling);
  assert.match(text, /Rolling betas of VBR, 36-month windows/);
  assert.match(text, /Windows estimated: +96 of 131/);
  const smb = text.split("\n").find((l) => l.startsWith("SMB "))!.trim().split(/ +/);
  assert.equal(smb[2], rolling.betas.get("2020-12", "SMB").toFixed(4));
});
