import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import pl from "nodejs-polars";
import {
  DataFormatError,
  famaFrenchFactors,
  FRENCH_CATALOG,
  frenchDataset,
  InvalidArgumentError,
  listFrenchDatasets,
  parseDataLibraryHtml,
  parseFrenchCsv,
  saveFrenchCsv,
  UnexpectedContentError,
  UnknownDatasetError,
} from "../lib/data/mod.ts";
import { decodeText } from "../lib/data/french_parse.ts";
import { assertNear } from "./support/assert.ts";
import { startFixtureServer } from "./support/fixture_server.ts";
import { listDir, removeDir, tempCacheDir } from "./support/temp.ts";

const FRENCH = "data/samples/french";

/** Expected shape of every French file: [title, frequency, rows, first period] per table. */
const EXPECTED: Record<string, [string, string, number, string][]> = {
  "F-F_Research_Data_Factors_CSV_202601.zip": [
    ["Monthly", "monthly", 1195, "1926-07"],
    ["Annual Factors: January-December", "annual", 99, "1927"],
  ],
  "F-F_Research_Data_Factors_CSV_202412.zip": [
    ["Monthly", "monthly", 1182, "1926-07"],
    ["Annual Factors: January-December", "annual", 98, "1927"],
  ],
  "F-F_Research_Data_Factors_CSV_202303.zip": [
    ["Monthly", "monthly", 1161, "1926-07"],
    ["Annual Factors: January-December", "annual", 96, "1927"],
  ],
  "F-F_Research_Data_Factors_CSV_202101.zip": [
    ["Monthly", "monthly", 1135, "1926-07"],
    ["Annual Factors: January-December", "annual", 94, "1927"],
  ],
  "F-F_Research_Data_Factors_CSV_202012.zip": [
    ["Monthly", "monthly", 1134, "1926-07"],
    ["Annual Factors: January-December", "annual", 94, "1927"],
  ],
  "F-F_Research_Data_Factors_daily_CSV_202604.zip": [["Daily", "daily", 26233, "1926-07-01"]],
  "F-F_Research_Data_Factors_daily_CSV_202412.zip": [["Daily", "daily", 25901, "1926-07-01"]],
  "F-F_Research_Data_Factors_daily_CSV_202212.zip": [["Daily", "daily", 25399, "1926-07-01"]],
  "F-F_Research_Data_5_Factors_2x3_CSV_202604.zip": [
    ["Monthly", "monthly", 754, "1963-07"],
    ["Annual Factors: January-December", "annual", 62, "1964"],
  ],
  "F-F_Research_Data_5_Factors_2x3_CSV_202412.zip": [
    ["Monthly", "monthly", 738, "1963-07"],
    ["Annual Factors: January-December", "annual", 61, "1964"],
  ],
  "F-F_Research_Data_5_Factors_2x3_daily_CSV_202509.zip": [["Daily", "daily", 15667, "1963-07-01"]],
  "F-F_Research_Data_5_Factors_2x3_daily_CSV_202412.zip": [["Daily", "daily", 15481, "1963-07-01"]],
  "F-F_Momentum_Factor_CSV_202511.zip": [
    ["Monthly", "monthly", 1187, "1927-01"],
    ["Annual Factors: January-December", "annual", 98, "1927"],
  ],
  "F-F_Momentum_Factor_CSV_202412.zip": [
    ["Monthly", "monthly", 1176, "1927-01"],
    ["Annual Factors: January-December", "annual", 98, "1927"],
  ],
  "F-F_Momentum_Factor_daily_CSV_202604.zip": [["Daily", "daily", 26132, "1926-11-03"]],
  "F-F_Momentum_Factor_daily_CSV_202412.zip": [["Daily", "daily", 25800, "1926-11-03"]],
  "Developed_3_Factors_CSV_202512.zip": [
    ["Monthly", "monthly", 426, "1990-07"],
    ["Annual Factors: January-December", "annual", 35, "1991"],
  ],
  "Europe_5_Factors_CSV_201912.zip": [
    ["Monthly", "monthly", 354, "1990-07"],
    ["Annual Factors: January-December", "annual", 29, "1991"],
  ],
};

