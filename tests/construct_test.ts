import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  constructFactors,
  type ConstructOptions,
  factorsFromSixPortfolios,
  frenchDataset,
  InvalidArgumentError,
  SIX_PORTFOLIOS,
  TooFewFirmsError,
} from "../mod.ts";
import ref from "./fixtures/construct_factors.json" with { type: "json" };

// Reference: the same rules written as plain Python loops over firms and months on a seeded
// synthetic panel (tests/fixtures/make_factor_models_reference.py).
const panel = pl.DataFrame(ref.panel);

function maxAbsDiff(actual: unknown[], expected: unknown[]): number {
  assert.equal(actual.length, expected.length);
  return Math.max(...actual.map((v, i) => Math.abs((v as number) - (expected[i] as number))));
}

for (const [name, { options, expected }] of Object.entries(ref.cases)) {
  Deno.test(`2x3 construction (${name}) matches a loop-by-loop computation`, () => {
    const built = constructFactors(panel, options as ConstructOptions);
    const e = expected as unknown as Record<string, unknown[]>;
    assert.deepEqual(built.factors.getColumn("period").toArray(), e.periods);
    assert.deepEqual(built.breakpoints.toRecords(), e.formations);
    for (const p of SIX_PORTFOLIOS) {
      assert.deepEqual(built.counts.getColumn(p).toArray(), e[`n ${p}`], `firms in ${p}`);
      assert.ok(maxAbsDiff(built.portfolios.getColumn(p).toArray(), e[p]) < 1e-15, p);
    }
    assert.ok(maxAbsDiff(built.factors.getColumn("SMB").toArray(), e.SMB) < 1e-15);
    assert.ok(maxAbsDiff(built.factors.getColumn("HML").toArray(), e.HML) < 1e-15);
  });
}

Deno.test("the synthetic panel exercises the edge cases the construction must handle", () => {
  const rows = panel.height;
  assert.ok(panel.filter(pl.col("be").lt(0)).height > 100, "negative book equity");
  assert.ok(panel.filter(pl.col("be").isNull()).height > 20, "missing book equity");
  assert.ok(panel.filter(pl.col("return").isNull()).height > 20, "missing returns");
  const spans = panel.groupBy("id").agg(
    pl.col("date").min().alias("first"),
    pl.col("date").max().alias("last"),
  );
  assert.ok(spans.filter(pl.col("first").gt(pl.lit("2000-01"))).height > 3, "firms entering");
  assert.ok(spans.filter(pl.col("last").lt(pl.lit("2003-06"))).height > 3, "firms leaving");
  assert.ok(rows > 2000);
  // Book equity from the last fiscal year ending in t − 1 is not the December row's for some
  // firms, so the two timings give different sorts.
  const december = constructFactors(panel, { nyse: "nyse" }).assignments;
  const fiscal = constructFactors(panel, { nyse: "nyse", fiscalYearEnd: "fye" }).assignments;
  const both = december.join(fiscal, { on: ["id", "year"], suffix: "_fy" });
  assert.ok(both.filter(pl.col("be").neq(pl.col("be_fy"))).height > 20);
});

/**
 * Six NYSE firms, one per portfolio, that set the breakpoints (median ME 56, B/M percentiles
 * 0.425 and 1.05), plus a big high-B/M non-NYSE firm and firms each rule must leave out.
 */
function handPanel(): Record<string, unknown>[] {
  const firms: Record<string, { me: number; bm: number | null }> = {
    sl: { me: 10, bm: 0.2 },
    sn: { me: 11, bm: 0.6 },
    sh: { me: 12, bm: 1.5 },
    bl: { me: 100, bm: 0.25 },
    bn: { me: 110, bm: 0.7 },
    bh: { me: 120, bm: 1.4 },
    negative: { me: 50, bm: -0.5 },
    missing: { me: 60, bm: null },
  };
  const rows: Record<string, unknown>[] = [];
  for (const [id, f] of Object.entries(firms)) {
    const nyse = id.length === 2;
    const be = f.bm === null ? null : f.me * f.bm;
    rows.push({ id, date: "2000-12", return: 0, me: f.me, be, nyse });
    rows.push({ id, date: "2001-06", return: 0, me: f.me, be: null, nyse });
    rows.push({ id, date: "2001-07", return: 0.1, me: f.me * 1.1, be: null, nyse });
    if (id !== "bh") {
      rows.push({ id, date: "2001-08", return: 0.02, me: f.me * 1.1 * 1.02, be: null, nyse });
    }
  }
  // Listed in March 2001: no December 2000 market equity, so not sorted in June 2001.
  rows.push({ id: "late", date: "2001-03", return: null, me: 5, be: 4, nyse: true });
  rows.push({ id: "late", date: "2001-06", return: 0, me: 5, be: 4, nyse: true });
  rows.push({ id: "late", date: "2001-07", return: 0.5, me: 7.5, be: 4, nyse: true });
  // A second big/high firm that leaves after July, to be the only one in B/H in August.
  rows.push({ id: "bh2", date: "2000-12", return: 0, me: 300, be: 300 * 1.45, nyse: false });
  rows.push({ id: "bh2", date: "2001-06", return: 0, me: 300, be: null, nyse: false });
  rows.push({ id: "bh2", date: "2001-07", return: -0.1, me: 270, be: null, nyse: false });
  rows.push({ id: "bh2", date: "2001-08", return: 0.05, me: 283.5, be: null, nyse: false });
  return rows;
}

