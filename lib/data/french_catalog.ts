/**
 * The list of Ken French datasets: a built-in catalog that works offline, and a tolerant parser
 * of the library's `data_library.html` page (no HTML library needed).
 *
 * @module
 */

import { fetchCached, type FetchOptions } from "./cache.ts";
import { frenchBase, isHttpUrl, isOffline } from "./config.ts";
import { FactorlabDataError } from "./errors.ts";
import type { Frequency } from "./dates.ts";
import { decodeText } from "./french_parse.ts";

/**
 * Frequency of a library file's main table.
 *
 * @deprecated Use `Exclude<Frequency, "annual">` ({@link Frequency}); this name goes in 0.2.0.
 */
export type DatasetFrequency = Exclude<Frequency, "annual">;

/** One dataset of the library. */
export interface FrenchDatasetInfo {
  /** Name to pass to `frenchDataset` ("F-F_Research_Data_Factors"). */
  name: string;
  /** File name in the library's `ftp/` folder ("F-F_Research_Data_Factors_CSV.zip"). */
  file: string;
  /** Human title ("Fama/French 3 Factors"). */
  title: string;
  /** Frequency of the main table. */
  frequency: Exclude<Frequency, "annual">;
  /** Titles of the tables in the file, in order, where the catalog knows them. */
  tables?: string[];
}

const FACTOR_TABLES = ["Monthly", "Annual Factors: January-December"];
const PORTFOLIO_TABLES = [
  "Average Value Weighted Returns -- Monthly",
  "Average Equal Weighted Returns -- Monthly",
  "Average Value Weighted Returns -- Annual",
  "Average Equal Weighted Returns -- Annual",
  "Number of Firms in Portfolios",
  "Average Market Cap",
];
const DAILY_PORTFOLIO_TABLES = [
  "Average Value Weighted Returns -- Daily",
  "Average Equal Weighted Returns -- Daily",
];

/** Infers the frequency from a dataset name or title ("…_daily", "[Weekly]"). */
function frequencyFromName(name: string, title = ""): Exclude<Frequency, "annual"> {
  const text = `${name} ${title}`;
  if (/_daily\b|\[daily\]|\bdaily\b/i.test(text)) return "daily";
  if (/_weekly\b|\[weekly\]|\bweekly\b/i.test(text)) return "weekly";
  return "monthly";
}

function info(name: string, title: string, tables?: string[]): FrenchDatasetInfo {
  const frequency = frequencyFromName(name, title);
  return { name, file: `${name}_CSV.zip`, title, frequency, ...(tables ? { tables } : {}) };
}

/**
 * A monthly file and its daily twin. The library writes the daily suffix as "_daily" for some
 * files and "_Daily" for others; the server's names are case-sensitive, so each is spelled as
 * the library spells it.
 */
function withDaily(
  name: string,
  title: string,
  suffix: "_daily" | "_Daily" = "_daily",
  monthly?: string[],
  daily?: string[],
) {
  return [info(name, title, monthly), info(`${name}${suffix}`, `${title} [Daily]`, daily)];
}

const REGIONS: [string, string][] = [
  ["Developed", "Developed"],
  ["Developed_ex_US", "Developed ex US"],
  ["Europe", "European"],
  ["Japan", "Japanese"],
  ["Asia_Pacific_ex_Japan", "Asia Pacific ex Japan"],
  ["North_America", "North American"],
];