function portfolioTables(monthly: number, recent: number): [string, string, number, string][] {
  return [
    ["Average Value Weighted Returns -- Monthly", "monthly", monthly, "1926-07"],
    ["Average Equal Weighted Returns -- Monthly", "monthly", monthly, "1926-07"],
    ["Average Value Weighted Returns -- Annual", "annual", 98, "1927"],
    ["Average Equal Weighted Returns -- Annual", "annual", 98, "1927"],
    ["Number of Firms in Portfolios", "monthly", monthly, "1926-07"],
    ["Average Market Cap", "monthly", monthly, "1926-07"],
    ["For portfolios formed in June of year t", "monthly", monthly, "1926-07"],
    ["For portfolios formed in June of year t", "monthly", monthly, "1926-07"],
    ["For portfolios formed in June of year t", "monthly", recent, "1963-07"],
    ["For portfolios formed in June of year t", "monthly", recent, "1963-07"],
  ];
}
EXPECTED["25_Portfolios_5x5_CSV_202412.zip"] = portfolioTables(1182, 738);
EXPECTED["25_Portfolios_5x5_CSV_202511.zip"] = portfolioTables(1193, 749);
EXPECTED["6_Portfolios_2x3_CSV_202510.zip"] = portfolioTables(1192, 748);
EXPECTED["6_Portfolios_2x3_CSV_202412.zip"] = portfolioTables(1182, 738);

Deno.test("every bundled French file parses into all its tables with titles, frequencies and row counts", async () => {
  const files = (await listDir(FRENCH)).filter((f) => /\.(csv|zip)$/i.test(f));
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
  for (const file of files) {
    const dataset = await frenchDataset(`${FRENCH}/${file}`);
    const shape = dataset.tables.map((t) => [
      t.title.startsWith("For portfolios formed")
        ? "For portfolios formed in June of year t"
        : t.title,
      t.frequency,
      t.frame.height,
      t.frame.getColumn("period").get(0),
    ]);
    assert.deepEqual(shape, EXPECTED[file], file);
    for (const table of dataset.tables) {
      assert.equal(table.frame.columns[0], "period", file);
      const nulls = table.frame.nullCount().row(0).reduce((a: number, b: number) => a + b, 0);
      assert.equal(nulls, 0, `${file}: ${table.title} has missing values`);
    }
  }
});

Deno.test("values are decimals by default and percent on request, checked by hand against the files", async () => {
  const old = await frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_CSV_202412.zip`);
  const first = old.tables[0].frame.row(0);
  // 192607,    2.96,   -2.56,   -2.43,    0.22
  assert.deepEqual(old.tables[0].frame.columns, ["period", "Mkt-RF", "SMB", "HML", "RF"]);
  assert.equal(first[0], "1926-07");
  assertNear(first[1], 0.0296);
  assertNear(first[2], -0.0256);
  assertNear(first[3], -0.0243);
  assertNear(first[4], 0.0022);
  assert.equal(old.tables[0].unit, "decimal");
  const revised = await frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_CSV_202601.zip`, {
    percent: true,
  });
  // The 2025 rebuild revised history: 192607 Mkt-RF is 2.89 in new vintages.
  assertNear(revised.tables[0].frame.getColumn("Mkt-RF").get(0), 2.89);
  assert.equal(revised.tables[0].unit, "percent");
  // Last annual row of the 202601 file: "  2025,  13.30, -10.57,   8.41,   4.25"
  const annual = revised.tables[1].frame;
  assert.deepEqual(annual.row(annual.height - 1), ["2025", 13.3, -10.57, 8.41, 4.25]);
});

Deno.test("counts, market caps and ratios are never divided by 100", async () => {
  const dataset = await frenchDataset(`${FRENCH}/6_Portfolios_2x3_CSV_202412.zip`);
  assert.deepEqual(dataset.tables.map((t) => t.unit), [
    "decimal",
    "decimal",
    "decimal",
    "decimal",
    "value",
    "value",
    "value",
    "value",
    "value",
    "value",
  ]);
  const firms = dataset.tables[4].frame;
  assert.ok(Number.isInteger(firms.getColumn("SMALL LoBM").get(0)));
  assert.ok((firms.getColumn("SMALL LoBM").get(0) as number) >= 1);
});

