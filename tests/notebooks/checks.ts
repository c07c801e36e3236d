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

/** The first two cells of every notebook: the setup check and the choice of data. */
const FIRST_CELLS = [
  showsText(/^Deno +ok +2\.\d+\.\d+$/m, 1, "the setup check names Deno"),
  showsText(/^factorlab +ok +notebooks\/ of \.$/m, 1, "the setup check finds factorlab"),
  showsText("Ready: run the next cells.", 1, "the setup check finds nothing missing"),
  showsText(
    "Data: downloaded from the Ken French library and Yahoo Finance (and cached).",
    1,
    "the data cell says where the data comes from",
  ),
];

/** Checks by notebook file name; every notebook in notebooks/ needs an entry. */
export const CHECKS: Record<string, NotebookChecks> = {
  "01_fama_french_vbr.ipynb": {
    checks: [
      ...FIRST_CELLS,
      check("SMB and HML rebuilt from the 2×3 portfolios: only June 2019 is off", (notebook) => {
        const gaps = notebook.tables.filter((rows) =>
          rows.length < 5 && "SMB_rebuilt (%)" in (rows[0] ?? {})
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
      showsText(/Adj\. R-squared:\s+0\.980\b/, 1, "adj. R² 0.980, as published"),
      showsText(/^MKT_RF\s+1\.013[67]\s/m, 1, "market beta 1.0137 (published 1.0136)"),
      showsText(/^SMB\s+0\.5574\s/m, 1, "SMB 0.5574, as published"),
      showsText(/^HML\s+0\.40(29|30)\s/m, 1, "HML 0.4029 (published 0.4030)"),
      showsText(
        /^const\s+-0\.0006(\s+\S+){2}\s+0\.374\s/m,
        1,
        "alpha −0.0006, p = 0.374, as published",
      ),
      showsText(/Durbin-Watson:\s+1\.66[45]/, 1, "Durbin-Watson 1.664 (published 1.665)"),
      showsText(/Skew:\s+-0\.822/, 1, "skew −0.822, as published"),
      showsText(/Kurtosis:\s+5\.030/, 1, "kurtosis 5.030, as published"),
      showsText(/Prob\(Omnibus\):\s+0\.00\d/, 1, "Omnibus rejects normality"),
      showsText(
        "--- Fama-French 3-Factor Analysis: VBR (2010-02 to 2020-12, 131 months) ---",
        1,
        "the condensed report",
      ),
      showsText(/Is Alpha Significant\?\s+NO \(p-value: 0\.3\d+\)/, 1, "alpha not significant"),
      showsText(/White Test:\s+Warning: Heteroscedasticity detected!/, 1, "White test fails"),
      showsText(/^LM \(χ²\)\s+\S+\s+9\s+\d(\.\d+)?e-1\d$/m, 1, "White p-value around 1e-14"),
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
      ...FIRST_CELLS,
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
      showsText(/^LM \(χ²\)\s+\S+\s+9\s/m, 1, "White test with 9 degrees of freedom"),
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
      ...FIRST_CELLS,
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
      ...FIRST_CELLS,
      showsText(SUMMARY),
      showsText(/No\. Observations:\s+131\b/),
      showsText(/ R-squared:\s+0\.1[0-2]\d/, 1, "R² ≈ 0.11"),
      showsText(/^const\s+0\.01\d\d(\s+\S+){2}\s+0\.000\s/m, 1, "alpha large and significant"),
      showsText(/^MOM\s+-0\.3\d{3}(\s+\S+){2}\s+0\.00\d\s/m, 1, "MOM ≈ −0.32, p < 0.01"),
      showsText(/^HML\s+0\.1\d{3}(\s+\S+){2}\s+0\.2\d\d\s/m, 1, "HML ≈ 0.16, p ≈ 0.27"),
      showsText(/^MOM \+2%, HML −1%\s+0\.005\d+$/m, 1, "predict gives about 0.5%, labelled"),
      showsText(
        /^2020-10\s+-?0\.\d+\n2020-11\s+-?0\.\d+\n2020-12\s+-?0\.\d+$/m,
        1,
        "predictions labelled by period",
      ),
      neverShows(/Float64Array/, "no raw arrays"),
      showsText(/^MOM\s+-0\.32\d+\nHML\s+0\.16\d+$/m, 1, "the betas one-liner"),
      showsText(/^HML\s+0\.1\d{3}\s+0\.2\d{3}\s+0\.3\d{3}$/m, 1, "HML: beta 0.16, alone 0.35"),
      showsText("--- Carhart 4-Factor Analysis: SPY (2010-02 to 2020-12, 131 months) ---"),
      showsText(/Momentum Beta \(MOM\):\s+-?0\.0\d{3}/, 1, "MOM beta near zero with the market"),
      showsFigures([
        { title: /^SPY against Momentum: one factor, one line$/, traces: 3 },
        { title: /^Actual vs fitted/, traces: 2 },
      ]),
      check("the refresher's line is SPY's simple regression on momentum", (notebook) => {
        const scatter = notebook.figures.find((f) =>
          /one factor, one line/.test(JSON.stringify(f.layout?.title ?? ""))
        );
        const subtitle = JSON.stringify(scatter?.layout?.title ?? "");
        if (!/y = −0\.379 · x \+ 0\.0127/.test(subtitle)) throw new Error(subtitle);
        if (!/least squares minimises the sum of the squared grey gaps/.test(subtitle)) {
          throw new Error(`no word on what least squares minimises: ${subtitle}`);
        }
      }),
      showsText(/^MOM\s+-0\.3231\s+-0\.3212\s+-0\.3793$/m, 1, "MOM alone: the refresher's slope"),
      neverShows(/\bNaN\b/),
    ],
  },
  "05_portfolio_factor_model.ipynb": {
    checks: [
      ...FIRST_CELLS,
      showsText(/^MKT_RF\s+1\.2\d+\nSMB\s+-0\.3\d+\nHML\s+-0\.6\d+$/m, 1, "AAPL's betas"),
      showsText("Return attribution: AAPL, 2010-02 to 2020-12", 1, "AAPL's attribution"),
      showsText("Return attribution: Portfolio, 2010-02 to 2020-12", 1, "portfolio attribution"),
      showsText(/^residual\s+0\.00\s+0\.0%$/m, 2, "residuals sum to zero (printed unsigned)"),
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
  "06_research_toolkit.ipynb": {
    checks: [
      ...FIRST_CELLS,
      showsFigures([
        { title: /^Rolling 36-month betas: VBR$/, traces: 6 },
        { title: /^Fama-French 3-Factor exposures$/, traces: 3 },
        { title: /^Fama-French 3-Factor exposures$/, traces: 3 },
        { title: /^Risk decomposition: Portfolio$/, traces: 1 },
      ]),
      showsTable("rolling betas: ranges over the windows", "describe", (rows) => {
        const row = (stat: string) => rows.find((r) => r.describe === stat) ?? {};
        const [min, max, median] = [row("min"), row("max"), row("median")];
        const within = (v: unknown, lo: number, hi: number) => Number(v) >= lo && Number(v) <= hi;
        return within(min.MKT_RF, 0.98, 0.985) && within(max.MKT_RF, 1.055, 1.06) &&
          within(min.SMB, 0.455, 0.465) && within(max.SMB, 0.645, 0.655) &&
          within(median.HML, 0.275, 0.29);
      }),
      showsTable("rolling betas each December: HML 0.21 (2013), 0.26 (2016), 0.52 (2020)", "HML", (
        rows,
      ) => {
        const hml = (period: string) => Number(rows.find((r) => r.period === period)?.HML);
        return rows.length === 8 && rows[0].period === "2013-12" &&
          Math.abs(hml("2013-12") - 0.21) < 0.01 && Math.abs(hml("2016-12") - 0.26) < 0.01 &&
          Math.abs(hml("2020-12") - 0.52) < 0.01;
      }),
      check("the 2016 and 2020 HML bands do not overlap", (notebook) => {
        const figure = notebook.figures.find((f) =>
          /"Rolling 36-month betas: VBR"/.test(JSON.stringify(f.layout?.title))
        );
        const traces = (figure?.data ?? []) as { name?: string; x?: string[]; y?: number[] }[];
        const band = traces.find((t) => t.name === "HML 95% band");
        if (!band?.x || !band.y) throw new Error("no HML band trace in the rolling-betas figure");
        // A band trace runs along the upper bound and back along the lower one.
        const at = (period: string) =>
          band.x!.flatMap((x, i) => (x === period ? [band.y![i]] : [])).sort((a, b) => a - b);
        const [low2016, high2016] = at("2016-12");
        const [low2020, high2020] = at("2020-12");
        if (!(high2016 < low2020 && high2016 > 0.35 && high2016 < 0.37 && low2020 > 0.42)) {
          throw new Error(`2016 band ${low2016}..${high2016}, 2020 band ${low2020}..${high2020}`);
        }
      }),
      check("HML: 0.37 in the window to February 2020, 0.47 to March 2020", (notebook) => {
        const figure = notebook.figures.find((f) =>
          /"Rolling 36-month betas: VBR"/.test(JSON.stringify(f.layout?.title))
        );
        const traces = (figure?.data ?? []) as { name?: string; x?: string[]; y?: number[] }[];
        const hml = traces.find((t) => t.name === "HML");
        const at = (period: string) => hml?.y?.[hml.x?.indexOf(period) ?? -1];
        const [feb, mar] = [at("2020-02"), at("2020-03")];
        if (!(Math.abs(feb! - 0.37) < 0.005 && Math.abs(mar! - 0.47) < 0.005)) {
          throw new Error(`HML ${feb} (2020-02), ${mar} (2020-03)`);
        }
      }),
      showsText(/^HML(\s+\S+){3}\s+2\.2\d\s/m, 1, "HAC(auto) more than doubles HML's std err"),
      showsText("Standard errors: nonrobust vs HAC(7)", 1, "the automatic rule picks 7 lags"),
      showsText("using 7 lags (Newey-West 1994 automatic selection)", 1, "the note names the rule"),
      showsText(
        /^VBR\s+2010-02\s+2020-12\s+131\s+-0\.0006(\s+\S+){2}\s+1\.014\s+0\.557\s+0\.403\s/m,
      ),
      showsText(/^SPY(\s+\S+){6}\s+0\.9[78]\d\s+-0\.13\d\s+0\.0\d\d\s+0\.997$/m, 1, "SPY"),
      showsText(
        /^AAPL(\s+\S+){4}\s+10\.\d\d\s+0\.1[12]\d\d\s+1\.2[34]\d\s+-0\.3\d\d\s+-0\.6[34]\d\s+0\.3[67]\d$/m,
        1,
        "AAPL: alpha ≈ 10.9% a year, p ≈ 0.12; betas 1.24, −0.39, −0.64; a third explained",
      ),
      showsTable(
        "tidy coefficients: the three HML rows",
        "term",
        (rows) => rows.length === 3 && rows.every((r) => r.term === "HML"),
      ),
      showsText(
        /^GRS\s+1\.09\d\d\s+F\(3, 125\)\s+0\.35\d\d$/m,
        1,
        "GRS on 3 assets: F 1.10, p ≈ 0.35",
      ),
      showsText(/factors 0\.38\d\d, factors and assets 0\.41\d\d/, 1, "Sharpe 0.38 → 0.42"),
      showsText('"Average Value Weighted Returns -- Monthly"', 1, "the value-weighted table"),
      check("25 portfolios: SMB ≈ 1.4 → −0.2, HML negative → 0.7–0.85, market 0.89–1.14", (nb) => {
        const bars = nb.figures.map((f) =>
          (f.data ?? []) as { name?: string; x?: string[]; y?: number[] }[]
        )
          .find((traces) => traces[0]?.x?.length === 25);
        if (!bars) throw new Error("no exposure chart of the 25 portfolios");
        const col = (f: string) => bars.find((t) => t.name === f)?.y ?? [];
        const mkt = col("MKT_RF");
        const smb = col("SMB");
        const hml = col("HML");
        const problems = [];
        if (bars[0].x![0] !== "SMALL LoBM" || bars[0].x![24] !== "BIG HiBM") {
          problems.push(`portfolios ${bars[0].x}`);
        }
        if (Math.min(...mkt) < 0.885 || Math.max(...mkt) > 1.145) problems.push(`market ${mkt}`);
        if (Math.abs(smb[0] - 1.41) > 0.01 || Math.max(...smb.slice(20)) > -0.1) {
          problems.push(`SMB ${smb}`);
        }
        const lo = [0, 5, 10, 15, 20].map((i) => hml[i]);
        const hi = [4, 9, 14, 19, 24].map((i) => hml[i]);
        if (Math.max(...lo) >= 0 || Math.min(...hi) < 0.69 || Math.max(...hi) > 0.85) {
          problems.push(`HML LoBM ${lo}, HiBM ${hi}`);
        }
        if (problems.length) throw new Error(problems.join("; "));
      }),
      showsText(/^GRS\s+3\.6\d{3}\s+F\(25, 710\)\s+1\.\d+e-08$/m, 1, "GRS on 25: p ≈ 1e-8"),
      showsText(/^SMALL LoBM\s+-0\.0050\d\s+\S+\s+-5\.4\d\d\s/m, 1, "small growth: −0.50%, t −5.5"),
      showsText(/^BIG LoBM\s+0\.001[67]\d\s/m, 1, "big growth: +0.17%"),
      showsText(/^ME5 BM4\s+-0\.002[12]\d\s/m, 1, "ME5 BM4: −0.22%"),
      showsText(/738 cross-sections of 25 assets; average R² 0\.53\d\d/, 2, "average R² 0.53"),
      showsText(/^const\s+0\.0121\d(\s+\S+){6}$/m, 1, "constant 1.21%"),
      showsText(/^MKT_RF\s+-0\.0061\d(\s+\S+){6}$/m, 1, "market premium −0.62%"),
      showsText(/^SMB\s+0\.0011\d\s+\S+\s+0\.99(\s+\S+){4}$/m, 1, "SMB 0.11%, t ≈ 1"),
      showsText(
        /^HML\s+0\.0032\d\s+\S+\s+2\.86\s+\S+\s+2\.34\s+\S+\s+2\.86$/m,
        1,
        "HML 0.32%: t 2.86, Newey-West 2.34, Shanken 2.86",
      ),
      showsText("use 6 lags (by the rule floor(4·(T/100)^(2/9)))", 1, "6 lags by the rule"),
      showsText("correction factor 1 + c = 1.0337", 2, "Shanken factor 1.034"),
      showsText("use 2 lags (Newey-West 1994 automatic selection)", 1, "automatic: 2 lags"),
      showsText(/^HML\s+0\.0032\s+0\.0013\s+2\.5[34]\d\s/m, 1, "HML t 2.54 with 2 lags"),
      showsTable(
        "factor means: market 0.59%, SMB 0.16%, HML 0.28%",
        "MKT_RF",
        (rows) =>
          rows.length === 1 && Math.abs(Number(rows[0].MKT_RF) - 0.0059) < 0.00005 &&
          Math.abs(Number(rows[0].SMB) - 0.0016) < 0.00005 &&
          Math.abs(Number(rows[0].HML) - 0.0028) < 0.00005,
      ),
      showsText(/^MKT_RF\s+1\.0390\s+\S+\s+92\.1%\s+14\.7\d%$/m, 1, "market: 92.1% of variance"),
      showsText(/^SMB\s+0\.02\d\d\s+\S+\s+0\.5%/m, 1, "SMB: 0.5%"),
      showsText(/^HML\s+-0\.0036\s+\S+\s+0\.0%/m, 1, "HML: 0.0%, exposure −0.004"),
      showsText(/^specific\s+1\.60\de-04\s+7\.5%/m, 1, "specific: 7.5%"),
      showsText("annualized volatility 16.00%", 1, "volatility 16.0% a year"),
      showsText(/^AAPL\s+0\.2000(\s+\S+){3}\s+3\.8\d\de-03\s+\S+\s+25\.9%$/m, 1, "AAPL: 25.9%"),
      showsText(/^PC1(\s+\S+){2}\s+83\.47%\s+83\.47%$/m, 1, "PC1 explains 83.5%"),
      showsText(/^PC3(\s+\S+){3}\s+93\.36%$/m, 1, "three components explain 93.4%"),
      check("PC1 loadings all positive, 0.13 to 0.28, larger for small stocks", (notebook) => {
        const loadings = [...notebook.plainText.matchAll(/^(SMALL|BIG|ME\d) \S+\s+(0\.\d{6})$/gm)]
          .map((m) => Number(m[2]));
        const small = loadings.slice(0, 5);
        const big = loadings.slice(20);
        if (
          loadings.length !== 25 || Math.min(...loadings) < 0.13 ||
          Math.max(...loadings) > 0.28 || Math.min(...small) <= Math.max(...big)
        ) throw new Error(`loadings ${loadings}`);
      }),
      showsText(
        /^PC1\s+0\.98[56]\d+\nPC2\s+0\.89\d+\nPC3\s+0\.9[12]\d+$/m,
        1,
        "FF3 explains 98.6%, ~90% and ~92% of the components",
      ),
      showsTable(
        "rebuilt SMB/HML: only June 2019 off",
        "SMB_published",
        (rows) => rows.map((r) => r.period).join() === "2019-06",
      ),
      neverShows(/\bNaN\b/),
    ],
  },
};
