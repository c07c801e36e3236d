/**
 * Timing of the p-value functions a regression summary calls once per coefficient
 * (Student t) and once per model (F). Run with `deno bench bench/distributions_bench.ts`.
 */
import { fSf, studentTTwoSidedP } from "../lib/stats/distributions.ts";

/** 1000 t statistics from 0.01 to about 50: body, shoulders and far tail. */
const tStatistics = Array.from({ length: 1000 }, (_, i) => 0.01 + i * 0.05);
/** 1000 F statistics from 0.02 to about 100. */
const fStatistics = Array.from({ length: 1000 }, (_, i) => 0.02 + i * 0.1);

/** Keeps the results alive so the calls cannot be optimized away. */
let sink = 0;

Deno.bench("studentTTwoSidedP: 1000 t values, df = 56", { group: "t" }, () => {
  for (const t of tStatistics) sink += studentTTwoSidedP(t, 56);
});

Deno.bench("studentTTwoSidedP: 1000 t values, df = 2.5", { group: "t" }, () => {
  for (const t of tStatistics) sink += studentTTwoSidedP(t, 2.5);
});

Deno.bench("studentTTwoSidedP: 1000 t values, df = 1e4", { group: "t" }, () => {
  for (const t of tStatistics) sink += studentTTwoSidedP(t, 1e4);
});

Deno.bench("studentTTwoSidedP: one far-tail value (t = 685.76, df = 97)", () => {
  sink += studentTTwoSidedP(685.76, 97);
});

Deno.bench("fSf: 1000 F values on (3, 120) df", { group: "F" }, () => {
  for (const f of fStatistics) sink += fSf(f, 3, 120);
});

Deno.bench("fSf: 1000 F values on (6, 233) df", { group: "F" }, () => {
  for (const f of fStatistics) sink += fSf(f, 6, 233);
});

Deno.bench("fSf: 1000 F values on (60, 1e4) df", { group: "F" }, () => {
  for (const f of fStatistics) sink += fSf(f, 60, 1e4);
});

Deno.bench("fSf: one far-tail value (F = 890.71 on 6 and 233 df)", () => {
  sink += fSf(890.71, 6, 233);
});

globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.error("a benchmarked p-value was NaN");
});
