/**
 * Rolling-regression speed: 36-month windows over 40 years of monthly data (480 × 3 factors and
 * a constant), from updated moments, next to a fresh QR fit per window. Run with
 * `deno task bench`.
 */
import { ols, rollingOls } from "../mod.ts";

const T = 480;
const t = Float64Array.from({ length: T }, (_, i) => i + 1);
const mkt = t.map((v) => 0.045 * Math.sin(0.37 * v) + 0.01 * Math.cos(2.1 * v));
const smb = t.map((v) => 0.03 * Math.sin(0.11 * v + 1) + 0.004 * (((13 * v) % 17) / 17 - 0.5));
const hml = t.map((v) => 0.028 * Math.cos(0.23 * v) * Math.sin(0.05 * v));
const y = t.map((v, i) =>
  0.001 + 1.05 * mkt[i] + 0.55 * smb[i] + 0.4 * hml[i] + 0.02 * (((97 * v) % 89) / 89 - 0.5)
);
const X = { MKT_RF: mkt, SMB: smb, HML: hml };

Deno.bench("rollingOls 480×3, 36-month windows: params and bse", {
  group: "rolling",
  baseline: true,
}, () => {
  const rolling = rollingOls(y, X, { window: 36, addConstant: true });
  if (!(rolling.bse.get(T - 1, "MKT_RF") > 0)) throw new Error("bad fit");
});

Deno.bench("rollingOls 480×3, 36-month windows: with p-values and 95% intervals", {
  group: "rolling",
}, () => {
  const rolling = rollingOls(y, X, { window: 36, addConstant: true });
  if (!(rolling.pvalues.get(T - 1, "MKT_RF") < 1) || !rolling.confInt()) {
    throw new Error("bad fit");
  }
});

Deno.bench("ols per window 480×3, 36-month windows (fresh QR each)", { group: "rolling" }, () => {
  let last = 0;
  for (let end = 35; end < T; end++) {
    const rows = (v: Float64Array) => v.subarray(end - 35, end + 1);
    const fit = ols(rows(y), { MKT_RF: rows(mkt), SMB: rows(smb), HML: rows(hml) }, {
      addConstant: true,
    });
    last = fit.bse[1];
  }
  if (!(last > 0)) throw new Error("bad fit");
});
