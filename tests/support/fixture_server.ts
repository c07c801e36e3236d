/**
 * Loopback HTTP server standing in for the Ken French library and Yahoo's chart API. It serves
 * the real files bundled in data/samples (see its PROVENANCE.md) in the real wire formats:
 *
 * - `/french/ftp/{NAME}_CSV.zip`: the newest vintage of NAME as its bundled zip (the library's own
 *   format, data/samples/french/NAME_CSV_YYYYMM.zip), or a zip built with fflate from a plain
 *   CSV (one member, `.CSV` before 2025 and `.csv` after, as the library does);
 *   `/french/v/{YYYYMM}/ftp/...` picks a vintage.
 *   No weekly file could be found (see PROVENANCE.md), so `F-F_Research_Data_Factors_weekly` is
 *   constructed in the weekly layout from the daily file of the same vintage: each Monday-Sunday
 *   week keyed by its last trading day, daily percent values compounded. Its numbers are
 *   stand-ins; its keys and layout are what the reader and the joins must handle.
 * - `/french/data_library.html`: a page constructed like the library's (bold titles, TXT/CSV links).
 * - `/yahoo/v8/finance/chart/{TICKER}?period1&period2&...`: chart JSON built from the daily price
 *   CSV of TICKER, bars stamped at the New York session open in UTC, `meta.gmtoffset`/`timezone`
 *   of the request time, dividends derived from the Adj Close / Close steps. A range that ends
 *   before the first bar gets Yahoo's HTTP 400 "Data doesn't exist for startDate = …".
 *
 *   Like Yahoo, a request for more than 100 years of daily bars gets HTTP 422 "… Only 100 years
 *   worth of day granularity data are allowed to be fetched per request.", and a start after the
 *   end HTTP 400 "Invalid input - start date cannot be after end date. …".
 * - `/fc`: stands in for fc.yahoo.com: a 404 page that sets an `A3` session cookie.
 * - `/yahoo/v1/test/getcrumb`: the crumb of the cookie sent (401 "Invalid Cookie" without one).
 * - `/host/query1/…`, `/host/query2/…` (before `fail/` and the service): the same services as
 *   seen on two hosts; each request records its host.
 * - `/consent/collectConsent`: a page laid out like Yahoo's cookie-consent page.
 *
 * Failures on demand, by a path prefix `/fail/{mode}/` before `french/`, `yahoo/` or `fc`, where
 * mode joins parts with "-": `429` (every time) or `429x{n}` (the first n requests of a URL),
 * `nora` (429s without Retry-After, plain text, as Yahoo sends them), `500`, `500x{n}`, `ra{s}`
 * (Retry-After seconds, default 1), `radate{s}` (Retry-After as the HTTP date s seconds ahead),
 * `html` (a 200 HTML page), `truncated` (half the body, complete as far as HTTP goes), `cut` (the
 * connection drops after half the body), `slow{ms}` (answer after a delay), `nullbars` (null
 * every 10th Yahoo bar), `needcrumb401` / `needcrumb429` (chart requests without a valid cookie
 * and crumb get 401 "Invalid Crumb" / a plain 429), `consent` (a redirect to the consent page),
 * `nocookie` (the cookie endpoint sets no cookie), `401` (basic-auth challenge) and `403`.
 * Unknown datasets and tickers get the real services' 404 answers.
 *
 * @module
 */

import { strToU8, unzipSync, zipSync } from "fflate";

const DATA = new URL("../../data/samples/", import.meta.url);

/** A running fixture server. */
export interface FixtureServer {
  /** Root URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Base URL of the stand-in Ken French library. */
  frenchBase: string;
  /** Base URL of the stand-in Yahoo chart API. */
  yahooBase: string;
  /** URL of the stand-in cookie endpoint (fc.yahoo.com). */
  cookieUrl: string;
  /** Base URL with a failure mode, e.g. `fail("429x1-ra0", "yahoo")`. */
  fail(mode: string, service: "french" | "yahoo" | "fc"): string;
  /**
   * From now on, fail every request without its own `/fail/` mode as `mode` says (as a source
   * that starts failing does); `undefined` ends it.
   */
  failFromNow(mode: string | undefined): void;
  /** The Yahoo base URL as seen on host "query1" or "query2", optionally with a failure mode. */
  yahooHost(host: "query1" | "query2", mode?: string): string;
  /** Every request received: path with query, headers, host, and arrival (performance.now()). */
  requests: { path: string; headers: Headers; host?: string; at: number }[];
  /** Stops the server. */
  close(): Promise<void>;
}