function buildCatalog(): FrenchDatasetInfo[] {
  const list: FrenchDatasetInfo[] = [
    info("F-F_Research_Data_Factors", "Fama/French 3 Factors", FACTOR_TABLES),
    info("F-F_Research_Data_Factors_weekly", "Fama/French 3 Factors [Weekly]", ["Weekly"]),
    info("F-F_Research_Data_Factors_daily", "Fama/French 3 Factors [Daily]", ["Daily"]),
    info("F-F_Research_Data_5_Factors_2x3", "Fama/French 5 Factors (2x3)", FACTOR_TABLES),
    info("F-F_Research_Data_5_Factors_2x3_daily", "Fama/French 5 Factors (2x3) [Daily]", [
      "Daily",
    ]),
    info("F-F_Momentum_Factor", "Momentum Factor (Mom)", FACTOR_TABLES),
    info("F-F_Momentum_Factor_daily", "Momentum Factor (Mom) [Daily]", ["Daily"]),
    ...withDaily("F-F_ST_Reversal_Factor", "Short-Term Reversal Factor (ST Rev)"),
    ...withDaily("F-F_LT_Reversal_Factor", "Long-Term Reversal Factor (LT Rev)"),
    ...withDaily("Portfolios_Formed_on_ME", "Portfolios Formed on Size", "_Daily"),
    ...withDaily("Portfolios_Formed_on_BE-ME", "Portfolios Formed on Book-to-Market", "_Daily"),
    ...withDaily(
      "Portfolios_Formed_on_OP",
      "Portfolios Formed on Operating Profitability",
      "_Daily",
    ),
    ...withDaily("Portfolios_Formed_on_INV", "Portfolios Formed on Investment", "_Daily"),
    info("Portfolios_Formed_on_E-P", "Portfolios Formed on Earnings/Price"),
    info("Portfolios_Formed_on_CF-P", "Portfolios Formed on Cashflow/Price"),
    info("Portfolios_Formed_on_D-P", "Portfolios Formed on Dividend Yield"),
    ...withDaily(
      "6_Portfolios_2x3",
      "6 Portfolios Formed on Size and Book-to-Market (2 x 3)",
      "_daily",
      PORTFOLIO_TABLES,
      DAILY_PORTFOLIO_TABLES,
    ),
    ...withDaily(
      "25_Portfolios_5x5",
      "25 Portfolios Formed on Size and Book-to-Market (5 x 5)",
      "_Daily",
      PORTFOLIO_TABLES,
      DAILY_PORTFOLIO_TABLES,
    ),
    ...withDaily(
      "100_Portfolios_10x10",
      "100 Portfolios Formed on Size and Book-to-Market (10 x 10)",
      "_Daily",
      PORTFOLIO_TABLES,
      DAILY_PORTFOLIO_TABLES,
    ),
    ...withDaily(
      "6_Portfolios_ME_OP_2x3",
      "6 Portfolios Formed on Size and Operating Profitability (2 x 3)",
    ),
    ...withDaily("6_Portfolios_ME_INV_2x3", "6 Portfolios Formed on Size and Investment (2 x 3)"),
    ...withDaily(
      "25_Portfolios_ME_OP_5x5",
      "25 Portfolios Formed on Size and Operating Profitability (5 x 5)",
    ),
    ...withDaily("25_Portfolios_ME_INV_5x5", "25 Portfolios Formed on Size and Investment (5 x 5)"),
    ...withDaily(
      "6_Portfolios_ME_Prior_12_2",
      "6 Portfolios Formed on Size and Momentum (2 x 3)",
      "_Daily",
    ),
    ...withDaily(
      "25_Portfolios_ME_Prior_12_2",
      "25 Portfolios Formed on Size and Momentum (5 x 5)",
      "_Daily",
    ),
    ...withDaily("10_Portfolios_Prior_12_2", "10 Portfolios Formed on Momentum", "_Daily"),
  ];
  for (const n of [5, 10, 12, 17, 30, 38, 48, 49]) {
    list.push(...withDaily(`${n}_Industry_Portfolios`, `${n} Industry Portfolios`));
  }
  for (const [code, adjective] of REGIONS) {
    // The library spells this one region's momentum files "MOM".
    const mom = code === "Asia_Pacific_ex_Japan" ? "MOM" : "Mom";
    list.push(
      info(`${code}_3_Factors`, `Fama/French ${adjective} 3 Factors`, FACTOR_TABLES),
      info(`${code}_3_Factors_Daily`, `Fama/French ${adjective} 3 Factors [Daily]`, ["Daily"]),
      info(`${code}_5_Factors`, `Fama/French ${adjective} 5 Factors`, FACTOR_TABLES),
      info(`${code}_5_Factors_Daily`, `Fama/French ${adjective} 5 Factors [Daily]`, ["Daily"]),
      info(`${code}_${mom}_Factor`, `${adjective} Momentum Factor (Mom)`, FACTOR_TABLES),
      info(`${code}_${mom}_Factor_Daily`, `${adjective} Momentum Factor (Mom) [Daily]`, [
        "Daily",
      ]),
    );
  }
  list.push(
    info("Emerging_5_Factors", "Fama/French Emerging 5 Factors", FACTOR_TABLES),
    info("Emerging_MOM_Factor", "Emerging Momentum Factor (Mom)", FACTOR_TABLES),
  );
  return list;
}

/**
 * The built-in catalog of datasets this module knows (US and international factors, portfolio
 * and industry files), used offline and when the library page cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FRENCH_CATALOG } from "./french_catalog.ts";
 * const ff3 = FRENCH_CATALOG.find((d) => d.name === "F-F_Research_Data_Factors");
 * assert.ok(ff3?.file === "F-F_Research_Data_Factors_CSV.zip");
 * ```
 */
