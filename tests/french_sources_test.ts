import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { analyze } from "../mod.ts";
import {
  clearCache,
  FRENCH_CATALOG,
  FrenchAccessError,
  frenchDataset,
  frenchDatasetSpelling,
  HttpError,
  UnknownDatasetError,
  VintageNotFoundError,
} from "../lib/data/mod.ts";
import { rewriteEntries } from "./support/cache_entries.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { listDir, removeDir, tempCacheDir } from "./support/temp.ts";

const FF3 = "F-F_Research_Data_Factors";
const QUICK = { retry: { retries: 1, baseDelayMs: 1 } };

/** Runs `body` with console.warn captured; returns what it printed. */
async function warnings(body: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const { warn } = console;
  console.warn = (...a: unknown[]) => printed.push(a.join(" "));
  try {
    await body();
  } finally {
    console.warn = warn;
  }
  return printed;
}

/** Makes every cache entry and stored vintage look downloaded `hours` ago. */
async function age(cacheDir: string, hours: number): Promise<void> {
  const then = new Date(Date.now() - hours * 3600_000).toISOString();
  await rewriteEntries(
    cacheDir,
    (record, body) => ({ record: { ...record, fetchedAt: then }, body }),
  );
  const records: string[] = [];
  for (const name of await listDir(`${cacheDir}/store/french`)) {
    for (const f of await listDir(`${cacheDir}/store/french/${name}`)) {
      if (f.endsWith(".json")) records.push(`${cacheDir}/store/french/${name}/${f}`);
    }
  }
  for (const path of records) {
    const record = JSON.parse(await Deno.readTextFile(path));
    record.fetchedAt = then;
    await Deno.writeTextFile(path, JSON.stringify(record));
  }
}

Deno.test("the catalog spells the 11 names the library writes with another case as the library does", () => {
  const names = new Set(FRENCH_CATALOG.map((d) => d.name));
  const live = [
    "Portfolios_Formed_on_ME_Daily",
    "Portfolios_Formed_on_BE-ME_Daily",
    "Portfolios_Formed_on_OP_Daily",
    "Portfolios_Formed_on_INV_Daily",
    "25_Portfolios_5x5_Daily",
    "100_Portfolios_10x10_Daily",
    "6_Portfolios_ME_Prior_12_2_Daily",
    "25_Portfolios_ME_Prior_12_2_Daily",
    "10_Portfolios_Prior_12_2_Daily",
    "Asia_Pacific_ex_Japan_MOM_Factor",
    "Asia_Pacific_ex_Japan_MOM_Factor_Daily",
  ];
  for (const name of live) assert.ok(names.has(name), name);
  // Their twins in the other case are not listed; the lower-case daily files stay lower-case.
  for (const name of live) {
    const other = name.replace(/_Daily$/, "_daily").replace("_MOM_", "_Mom_");
    assert.ok(!names.has(other) || other === name, other);
  }
  for (const name of ["6_Portfolios_2x3_daily", "F-F_Momentum_Factor_daily", "Europe_Mom_Factor"]) {
    assert.ok(names.has(name), name);
  }
  assert.equal(FRENCH_CATALOG.length, 96);
  // No two entries differ only in case.
  assert.equal(new Set(FRENCH_CATALOG.map((d) => d.name.toLowerCase())).size, 96);
});

