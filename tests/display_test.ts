import assert from "node:assert/strict";
import {
  CoefficientTable,
  Displayable,
  famaMacBeth,
  grsTest,
  HeaderBlock,
  LabeledMatrix,
  ols,
  olsMany,
  pca,
  referenceDataset,
  regressionSummary,
  type RegressionSummaryData,
  Summary,
  Table,
} from "../mod.ts";

const JUPYTER = Symbol.for("Jupyter.display");
const INSPECT = Symbol.for("Deno.customInspect");
type Shown = Record<symbol, () => unknown>;
const bundle = (o: unknown) => (o as Shown)[JUPYTER].call(o) as Record<string, string>;
const inspect = (o: unknown) => (o as Shown)[INSPECT].call(o) as string;

const header = new HeaderBlock([["Model:", "OLS"]], [["R-squared:", "0.500"]], "Results");
const coefficients = new CoefficientTable([
  { name: "x", coef: 1.5, stdErr: 0.25, t: 6, pvalue: 0.0001, lower: 1, upper: 2 },
  { name: "z", coef: -0.2, stdErr: 0.3, t: -0.667, pvalue: 0.51, lower: -0.8, upper: 0.4 },
]);
const betas = new Table([{ header: "factor" }, { header: "beta" }], [["MKT_RF", 1.01]]);

Deno.test("statsmodels blocks in a row share their rules; other parts follow after a blank line", () => {
  const text = new Summary([header, coefficients, betas], ["First.", "Second."]).toString();
  const top = header.toString().split("\n");
  const params = coefficients.toString().split("\n");
  assert.equal(
    text,
    [
      ...top.slice(0, -1), // the coefficient table's top rule separates the two blocks
      ...params,
      "",
      "factor    beta",
      "MKT_RF  1.0100",
      "",
      "Notes:",
      "[1] First.",
      "[2] Second.",
    ].join("\n"),
  );
  assert.equal(top[0].trim(), "Results");
  assert.match(params[1], /coef +std err +t +P>\|t\| +\[0\.025 +0\.975\]/);
  assert.match(params[3], /^x +1\.5000 +0\.250 +6\.000 +0\.000 +1\.000 +2\.000$/);
});