interface PriceRow {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  volume: number;
}

const priceCache = new Map<string, PriceRow[]>();

async function priceFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(new URL("prices/", DATA))) {
    const match = /^([A-Z.^-]+)_daily_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/.exec(entry.name);
    if (match) files.set(match[1], entry.name);
  }
  return files;
}

async function readPrices(file: string): Promise<PriceRow[]> {
  const cached = priceCache.get(file);
  if (cached) return cached;
  const text = await Deno.readTextFile(new URL(`prices/${file}`, DATA));
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const names = header.split(",");
  const at = (name: string) => names.indexOf(name);
  const rows = lines.map((line) => {
    const cells = line.split(",");
    return {
      date: cells[at("Date")],
      open: Number(cells[at("Open")]),
      high: Number(cells[at("High")]),
      low: Number(cells[at("Low")]),
      close: Number(cells[at("Close")]),
      adjClose: Number(cells[at("Adj Close")]),
      volume: Number(cells[at("Volume")]),
    };
  });
  priceCache.set(file, rows);
  return rows;
}

const nyOffset = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  timeZoneName: "shortOffset",
});

/** UTC offset of New York in seconds at the given instant (-18000 EST, -14400 EDT). */
function newYorkOffset(utcMs: number): number {
  const part = nyOffset.formatToParts(new Date(utcMs)).find((p) => p.type === "timeZoneName");
  const hours = Number(/GMT([+-]\d+)/.exec(part?.value ?? "")?.[1] ?? "0");
  return hours * 3600;
}

/** Unix seconds of 09:30 New York time on a date. */
function sessionOpen(date: string): number {
  const noonUtc = Date.parse(`${date}T12:00:00Z`);
  const offset = newYorkOffset(noonUtc);
  return Date.parse(`${date}T09:30:00Z`) / 1000 - offset;
}

function chartBody(ticker: string, rows: PriceRow[], nullEvery: number): unknown {
  const offset = newYorkOffset(Date.now());
  const meta = {
    currency: "USD",
    symbol: ticker,
    exchangeName: "PCX",
    instrumentType: "ETF",
    gmtoffset: offset,
    timezone: offset === -14400 ? "EDT" : "EST",
    exchangeTimezoneName: "America/New_York",
    dataGranularity: "1d",
    range: "",
  };
  if (rows.length === 0) {
    return {
      chart: { result: [{ meta, indicators: { quote: [{}], adjclose: [{}] } }], error: null },
    };
  }
  const pick = (key: keyof PriceRow) =>
    rows.map((r, i) => (nullEvery && i % nullEvery === nullEvery - 1 ? null : r[key]));
  const dividends: Record<string, { amount: number; date: number }> = {};
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1].adjClose / rows[i - 1].close;
    const after = rows[i].adjClose / rows[i].close;
    // Yahoo's factor on the day before the ex-date is 1 - D / close(t-1).
    if (after / before - 1 > 1e-4) {
      const ts = sessionOpen(rows[i].date);
      const amount = Math.round(rows[i - 1].close * (1 - before / after) * 1e4) / 1e4;
      dividends[String(ts)] = { amount, date: ts };
    }
  }
  return {
    chart: {
      result: [{
        meta,
        timestamp: rows.map((r) => sessionOpen(r.date)),
        events: { dividends },
        indicators: {
          quote: [{
            open: pick("open"),
            high: pick("high"),
            low: pick("low"),
            close: pick("close"),
            volume: pick("volume"),
          }],
          adjclose: [{ adjclose: pick("adjClose") }],
        },
      }],
      error: null,
    },
  };
}

interface FrenchFile {
  path: URL;
  vintage: string;
  zip: boolean;
}