Deno.test("a name in any case is sent to the library as the library spells it", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    assert.equal(
      await frenchDatasetSpelling("25_PORTFOLIOS_5X5_daily", { offline: true }),
      "25_Portfolios_5x5_Daily",
    );
    const ff3 = await frenchDataset("f-f_research_data_factors", {
      source: server.frenchBase,
      cacheDir,
    });
    assert.equal(ff3.name, FF3);
    assert.deepEqual(server.requests.map((r) => r.path), [`/french/ftp/${FF3}_CSV.zip`]);
    // A region's momentum file, spelled "MOM" by the library, is asked for with that spelling.
    await assert.rejects(
      () =>
        frenchDataset("Asia_Pacific_ex_Japan_Mom_Factor", { source: server.frenchBase, cacheDir }),
      (e) => e instanceof UnknownDatasetError && e.dataset === "Asia_Pacific_ex_Japan_MOM_Factor",
    );
    assert.ok(
      server.requests.some((r) =>
        r.path === "/french/ftp/Asia_Pacific_ex_Japan_MOM_Factor_CSV.zip"
      ),
    );
    assert.ok(!server.requests.some((r) => /_Mom_Factor_CSV/.test(r.path)));
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("a name the catalog does not know is looked up on the library's page, without regard to case", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir };
    assert.equal(
      await frenchDatasetSpelling("f-f_momentum_factor_DAILY", { ...options, live: true }),
      "F-F_Momentum_Factor_daily",
    );
    assert.deepEqual(server.requests.map((r) => r.path), ["/french/data_library.html"]);
    // Not on the page either: the name goes to the library as given, and 404 is UnknownDatasetError.
    assert.equal(await frenchDatasetSpelling("No_Such_File", options), "No_Such_File");
    await assert.rejects(
      () => frenchDataset("No_Such_File", options),
      (e) => e instanceof UnknownDatasetError && e.dataset === "No_Such_File",
    );
    // The page is read once a day, through the cache.
    assert.equal(server.requests.filter((r) => r.path.endsWith("data_library.html")).length, 1);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("401 and 403 from the library are FrenchAccessError saying it refuses access and what to do", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    for (const status of [401, 403]) {
      await assert.rejects(
        () =>
          frenchDataset(FF3, { source: server.fail(String(status), "french"), cacheDir, ...QUICK }),
        (e) =>
          e instanceof FrenchAccessError && e instanceof HttpError && e.status === status &&
          /library is refusing access/.test(e.message) && /offline: true/.test(e.message) &&
          /mirror folder/.test(e.message),
      );
    }
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("every download keeps its vintage; results name it, and an older stored vintage can be chosen", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const old = await frenchDataset(FF3, { source: `${server.url}/french/v/202412`, cacheDir });
    assert.equal(old.vintage, "202412");
    assert.equal(old.origin, "network");
    const now = await frenchDataset(FF3, { source: server.frenchBase, cacheDir });
    assert.equal(now.vintage, "202601");
    assert.deepEqual(await listDir(`${cacheDir}/store/french/${FF3}`), [
      "202412.json",
      "202412.zip",
      "202601.json",
      "202601.zip",
    ]);
    const asked = server.requests.length;
    const chosen = await frenchDataset(FF3, {
      source: server.frenchBase,
      cacheDir,
      vintage: "202412",
      start: "2024-01",
      end: "2024-12",
    });
    assert.equal(server.requests.length, asked);
    assert.equal(chosen.vintage, "202412");
    assert.equal(chosen.origin, "store");
    assert.equal(chosen.source, `${cacheDir}/store/french/${FF3}/202412.zip`);
    assert.equal(chosen.tables[0].frame.height, 12);
    assert.deepEqual(
      chosen.tables[0].frame.row(11),
      old.tables[0].frame.filter(pl.col("period").eq(pl.lit("2024-12"))).row(0),
    );
    // The current vintage asked by name comes from the store too.
    assert.equal(
      (await frenchDataset(FF3, { source: server.frenchBase, cacheDir, vintage: "202601" }))
        .origin,
      "store",
    );
    // A vintage nobody has: what is stored and what the library serves now.
    await assert.rejects(
      () => frenchDataset(FF3, { source: server.frenchBase, cacheDir, vintage: "199901" }),
      (e) =>
        e instanceof VintageNotFoundError && e.vintage === "199901" &&
        /the library now serves 202601/.test(e.message) &&
        /Stored vintages: 202412, 202601/.test(e.message),
    );
    await assert.rejects(
      () => frenchDataset(FF3, { source: server.frenchBase, cacheDir, vintage: "2024-12" }),
      /A vintage is written "YYYYMM"/,
    );
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("when the library fails, the last download stands in with a warning naming its age", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    const options = { source: server.frenchBase, cacheDir, ...QUICK };
    const fresh = await frenchDataset(FF3, options);
    await age(cacheDir, 50);
    server.failFromNow("500");
    let stale;
    const printed = await warnings(async () => {
      stale = await frenchDataset(FF3, options);
    });
    assert.equal(stale!.origin, "stale-cache");
    assert.equal(stale!.vintage, "202601");
    assert.deepEqual(stale!.tables[0].frame.row(100), fresh.tables[0].frame.row(100));
    const expected = `the Ken French library answered 500; using the copy of "${FF3}" ` +
      `downloaded 2 days ago (${
        new Date(Date.now() - 50 * 3600_000).toISOString().slice(0, 10)
      }), vintage 202601.`;
    assert.ok(stale!.warnings[0].startsWith(expected), stale!.warnings[0]);
    assert.deepEqual(printed, [`factorlab: ${stale!.warnings[0]}`]);
    // Without the cache entry, the newest vintage in the store stands in.
    assert.equal(await clearCache({ cacheDir }), 1);
    server.failFromNow("403");
    const stored = await frenchDataset(FF3, options);
    assert.equal(stored.origin, "stale-store");
    assert.match(stored.warnings[0], /^the Ken French library answered 403; using the copy/);
    assert.match(stored.warnings[0], /downloaded 2 days ago/);
    // Offline, the store is used as asked, without a warning.
    const offline = await frenchDataset(FF3, { ...options, offline: true });
    assert.equal(offline.origin, "store");
    assert.deepEqual(offline.warnings, []);
    // With nothing on disk the failure is raised as it is.
    await assert.rejects(
      () => frenchDataset("F-F_Momentum_Factor", options),
      FrenchAccessError,
    );
  } finally {
    server.failFromNow(undefined);
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("an analysis names the vintage it used, and runs on an older stored one when asked", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    await frenchDataset(FF3, { source: `${server.url}/french/v/202412`, cacheDir });
    const options = {
      start: "2010-01-01",
      end: "2020-12",
      frenchSource: server.frenchBase,
      yahooSource: server.yahooBase,
      cacheDir,
    };
    const now = await analyze("VBR", options);
    const old = await analyze("VBR", { ...options, vintage: "202412" });
    assert.match(
      now.report().toString(),
      /^Factor Data: +Ken French F-F_Research_Data_Factors \(vintage 202601\)$/m,
    );
    assert.match(
      old.report().toString(),
      /^Factor Data: +Ken French F-F_Research_Data_Factors \(vintage 202412\)$/m,
    );
    assert.equal(old.factorFiles[0].origin, "store");
    // The vintages differ in their factor values, so the estimates differ too.
    assert.notEqual(old.betas.get("HML"), now.betas.get("HML"));
    assert.equal(old.nobs, now.nobs);
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});
