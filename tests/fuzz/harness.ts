/**
 * The fuzzing harness of the data layer: every class of damaged, hostile and faulty input,
 * seeded and bounded, on the loopback interface only. `deno task fuzz` runs the full set;
 * tests/fuzz_test.ts runs a small seeded part of it.
 *
 * @module
 */

import { formatSummary, Rng, type Tally, tally, totals } from "./core.ts";
import { fuzzFrenchCsv, fuzzFrenchZip, fuzzLongFile, loadFrenchSamples } from "./french.ts";
import { fuzzTickers, fuzzYahooChart } from "./yahoo.ts";
import { fuzzHttp } from "./http.ts";
import { fuzzCacheConcurrency, fuzzCacheStates, fuzzFullDisk } from "./cache.ts";

/** How much of each class to run. */
export interface FuzzPlan {
  /** The seed of every random choice. */
  seed: number;
  /** Sample zips to mutate (file names matching). */
  samples: RegExp;
  /** Text mutations per sample. */
  csvPerSample: number;
  /** Zip mutations per sample. */
  zipPerSample: number;
  /** Rows of the generated long file. */
  longRows: number;
  /** Chart mutations. */
  charts: number;
  /** Random tickers. */
  tickers: number;
  /** Downloads through hostile servers. */
  http: number;
  /** Unpacked size of the gzip bomb, bytes. */
  bombBytes: number;
  /** Concurrent cache run: writers, readers, operations each, processes (else Workers). */
  cache: { writers: number; readers: number; iterations: number; processes: boolean };
  /** Time bound of one parse, one download and the concurrent run, ms. */
  limits: { parse: number; download: number; concurrent: number };
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The result: one tally per class, and the summary text ending with the closing line. */
export interface FuzzResult {
  tallies: Tally[];
  totals: ReturnType<typeof totals>;
  summary: string;
}

/** Runs every class of the plan. Temporary folders go under data/. */
export async function runFuzz(plan: FuzzPlan): Promise<FuzzResult> {
  const rng = new Rng(plan.seed);
  const log = plan.log ?? (() => {});
  await Deno.mkdir("data", { recursive: true });
  const root = await Deno.makeTempDir({ dir: "data", prefix: "fuzz-" });
  const tallies: Tally[] = [];
  const step = async (name: string, run: (t: Tally) => Promise<void>) => {
    const t = tally(name);
    tallies.push(t);
    const started = performance.now();
    await run(t);
    log(`${name}: ${t.tried} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  try {
    const samples = await loadFrenchSamples(plan.samples);
    await step("french-csv", async (t) => {
      await fuzzFrenchCsv(t, samples, rng, plan.csvPerSample, plan.limits.parse);
      await fuzzLongFile(t, plan.longRows, plan.limits.parse * 4);
    });
    await step(
      "french-zip",
      (t) => fuzzFrenchZip(t, samples, rng, plan.zipPerSample, plan.limits.parse),
    );
    await step("yahoo-chart", (t) => fuzzYahooChart(t, rng, plan.charts, plan.limits.parse));
    await step("tickers", (t) => fuzzTickers(t, rng, plan.tickers, plan.limits.parse));
    await step("http", (t) => fuzzHttp(t, rng, plan.http, plan.limits.download, plan.bombBytes));
    await step("cache-states", async (t) => {
      await fuzzCacheStates(t, root, plan.limits.download);
      await fuzzFullDisk(t, root, plan.limits.download);
    });
    await step(
      "cache-concurrent",
      (t) => fuzzCacheConcurrency(t, root, { ...plan.cache, limitMs: plan.limits.concurrent }),
    );
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  return { tallies, totals: totals(tallies), summary: formatSummary(tallies, plan.seed) };
}
