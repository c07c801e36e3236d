import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ServerError, yahooPrices } from "../lib/data/mod.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { listDir, removeDir, tempCacheDir } from "./support/temp.ts";

const QUICK = { retry: { retries: 1, baseDelayMs: 1 }, pace: false as const };

/** The day a chart request's period1 (Unix seconds) falls on. */
function period1Day(path: string): string {
  const seconds = Number(new URL(path, "http://x").searchParams.get("period1"));
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The one dataset folder of the store in `cacheDir`. */
async function datasetFolder(cacheDir: string): Promise<string> {
  const prices = `${cacheDir}/store/prices`;
  const [source] = await listDir(prices);
  const [ticker] = await listDir(`${prices}/${source}`);
  return `${prices}/${source}/${ticker}`;
}

Deno.test("a later, longer request downloads only the missing part into one Parquet dataset with its manifest", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.yahooBase, cacheDir, ...QUICK };
    const half = await yahooPrices("SPY", { ...options, start: "2015-01-01", end: "2015-06" });
    assert.equal(half.prices.height, 124);
    assert.equal(half.origin, "network");
    const year = await yahooPrices("SPY", { ...options, start: "2015-01-01", end: "2015-12" });
    assert.equal(year.prices.height, 252);
    assert.equal(server.requests.length, 2);
    // The second request starts shortly before the stored end (a few days of overlap to compare
    // the adjustment basis), not on January 1st.
    const second = period1Day(server.requests[1].path);
    assert.ok(second > "2015-06-10" && second < "2015-07-01", second);
    // The merged dataset is what one download of the year gives.
    const whole = await yahooPrices("SPY", {
      ...options,
      start: "2015-01-01",
      end: "2015-12",
      cache: false,
    });
    assert.ok(year.prices.frameEqual(whole.prices));
    const folder = await datasetFolder(cacheDir);
    const manifest = JSON.parse(await Deno.readTextFile(`${folder}/manifest.json`));
    assert.equal(manifest.ticker, "SPY");
    assert.equal(manifest.start, "2015-01-01");
    assert.equal(manifest.end, "2015-12-31");
    assert.ok(!Number.isNaN(Date.parse(manifest.fetchedAt)));
    assert.ok(!Number.isNaN(Date.parse(manifest.basis.adjustedAsOf)));
    assert.match(manifest.files.prices, /\.parquet$/);
    const stored = pl.readParquet(`${folder}/${manifest.files.prices}`);
    assert.equal(stored.height, 252);
    assert.ok(stored.columns.includes("fetchedAt"));
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("when Yahoo fails, stored prices stand in with a warning that names their age", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  const { warn } = console;
  try {
    const options = {
      source: server.yahooBase,
      cacheDir,
      start: "2015-01-01",
      end: "2015-12",
      ...QUICK,
    };
    const fresh = await yahooPrices("SPY", options);
    // Ten days later: past the week after which settled bars are checked again.
    const then = new Date(Date.now() - 240 * 3600_000).toISOString();
    const folder = await datasetFolder(cacheDir);
    const manifest = JSON.parse(await Deno.readTextFile(`${folder}/manifest.json`));
    manifest.fetchedAt = manifest.basis.checkedAt = manifest.basis.adjustedAsOf = then;
    if (manifest.provisional) manifest.provisional.fetchedAt = then;
    await Deno.writeTextFile(`${folder}/manifest.json`, JSON.stringify(manifest));
    const path = `${folder}/${manifest.files.prices}`;
    pl.readParquet(path).withColumns(pl.lit(then).alias("fetchedAt")).writeParquet(path);
    server.failFromNow("500");
    const printed: string[] = [];
    console.warn = (...a: unknown[]) => printed.push(a.join(" "));
    const stale = await yahooPrices("SPY", options);
    console.warn = warn;
    assert.equal(stale.origin, "stale-store");
    assert.ok(stale.prices.frameEqual(fresh.prices));
    assert.deepEqual(stale.warnings, [
      "using SPY prices downloaded 10 days ago: Yahoo answered 500",
    ]);
    assert.deepEqual(printed, [`factorlab: ${stale.warnings[0]}`]);
    // A range the store does not hold has nothing to stand in: the failure is raised.
    await assert.rejects(
      () => yahooPrices("SPY", { ...options, start: "2014-01-01" }),
      ServerError,
    );
  } finally {
    console.warn = warn;
    server.failFromNow(undefined);
    await removeDir(cacheDir);
    await server.close();
  }
});