Deno.test("negative and missing BE, late listings and leavers are handled as Fama-French do", () => {
  const built = constructFactors(handPanel(), { nyse: "nyse" });
  const assigned = Object.fromEntries(
    built.assignments.select("id", "portfolio").rows().map(([id, p]) => [id, p]),
  );
  assert.equal(assigned.negative, undefined);
  assert.equal(assigned.missing, undefined);
  assert.equal(assigned.late, undefined);
  const [breakpoints] = built.breakpoints.toRecords() as Record<string, number>[];
  assert.deepEqual(
    {
      ...breakpoints,
      bmLow: breakpoints.bmLow.toFixed(12),
      bmHigh: breakpoints.bmHigh.toFixed(12),
    },
    {
      year: 2001,
      size: 56,
      bmLow: "0.425000000000",
      bmHigh: "1.050000000000",
      firms: 7,
      breakpointFirms: 6,
    },
  );
  assert.equal(assigned.sl, "S/L");
  assert.equal(assigned.bh2, "B/H");
  // Every July return is 10% except bh2's −10%: B/H weights bh (120) and bh2 (300) by June ME.
  const july = built.portfolios.row(0);
  assert.equal(july[0], "2001-07");
  assert.ok(
    Math.abs(built.portfolios.getColumn("B/H").get(0) - (120 * 0.1 + 300 * -0.1) / 420) < 1e-15,
  );
  assert.deepEqual(built.counts.row(0), ["2001-07", 1, 1, 1, 1, 1, 2]);
  // In August bh has left; bh2 alone is B/H, with July's ME as its weight.
  assert.ok(Math.abs(built.portfolios.getColumn("B/H").get(1) - 0.05) < 1e-15);
  assert.deepEqual(built.counts.row(1), ["2001-08", 1, 1, 1, 1, 1, 1]);
  const smb = built.factors.getColumn("SMB").get(0);
  const bhJuly = (120 * 0.1 + 300 * -0.1) / 420;
  assert.ok(Math.abs(smb - (0.1 - (0.1 + 0.1 + bhJuly) / 3)) < 1e-15);
});

Deno.test("NYSE flags may be booleans, exchange names or CRSP exchange codes", () => {
  const asBool = constructFactors(panel, { nyse: "nyse" }).factors;
  const withText = panel.withColumns(
    pl.when(pl.col("nyse")).then(pl.lit("nyse ")).otherwise(pl.lit("NASDAQ")).alias("exchange"),
    pl.when(pl.col("nyse")).then(pl.lit(1)).otherwise(pl.lit(3)).alias("exchcd"),
  );
  assert.deepEqual(
    constructFactors(withText, { nyse: "exchange" }).factors.toRecords(),
    asBool.toRecords(),
  );
  assert.deepEqual(
    constructFactors(withText, { nyse: "exchcd" }).factors.toRecords(),
    asBool.toRecords(),
  );
  // Without the flag every firm sets the breakpoints, and the factors change.
  const all = constructFactors(panel).factors.getColumn("SMB").toArray();
  assert.notDeepEqual(all, asBool.getColumn("SMB").toArray());
});

Deno.test("renamed columns, polars dates and per-year size breakpoints give the same factors", () => {
  const renamed = panel
    .rename({ id: "permno", date: "month_end", return: "ret", me: "mktcap", be: "book" })
    .withColumns(pl.col("month_end").str.strptime(pl.Date, "%Y-%m-%d"));
  const base = constructFactors(panel, { sizeBreakpoint: 1000 });
  const perYear = constructFactors(renamed, {
    columns: { id: "permno", date: "month_end", return: "ret", me: "mktcap", be: "book" },
    sizeBreakpoint: { 2000: 1000, 2001: 1000, 2002: 1000, 2003: 1000 },
  });
  assert.deepEqual(perYear.factors.toRecords(), base.factors.toRecords());
  assert.throws(
    () => constructFactors(panel, { sizeBreakpoint: { 2000: 1000 } }),
    /no value for formation year\(s\) 2001, 2002, 2003/,
  );
});

Deno.test("too few firms in a portfolio is an error naming it, or null months on request", () => {
  const sparse = handPanel().filter((r) => r.id !== "sn");
  const options: ConstructOptions = { nyse: "nyse", sizeBreakpoint: 50 };
  assert.throws(
    () => constructFactors(sparse, options),
    (e: unknown) =>
      e instanceof TooFewFirmsError && e.portfolio === "S/N" && e.period === "2001-07" &&
      e.firms === 0 && /formed in June 2001/.test(e.message) && /tooFew: "null"/.test(e.message),
  );
  const nulls = constructFactors(sparse, { ...options, tooFew: "null" });
  assert.deepEqual(nulls.portfolios.getColumn("S/N").toArray(), [null, null]);
  assert.deepEqual(nulls.factors.getColumn("SMB").toArray(), [null, null]);
  // The other portfolios are there: August's HML = (S/H + B/H)/2 − (S/L + B/L)/2.
  const hml = nulls.factors.getColumn("HML").get(1);
  assert.ok(Math.abs(hml - ((0.02 + 0.05) / 2 - (0.02 + 0.02) / 2)) < 1e-15);
  assert.throws(
    () => constructFactors(handPanel(), { nyse: "nyse", minFirms: 2 }),
    (e: unknown) => e instanceof TooFewFirmsError && e.portfolio === "S/L" && e.firms === 1,
  );
});

