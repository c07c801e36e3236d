import assert from "node:assert/strict";
import { analyze, FactorlabDataError, famaFrenchFactors, useSamples, yahooPrices } from "../mod.ts";

Deno.test("useSamples: the tutorial's call runs from the bundled files, with no network at all", async () => {
  const samples = useSamples();
  try {
    assert.deepEqual(samples.tickers, ["AAPL", "SPY", "VBR"]);
    assert.deepEqual(samples.datasets["F-F_Research_Data_Factors"], [
      "202012",
      "202101",
      "202303",
      "202412",
      "202601",
    ]);
    // offline: true refuses any download, so this can only have read the bundled files.
    const vbr = await analyze("VBR", {
      model: "ff3",
      start: "2010-01-01",
      end: "2020-12-31",
      offline: true,
    });
    assert.equal(vbr.nobs, 131);
    assert.equal(vbr.fit.params.get("SMB").toFixed(4), "0.5574");
    assert.equal(vbr.fit.pvalues.get("const").toFixed(3), "0.374");
    const factors = await famaFrenchFactors({ model: "ff3", start: "2020-12", end: "2020-12" });
    // "202012,   4.63,   5.01,  -1.68,   0.01" in the 202601 file, the newest bundled.
    assert.deepEqual(factors.row(0), ["2020-12", 0.0463, 0.0501, -0.0168, 0.0001]);
  } finally {
    useSamples(false);
  }
});

Deno.test("a ticker that is not bundled is named with the tickers that are", async () => {
  useSamples();
  try {
    await assert.rejects(
      () => yahooPrices("MSFT", { start: "2020-01", end: "2020-12" }),
      (e: unknown) =>
        e instanceof FactorlabDataError && /No prices of MSFT in .*\(it holds AAPL, SPY, VBR\)/
          .test(e.message),
    );
  } finally {
    useSamples(false);
  }
});