Deno.test("only tables of returns are scaled: firm sizes and book-to-market sums keep their values", () => {
  // Laid out like the industry-portfolio files: returns, counts, sizes, BE/ME sums.
  const text = "This file was created by CMPT_IND_RETS using the 202412 CRSP database.\r\n\r\n" +
    "  Average Value Weighted Returns -- Monthly\r\n,NoDur,Durbl\r\n202401, 1.50, -2.00\r\n\r\n" +
    "  Number of Firms in Portfolios\r\n,NoDur,Durbl\r\n202401, 180, 140\r\n\r\n" +
    "  Average Firm Size\r\n,NoDur,Durbl\r\n202401, 25380.55, 8731.20\r\n\r\n" +
    "  Sum of BE / Sum of ME\r\n,NoDur,Durbl\r\n  2024, 0.21, 0.35\r\n\r\n" +
    "  Value Weight Returns -- Annual from January to December\r\n,NoDur,Durbl\r\n" +
    "  2024, 8.10, -3.20\r\n";
  const parsed = parseFrenchCsv(text);
  assert.deepEqual(parsed.tables.map((t) => [t.title, t.unit]), [
    ["Average Value Weighted Returns -- Monthly", "percent"],
    ["Number of Firms in Portfolios", "value"],
    ["Average Firm Size", "value"],
    ["Sum of BE / Sum of ME", "value"],
    ["Value Weight Returns -- Annual from January to December", "percent"],
  ]);
});

