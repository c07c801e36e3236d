import assert from "node:assert/strict";
import { splitUnitNote } from "./support/summary_text.ts";
import { ols, type OLSResults } from "../mod.ts";
import { DATASETS, GOLDEN, type GoldenInference } from "./support/golden_datasets.ts";
import { assertAllClose, assertClose } from "./support/assert.ts";
import exact from "./fixtures/illcond_f_high_precision.json" with { type: "json" };

const STAT_TOL = 1e-8;
const P_TOL = 1e-6;

/**
 * On the near-collinear "illcond" data, statsmodels' HAC(6) Wald F is itself 5.0e-8 away
 * from the value computed in 60-digit arithmetic (ours is within 1e-11 of it), so for those
 * two figures the 1e-8 check is against the exact value and statsmodels is held to 1e-7.
 */
const STATSMODELS_F_INACCURATE = new Set([
  "illcond HAC6_nocorr",
  "illcond HAC6_corr",
  "illcond fit_HAC6_usez",
]);
const EXACT_F: Record<string, number> = exact.fvalue;

function checkInference(fit: OLSResults, g: GoldenInference, label: string): void {
  assertAllClose(fit.params, g.params, { rel: STAT_TOL, label: `${label} params` });
  assertAllClose(fit.bse, g.bse, { rel: STAT_TOL, label: `${label} bse` });
  assertAllClose(fit.tvalues, g.tvalues, { rel: STAT_TOL, label: `${label} tvalues` });
  assertAllClose(fit.pvalues, g.pvalues, { rel: P_TOL, label: `${label} pvalues` });
  const ci = fit.confInt();
  assertAllClose(ci.lower, g.conf_int.map((r) => r[0]), {
    rel: STAT_TOL,
    label: `${label} conf_int lower`,
  });
  assertAllClose(ci.upper, g.conf_int.map((r) => r[1]), {
    rel: STAT_TOL,
    label: `${label} conf_int upper`,
  });
  const fTol = STATSMODELS_F_INACCURATE.has(label) ? 1e-7 : STAT_TOL;
  assertClose(fit.fvalue, g.fvalue, { rel: fTol, label: `${label} fvalue` });
  const [dataset, variant] = label.split(" ");
  if (dataset === "illcond") {
    assertClose(fit.fvalue, EXACT_F[variant], {
      rel: STAT_TOL,
      label: `${label} fvalue vs 60-digit value`,
    });
  }
  assertClose(fit.fPvalue, g.f_pvalue, { rel: P_TOL, label: `${label} f_pvalue` });
}

const fitOf = (name: string) => {
  const { y, X } = DATASETS[name]();
  return ols(y, X);
};

