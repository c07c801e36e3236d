/**
 * Many assets at once: 5,000 assets × 240 months on six factors and a constant, params and
 * standard errors for every asset. `olsMany` factors X once and applies Qᵀ to all 5,000
 * columns; the baseline fits each asset with `ols`. Synthetic, deterministic data (a fixed LCG).
 * Run with `deno task bench`.
 */
import { ols, olsMany } from "../mod.ts";

const T = 240;
const N = 5_000;
const FACTORS = ["MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM"];

let state = 12345;
function next(): number {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32 - 0.5;
}

const X: Record<string, Float64Array> = Object.fromEntries(
  FACTORS.map((
    f,
    j,
  ) => [f, Float64Array.from({ length: T }, () => 0.004 * (j === 0 ? 1 : 0) + 0.05 * next())]),
);
const Y: Record<string, Float64Array> = {};
for (let i = 0; i < N; i++) {
  const betas = FACTORS.map(() => 1.5 * next());
  Y[`A${i}`] = Float64Array.from({ length: T }, (_, t) => {
    let v = 0.002 * next();
    FACTORS.forEach((f, j) => (v += betas[j] * X[f][t]));
    return v + 0.03 * next();
  });
}
const names = Object.keys(Y);

Deno.bench(
  "olsMany 5,000 assets × 240×7: params and bse",
  { group: "many", baseline: true },
  () => {
    const fit = olsMany(Y, X, { addConstant: true });
    if (!(fit.bse.data[fit.bse.data.length - 1] > 0) || fit.params.rows !== N) {
      throw new Error("bad fit");
    }
  },
);

Deno.bench("olsMany 5,000 assets × 240×7: params, bse, t and p-values", { group: "many" }, () => {
  const fit = olsMany(Y, X, { addConstant: true });
  if (!(fit.pvalues.data[0] >= 0)) throw new Error("bad fit");
});

Deno.bench("ols per asset, 5,000 × (240×7): params and bse", { group: "many" }, () => {
  let s = 0;
  for (const name of names) s += ols(Y[name], X, { addConstant: true }).bse[1];
  if (!(s > 0)) throw new Error("bad fit");
});