Deno.test("bad panels and options get messages that say what to do", () => {
  const isArg = (pattern: RegExp) => (e: unknown) =>
    e instanceof InvalidArgumentError && pattern.test(e.message);
  assert.throws(
    () => constructFactors(panel.drop("be")),
    isArg(/no be column "be" \(it has id, date, return, me, nyse, fye\).*columns: \{ id/),
  );
  const twice = pl.concat([panel, panel.head(1)]);
  assert.throws(
    () => constructFactors(twice),
    isArg(/Firm "F000" has 2 rows in 2002-09; the panel needs one row per firm and month/),
  );
  const badDate = panel.withColumns(pl.lit("12/2001").alias("date"));
  assert.throws(
    () => constructFactors(badDate),
    isArg(/holds "12\/2001"; dates must be "YYYY-MM"/),
  );
  const noNyse = panel.withColumns(pl.lit(false).alias("nyse"));
  assert.throws(
    () => constructFactors(noNyse, { nyse: "nyse" }),
    isArg(/No NYSE firm can be sorted in June 2000/),
  );
  assert.throws(
    () => constructFactors(panel, { bmPercentiles: [0.7, 0.3] }),
    isArg(/two increasing fractions/),
  );
  assert.throws(
    () => constructFactors(panel, { sizeBreakpoint: -5 }),
    isArg(/positive market equity/),
  );
  assert.throws(() => constructFactors(panel, { minFirms: 0 }), isArg(/whole number ≥ 1/));
});

Deno.test("SMB and HML from Ken French's six portfolios match his factors of the same vintage", async () => {
  const six =
    (await frenchDataset("data/samples/french/6_Portfolios_2x3_CSV_202412.zip")).tables[0];
  const ff3 =
    (await frenchDataset("data/samples/french/F-F_Research_Data_Factors_CSV_202412.zip")).tables[0];
  assert.equal(six.title, "Average Value Weighted Returns -- Monthly");
  const ours = factorsFromSixPortfolios(six.frame);
  const joined = ours.join(ff3.frame, { on: "period", suffix: "_french" });
  assert.equal(joined.height, 1182);
  for (const f of ["SMB", "HML"]) {
    const diff = joined.select(pl.col(f).minus(pl.col(`${f}_french`)).abs().max()).row(
      0,
    )[0] as number;
    // The files round to 0.0001%; PROVENANCE §5 found every month within 0.005%.
    assert.ok(diff <= 0.00005 + 1e-12, `${f}: largest difference ${diff}`);
    assert.ok(diff > 0, `${f}: the files are independent roundings, so some month differs`);
  }
  // The formula on one month, by hand: 2020-03 (percent / 100).
  const march = six.frame.filter(pl.col("period").eq(pl.lit("2020-03"))).toRecords()[0] as Record<
    string,
    number
  >;
  const row = ours.filter(pl.col("period").eq(pl.lit("2020-03"))).toRecords()[0] as Record<
    string,
    number
  >;
  const smb = (march["SMALL LoBM"] + march["ME1 BM2"] + march["SMALL HiBM"]) / 3 -
    (march["BIG LoBM"] + march["ME2 BM2"] + march["BIG HiBM"]) / 3;
  const hml = (march["SMALL HiBM"] + march["BIG HiBM"]) / 2 -
    (march["SMALL LoBM"] + march["BIG LoBM"]) / 2;
  assert.ok(Math.abs(row.SMB - smb) < 1e-16 && Math.abs(row.HML - hml) < 1e-16);
});

Deno.test("six-portfolio columns can be named, and a missing one is named in the error", () => {
  const frame = { a: [0.01], b: [0.02], c: [0.03], d: [0.0], e: [0.01], f: [0.02] };
  const out = factorsFromSixPortfolios(frame, {
    SL: "a",
    SN: "b",
    SH: "c",
    BL: "d",
    BN: "e",
    BH: "f",
  });
  assert.deepEqual(out.columns, ["SMB", "HML"]);
  assert.ok(Math.abs(out.getColumn("SMB").get(0) - (0.02 - 0.01)) < 1e-16);
  assert.ok(Math.abs(out.getColumn("HML").get(0) - ((0.03 + 0.02) / 2 - (0.01 + 0.0) / 2)) < 1e-16);
  assert.throws(
    () => factorsFromSixPortfolios(frame),
    /no "S\/L", "S\/N".*\{ SL, SN, SH, BL, BN, BH \}/,
  );
});