async function frenchFiles(name: string): Promise<FrenchFile[]> {
  const found: FrenchFile[] = [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const csv = new RegExp(`^${escaped}_(\\d{6})\\.csv$`, "i");
  const zip = new RegExp(`^${escaped}_CSV_(\\d{6})\\.zip$`, "i");
  for await (const entry of Deno.readDir(new URL("french/", DATA))) {
    const c = csv.exec(entry.name);
    const z = zip.exec(entry.name);
    const match = c ?? z;
    if (match) {
      found.push({ path: new URL(`french/${entry.name}`, DATA), vintage: match[1], zip: !!z });
    }
  }
  return found.sort((a, b) => a.vintage.localeCompare(b.vintage) || Number(a.zip) - Number(b.zip));
}

const WEEKLY = "F-F_Research_Data_Factors_weekly";

/** Compounds the daily three factors of a daily file into Monday-Sunday weeks (see the module doc). */
function weeklyFromDaily(daily: string, vintage: string): string {
  const weeks: { key: string; growth: number[] }[] = [];
  let weekStart = "";
  for (const line of daily.split(/\r?\n/)) {
    const match = /^(\d{8}),(.*)$/.exec(line.trim());
    if (!match) continue;
    const key = match[1];
    const day = new Date(Date.UTC(+key.slice(0, 4), +key.slice(4, 6) - 1, +key.slice(6)));
    const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
    const start = monday.toISOString().slice(0, 10);
    const values = match[2].split(",").map(Number);
    if (start !== weekStart) {
      weekStart = start;
      weeks.push({ key, growth: values.map(() => 1) });
    }
    const week = weeks[weeks.length - 1];
    week.key = key;
    values.forEach((v, i) => week.growth[i] *= 1 + v / 100);
  }
  const rows = weeks.map((w) =>
    [
      w.key,
      ...w.growth.map((g, i) => ((g - 1) * 100).toFixed(i === 3 ? 3 : 2).padStart(8)),
    ].join(",")
  );
  return [
    `This file was created by CMPT_ME_BEME_RETS_WEEKLY using the ${vintage} CRSP database.`,
    "The Tbill return is the simple weekly rate (test stand-in compounded from the daily file).",
    "",
    ",Mkt-RF,SMB,HML,RF",
    ...rows,
    "",
    `Copyright ${vintage.slice(0, 4)} Kenneth R. French`,
    "",
  ].join("\r\n");
}

/** The CSV text of a bundled French file (the one member of its zip, or the file itself). */
async function frenchText(file: FrenchFile): Promise<string> {
  const bytes = await Deno.readFile(file.path);
  if (!file.zip) return new TextDecoder().decode(bytes);
  const members = Object.values(unzipSync(bytes));
  return new TextDecoder().decode(members[0]);
}

async function frenchCsv(name: string, vintage?: string): Promise<Uint8Array | undefined> {
  if (name === WEEKLY) {
    const daily = (await frenchFiles("F-F_Research_Data_Factors_daily"))
      .filter((f) => !vintage || f.vintage === vintage).at(-1);
    if (!daily) return undefined;
    const text = weeklyFromDaily(await frenchText(daily), daily.vintage);
    return zipSync({ [`${WEEKLY}.CSV`]: [strToU8(text), { level: 6 }] });
  }
  const files = (await frenchFiles(name)).filter((f) => !vintage || f.vintage === vintage);
  const file = files.at(-1);
  if (!file) return undefined;
  const bytes = await Deno.readFile(file.path);
  if (file.zip) return bytes;
  const member = `${name}.${file.vintage >= "202501" ? "csv" : "CSV"}`;
  return zipSync({ [member]: [bytes, { level: 6, mtime: new Date("2025-01-23T18:55:00") }] });
}

const LIBRARY_TITLES: [string, string][] = [
  ["F-F_Research_Data_Factors", "Fama/French 3 Factors"],
  ["F-F_Research_Data_Factors_weekly", "Fama/French 3 Factors [Weekly]"],
  ["F-F_Research_Data_Factors_daily", "Fama/French 3 Factors [Daily]"],
  ["F-F_Research_Data_5_Factors_2x3", "Fama/French 5 Factors (2x3)"],
  ["F-F_Research_Data_5_Factors_2x3_daily", "Fama/French 5 Factors (2x3) [Daily]"],
  ["6_Portfolios_2x3", "6 Portfolios Formed on Size and Book-to-Market (2 x 3)"],
  ["25_Portfolios_5x5", "25 Portfolios Formed on Size and Book-to-Market (5 x 5)"],
  ["F-F_Momentum_Factor", "Momentum Factor (Mom)"],
  ["F-F_Momentum_Factor_daily", "Momentum Factor (Mom) [Daily]"],
  ["Developed_3_Factors", "Fama/French Developed 3 Factors"],
  ["Europe_5_Factors", "Fama/French European 5 Factors"],
];

/** A page laid out like the library's data_library.html (not a copy of it). */
function libraryPage(): string {
  const items = LIBRARY_TITLES.map(([name, title], i) =>
    `<tr><td><b>${title.replace("&", "&amp;")}</b></td><td>
      <a href="ftp/${name}_TXT.zip">TXT</a>
      ${i % 2 ? `<A HREF='ftp/${name}_CSV.zip'>CSV</A>` : `<a href="ftp/${name}_CSV.zip">CSV</a>`}
      <a href="Data_Library/det_${i}.html">Details</a></td></tr>`
  ).join("\n");
  return `<!DOCTYPE html><html><head><title>Kenneth R. French - Data Library</title></head>
<body><h2>U.S. Research Returns Data (Downloadable Files)</h2>
<p><b>Changes in CRSP Data</b> Some text &amp; a <a href="changes.html">link</a>.</p>
<table>${items}</table>
<p>Copyright &copy; Kenneth R. French</p></body></html>`;
}

const HTML_PAGE = "<!doctype html><html><head><title>Consent</title></head><body>" +
  "<form>We value your privacy</form></body></html>";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function parseMode(mode: string) {
  const parts = mode.split("-");
  const get = (prefix: string) => parts.find((p) => new RegExp(`^${prefix}(x\\d+)?$`).test(p));
  const count = (prefix: string): number | undefined => {
    const part = get(prefix);
    if (!part) return undefined;
    const times = /x(\d+)$/.exec(part);
    return times ? Number(times[1]) : Infinity;
  };
  const retryDate = /^radate(\d+)$/.exec(parts.find((p) => /^radate\d+$/.test(p)) ?? "")?.[1];
  return {
    status429: count("429"),
    status500: count("500"),
    retryAfter: retryDate === undefined
      ? String(Number(/^ra(\d+)$/.exec(parts.find((p) => /^ra\d+$/.test(p)) ?? "")?.[1] ?? 1))
      : new Date(Date.now() + Number(retryDate) * 1000).toUTCString(),
    html: parts.includes("html"),
    truncated: parts.includes("truncated"),
    slowMs: Number(/^slow(\d+)$/.exec(parts.find((p) => /^slow\d+$/.test(p)) ?? "")?.[1] ?? 0),
    nullBars: parts.includes("nullbars"),
    noRetryAfter: parts.includes("nora"),
    needCrumb: parts.includes("needcrumb401") ? 401 : parts.includes("needcrumb429") ? 429 : 0,
    consent: parts.includes("consent"),
    noCookie: parts.includes("nocookie"),
    refuse: parts.includes("401") ? 401 : parts.includes("403") ? 403 : 0,
  };
}

const CONSENT_PAGE = `<!DOCTYPE html><html lang="en-GB"><head><title>Yahoo is part of the Yahoo
family of brands</title></head><body><div class="consent-form"><form method="post"
action="https://consent.yahoo.com/v2/collectConsent?sessionId=3_cc-session_fixture">
<input type="hidden" name="csrfToken" value="fixture"><input type="hidden" name="sessionId"
value="3_cc-session_fixture"><input type="hidden" name="originalDoneUrl"
value="https://finance.yahoo.com/"><button type="submit" name="agree" value="agree">Accept
all</button><button type="submit" name="reject" value="reject">Reject all</button></form>
</div></body></html>`;

const json = { "content-type": "application/json;charset=utf-8" };

/** A Yahoo refusal body, `{"chart": {"result": null, "error": {...}}}` (or "finance"). */
function yahooError(status: number, code: string, description: string, root = "chart"): Response {
  return new Response(
    JSON.stringify({ [root]: { result: null, error: { code, description } } }),
    { status, headers: json },
  );
}

/** Starts the server on a free loopback port. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const tickers = await priceFiles();
  const hits = new Map<string, number>();
  const closing = new AbortController();
  const requests: { path: string; headers: Headers; host?: string; at: number }[] = [];
  // Cookies handed out by the cookie endpoint, and the crumb of each.
  const crumbs = new Map<string, string>();
  let root = "";
  let failing: string | undefined;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const full = url.pathname + url.search;
    const host = /^\/host\/(query[12])\//.exec(url.pathname)?.[1];
    requests.push({
      path: full,
      headers: request.headers,
      at: performance.now(),
      ...(host ? { host } : {}),
    });
    const hit = (hits.get(full) ?? 0) + 1;
    hits.set(full, hit);
    let path = host ? url.pathname.slice(`/host/${host}`.length) : url.pathname;
    let mode = parseMode("");
    const fail = /^\/fail\/([^/]+)(\/.*)$/.exec(path);
    if (fail) {
      mode = parseMode(fail[1]);
      path = fail[2];
    } else if (failing !== undefined) {
      mode = parseMode(failing);
    }
    // A slow answer ends early when the server closes, so close() does not wait for it.
    if (mode.slowMs) await sleep(mode.slowMs, closing.signal);
    if (mode.status429 !== undefined && hit <= mode.status429) {
      return new Response("Too Many Requests", {
        status: 429,
        headers: mode.noRetryAfter
          ? { "content-type": "text/plain" }
          : { "retry-after": mode.retryAfter, "content-type": "text/plain" },
      });
    }
    if (mode.refuse) {
      return new Response(
        `<html><body><h1>${mode.refuse} ${
          mode.refuse === 401 ? "Unauthorized" : "Forbidden"
        }</h1></body></html>`,
        {
          status: mode.refuse,
          headers: {
            "content-type": "text/html",
            ...(mode.refuse === 401 ? { "www-authenticate": 'Basic realm="Restricted"' } : {}),
          },
        },
      );
    }
    if (mode.consent) {
      return new Response(null, {
        status: 302,
        headers: { location: `${root}/consent/collectConsent?sessionId=3_cc-session_fixture` },
      });
    }
    if (path === "/consent/collectConsent") {
      return new Response(CONSENT_PAGE, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    if (path === "/fc") {
      const cookie = `d=AQABBfixture${crumbs.size}&S=AQAAAfixture`;
      crumbs.set(cookie, `fixCrumb${crumbs.size}.x`);
      return new Response("<html><body>Not Found</body></html>", {
        status: 404,
        headers: {
          "content-type": "text/html",
          ...(mode.noCookie ? {} : {
            "set-cookie": `A3=${cookie}; Expires=Sat, 01 Jan 2028 00:00:00 GMT; ` +
              "Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly",
          }),
        },
      });
    }
    const cookieOf = () => /(?:^|;\s*)A3=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
    if (path === "/yahoo/v1/test/getcrumb") {
      const crumb = crumbs.get(cookieOf() ?? "");
      if (crumb === undefined) return yahooError(401, "Unauthorized", "Invalid Cookie", "finance");
      return new Response(crumb, { headers: { "content-type": "text/plain;charset=utf-8" } });
    }
    if (mode.needCrumb && /^\/yahoo\/v8\//.test(path)) {
      const crumb = crumbs.get(cookieOf() ?? "");
      if (crumb === undefined || url.searchParams.get("crumb") !== crumb) {
        if (mode.needCrumb === 401) return yahooError(401, "Unauthorized", "Invalid Crumb");
        return new Response("Too Many Requests", {
          status: 429,
          headers: { "content-type": "text/plain" },
        });
      }
    }
    if (mode.status500 !== undefined && hit <= mode.status500) {
      return new Response("<html><body>Internal error</body></html>", {
        status: 500,
        headers: { "content-type": "text/html" },
      });
    }
    if (mode.html) {
      return new Response(HTML_PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    const cut = (body: Uint8Array): Uint8Array<ArrayBuffer> =>
      new Uint8Array(mode.truncated ? body.slice(0, Math.floor(body.length / 2)) : body);

    const french = /^\/french(?:\/v\/(\d{6}))?\/(.*)$/.exec(path);
    if (french) {
      const [, vintage, rest] = french;
      if (rest === "data_library.html") {
        return new Response(cut(strToU8(libraryPage())), {
          headers: { "content-type": "text/html" },
        });
      }
      const zipName = /^ftp\/(.+)_CSV\.zip$/.exec(rest);
      const body = zipName ? await frenchCsv(zipName[1], vintage) : undefined;
      if (!body) {
        return new Response("<html><body><h1>Not Found</h1></body></html>", {
          status: 404,
          headers: { "content-type": "text/html" },
        });
      }
      return new Response(cut(body), {
        headers: { "content-type": "application/x-zip-compressed" },
      });
    }

    const chart = /^\/yahoo\/v8\/finance\/chart\/([^/]+)$/.exec(path);
    if (chart) {
      const ticker = decodeURIComponent(chart[1]);
      const file = tickers.get(ticker);
      const p1 = Number(url.searchParams.get("period1"));
      const p2 = Number(url.searchParams.get("period2"));
      if (p1 > p2) {
        return yahooError(
          400,
          "Bad Request",
          `Invalid input - start date cannot be after end date. startDate = ${p1}, endDate = ${p2}`,
        );
      }
      if (p2 - p1 > 100 * 365.25 * 86_400) {
        return yahooError(
          422,
          "Unprocessable Entity",
          `1d data not available for startTime=${p1} and endTime=${p2}. Only 100 years worth of ` +
            "day granularity data are allowed to be fetched per request.",
        );
      }
      if (!file) {
        return new Response(
          JSON.stringify({
            chart: {
              result: null,
              error: { code: "Not Found", description: "No data found, symbol may be delisted" },
            },
          }),
          { status: 404, headers: json },
        );
      }
      const period1 = Number(url.searchParams.get("period1"));
      const period2 = Number(url.searchParams.get("period2"));
      const all = await readPrices(file);
      if (period2 <= sessionOpen(all[0].date)) {
        // What Yahoo answers for a range before the first trade.
        return new Response(
          JSON.stringify({
            chart: {
              result: null,
              error: {
                code: "Bad Request",
                description: `Data doesn't exist for startDate = ${period1}, endDate = ${period2}`,
              },
            },
          }),
          { status: 400, headers: json },
        );
      }
      const rows = all.filter((r) => {
        const ts = sessionOpen(r.date);
        return ts >= period1 && ts < period2;
      });
      const body = strToU8(JSON.stringify(chartBody(ticker, rows, mode.nullBars ? 10 : 0)));
      return new Response(cut(body), { headers: json });
    }
    return new Response("not found", { status: 404 });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  root = url;
  const dropping = serveDroppedConnections(url, handle);
  return {
    url,
    frenchBase: `${url}/french`,
    yahooBase: `${url}/yahoo`,
    cookieUrl: `${url}/fc`,
    failFromNow: (mode) => {
      failing = mode;
    },
    fail: (mode, service) => {
      const rest = mode.split("-").filter((p) => p !== "cut").join("-");
      const base = mode.split("-").includes("cut") ? dropping.url : url;
      return rest ? `${base}/fail/${rest}/${service}` : `${base}/${service}`;
    },
    yahooHost: (host, mode) => `${url}/host/${host}${mode ? `/fail/${mode}` : ""}/yahoo`,
    requests,
    close: async () => {
      closing.abort();
      await server.shutdown();
      await dropping.close();
    },
  };
}

/**
 * A raw TCP listener for the `cut` mode: it answers like the main server but announces the whole
 * body in Content-Length, sends half of it and closes the connection, as a dropped download
 * does. (Deno.serve cannot send a short body without logging an error.)
 */
function serveDroppedConnections(
  mainUrl: string,
  handle: (request: Request) => Promise<Response>,
): { url: string; close: () => Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const serveOne = async (conn: Deno.Conn) => {
    open.add(conn);
    try {
      const buffer = new Uint8Array(16384);
      let head = "";
      while (!head.includes("\r\n\r\n")) {
        const n = await conn.read(buffer);
        if (n === null) return;
        head += new TextDecoder().decode(buffer.subarray(0, n));
      }
      const path = /^GET (\S+) HTTP/.exec(head)?.[1] ?? "/";
      const response = await handle(new Request(new URL(path, mainUrl)));
      const body = new Uint8Array(await response.arrayBuffer());
      const type = response.headers.get("content-type") ?? "application/octet-stream";
      const header = `HTTP/1.1 ${response.status} OK\r\ncontent-type: ${type}\r\n` +
        `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
      await conn.write(strToU8(header));
      await conn.write(body.subarray(0, Math.floor(body.length / 2)));
    } catch {
      // The client may hang up first; nothing to report.
    } finally {
      open.delete(conn);
      conn.close();
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) serveOne(conn);
    } catch {
      // Closed.
    }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
      await accepting;
    },
  };
}