Deno.test("a summary's HTML wraps statsmodels blocks in one inline block; a plain table stands alone", () => {
  assert.equal(Summary.of(betas).toHTML(), betas.toHTML());
  const withNote = Summary.of(betas).addNotes("a < b").toHTML();
  assert.ok(withNote.startsWith(betas.toHTML() + "\n<div"));
  assert.match(withNote, /Notes:<br\/>\[1\] a &lt; b<\/div>$/);
  const html = new Summary([header, coefficients]).toHTML();
  assert.ok(
    html.startsWith('<div class="factorlab-summary" style="color:inherit;display:inline-block;">'),
  );
  assert.match(html, /<caption[^>]*>Results<\/caption>/);
  // x is significant at 5% (bold p-value), z is not.
  assert.match(html, /font-weight:700;">0\.000</);
  assert.doesNotMatch(html, /font-weight:700;">0\.510</);
});

Deno.test("a summary's Markdown is its parts in turn, then the notes as a numbered list", () => {
  const md = Summary.of(header, betas).addNotes("Line one\nline two.").toMarkdown();
  assert.equal(
    md,
    [
      "**Results**",
      "",
      "| | | | |",
      "|:--|--:|:--|--:|",
      "| Model: | OLS | R-squared: | 0.500 |",
      "",
      betas.toMarkdown(),
      "",
      "Notes:",
      "",
      "1. Line one line two.",
    ].join("\n"),
  );
});

Deno.test("summaries compose: add appends parts, a nested summary keeps its notes, parts read back", () => {
  const inner = Summary.of(coefficients).addNotes("Inner note.");
  const outer = Summary.of(betas).add(inner).addNotes("Outer note.");
  assert.equal(outer.parts.length, 2);
  assert.deepEqual(outer.tables, [betas]);
  assert.deepEqual(inner.coefficients.map((r) => r.name), ["x", "z"]);
  assert.equal(outer.title, "");
  assert.equal(Summary.of(header).title, "Results");
  const text = outer.toString();
  assert.ok(text.indexOf("[1] Inner note.") < text.indexOf("[1] Outer note."));
  // A part's rows are copies: editing them leaves the summary as it was.
  inner.coefficients[0].coef = 99;
  assert.equal(inner.coefficients[0].coef, 1.5);
});

Deno.test("a Displayable subclass gets text, HTML, Markdown, Jupyter and console forms from summary()", () => {
  class Betas extends Displayable {
    summary(): Summary {
      return Summary.of(betas).addNotes("Monthly.");
    }
  }
  const shown = new Betas();
  const summary = shown.summary();
  assert.equal(String(shown), summary.toString());
  assert.equal(shown.toHTML(), summary.toHTML());
  assert.equal(shown.toMarkdown(), summary.toMarkdown());
  assert.equal(inspect(shown), summary.toString());
  assert.deepEqual(bundle(shown), {
    "text/html": summary.toHTML(),
    "text/plain": summary.toString(),
  });
});

const { y, X } = referenceDataset("factor");
const excess = Object.fromEntries(
  ["SMALL", "BIG", "VALUE", "GROWTH", "MID"].map((name, i) => [
    name,
    y.map((v, t) => v * (0.6 + 0.3 * i) + 0.002 * Math.sin((i + 2) * t + i * i)),
  ]),
);
const factors = { MKT_RF: X.MKT_RF, SMB: X.SMB };

Deno.test("every result's summary() is a Summary, and results print and display as it", () => {
  const fit = ols(y, X);
  const results: [string, Displayable][] = [
    ["ols", fit],
    ["olsMany", olsMany(excess, { const: X.const, ...factors })],
    ["hetWhite", fit.hetWhite()],
    ["famaMacBeth", famaMacBeth(excess, factors)],
    ["pca", pca(excess)],
    ["LabeledMatrix", new LabeledMatrix(["a"], ["b", "c"], [1, 2])],
    ["Table", betas],
  ];
  for (const [name, result] of results) {
    const summary = result.summary();
    assert.ok(summary instanceof Summary, name);
    assert.equal(bundle(result)["text/plain"], summary.toString(), name);
    assert.equal(bundle(result)["text/html"], summary.toHTML(), name);
    assert.equal(inspect(result), summary.toString(), name);
  }
});

Deno.test("a test result prints one line but displays its table; GRS shows its test and alphas", () => {
  const grs = grsTest(excess, factors);
  const wald = grs.wald;
  assert.match(String(wald), /^GRS Wald: /);
  assert.equal(inspect(wald), String(wald));
  assert.equal(bundle(wald)["text/plain"], wald.toTable().toString());
  const [test, alphas] = grs.summary().tables;
  assert.match(test.title!, /^GRS test: all 5 alphas are zero/);
  assert.equal(alphas.toString(), grs.alphaTable().toString());
  assert.equal(inspect(grs), `${test}\n\n${alphas}`);
  assert.match(String(grs), /^GRS: /);
});

Deno.test("Fama-MacBeth's summary holds the risk-premia table of the chosen standard errors", () => {
  const fm = famaMacBeth(excess, factors);
  assert.equal(fm.summary().toString(), fm.riskPremiaTable().toString());
  const [table] = fm.summary("neweyWest").tables;
  assert.equal(table.toString(), fm.riskPremiaTable("neweyWest").toString());
  assert.deepEqual(table.columns.map((c) => c.header).slice(0, 4), ["", "coef", "std err", "z"]);
});

Deno.test("deprecated: new Summary(numbers) is regressionSummary(numbers), and toText() is toString()", () => {
  const data: RegressionSummaryData = {
    yname: "VBR",
    modelName: "OLS",
    method: "Least Squares",
    date: new Date(2026, 0, 2, 9, 30),
    nobs: 131,
    dfResid: 129,
    dfModel: 1,
    covType: "nonrobust",
    covDescription:
      "Standard Errors assume that the covariance matrix of the errors is correctly " +
      "specified.",
    centered: false,
    rsquared: 0.958,
    rsquaredAdj: 0.957,
    fvalue: 962.1,
    fPvalue: 1.2e-86,
    llf: 420.5,
    aic: -837,
    bic: -831.2,
    useT: false,
    alpha: 0.1,
    smallestEigenvalue: 0.01,
    droppedRows: 2,
    coefficients: [{
      name: "b",
      coef: 1.02,
      stdErr: 0.03,
      t: 31,
      pvalue: 0,
      lower: 0.97,
      upper: 1.07,
    }],
    diagnostics: {
      omnibus: 1.2,
      omnibusPvalue: 0.55,
      skew: 0.1,
      kurtosis: 3.1,
      durbinWatson: 2.01,
      jarqueBera: 0.4,
      jarqueBeraPvalue: 0.82,
      conditionNumber: 12,
    },
  };
  const summary = regressionSummary(data);
  assert.equal(new Summary(data).toString(), summary.toString());
  assert.equal(summary.toText(), summary.toString());
  assert.match(summary.toString(), /R-squared \(uncentered\): +0\.958/);
  assert.match(summary.toString(), /coef +std err +z +P>\|z\| +\[0\.05 +0\.95\]/);
  assert.deepEqual(summary.notes, [
    "R² is computed without centering (uncentered) since the model does not contain a constant.",
    data.covDescription,
    "2 observations were dropped because of missing values.",
  ]);
});
