import assert from "node:assert/strict";
import { FactorReport, type FactorReportData, Interpretation, Table } from "../mod.ts";

const display = (o: object) =>
  (o as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")].call(o);

Deno.test("Table aligns numbers right and text left, formats per column, escapes HTML", () => {
  const t = new Table(
    [{ header: "term" }, { header: "coef", format: "%.2f" }, { header: "share", format: "%.1f%%" }],
    [["<a>", 1.005, 50], ["b|c", -12.5, null]],
    { title: "T", note: "n" },
  );
  assert.equal(t.toString(), "T\nterm    coef  share\n<a>     1.00  50.0%\nb|c   -12.50\nn");
  const html = t.toHTML();
  assert.match(html, /&lt;a&gt;/);
  assert.doesNotMatch(html, /<a>/);
  assert.match(html, /text-align:right;">-12\.50</);
  assert.ok(t.toMarkdown().includes("| b\\|c | -12.50 |  |"));
  assert.deepEqual(Object.keys(display(t)).sort(), ["text/html", "text/plain"]);
  assert.throws(() => new Table([{ header: "a" }], [[1, 2]]), /row 0 has 2 cells for 1 columns/);
  const zero = new Table([{ header: "x", format: "%.4f" }, { header: "s", format: "%.1f%%" }], [[
    -1e-17,
    -0.01,
  ], [-0.00004, -0.06]]);
  assert.equal(zero.toString(), "     x      s\n0.0000   0.0%\n0.0000  -0.1%");
});

const base: FactorReportData = {
  title: "T",
  betas: [{ name: "MKT_RF", label: "Market", beta: 1.2, pvalue: 0 }, {
    name: "QMJ",
    label: "",
    beta: -0.25,
    pvalue: 0.5,
  }],
  periodName: "Weekly",
  alpha: -0.0012,
  alphaAnnualized: -0.0624,
  alphaPvalue: 0.01,
  level: 0.05,
  rsquaredAdj: 0.5,
  durbinWatson: 1.234,
  whitePvalue: null,
};

Deno.test("FactorReport labels custom factors, omits an unavailable White test, adds the SE note", () => {
  const text = new FactorReport({ ...base, covNote: "HAC with 4 lags" }).toString();
  assert.equal(
    text,
    [
      "--- T ---",
      "Market Beta (MKT_RF):  1.2000",
      "Beta (QMJ):            -0.2500",
      "Weekly Alpha:          -0.0012 (annualized ≈ -6.24%)",
      "Is Alpha Significant?  YES (p-value: 0.0100)",
      "Adj. R-squared:        0.5000",
      "Durbin-Watson:         1.23 (target ~2.0)",
      "Standard Errors:       HAC with 4 lags",
    ].join("\n"),
  );
  const pass = new FactorReport({ ...base, whitePvalue: 0.2 }).toString();
  assert.match(pass, /White Test: +Pass: Variance looks constant\. \(p-value: 0\.2000\)/);
  assert.match(new FactorReport(base).toMarkdown(), /^\*\*T\*\*\n\n\| \| \|\n\|:--\|:--\|/);
});

Deno.test("Interpretation shows as Markdown bullets in notebooks", () => {
  const i = new Interpretation("Reading", ["One <b>.", "Two."]);
  const bundle = display(i);
  assert.equal(bundle["text/markdown"], "**Reading**\n\n- One <b>.\n- Two.");
  assert.match(bundle["text/html"], /<li>One &lt;b&gt;\.<\/li>/);
});
