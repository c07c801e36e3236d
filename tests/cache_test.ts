import assert from "node:assert/strict";
import {
  clearCache,
  frenchDataset,
  NetworkError,
  OfflineError,
  ServerError,
  yahooPrices,
} from "../lib/data/mod.ts";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { cacheDir } from "../lib/data/config.ts";
import { captureWarnings, rewriteEntries } from "./support/cache_entries.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { listDir, removeDir, tempCacheDir } from "./support/temp.ts";

const RANGE = { start: "2015-01-01", end: "2015-12" };

Deno.test("a second download of the same URL is served from the cache", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir };
    const first = await frenchDataset("F-F_Research_Data_Factors", options);
    const second = await frenchDataset("F-F_Research_Data_Factors", options);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(second.tables[0].frame.row(5), first.tables[0].frame.row(5));
    // The cache entry; the store keeps the file's vintage beside it.
    const files = (await listDir(cacheDir)).filter((f) => f !== "store");
    assert.equal(files.length, 1);
    assert.match(files[0], /^F-F_Research_Data_Factors_CSV\.zip\.[0-9a-f]{24}\.entry$/);
    await yahooPrices("SPY", { ...RANGE, source: server.yahooBase, cacheDir });
    await yahooPrices("SPY", { ...RANGE, source: server.yahooBase, cacheDir });
    assert.equal(server.requests.length, 2);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("an expired entry or refresh: true downloads again", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir };
    await frenchDataset("F-F_Momentum_Factor", options);
    await frenchDataset("F-F_Momentum_Factor", { ...options, ttlMs: 0 });
    assert.equal(server.requests.length, 2);
    await frenchDataset("F-F_Momentum_Factor", { ...options, refresh: true });
    assert.equal(server.requests.length, 3);
    await frenchDataset("F-F_Momentum_Factor", options);
    assert.equal(server.requests.length, 3);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

/**
 * Makes every entry of the cache folder, and every dataset of the price store in it, look
 * downloaded `hours` ago.
 */
async function age(cacheDir: string, hours: number): Promise<void> {
  const then = new Date(Date.now() - hours * 3600_000).toISOString();
  await rewriteEntries(
    cacheDir,
    (record, body) => ({ record: { ...record, fetchedAt: then }, body }),
  );
  const prices = `${cacheDir}/store/prices`;
  for (const source of await listDir(prices)) {
    for (const ticker of await listDir(`${prices}/${source}`)) {
      const path = `${prices}/${source}/${ticker}/manifest.json`;
      const manifest = JSON.parse(await Deno.readTextFile(path));
      manifest.fetchedAt = manifest.basis.checkedAt = then;
      if (manifest.provisional) manifest.provisional.fetchedAt = then;
      await Deno.writeTextFile(path, JSON.stringify(manifest));
    }
  }
}

Deno.test("French files are reused for a day, past prices for a week, recent prices for an hour", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const french = { source: server.frenchBase, cacheDir };
    await frenchDataset("F-F_Research_Data_Factors", french);
    await age(cacheDir, 23);
    await frenchDataset("F-F_Research_Data_Factors", french);
    assert.equal(server.requests.length, 1);
    await age(cacheDir, 25);
    await frenchDataset("F-F_Research_Data_Factors", french);
    assert.equal(server.requests.length, 2);
    await clearCache({ cacheDir });

    const past = { ...RANGE, source: server.yahooBase, cacheDir };
    await yahooPrices("SPY", past);
    await age(cacheDir, 6 * 24);
    await yahooPrices("SPY", past);
    assert.equal(server.requests.length, 3);
    await age(cacheDir, 8 * 24);
    await yahooPrices("SPY", past);
    assert.equal(server.requests.length, 4);
    await clearCache({ cacheDir });

    // A range reaching today (the default end) may still gain bars: reused for an hour only.
    const recent = { start: "2024-01-01", source: server.yahooBase, cacheDir };
    await yahooPrices("SPY", recent);
    await age(cacheDir, 0.5);
    await yahooPrices("SPY", recent);
    assert.equal(server.requests.length, 5);
    await age(cacheDir, 2);
    await yahooPrices("SPY", recent);
    assert.equal(server.requests.length, 6);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("offline mode uses the cache, even stale, and says clearly what is missing", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    await frenchDataset("F-F_Research_Data_Factors", { source: server.frenchBase, cacheDir });
    await server.close();
    const offline = await frenchDataset("F-F_Research_Data_Factors", {
      source: server.frenchBase,
      cacheDir,
      offline: true,
      ttlMs: 0,
    });
    assert.equal(offline.tables[0].frame.height, 1195);
    await assert.rejects(
      () =>
        frenchDataset("F-F_Momentum_Factor", {
          source: server.frenchBase,
          cacheDir,
          offline: true,
        }),
      (e) =>
        e instanceof OfflineError && e.url.endsWith("/ftp/F-F_Momentum_Factor_CSV.zip") &&
        e.message.includes(`not in the cache folder ${cacheDir}`),
    );
    Deno.env.set("FACTORLAB_OFFLINE", "1");
    try {
      await assert.rejects(
        () => yahooPrices("SPY", { ...RANGE, source: server.yahooBase, cacheDir }),
        OfflineError,
      );
    } finally {
      Deno.env.delete("FACTORLAB_OFFLINE");
    }
  } finally {
    await removeDir(cacheDir);
    await server.close().catch(() => {});
  }
});

