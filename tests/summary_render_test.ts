import assert from "node:assert/strict";
import { ols } from "../mod.ts";
import { DATASETS } from "./support/golden_datasets.ts";

const summaryOf = (yname?: string) => {
  const { y, X } = DATASETS.factor();
  return ols(y, X).summary({ yname, date: new Date(2026, 10, 21, 9, 5, 7) });
};

Deno.test("summary Date and Time come from the given date, in statsmodels' format", () => {
  const lines = summaryOf().toString().split("\n");
  assert.equal(
    lines[5],
    "Date:                Sat, 21 Nov 2026   Prob (F-statistic):          1.40e-157",
  );
  assert.equal(
    lines[6],
    "Time:                        09:05:07   Log-Likelihood:                 829.96",
  );
});

Deno.test("HTML summary holds every block, escapes text, and uses theme-neutral colours", () => {
  const html = summaryOf("<Excess & Return>").toHTML();
  assert.match(html, /<caption[^>]*>OLS Regression Results<\/caption>/);
  for (const name of ["const", "MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM"]) {
    assert.match(html, new RegExp(`<th[^>]*>${name}</th>`));
  }
  assert.match(html, /&lt;Excess &amp; Return&gt;/);
  assert.ok(!html.includes("<Excess"));
  assert.match(html, /P&gt;\|t\|/);
  assert.match(html, />1\.0454</);
  assert.match(html, />Durbin-Watson:</);
  assert.match(html, /Standard Errors assume/);
  // Inherits the text colour; greys are translucent so both light and dark themes work.
  assert.ok(!/#000|#fff|black|white|<script|<style/i.test(html));
  assert.match(html, /color:inherit/);
  // Significant p-values (RMW: 0.011) are bold; insignificant (CMA: 0.308) are not.
  assert.match(html, /font-weight:700;">0\.011</);
  assert.doesNotMatch(html, /font-weight:700;">0\.308</);
});

Deno.test("Markdown summary is three tables and the notes, with pipes escaped", () => {
  const md = summaryOf().toMarkdown();
  assert.match(md, /^\*\*OLS Regression Results\*\*/);
  assert.match(md, /\| \| coef \| std err \| t \| P>\\\|t\\\| \| \[0\.025 \| 0\.975\] \|/);
  assert.match(md, /\| MKT_RF \| 1\.0454 \| 0\.015 \| 68\.172 \| 0\.000 \| 1\.015 \| 1\.076 \|/);
  assert.match(md, /\| Dep\. Variable: \| y \| R-squared: \| 0\.958 \|/);
  assert.match(md, /Notes:\n\n1\. Standard Errors assume/);
  assert.equal(md.split("\n").filter((l) => /^\|:--/.test(l)).length, 3);
});

Deno.test("Jupyter display bundle is text/html plus text/plain, never dataresource", () => {
  const summary = summaryOf();
  const display = (summary as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ];
  const bundle = display.call(summary);
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.equal(bundle["text/plain"], summary.toString());
  assert.equal(bundle["text/html"], summary.toHTML());
});

Deno.test("summary coefficients are plain rows for interpretation", () => {
  const rows = summaryOf().coefficients;
  assert.equal(rows.length, 7);
  const smb = rows.find((r) => r.name === "SMB")!;
  assert.deepEqual(Object.keys(smb), [
    "name",
    "coef",
    "stdErr",
    "t",
    "pvalue",
    "pValue",
    "lower",
    "upper",
  ]);
  assert.ok(smb.pvalue < 1e-50 && smb.lower < smb.coef && smb.coef < smb.upper);
  // The deprecated field holds the same number for one release.
  assert.equal(smb.pValue, smb.pvalue);
});
