import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { analyzeMany, ols } from "../mod.ts";
import { numericColumns } from "../lib/pipeline/interop.ts";
import { portfolioPanel } from "./support/portfolios.ts";

const FRENCH = { frenchSource: "data/samples/french", vintage: "202412" };
const panel = await portfolioPanel();

/** The portfolio panel as a record of columns, with a late listing, gaps and a text column. */
function panelRecord(): Record<string, ArrayLike<unknown>> {
  const column = (name: string) =>
    Float64Array.from(panel.frame.getColumn(name).toArray() as number[]);
  const record: Record<string, ArrayLike<unknown>> = { period: panel.periods };
  for (const a of panel.assets) record[a] = column(a);
  (record["ME2 BM3"] as Float64Array).fill(NaN, 0, 100);
  // A plain array with nulls, as a notebook might build it.
  record["ME4 BM1"] = Array.from(column("ME4 BM1"), (v, t) => (t % 17 === 5 ? null : v));
  record.note = panel.periods.map((p) => `month ${p}`);
  for (const c of ["MKT_RF", "SMB", "HML", "RF"]) record[c] = column(c);
  return record;
}

function frameOf(record: Record<string, ArrayLike<unknown>>): pl.DataFrame {
  return pl.DataFrame(
    Object.entries(record).map(([name, values]) =>
      typeof values[0] === "string"
        ? pl.Series(name, Array.from(values as ArrayLike<string>))
        : pl.Series(
          name,
          Array.from(
            values as ArrayLike<number | null>,
            (v) => (v === null || Number.isNaN(v) ? null : v),
          ),
          pl.Float64,
        )
    ),
  );
}

Deno.test("a record of columns gives exactly the figures of the same data in a polars frame", async () => {
  const record = panelRecord();
  const fromRecord = await analyzeMany(record, { model: "ff3" });
  const fromFrame = await analyzeMany(frameOf(record), { model: "ff3" });
  assert.deepEqual(fromRecord.assets, panel.assets, "the text column is not an asset");
  assert.deepEqual(fromRecord.assets, fromFrame.assets);
  assert.deepEqual(fromRecord.params.data, fromFrame.params.data);
  assert.deepEqual(fromRecord.bse.data, fromFrame.bse.data);
  assert.deepEqual(fromRecord.nobs.toRecord(), fromFrame.nobs.toRecord());
  assert.equal(fromRecord.nobs.get("ME2 BM3"), 738 - 100);
  assert.equal(fromRecord.nobs.get("ME4 BM1"), 738 - 44);
  // Each asset on its own valid rows, as ols() with missing: "drop" on its excess returns.
  const y = panel.excess["ME4 BM1"].map((v, t) => (t % 17 === 5 ? NaN : v));
  const one = ols(y, panel.factors, { addConstant: true, missing: "drop" });
  one.params.forEach((v, i) => {
    assert.ok(Math.abs(fromRecord.params.get("ME4 BM1", i) / v - 1) <= 1e-12, `param ${i}`);
    assert.ok(Math.abs(fromRecord.bse.get("ME4 BM1", i) / one.bse[i] - 1) <= 1e-12, `bse ${i}`);
  });
});

Deno.test("a record keeps the periods from start to end, and joins library factors it lacks", async () => {
  const record = panelRecord();
  const ranged = await analyzeMany(record, { model: "ff3", start: "2000-01", end: "2009-12" });
  assert.equal(ranged.nobs.get("SMALL LoBM"), 120);
  assert.equal(ranged.data.getColumn("period").get(0), "2000-01");
  const own: Record<string, ArrayLike<unknown>> = { period: record.period };
  for (const a of panel.assets) own[a] = record[a];
  const joined = await analyzeMany(own, { model: "ff3", ...FRENCH });
  assert.equal(joined.joinReport?.rows, 738);
  const inline = await analyzeMany(record, { model: "ff3" });
  for (const a of ["SMALL LoBM", "ME2 BM3", "ME4 BM1"]) {
    joined.params.row(a).forEach((v, i) => {
      assert.ok(Math.abs(v - inline.params.get(a, i)) <= 1e-15, `${a} param ${i}`);
    });
  }
});

Deno.test("the aligned data frame holds excess returns, nulls where an asset has none", async () => {
  const record = panelRecord();
  const many = await analyzeMany(record, { model: "ff3" });
  const data = many.data;
  assert.deepEqual(data.columns, ["period", ...panel.assets, "MKT_RF", "SMB", "HML", "RF"]);
  const late = data.getColumn("ME2 BM3").toArray() as (number | null)[];
  assert.equal(late[99], null);
  assert.ok(Math.abs(late[100]! - panel.excess["ME2 BM3"][100]) <= 1e-15);
  assert.equal(data.getColumn("ME4 BM1").get(5), null);
  assert.equal(data.getColumn("RF").get(3), (record.RF as Float64Array)[3]);
  const raw = await analyzeMany(record, { model: "ff3", excess: false });
  assert.deepEqual(raw.data.columns, ["period", ...panel.assets, "MKT_RF", "SMB", "HML"]);
  assert.equal(raw.data.getColumn("SMALL LoBM").get(0), (record["SMALL LoBM"] as Float64Array)[0]);
});

Deno.test("numericColumns reads hundreds of columns in one transfer: nulls as NaN, integers as floats", () => {
  const columns: Record<string, (number | null)[]> = {};
  for (let j = 0; j < 300; j++) {
    columns[`c${j}`] = Array.from({ length: 7 }, (_, t) => (t === j % 7 ? null : j * 10 + t));
  }
  const frame = pl.DataFrame(columns).withColumns(pl.col("c1").cast(pl.Int64));
  const names = ["c299", "c1", "c0"];
  const [c299, c1, c0] = numericColumns(frame, names);
  assert.deepEqual(Array.from(c0), [NaN, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(c1), [10, NaN, 12, 13, 14, 15, 16]);
  assert.equal(c299[5], NaN);
  assert.equal(c299[6], 2996);
  const all = numericColumns(frame, frame.columns);
  assert.equal(all.length, 300);
  assert.equal(all[150][4], 1504);
  assert.equal(all[150][3], NaN);
});