Deno.test("a preamble that runs straight into the first header is the description, not a title", async () => {
  const dir = await tempCacheDir();
  try {
    const text = "This file was created by CMPT_ST_RETS using the 202401 CRSP database.\r\n" +
      "The 1-month TBill return is from Ibbotson and Associates, Inc.\r\n,ST_Rev\r\n" +
      "202401, 1.20\r\n";
    await Deno.writeTextFile(`${dir}/F-F_ST_Reversal_Factor.CSV`, text);
    const dataset = await frenchDataset(`${dir}/F-F_ST_Reversal_Factor.CSV`);
    assert.match(dataset.description, /^This file was created by CMPT_ST_RETS/);
    assert.deepEqual(dataset.tables.map((t) => [t.title, t.unit]), [["Monthly", "decimal"]]);
    assertNear(dataset.tables[0].frame.getColumn("ST_Rev").get(0), 0.012);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("description, vintage and copyright footer are kept", async () => {
  const momentum = await frenchDataset(`${FRENCH}/F-F_Momentum_Factor_CSV_202511.zip`);
  assert.equal(momentum.vintage, "202511");
  assert.match(momentum.description, /^This file was created using the 202511 CRSP database\./);
  assert.match(momentum.description, /Missing data are indicated by -99\.99 or -999\.$/);
  assert.equal(momentum.footer, "Copyright 2025 Eugene F. Fama and Kenneth R. French");
  assert.deepEqual(momentum.tables[0].frame.columns, ["period", "Mom"]);
  const noFooter = await frenchDataset(`${FRENCH}/F-F_Research_Data_5_Factors_2x3_CSV_202412.zip`);
  assert.equal(noFooter.footer, "");
  assert.equal(noFooter.tables[1].frame.getColumn("period").get(60), "2024");
});

Deno.test("start and end keep periods overlapping the range in every table", async () => {
  const ff3 = await frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_CSV_202101.zip`, {
    start: "2010-01-01",
    end: "2020-12",
  });
  assert.equal(ff3.tables[0].frame.height, 132);
  assert.equal(ff3.tables[0].frame.getColumn("period").get(131), "2020-12");
  assert.equal(ff3.tables[1].frame.height, 11);
  const daily = await frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_daily_CSV_202212.zip`, {
    start: "2020-01",
    end: "2022-12",
  });
  const days = daily.tables[0].frame.getColumn("period");
  assert.equal(days.get(0), "2020-01-02");
  assert.equal(days.get(days.length - 1), "2022-12-30");
  await assert.rejects(
    () => frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_CSV_202101.zip`, { start: "2020-13" }),
    InvalidArgumentError,
  );
});

Deno.test("CRLF, LF, CR-only and mixed lone-CR line endings give the same tables", () => {
  const crlf =
    "This file was created using the 202001 CRSP database.\r\n\r\n,Mkt-RF,SMB\r\n202001,  1.00, -2.00\r\n202002,  3.00,  4.00\r\n\r\n Annual Factors:\r\n January-December \r\n,Mkt-RF,SMB\r\n  2020,  5.00,  6.00\r\n\r\nCopyright 2020\r\n";
  const lf = crlf.replaceAll("\r\n", "\n");
  const crOnly = crlf.replaceAll("\r\n", "\r");
  // Like 6_Portfolios_2x3_202510.csv: title lines split by a bare CR, a stray CR before the header.
  const mixed = crlf.replace("Annual Factors:\r\n", "Annual Factors:\r").replace(
    " \r\n,Mkt-RF,SMB\r\n  2020",
    " \r\n\r,Mkt-RF,SMB\r\n  2020",
  );
  assert.notEqual(mixed, crlf);
  for (const text of [crlf, lf, crOnly, mixed]) {
    const parsed = parseFrenchCsv(text);
    assert.deepEqual(parsed.tables.map((t) => [t.title, t.frame.height]), [
      ["Monthly", 2],
      ["Annual Factors: January-December", 1],
    ]);
    assert.equal(parsed.footer, "Copyright 2020");
    assert.deepEqual(parsed.tables[1].frame.row(0), ["2020", 5, 6]);
  }
});

Deno.test("the lone-CR titles of the 202510 six-portfolio file stay with their tables", async () => {
  const dataset = await frenchDataset(`${FRENCH}/6_Portfolios_2x3_CSV_202510.zip`);
  assert.equal(dataset.tables[3].title, "Average Equal Weighted Returns -- Annual");
  assert.match(
    dataset.tables[6].title,
    /^For portfolios formed in June of year t Value Weight Average of BE\/ME/,
  );
  assert.equal(dataset.tables[3].frame.height, 98);
});

Deno.test("cp1252 bytes, padded headers and cells, and missing markers are read as written", () => {
  const text = "Smart \x93quotes\x94 in a description \x96 from a Windows copy.\r\n\r\n" +
    ",Mkt-RF  ,  Mom   \r\n202001    ,1.00   ,-99.99\r\n202002,-999,   2.50\r\n\r\n" +
    "Annual\r\n,Mkt-RF,Mom\r\n2020, 3.00, 4.00\r\n";
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const parsed = parseFrenchCsv(decodeText(bytes));
  assert.match(parsed.description, /Smart “quotes” in a description – from a Windows copy\./);
  assert.deepEqual(parsed.tables[0].frame.columns, ["period", "Mkt-RF", "Mom"]);
  assert.deepEqual(parsed.tables[0].frame.getColumn("Mkt-RF").toArray(), [1, null]);
  assert.deepEqual(parsed.tables[0].frame.getColumn("Mom").toArray(), [null, 2.5]);
  assert.deepEqual(parsed.tables.map((t) => [t.title, t.frequency, t.frame.height]), [
    ["Monthly", "monthly", 2],
    ["Annual", "annual", 1],
  ]);
  assert.deepEqual(parsed.tables[1].frame.row(0), ["2020", 3, 4]);
});

Deno.test("weekly keys are told apart from daily ones by their spacing", () => {
  // Laid out like F-F_Research_Data_Factors_weekly: YYYYMMDD keys one week apart.
  const weekly = parseFrenchCsv(
    "Weekly file\r\n\r\n,Mkt-RF,SMB,HML,RF\r\n20200103, 0.10, 0.20, 0.30, 0.03\r\n" +
      "20200110, 0.40, 0.50, 0.60, 0.03\r\n20200117, 0.70, 0.80, 0.90, 0.03\r\n",
  );
  assert.equal(weekly.tables[0].frequency, "weekly");
  assert.equal(weekly.tables[0].title, "Weekly");
  assert.deepEqual(weekly.tables[0].frame.getColumn("period").toArray(), [
    "2020-01-03",
    "2020-01-10",
    "2020-01-17",
  ]);
  const daily = parseFrenchCsv(",RF\r\n20200102, 0.01\r\n20200103, 0.01\r\n20200106, 0.01\r\n");
  assert.equal(daily.tables[0].frequency, "daily");
});

Deno.test("malformed rows and HTML pages are refused with the line number", () => {
  assert.throws(
    () => parseFrenchCsv(",A\r\n202001,x\r\n"),
    (e) =>
      e instanceof DataFormatError && e.line === 2 &&
      /"x" in column A is not a number/.test(e.message),
  );
  assert.throws(
    () => parseFrenchCsv(",A,B\r\n202001,1\r\n"),
    (e) =>
      e instanceof DataFormatError && e.line === 2 &&
      /1 values but the header names 2/.test(e.message),
  );
  assert.throws(
    () => parseFrenchCsv("<html><body>Not found</body></html>"),
    (e) => e instanceof DataFormatError && /HTML page/.test(e.message),
  );
});

Deno.test("a cp1252 file on disk is decoded, not rejected", async () => {
  const dir = await tempCacheDir();
  try {
    const text = "Description with \x93quotes\x94.\r\n\r\n,Mkt-RF\r\n202001, 1.00\r\n";
    await Deno.writeFile(`${dir}/cp1252.csv`, Uint8Array.from(text, (c) => c.charCodeAt(0)));
    const dataset = await frenchDataset(`${dir}/cp1252.csv`);
    assert.equal(dataset.description, "Description with “quotes”.");
    assertNear(dataset.tables[0].frame.getColumn("Mkt-RF").get(0), 0.01);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("frenchDataset downloads NAME_CSV.zip from the library URL and unzips it", async () => {
  const server = await startFixtureServer();
  try {
    const ff3 = await frenchDataset("F-F_Research_Data_Factors", {
      source: `${server.frenchBase}/v/202012`,
      cache: false,
    });
    assert.equal(ff3.source, `${server.frenchBase}/v/202012/ftp/F-F_Research_Data_Factors_CSV.zip`);
    assert.equal(ff3.vintage, "202012");
    assert.equal(ff3.tables[0].frame.height, 1134);
    const newest = await frenchDataset("F-F_Research_Data_Factors_daily", {
      source: server.frenchBase,
      cache: false,
    });
    assert.equal(newest.vintage, "202604");
    assert.equal(newest.tables[0].frame.height, 26233);
    const portfolios = await frenchDataset("25_Portfolios_5x5_CSV.zip", {
      source: server.frenchBase,
      cache: false,
      start: "2020-01",
      end: "2020-12",
    });
    assert.equal(portfolios.name, "25_Portfolios_5x5");
    assert.equal(portfolios.tables.length, 10);
    assert.equal(portfolios.tables[0].frame.height, 12);
    assert.ok(
      server.requests.every((r) => r.path.includes("/ftp/") && r.path.endsWith("_CSV.zip")),
    );
  } finally {
    await server.close();
  }
});

Deno.test("the base URL comes from FACTORLAB_FRENCH_BASE_URL when no source is given", async () => {
  const server = await startFixtureServer();
  Deno.env.set("FACTORLAB_FRENCH_BASE_URL", `${server.frenchBase}/v/202303/`);
  try {
    const ff3 = await frenchDataset("F-F_Research_Data_Factors", { cache: false });
    assert.equal(ff3.vintage, "202303");
    assert.equal(server.requests.length, 1);
  } finally {
    Deno.env.delete("FACTORLAB_FRENCH_BASE_URL");
    await server.close();
  }
});

Deno.test("an unknown dataset, an HTML page and a truncated zip fail with distinct errors and cache nothing", async () => {
  const server = await startFixtureServer();
  const cacheDir = await tempCacheDir();
  try {
    await assert.rejects(
      () => frenchDataset("F-F_Research_Data_Factorz", { source: server.frenchBase, cacheDir }),
      (e) => e instanceof UnknownDatasetError && e.dataset === "F-F_Research_Data_Factorz",
    );
    await assert.rejects(
      () =>
        frenchDataset("F-F_Research_Data_Factors", {
          source: server.fail("html", "french"),
          cacheDir,
        }),
      (e) => e instanceof UnexpectedContentError && /HTML page/.test(e.message),
    );
    await assert.rejects(
      () =>
        frenchDataset("F-F_Research_Data_Factors", {
          source: server.fail("truncated", "french"),
          cacheDir,
        }),
      (e) => e instanceof DataFormatError && /damaged or truncated/.test(e.message),
    );
    // Only the library's page, read to check the unknown name's spelling, is kept.
    assert.deepEqual(
      (await listDir(cacheDir)).map((f) => f.replace(/\.[0-9a-f]{24}\./, ".")),
      ["data_library.html.entry"],
    );
  } finally {
    await removeDir(cacheDir);
    await server.close();
  }
});

Deno.test("a mirror folder serves datasets by name, newest vintage unless one is asked for", async () => {
  const newest = await frenchDataset("F-F_Research_Data_Factors", { source: FRENCH });
  assert.equal(newest.vintage, "202601");
  const chosen = await frenchDataset("F-F_Research_Data_Factors", {
    source: FRENCH,
    vintage: "202012",
  });
  assert.equal(chosen.tables[0].frame.height, 1134);
  await assert.rejects(
    () => frenchDataset("F-F_Research_Data_Factors", { source: FRENCH, vintage: "199901" }),
    /vintages present: 202012, 202101, 202303, 202412, 202601/,
  );
  await assert.rejects(() => frenchDataset("not a name!"), InvalidArgumentError);
});

Deno.test("listFrenchDatasets reads the library page, and falls back to the built-in catalog", async () => {
  const server = await startFixtureServer();
  try {
    const live = await listFrenchDatasets({ source: server.frenchBase, cache: false });
    assert.equal(live.length, 11);
    assert.deepEqual(live[0], {
      name: "F-F_Research_Data_Factors",
      file: "F-F_Research_Data_Factors_CSV.zip",
      title: "Fama/French 3 Factors",
      frequency: "monthly",
      tables: ["Monthly", "Annual Factors: January-December"],
    });
    assert.equal(live.find((d) => d.name.endsWith("_weekly"))?.frequency, "weekly");
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => warnings.push(message);
    try {
      const fallback = await listFrenchDatasets({
        source: server.fail("500-ra0", "french"),
        cache: false,
        retry: { retries: 1, baseDelayMs: 1 },
      });
      assert.equal(fallback.length, FRENCH_CATALOG.length);
      assert.match(warnings[0], /HTTP 500/);
    } finally {
      console.warn = warn;
    }
    const offline = await listFrenchDatasets({ offline: true });
    assert.ok(offline.some((d) => d.name === "F-F_Research_Data_5_Factors_2x3_daily"));
  } finally {
    await server.close();
  }
});

Deno.test("the library page parser tolerates quoting, case, entities and absolute links", () => {
  const html = `<p><STRONG>Portfolios &amp; Factors</STRONG>
    <a class=x href=ftp/Foo_CSV.zip>CSV</a>
    <b>Second <i>one</i></b> <a href="https://example.test/ftp/Bar_daily_CSV.zip?x=1">CSV</a>
    <a href="ftp/Foo_CSV.zip">again</a> <a href="ftp/Baz_TXT.zip">TXT</a>`;
  assert.deepEqual(parseDataLibraryHtml(html), [
    { name: "Foo", file: "Foo_CSV.zip", title: "Portfolios & Factors", frequency: "monthly" },
    { name: "Bar_daily", file: "Bar_daily_CSV.zip", title: "Second one", frequency: "daily" },
  ]);
});

Deno.test("famaFrenchFactors joins the files a model needs, with canonical names and RF", async () => {
  const server = await startFixtureServer();
  try {
    const options = { source: server.frenchBase, cache: false, start: "2010-01", end: "2020-12" };
    const capm = await famaFrenchFactors({ ...options, model: "capm" });
    assert.deepEqual(capm.columns, ["period", "MKT_RF", "RF"]);
    const ff5mom = await famaFrenchFactors({ ...options, model: "ff5mom" });
    assert.deepEqual(ff5mom.columns, ["period", "MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM", "RF"]);
    assert.equal(ff5mom.height, 132);
    // 202604 5-factor and 202511 momentum files are the newest served.
    const daily = await famaFrenchFactors({ ...options, model: "carhart4", frequency: "daily" });
    assert.deepEqual(daily.columns, ["period", "MKT_RF", "SMB", "HML", "MOM", "RF"]);
    assert.equal(daily.getColumn("period").get(0), "2010-01-04");
    const europe = await famaFrenchFactors({
      ...options,
      model: "ff5",
      region: "Europe",
      end: "2019-12",
    });
    assert.equal(europe.height, 120);
    const developed = await famaFrenchFactors({ ...options, model: "ff3", region: "Developed" });
    // "201001   ,-3.73    ,2.56   ,-0.06    ,0.00" in Developed_3_Factors_202512.csv.
    assert.deepEqual(developed.columns, ["period", "MKT_RF", "SMB", "HML", "RF"]);
    assert.equal(developed.height, 132);
    developed.row(0).slice(1).forEach((v, i) => assertNear(v, [-0.0373, 0.0256, -0.0006, 0][i]));
    await assert.rejects(
      () => famaFrenchFactors({ ...options, model: "ff5", frequency: "weekly" }),
      /no weekly five-factor file/,
    );
    await assert.rejects(
      () => famaFrenchFactors({ ...options, model: "carhart4", frequency: "weekly" }),
      /no weekly momentum file/,
    );
    await assert.rejects(() => famaFrenchFactors({ ...options, region: "Mars" }), /Unknown region/);
  } finally {
    await server.close();
  }
});

Deno.test("ff6 is FF5 plus momentum, the same frame as ff5mom", async () => {
  const options = { source: FRENCH, start: "2015-01", end: "2015-12" };
  const ff6 = await famaFrenchFactors({ ...options, model: "ff6" });
  const ff5mom = await famaFrenchFactors({ ...options, model: "ff5mom" });
  assert.deepEqual(ff6.columns, ["period", "MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM", "RF"]);
  assert.equal(ff6.height, 12);
  assert.deepEqual(ff6.toRecords(), ff5mom.toRecords());
});

Deno.test("weekly factors come from the library's weekly file, keyed by each week's last trading day", async () => {
  const server = await startFixtureServer();
  try {
    const options = { source: server.frenchBase, cache: false };
    const dataset = await frenchDataset("F-F_Research_Data_Factors_weekly", {
      ...options,
      percent: true,
    });
    assert.deepEqual(dataset.tables.map((t) => [t.title, t.frequency]), [["Weekly", "weekly"]]);
    const ff3 = await famaFrenchFactors({
      ...options,
      frequency: "weekly",
      start: "2010-01-01",
      end: "2020-12",
    });
    assert.deepEqual(ff3.columns, ["period", "MKT_RF", "SMB", "HML", "RF"]);
    // Weeks of 2010-2020: from the week ending Friday 2010-01-08 to Thursday 2020-12-31.
    assert.equal(ff3.height, 574);
    assert.equal(ff3.getColumn("period").get(0), "2010-01-08");
    assert.equal(ff3.getColumn("period").get(573), "2020-12-31");
    const raw = dataset.tables[0].frame.filter(pl.col("period").eq(pl.lit("2010-01-08")));
    assertNear(ff3.getColumn("MKT_RF").get(0), (raw.getColumn("Mkt-RF").get(0) as number) / 100);
    const capm = await famaFrenchFactors({ ...options, model: "capm", frequency: "weekly" });
    assert.deepEqual(capm.columns, ["period", "MKT_RF", "RF"]);
    assert.equal(capm.getColumn("period").get(0), "1926-07-02");
  } finally {
    await server.close();
  }
});

Deno.test("famaFrenchFactors from the full history keeps only periods common to all files", async () => {
  const carhart = await famaFrenchFactors({ model: "carhart4", source: FRENCH, vintage: "202412" });
  // Momentum starts in 1927-01, the three factors in 1926-07.
  assert.equal(carhart.getColumn("period").get(0), "1927-01");
  assert.equal(carhart.height, 1176);
  // "192701,   0.36" in the momentum file; "192701,   -0.06,   -0.37,    4.54,    0.25".
  const expected = [-0.0006, -0.0037, 0.0454, 0.0036, 0.0025];
  carhart.row(0).slice(1).forEach((value, i) => assertNear(value, expected[i]));
});

Deno.test("saveFrenchCsv writes the library's CSV byte for byte, through HTTP and the cache", async () => {
  const server = await startFixtureServer();
  const dir = await Deno.makeTempDir({ dir: "data" });
  try {
    const options = { source: `${server.frenchBase}/v/202412`, cacheDir: `${dir}/cache` };
    const saved = await saveFrenchCsv(
      "F-F_Research_Data_Factors_daily",
      `${dir}/F-F_Research_Data_Factors_daily.csv`,
      options,
    );
    assert.equal(saved.member, "F-F_Research_Data_Factors_daily.CSV");
    // The library's zip of that vintage, as distributed: its one member is the CSV.
    const expected = unzipSync(
      await Deno.readFile("data/samples/french/F-F_Research_Data_Factors_daily_CSV_202412.zip"),
    )["F-F_Research_Data_Factors_daily.CSV"];
    assert.deepEqual(await Deno.readFile(saved.path), expected);
    // Read back as "the already downloaded CSV".
    const local = await frenchDataset(saved.path, { start: "2020-01-01", end: "2022-12" });
    assert.equal(local.tables[0].frame.height, 756);
    await assert.rejects(
      () => saveFrenchCsv("No_Such_Dataset", `${dir}/x.csv`, options),
      UnknownDatasetError,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "F-F_Research_Data_Factors_daily.csv",
      "cache",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});
