/**
 * What each notebook must show, checked by run.ts after executing it. The numbers asserted here
 * are the ones the notebooks' explanations quote, so a change in the data or the library that
 * would make an explanation wrong fails the run.
 *
 * @module
 */

import {
  check,
  neverShows,
  type NotebookChecks,
  showsFigures,
  showsTable,
  showsText,
} from "./expect.ts";

const SUMMARY = "OLS Regression Results";

/** Checks by notebook file name; every notebook in notebooks/ needs an entry. */
export const CHECKS: Record<string, NotebookChecks> = {
  "01_fama_french_vbr.ipynb": {
    checks: [
      check("SMB and HML rebuilt from the 2×3 portfolios: only June 2019 is off", (notebook) => {
        const gaps = notebook.tables.filter((rows) =>
          rows.length < 5 && "SMB_rebuilt" in (rows[0] ?? {})
        );
        const periods = gaps.map((rows) => rows.map((row) => row.period).join());
        if (periods.join() !== "2019-06") throw new Error(`months off: ${periods.join(" | ")}`);
      }),
      showsText(
        "Dropped 1 period(s) only in FF3: 2010-01.",
        1,
        "the join reports the dropped month",
      ),
      showsText(SUMMARY, 2, "the summary table, classical and HAC"),
      showsText(/No\. Observations:\s+131\b/, 2, "131 monthly observations"),
      showsText(/Adj\. R-squared:\s+0\.98\d/, 1, "adj. R² ≈ 0.98"),
      showsText(/^MKT_RF\s+1\.01\d\d\s/m, 1, "market beta ≈ 1.01"),
      showsText(/^SMB\s+0\.5[5-6]\d\d\s/m, 1, "SMB ≈ 0.56"),
      showsText(/^HML\s+0\.40\d\d\s/m, 1, "HML ≈ 0.40"),
      showsText(/^const\s+-0\.0006(\s+\S+){2}\s+0\.3\d\d\s/m, 1, "alpha ≈ −0.0006, p ≈ 0.38"),
      showsText(/Durbin-Watson:\s+1\.6[5-7]\d/, 1, "Durbin-Watson ≈ 1.66"),
      showsText(/Skew:\s+-0\.8[0-5]\d/, 1, "skew ≈ −0.83"),
      showsText(/Kurtosis:\s+5\.0\d\d/, 1, "kurtosis ≈ 5.0"),
      showsText(/Prob\(Omnibus\):\s+0\.00\d/, 1, "Omnibus rejects normality"),
      showsText(
        "--- Fama-French 3-Factor Analysis: VBR (2010-02 to 2020-12, 131 months) ---",
        1,
        "the condensed report",
      ),
      showsText(/Is Alpha Significant\?\s+NO \(p-value: 0\.3\d+\)/, 1, "alpha not significant"),
      showsText(/White Test:\s+Warning: Heteroscedasticity detected!/, 1, "White test fails"),
      showsText(/lmPvalue: \d(\.\d+)?e-1\d/, 1, "White p-value around 1e-14"),
      showsText(/no statistically significant alpha/i, 1, "the interpretation"),
      showsText(
        /VBR moves almost exactly with the market: its market beta is statistically indistinguishable from 1/,
        1,
        "the interpretation: VBR moves one for one with the market",
      ),
      showsText(/Covariance Type:\s+HAC/, 1, "the HAC summary"),
      showsText(
        /^HML(\s+\S+){3}\s+(1\.[89]|2\.[0-4])\d\s/m,
        1,
        "HAC roughly doubles HML's std err",
      ),
      showsFigures([
        { title: /^Factor Exposures for VBR$/, yaxis: /^Beta$/, traces: 1 },
        { title: /^Residuals: VBR$/, traces: 2 },
      ]),
      neverShows(/\bNaN\b/),
    ],
  },
  "02_spy_function.ipynb": {
    checks: [
      showsText(SUMMARY, 3, "a summary for SPY, VBR and AAPL"),
      showsText(
        "--- Fama-French 3-Factor Analysis: SPY (2010-02 to 2020-12, 131 months) ---",
        1,
        "SPY's condensed report",
      ),
      showsText(/Market Beta \(MKT_RF\):\s+0\.9[6-9]\d\d/, 1, "SPY market beta ≈ 0.98"),
      showsText(/Size Beta \(SMB\):\s+-0\.1[2-4]\d\d/, 1, "SPY size beta ≈ −0.13"),
      showsText(/Adj\. R-squared:\s+0\.99\d\d/, 1, "SPY adj. R² ≈ 0.99"),
      showsText(
        /SPY moves almost exactly with the market: its market beta differs from 1 by less than 0\.1, though measurably \(MKT_RF beta 0\.98, 95% CI 0\.97 to 0\.99,/,
        1,
        "the interpretation: almost one for one, interval 0.97 to 0.99 leaving out 1",
      ),
      showsText(/Is Alpha Significant\?\s+(YES|NO) \(p-value: /, 4, "alpha verdicts"),
      showsText(
        /White Test:\s+(Warning: Heteroscedasticity detected!|Pass: Variance looks constant\.)/,
        4,
      ),
      showsText(/lmDf: 9\b/, 1, "White test with 9 degrees of freedom"),
      showsText(
        /Standard Errors:\s+Standard Errors are heteroscedasticity and autocorrelation robust/,
      ),
      showsText(
        /AAPL \(2010-02 to 2020-12, 131 months\)[\s\S]*Monthly Alpha:\s+0\.0\d+ \(annualized ≈ 1[01]\.\d\d%\)\nIs Alpha Significant\?\s+NO/,
        1,
        "AAPL alpha ≈ 11%/year, not significant",
      ),
      showsText(/^Could not analyze NOT-A-TICKER: /m, 1, "the failed ticker is reported"),
      showsTable(
        "the side-by-side table has SPY, VBR and AAPL",
        "ticker",
        (rows) => rows.map((r) => r.ticker).join() === "SPY,VBR,AAPL",
      ),
      neverShows(/\bNaN\b/),
    ],
  },
  "03_aapl_daily.ipynb": {
    checks: [
      showsText(
        'member: "F-F_Research_Data_Factors_daily.csv"',
        1,
        "saveFrenchCsv wrote the CSV from the library's zip",
      ),
      showsText(
        /^This file was created by using the 202604 CRSP database\.$/m,
        1,
        "April 2026 file",
      ),
      showsText(",Mkt-RF,SMB,HML,RF", 1, "the raw file's header line"),
      showsText(/Joined 755 periods \(2020-01-03\.\.2022-12-30\)/, 1, "755 trading days joined"),
      showsText(/No\. Observations:\s+755\b/),
      showsText(/^MKT_RF\s+1\.[12]\d{3}\s/m, 1, "market beta ≈ 1.2"),
      showsText(/^SMB\s+-0\.\d{4}\s/m, 1, "negative size beta"),
      showsText(/^HML\s+-0\.\d{4}\s/m, 1, "negative value beta"),
      showsText(/ R-squared:\s+0\.7\d\d/, 1, "R² about three quarters"),
      showsText(/AAPL amplifies market moves/, 1, "the interpretation: beta above 1"),
      showsText(/Daily Alpha:\s+\S+ \(annualized ≈ /, 1, "daily alpha annualized"),
      check("the download and the local file give the same betas", (notebook) => {
        const betas = notebook.plainText.match(/^MKT_RF {2,}\S+\nSMB {2,}\S+\nHML {2,}\S+$/gm) ??
          [];
        if (betas.length !== 2 || betas[0] !== betas[1]) {
          throw new Error(`expected two identical betas outputs, found ${JSON.stringify(betas)}`);
        }
      }),
      showsFigures([
        { title: /^Factor Exposures for AAPL$/, yaxis: /^Beta$/, traces: 1 },
        { title: /^Cumulative return attribution: AAPL$/, traces: 5 },
      ]),
      neverShows(/\bNaN\b/),
    ],
  },
  "04_sp500_momentum_value.ipynb": {
    checks: [
      showsText(SUMMARY),
      showsText(/No\. Observations:\s+131\b/),
      showsText(/ R-squared:\s+0\.1[0-2]\d/, 1, "R² ≈ 0.11"),
      showsText(/^const\s+0\.01\d\d(\s+\S+){2}\s+0\.000\s/m, 1, "alpha large and significant"),
      showsText(/^MOM\s+-0\.3\d{3}(\s+\S+){2}\s+0\.00\d\s/m, 1, "MOM ≈ −0.32, p < 0.01"),
      showsText(/^HML\s+0\.1\d{3}(\s+\S+){2}\s+0\.2\d\d\s/m, 1, "HML ≈ 0.16, p ≈ 0.27"),
      showsText(/Float64Array\(1\) \[ 0\.005\d+ \]/, 1, "predict gives about 0.5%"),
      showsText(/^MOM\s+-0\.32\d+\nHML\s+0\.15\d+$/m, 1, "the betas one-liner"),
      showsText(/^HML\s+0\.1\d{3}\s+0\.2\d{3}\s+0\.3\d{3}$/m, 1, "HML: beta 0.16, alone 0.35"),
      showsText("--- Carhart 4-Factor Analysis: SPY (2010-02 to 2020-12, 131 months) ---"),
      showsText(/Momentum Beta \(MOM\):\s+-?0\.0\d{3}/, 1, "MOM beta near zero with the market"),
      showsFigures([{ title: /^Actual vs fitted/, traces: 2 }]),
      neverShows(/\bNaN\b/),
    ],
  },
  "05_portfolio_factor_model.ipynb": {
    checks: [
      showsText(/^MKT_RF\s+1\.2\d+\nSMB\s+-0\.3\d+\nHML\s+-0\.6\d+$/m, 1, "AAPL's betas"),
      showsText("Return attribution: AAPL, 2010-02 to 2020-12", 1, "AAPL's attribution"),
      showsText("Return attribution: Portfolio, 2010-02 to 2020-12", 1, "portfolio attribution"),
      showsText(/^residual\s+0\.0000\s+0\.0%$/m, 2, "residuals sum to zero (printed unsigned)"),
      neverShows(/-0\.0000\b|-0\.0%/, "no negative zero in the tables"),
      showsTable(
        "the holdings' exposures with weights summing to 1",
        "weight",
        (rows) =>
          Math.abs(rows.reduce((s, r) => s + Number(r.weight), 0) - 1) < 1e-12 && rows.length === 3,
      ),
      showsText(/^\d(\.\d+)?e-1[3-9]$|^0$/m, 1, "portfolio betas = weighted sums"),
      showsTable("the portfolio is explained better than AAPL", "name", (rows) => {
        const r2 = (name: string) =>
          Number(rows.find((r) => r.name === name)?.["common share of variance (R²)"]);
        return r2("Portfolio") > r2("AAPL") + 0.3;
      }),
      showsFigures([
        { title: /^Cumulative return attribution: AAPL$/, traces: 5 },
        { title: /^Cumulative return attribution: Portfolio$/, traces: 5 },
      ]),
      neverShows(/\bNaN\b/),
    ],
  },
};
