/**
 * The names renamed for the naming convention (docs: ISSUE 15) keep working for one release as
 * deprecated aliases of the new ones: one small test per alias.
 */
import assert from "node:assert/strict";
import {
  GRSTest,
  GrsTest,
  grsTest,
  jarqueBera,
  LabeledMatrix,
  NamedMatrix,
  olsMany,
  OLSManyResults,
  OlsManyResults,
  omnibusTest,
  PCAInputError,
  PcaInputError,
  RollingOLSManyResults,
  RollingOlsManyResults,
  TestResult,
} from "../mod.ts";
import type { OLSOptions, OlsOptions, RollingOLSOptions, RollingOlsOptions } from "../mod.ts";

Deno.test("OlsManyResults is OLSManyResults", () => {
  assert.equal(OlsManyResults, OLSManyResults);
  const fit = olsMany({ A: [1, 2, 3.5, 3.9] }, { x: [1, 2, 3, 4] }, { addConstant: true });
  assert.ok(fit instanceof OlsManyResults);
});

Deno.test("GrsTest, RollingOlsManyResults and PcaInputError are the upper-case classes", () => {
  assert.equal(GrsTest, GRSTest);
  assert.equal(RollingOlsManyResults, RollingOLSManyResults);
  assert.equal(PcaInputError, PCAInputError);
  const mkt = [0.01, -0.02, 0.03, 0.015, -0.01, 0.02, 0.005, -0.03];
  const grs = grsTest({ A: mkt.map((m, i) => 1.1 * m + (i % 3) * 1e-3) }, { MKT_RF: mkt });
  assert.ok(grs instanceof GrsTest);
});

Deno.test("the old option type names accept the same options", () => {
  const a: OlsOptions = { addConstant: true } satisfies OLSOptions;
  const b: RollingOlsOptions = { window: 36 } satisfies RollingOLSOptions;
  assert.deepEqual([a.addConstant, b.window], [true, 36]);
});

Deno.test("TestResult's stat and pValue read statistic and pvalue", () => {
  const t = new TestResult({
    name: "W",
    statistic: 4,
    pvalue: 0.04,
    df: 1,
    distribution: "chi2",
    nullHypothesis: "b = 0",
  });
  assert.deepEqual([t.stat, t.pValue], [4, 0.04]);
  const old = new TestResult({
    name: "W",
    stat: 4,
    pValue: 0.04,
    df: 1,
    distribution: "chi2",
    nullHypothesis: "b = 0",
  });
  assert.deepEqual([old.statistic, old.pvalue], [4, 0.04]);
});

Deno.test("jarqueBera and omnibusTest still carry pValue next to pvalue", () => {
  const x = [0.3, -1.2, 0.8, 0.1, -0.4, 1.9, -0.7, 0.2, -0.1, 0.5];
  const jb = jarqueBera(x);
  const omni = omnibusTest(x);
  assert.equal(jb.pValue, jb.pvalue);
  assert.equal(omni.pValue, omni.pvalue);
  assert.ok(jb.pvalue > 0 && jb.pvalue < 1);
});

Deno.test("NamedMatrix takes column-major values and is a row-major LabeledMatrix", () => {
  const m = new NamedMatrix(["a", "b"], Float64Array.of(1, 2, 3, 4)); // columns (1, 2), (3, 4)
  assert.ok(m instanceof LabeledMatrix);
  assert.equal(m.get("b", "a"), 2);
  assert.equal(m.get("a", "b"), 3);
  assert.deepEqual(Array.from(m.data), [1, 3, 2, 4]);
  assert.deepEqual([m.names, m.size], [["a", "b"], 2]);
  assert.deepEqual(Array.from(m.diagonal()), [1, 4]);
});
