/**
 * OLS speed: a 240 × 7 fit (six factors and a constant, 20 years of monthly data), with
 * and without the statsmodels-style summary. Run with `deno task bench`.
 */
import { ols, referenceDataset } from "../mod.ts";

const { y, X } = referenceDataset("factor");

Deno.bench("ols 240×7: fit, params and bse", { group: "ols", baseline: true }, () => {
  const fit = ols(y, X);
  if (!(fit.bse[1] > 0)) throw new Error("bad fit");
});

Deno.bench("ols 240×7: fit and full summary text", { group: "ols" }, () => {
  const text = ols(y, X).summary().toString();
  if (text.length < 1000) throw new Error("short summary");
});

Deno.bench("ols 240×7: fit and HAC(6) robust standard errors", { group: "ols" }, () => {
  const fit = ols(y, X).getRobustcovResults("HAC", { maxlags: 6 });
  if (!(fit.bse[1] > 0)) throw new Error("bad fit");
});