export const FRENCH_CATALOG: readonly FrenchDatasetInfo[] = Object.freeze(buildCatalog());

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function htmlText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code[0] === "#") {
        const n = code[1].toLowerCase() === "x"
          ? parseInt(code.slice(2), 16)
          : Number(code.slice(1));
        return Number.isFinite(n) ? String.fromCodePoint(n) : whole;
      }
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Extracts the datasets from the library's `data_library.html`: every link ending in
 * `_CSV.zip`, titled by the last bold text before it. Tolerates attribute order, quoting,
 * letter case, absolute or relative links and whatever layout surrounds them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDataLibraryHtml } from "./french_catalog.ts";
 * const html = `<b>Fama/French 3 Factors</b> TXT <a href="ftp/F-F_Research_Data_Factors_TXT.zip">
 *   </a> CSV <A HREF='ftp/F-F_Research_Data_Factors_CSV.zip'>CSV</A>`;
 * const [ff3] = parseDataLibraryHtml(html);
 * assert.ok(ff3.name === "F-F_Research_Data_Factors" && ff3.title === "Fama/French 3 Factors");
 * ```
 */
export function parseDataLibraryHtml(html: string): FrenchDatasetInfo[] {
  const token =
    /<(b|strong)\b[^>]*>([\s\S]*?)<\/\1\s*>|<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  const seen = new Set<string>();
  const found: FrenchDatasetInfo[] = [];
  let title = "";
  for (const match of html.matchAll(token)) {
    if (match[1] !== undefined) {
      const text = htmlText(match[2]);
      if (text) title = text;
      continue;
    }
    const href = (match[3] ?? match[4] ?? match[5] ?? "").trim();
    const link = /(?:^|\/)ftp\/([^/?#]+)_CSV\.zip(?:[?#].*)?$/i.exec(href);
    if (!link) continue;
    const name = decodeURIComponent(link[1]);
    if (seen.has(name)) continue;
    seen.add(name);
    const known = FRENCH_CATALOG.find((d) => d.name === name);
    found.push({
      name,
      file: `${name}_CSV.zip`,
      title: title || known?.title || name,
      frequency: frequencyFromName(name, title),
      ...(known?.tables ? { tables: known.tables } : {}),
    });
  }
  return found;
}

/** Options of {@link listFrenchDatasets}. */
export interface ListFrenchOptions extends FetchOptions {
  /** Base URL of the library (default `FACTORLAB_FRENCH_BASE_URL`, else the Tuck School site). */
  source?: string;
  /** Use only the built-in catalog, never the network (default false). */
  builtin?: boolean;
}

/**
 * Lists the datasets of the Ken French library. Reads `{source}/data_library.html` (through the
 * cache) when it is reachable; offline, with `{ builtin: true }`, with a local mirror folder as
 * source, or when the page cannot be read, returns the built-in catalog (with a warning in the
 * last case, saying why).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listFrenchDatasets } from "./french_catalog.ts";
 * const datasets = await listFrenchDatasets({ builtin: true });
 * const daily = datasets.filter((d) => d.frequency === "daily");
 * assert.ok(daily.some((d) => d.name === "F-F_Research_Data_Factors_daily"));
 * ```
 */
export async function listFrenchDatasets(
  options: ListFrenchOptions = {},
): Promise<FrenchDatasetInfo[]> {
  const base = frenchBase(options.source);
  if (options.builtin || isOffline(options.offline) || !isHttpUrl(base)) {
    return FRENCH_CATALOG.map((d) => ({ ...d }));
  }
  try {
    return await liveDatasets(base, options);
  } catch (error) {
    console.warn(
      `listFrenchDatasets: could not read ${base}/data_library.html (${
        (error as Error).message
      }); showing the built-in catalog instead.`,
    );
    return FRENCH_CATALOG.map((d) => ({ ...d }));
  }
}

/** The datasets the library's page lists now (through the cache, reused for a day). */
async function liveDatasets(base: string, options: FetchOptions): Promise<FrenchDatasetInfo[]> {
  const url = `${base}/data_library.html`;
  const { body } = await fetchCached(url, options, 24 * 3600_000, (bytes) => {
    if (parseDataLibraryHtml(decodeText(bytes)).length === 0) {
      throw new FactorlabDataError(`${url} lists no *_CSV.zip dataset`);
    }
  });
  return parseDataLibraryHtml(decodeText(body));
}

/**
 * The library's own spelling of a dataset name: the library's server is case-sensitive and
 * spells its names inconsistently ("25_Portfolios_5x5_Daily" but "6_Portfolios_2x3_daily"), so
 * a name is matched without regard to case, first against the built-in catalog, then, when the
 * catalog does not know it (or `live` is set, after a 404), against the library's page when it
 * can be read. A name found nowhere is returned as given.
 *
 * @param name a dataset name, in any case ("25_portfolios_5x5_daily")
 * @param options the library's base URL (`source`), `live` to skip the catalog, cache options
 * @returns the name as the library spells it
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frenchDatasetSpelling } from "./french_catalog.ts";
 * const name = await frenchDatasetSpelling("asia_pacific_ex_japan_mom_factor", { offline: true });
 * assert.equal(name, "Asia_Pacific_ex_Japan_MOM_Factor");
 * ```
 */
export async function frenchDatasetSpelling(
  name: string,
  options: FetchOptions & { source?: string; live?: boolean } = {},
): Promise<string> {
  const lower = name.toLowerCase();
  if (!options.live) {
    const known = FRENCH_CATALOG.find((d) => d.name === name) ??
      FRENCH_CATALOG.find((d) => d.name.toLowerCase() === lower);
    if (known) return known.name;
  }
  const base = frenchBase(options.source);
  if (!isHttpUrl(base) || isOffline(options.offline)) return name;
  let live: FrenchDatasetInfo[];
  try {
    live = await liveDatasets(base, options);
  } catch {
    // The page is only a second opinion: without it the name goes to the library as given.
    return name;
  }
  return (live.find((d) => d.name === name) ??
    live.find((d) => d.name.toLowerCase() === lower))?.name ?? name;
}