for (const name of Object.keys(GOLDEN)) {
  const g = GOLDEN[name];

  Deno.test(`${name}: nonrobust estimates and fit statistics match statsmodels`, () => {
    const fit = fitOf(name);
    assert.deepEqual(fit.names, g.names);
    assert.equal(fit.nobs, g.nobs);
    checkInference(fit, g.nonrobust, `${name} nonrobust`);
    const n = g.nonrobust;
    const scalars: [keyof OLSResults, string][] = [
      ["rsquared", "rsquared"],
      ["rsquaredAdj", "rsquared_adj"],
      ["llf", "llf"],
      ["aic", "aic"],
      ["bic", "bic"],
      ["ssr", "ssr"],
      ["ess", "ess"],
      ["centeredTss", "centered_tss"],
      ["uncenteredTss", "uncentered_tss"],
      ["dfModel", "df_model"],
      ["dfResid", "df_resid"],
      ["conditionNumber", "condition_number"],
      ["mseResid", "mse_resid"],
    ];
    for (const [ours, theirs] of scalars) {
      assertClose(fit[ours] as number, n[theirs], { rel: STAT_TOL, label: `${name} ${theirs}` });
    }
  });

  Deno.test(`${name}: residual diagnostics match statsmodels`, () => {
    const fit = fitOf(name);
    const d = g.diag;
    const jb = fit.jarqueBera();
    const omni = fit.omnibus();
    assertClose(omni.statistic, d.omnibus, { rel: STAT_TOL, label: "omnibus" });
    assertClose(omni.pvalue, d.omnibus_p, { rel: P_TOL, label: "omnibus p" });
    assertClose(jb.statistic, d.jb, { rel: STAT_TOL, label: "jarque-bera" });
    assertClose(jb.pvalue, d.jb_p, { rel: P_TOL, label: "jarque-bera p" });
    assertClose(fit.skew, d.skew, { rel: STAT_TOL, label: "skew" });
    assertClose(fit.kurtosis, d.kurtosis, { rel: STAT_TOL, label: "kurtosis" });
    assertClose(fit.durbinWatson, d.durbin_watson, { rel: STAT_TOL, label: "durbin-watson" });
    for (
      const [key, test] of [["het_white", fit.hetWhite.bind(fit)], [
        "het_bp",
        fit.hetBreuschPagan.bind(fit),
      ]] as const
    ) {
      const expected = g[key];
      if (!expected) continue;
      const r = test();
      assertClose(r.lm, expected[0], { rel: STAT_TOL, label: `${key} lm` });
      assertClose(r.lmPvalue, expected[1], { rel: P_TOL, label: `${key} lm p-value` });
      assertClose(r.fvalue, expected[2], { rel: STAT_TOL, label: `${key} F` });
      assertClose(r.fPvalue, expected[3], { rel: P_TOL, label: `${key} F p-value` });
    }
  });

  Deno.test(`${name}: robust re-estimates (HC0-HC3, HAC) match get_robustcov_results`, () => {
    const fit = fitOf(name);
    for (const hc of ["HC0", "HC1", "HC2", "HC3"] as const) {
      const robust = fit.getRobustcovResults(hc);
      assert.equal(robust.useT, true);
      checkInference(robust, g[hc] as GoldenInference, `${name} ${hc}`);
    }
    for (const lags of [3, 6]) {
      for (const corr of [false, true]) {
        const robust = fit.getRobustcovResults("HAC", { maxlags: lags, useCorrection: corr });
        const key = `HAC${lags}_${corr ? "corr" : "nocorr"}`;
        checkInference(robust, g[key] as GoldenInference, `${name} ${key}`);
      }
    }
  });

  Deno.test(`${name}: fitting with covType HAC uses normal inference and the Wald F`, () => {
    const { y, X } = DATASETS[name]();
    const fit = ols(y, X, { covType: "HAC", maxlags: 6 });
    assert.equal(fit.useT, false);
    checkInference(fit, g.fit_HAC6_usez as GoldenInference, `${name} fit_HAC6_usez`);
  });

  Deno.test(`${name}: summary text is statsmodels' layout, column for column`, () => {
    const { statsmodels: text, note } = splitUnitNote(fitOf(name).summary().toString());
    // statsmodels' warning about a large condition number comes with the unit-free figure.
    assert.equal(
      note !== undefined,
      /condition number is large|smallest eigenvalue/.test(g.summary_text),
    );
    const expected = g.summary_text.split("\n");
    const actual = text.split("\n");
    assert.equal(actual.length, expected.length, text);
    for (let i = 0; i < expected.length; i++) {
      if (/^(Date|Time):/.test(expected[i])) {
        // Only the timestamp may differ: same labels, same width, same right-hand side.
        assert.equal(actual[i].length, expected[i].length, `line ${i + 1} width`);
        assert.equal(actual[i].slice(0, 6), expected[i].slice(0, 6));
        assert.equal(actual[i].slice(37), expected[i].slice(37), `line ${i + 1} right half`);
      } else {
        assert.equal(actual[i], expected[i], `line ${i + 1}`);
      }
    }
  });
}