Deno.test("offline, any range inside the stored one is served; a missing one is named in dates with what the store holds", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    await yahooPrices("SPY", { ...RANGE, source: server.yahooBase, cacheDir });
    const cached = await yahooPrices("SPY", {
      ...RANGE,
      source: server.yahooBase,
      cacheDir,
      offline: true,
    });
    assert.equal(cached.prices.height, 252);
    assert.equal(cached.origin, "store");
    const spring = await yahooPrices("SPY", {
      start: "2015-03-01",
      end: "2015-06",
      source: server.yahooBase,
      cacheDir,
      offline: true,
    });
    assert.equal(spring.prices.getColumn("date").get(0), "2015-03-02");
    assert.equal(spring.prices.getColumn("date").get(spring.prices.height - 1), "2015-06-30");
    assert.equal(spring.prices.height, 85);
    await assert.rejects(
      () =>
        yahooPrices("SPY", {
          start: "2015-01-01",
          end: "2016-06",
          source: server.yahooBase,
          cacheDir,
          offline: true,
        }),
      (e) =>
        e instanceof OfflineError && e.url.includes("/store/prices/") &&
        e.message.includes("daily prices of SPY from 2015-01-01 to 2016-06-30 cannot be used") &&
        e.message.includes("the store holds SPY for 2015-01-01..2015-12-31 only"),
    );
    await assert.rejects(
      () => yahooPrices("VBR", { ...RANGE, source: server.yahooBase, cacheDir, offline: true }),
      (e) => e instanceof OfflineError && /the store holds no prices of VBR/.test(e.message),
    );
    assert.equal(server.requests.length, 1);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("a corrupt cache entry is detected and downloaded again", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir };
    await frenchDataset("F-F_Research_Data_Factors", options);
    const data = (await listDir(cacheDir)).find((f) => f.endsWith(".entry"))!;
    const bytes = await Deno.readFile(`${cacheDir}/${data}`);
    await Deno.writeFile(`${cacheDir}/${data}`, bytes.slice(0, 1000));
    // Offline, the corrupt entry is not used and the vintage kept in the store stands in.
    const offline = await frenchDataset("F-F_Research_Data_Factors", { ...options, offline: true });
    assert.equal(offline.origin, "store");
    assert.equal(offline.vintage, "202601");
    assert.deepEqual(offline.warnings, []);
    // A reader never deletes an entry (it may be another process's fresh one): the next
    // download replaces it.
    assert.ok((await listDir(cacheDir)).includes(data));
    await assert.rejects(
      () =>
        frenchDataset("F-F_Research_Data_Factors", {
          ...options,
          offline: true,
          storeDir: `${cacheDir}/elsewhere`,
        }),
      (e) => e instanceof OfflineError && /cache entry .* is corrupt/.test(e.message),
    );
    const again = await frenchDataset("F-F_Research_Data_Factors", options);
    assert.equal(again.tables[0].frame.height, 1195);
    assert.equal(server.requests.length, 2);
    // An entry whose record is damaged is also refetched.
    const entry = await Deno.readFile(`${cacheDir}/${data}`);
    const recordAt = entry.indexOf(10) + 1;
    entry.set(new TextEncoder().encode("{ not json"), recordAt);
    await Deno.writeFile(`${cacheDir}/${data}`, entry);
    await frenchDataset("F-F_Research_Data_Factors", options);
    assert.equal(server.requests.length, 3);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("an entry with intact bytes that no longer parses is refetched", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir };
    await frenchDataset("F-F_Research_Data_Factors", options);
    // Rewrite the entry consistently (size and checksum match) but with an HTML body.
    const html = new TextEncoder().encode("<html>consent</html>");
    await rewriteEntries(cacheDir, (record) => ({ record, body: html }));
    const ff3 = await frenchDataset("F-F_Research_Data_Factors", options);
    assert.equal(ff3.tables[0].frame.height, 1195);
    assert.equal(server.requests.length, 2);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("failed downloads leave no cache file behind, not even a temporary one", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const retry = { retries: 1, baseDelayMs: 1 };
    for (const mode of ["truncated", "html", "500-ra0"]) {
      await assert.rejects(() =>
        frenchDataset("F-F_Research_Data_Factors", {
          source: server.fail(mode, "french"),
          cacheDir,
          retry,
        })
      );
      await assert.rejects(() =>
        yahooPrices("SPY", { ...RANGE, source: server.fail(mode, "yahoo"), cacheDir, retry })
      );
    }
    await assert.rejects(
      () => yahooPrices("SPY", { ...RANGE, source: server.fail("500", "yahoo"), cacheDir, retry }),
      ServerError,
    );
    assert.deepEqual(await listDir(cacheDir), []);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("a connection dropped mid-download caches nothing", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { cacheDir, retry: { retries: 1, baseDelayMs: 1 } };
    await assert.rejects(
      () =>
        frenchDataset("F-F_Research_Data_Factors", {
          ...options,
          source: server.fail("cut", "french"),
        }),
      NetworkError,
    );
    await assert.rejects(
      () => yahooPrices("SPY", { ...RANGE, ...options, source: server.fail("cut", "yahoo") }),
      NetworkError,
    );
    assert.deepEqual(await listDir(cacheDir), []);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("a cache write that fails half-way keeps the download, warns, and leaves the previous entry whole", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  const writeFile = Deno.writeFile;
  try {
    const options = { source: server.frenchBase, cacheDir };
    await frenchDataset("F-F_Research_Data_Factors", options);
    const before = await listDir(cacheDir);
    const data = before.find((f) => f.endsWith(".entry"))!;
    const original = await Deno.readFile(`${cacheDir}/${data}`);
    // The disk fills up after half of the new body has been written.
    Deno.writeFile = async (path, bytes, opts) => {
      const all = bytes as Uint8Array;
      await writeFile(path, all.subarray(0, Math.floor(all.length / 2)), opts);
      throw new Deno.errors.WriteZero("No space left on device");
    };
    const warnings = await captureWarnings(async () => {
      const fresh = await frenchDataset("F-F_Research_Data_Factors", { ...options, refresh: true });
      assert.equal(fresh.tables[0].frame.height, 1195);
    });
    Deno.writeFile = writeFile;
    // One warning from the cache, one from the store of vintages: the download is kept.
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /could not store it in the cache folder/);
    assert.match(warnings[0], /No space left on device/);
    assert.match(warnings[1], /could not keep vintage 202601 .* used without being stored/);
    assert.deepEqual(await listDir(cacheDir), before);
    assert.deepEqual(await Deno.readFile(`${cacheDir}/${data}`), original);
    const offline = await frenchDataset("F-F_Research_Data_Factors", { ...options, offline: true });
    assert.equal(offline.tables[0].frame.height, 1195);
    assert.equal(server.requests.length, 2);
  } finally {
    Deno.writeFile = writeFile;
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("without an option or FACTORLAB_CACHE_DIR the cache is data/cache of the project", () => {
  const outside = Deno.env.get("FACTORLAB_CACHE_DIR");
  Deno.env.delete("FACTORLAB_CACHE_DIR");
  try {
    const project = fromFileUrl(new URL("../", import.meta.url));
    assert.equal(cacheDir(), join(project, "data", "cache"));
    assert.equal(cacheDir("elsewhere"), "elsewhere");
  } finally {
    if (outside !== undefined) Deno.env.set("FACTORLAB_CACHE_DIR", outside);
  }
});

Deno.test("FACTORLAB_CACHE_DIR chooses the folder and clearCache empties only cache entries, not the store", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  Deno.env.set("FACTORLAB_CACHE_DIR", cacheDir);
  try {
    await frenchDataset("F-F_Research_Data_Factors", { source: server.frenchBase });
    await yahooPrices("SPY", { ...RANGE, source: server.yahooBase });
    await Deno.writeTextFile(`${cacheDir}/notes.json`, "{}");
    assert.equal((await listDir(cacheDir)).length, 3);
    assert.equal(await clearCache(), 1);
    assert.deepEqual(await listDir(cacheDir), ["notes.json", "store"]);
    assert.equal((await listDir(`${cacheDir}/store/prices`)).length, 1);
  } finally {
    Deno.env.delete("FACTORLAB_CACHE_DIR");
    await removeDir(cacheDir);
    await server.close();
  }
});
