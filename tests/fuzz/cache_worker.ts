/**
 * One participant of the concurrent cache run, as a Worker (tests) or a process (`deno task
 * fuzz`): a writer downloads the same URL again and again with `refresh: true`; a reader reads it
 * offline again and again. Every body must be one whole version the server sent; a reader must
 * never miss the entry, which exists before the run starts.
 *
 * @module
 */

import { fetchCached } from "../../lib/data/cache.ts";
import { FactorlabError } from "../../lib/errors.ts";

/** What a participant is asked to do. */
export interface CacheJob {
  url: string;
  cacheDir: string;
  role: "reader" | "writer";
  iterations: number;
}

/** What it found. */
export interface CacheReport {
  operations: number;
  whole: number;
  wrong: string[];
  lost: string[];
  untyped: string[];
}

/** A body of the versioned server: `{"v":n,"pad":"xxx…","length":len}` with len = pad length. */
export function checkVersionBody(body: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body));
    if (typeof parsed.v !== "number" || parsed.pad.length !== parsed.length) {
      return "a body mixing two versions";
    }
    return undefined;
  } catch {
    return `a body that is not one whole version (${body.length} bytes)`;
  }
}

function validate(body: Uint8Array): void {
  const problem = checkVersionBody(body);
  if (problem !== undefined) throw new FactorlabError(problem);
}

/** Runs one participant. */
export async function runCacheJob(job: CacheJob): Promise<CacheReport> {
  const report: CacheReport = { operations: 0, whole: 0, wrong: [], lost: [], untyped: [] };
  const silence = console.warn;
  console.warn = () => {};
  try {
    for (let i = 0; i < job.iterations; i++) {
      report.operations++;
      try {
        const got = await fetchCached(
          job.url,
          job.role === "writer"
            ? { cacheDir: job.cacheDir, refresh: true, timeoutMs: 20_000 }
            : { cacheDir: job.cacheDir, offline: true },
          3600_000,
          validate,
        );
        const problem = checkVersionBody(got.body);
        if (problem === undefined) report.whole++;
        else report.wrong.push(`${job.role}: ${problem}`);
      } catch (error) {
        const message = `${job.role}: ${(error as Error).message}`;
        if (error instanceof FactorlabError) report.lost.push(message);
        else report.untyped.push(message);
      }
    }
  } finally {
    console.warn = silence;
  }
  return report;
}

type WorkerScope = {
  onmessage: ((e: MessageEvent<CacheJob>) => void) | null;
  postMessage(m: unknown): void;
  close(): void;
};

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
  "undefined";
if (inWorker) {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = async (event) => {
    scope.postMessage(await runCacheJob(event.data));
    scope.close();
  };
} else if (import.meta.main) {
  const job = JSON.parse(Deno.args[0]) as CacheJob;
  console.log(JSON.stringify(await runCacheJob(job)));
}
