/**
 * Interop with the real danfojs package. danfojs-node pulls TensorFlow.js and an xlsx with
 * known CVEs, so it stays out of the project's import map and deno.lock: with
 * nodeModulesDir "auto", Deno installs everything listed there for every task, and
 * factorlab's users must never download it. This folder has its own deno.json, deno.lock
 * and node_modules, and its own step in the test task.
 */
import assert from "node:assert/strict";
import * as dfd from "danfojs-node";
import { readPriceCsv } from "../../lib/data/mod.ts";
import { joinOnPeriod, toColumns, toMonthlyReturns, toPolars } from "../../lib/pipeline/mod.ts";
import { ols, referenceDataset } from "../../mod.ts";
import { assertNear } from "../support/assert.ts";

const VBR_CSV = "data/samples/prices/VBR_daily_2004-01-30_2022-06-17.csv";
const RANGE = { start: "2010-01-01", end: "2020-12-31" };

Deno.test("a real danfojs DataFrame is accepted wherever a frame is expected", async () => {
  const prices = await readPriceCsv(VBR_CSV, RANGE);
  const danfoPrices = new dfd.DataFrame(toColumns(prices));
  const fromDanfo = toMonthlyReturns(danfoPrices as never);
  assert.deepEqual(
    fromDanfo.getColumn("return").toArray(),
    toMonthlyReturns(prices).getColumn("return").toArray(),
  );
  // A danfojs frame indexed by period, as pandas users build them.
  const factors = new dfd.DataFrame({ RF: [0.001, 0.002] }, { index: ["2010-02", "2010-03"] });
  const { frame } = joinOnPeriod(fromDanfo, factors as never);
  assert.equal(frame.height, 2);
  assertNear(frame.getColumn("RF").get(1), 0.002);
  const converted = toPolars(factors as never);
  assert.deepEqual(converted.columns, ["period", "RF"]);
});

Deno.test("ols accepts a real danfojs DataFrame as X and gives the same fit", () => {
  const { y, X } = referenceDataset("factor");
  const { const: _, ...factors } = X;
  const frame = new dfd.DataFrame(
    Object.fromEntries(Object.entries(factors).map(([k, v]) => [k, Array.from(v)])),
  );
  const fromDanfo = ols(y, frame as never, { addConstant: true });
  const fromRecord = ols(y, X);
  assert.deepEqual(fromDanfo.names, fromRecord.names);
  assert.deepEqual(Array.from(fromDanfo.params), Array.from(fromRecord.params));
});
