/**
 * Hostile HTTP servers on the loopback interface, written on raw TCP so that they can lie:
 * truncated bodies, wrong Content-Length, stalls, endless and gzip-bomb bodies, redirect loops
 * and chains, redirects to other hosts, odd statuses, garbage instead of HTTP, damaged bodies.
 * A French zip and a Yahoo chart are downloaded through them with the public functions; what is
 * accepted must equal what the real file holds.
 *
 * @module
 */

import { frenchDataset } from "../../lib/data/french.ts";
import type { DataFrame } from "../../lib/data/polars.ts";
import { parseYahooChart, yahooPrices } from "../../lib/data/yahoo.ts";
import { attempt, OK, type Rng, type Tally, type Verdict } from "./core.ts";
import { CHART_SAMPLE } from "./yahoo.ts";

const SCENARIOS = [
  "ok",
  "redirect-ok",
  "truncated",
  "short-length",
  "long-length",
  "stall-head",
  "stall-body",
  "huge",
  "gzip-bomb",
  "redirect-loop",
  "redirect-chain",
  "redirect-cross-host",
  "redirect-odd",
  "status",
  "garbage",
  "damaged-body",
  "html",
] as const;
type Scenario = typeof SCENARIOS[number];

const encoder = new TextEncoder();

/** Gzip of `bytes` zero bytes, made in pieces (a 1 GiB bomb is about 1 MiB). */
export async function gzipBomb(bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const zeros = new Uint8Array(1 << 20);
  let left = bytes;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, zeros.length);
      left -= n;
      controller.enqueue(zeros.subarray(0, n));
    },
  });
  const compressed = source.pipeThrough(
    new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

interface Server {
  base: string;
  port: number;
  close(): Promise<void>;
}

/** A raw TCP server that answers every request with `respond`. */
function rawServer(
  respond: (conn: Deno.Conn, path: string, port: number) => Promise<void>,
): Server {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const conns = new Set<Deno.Conn>();
  const tasks = new Set<Promise<void>>();
  const serve = async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const task = (async () => {
        try {
          const head = await readHead(conn);
          const path = head.split(" ")[1] ?? "/";
          await respond(conn, path, port);
        } catch {
          // The client went away: nothing to do.
        } finally {
          conns.delete(conn);
          try {
            conn.close();
          } catch {
            // Already closed.
          }
        }
      })();
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  };
  const loop = serve().catch(() => {});
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    async close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
      await loop;
      await Promise.all(tasks);
    },
  };
}

async function readHead(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(16_384);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return text;
}

async function write(conn: Deno.Conn, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

function headers(status: number, fields: Record<string, string | number>): string {
  const lines = [`HTTP/1.1 ${status} X`, "Connection: close"];
  for (const [k, v] of Object.entries(fields)) lines.push(`${k}: ${v}`);
  return lines.join("\r\n") + "\r\n\r\n";
}

/** Waits until the connection is closed by the client (or the server shuts down). */
async function stall(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(1024);
  while ((await conn.read(buffer)) !== null) { /* drain */ }
}

/** What a scenario sends for one request, given the real body. */
function responder(
  scenario: Scenario,
  body: Uint8Array,
  damaged: Uint8Array,
  rng: Rng,
  bomb: Uint8Array,
): (conn: Deno.Conn, path: string, port: number) => Promise<void> {
  const cut = 1 + rng.int(Math.max(1, body.length - 1));
  const status = rng.pick([204, 301, 400, 401, 403, 404, 410, 418, 429, 500, 502, 503]);
  const errorBody = rng.pick([
    "",
    "<html><body>Sorry</body></html>",
    '{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}',
    "{",
  ]);
  const odd = rng.pick(["file:///etc/passwd", "javascript:alert(1)", "http://[", "ftp://x/y", ""]);
  return async (conn, path, port) => {
    const real = (extra: Record<string, string | number> = {}) =>
      write(conn, headers(200, { "Content-Length": body.length, ...extra }));
    switch (scenario) {
      case "ok":
        await real();
        return await write(conn, body);
      case "redirect-ok":
        if (!path.startsWith("/moved")) {
          return await write(
            conn,
            headers(302, { Location: `/moved${path}`, "Content-Length": 0 }),
          );
        }
        await real();
        return await write(conn, body);
      case "truncated":
        await real();
        return await write(conn, body.subarray(0, cut));
      case "short-length":
        await write(conn, headers(200, { "Content-Length": cut }));
        return await write(conn, body);
      case "long-length":
        await write(conn, headers(200, { "Content-Length": body.length + 1 + rng.int(1000) }));
        await write(conn, body);
        return await stall(conn);
      case "stall-head":
        return await stall(conn);
      case "stall-body":
        await real();
        await write(conn, body.subarray(0, cut));
        return await stall(conn);
      case "huge": {
        await write(conn, headers(200, { "Transfer-Encoding": "chunked" }));
        const chunk = new Uint8Array(1 << 16).fill(48);
        const frame = new Uint8Array([...encoder.encode("10000\r\n"), ...chunk, 13, 10]);
        for (;;) await write(conn, frame);
      }
      case "gzip-bomb":
        await write(
          conn,
          headers(200, { "Content-Encoding": "gzip", "Content-Length": bomb.length }),
        );
        return await write(conn, bomb);
      case "redirect-loop":
        return await write(
          conn,
          headers(302, {
            Location: path.startsWith("/b") ? path.slice(2) : `/b${path}`,
            "Content-Length": 0,
          }),
        );
      case "redirect-chain":
        return await write(
          conn,
          headers(301, { Location: `/r${rng.int(1e9)}${path}`, "Content-Length": 0 }),
        );
      case "redirect-cross-host":
        return await write(
          conn,
          headers(307, { Location: `http://localhost:${port}${path}`, "Content-Length": 0 }),
        );
      case "redirect-odd":
        return await write(conn, headers(302, { Location: odd, "Content-Length": 0 }));
      case "status":
        await write(
          conn,
          headers(status, { "Content-Length": errorBody.length, "Retry-After": 0 }),
        );
        return await write(conn, errorBody);
      case "garbage":
        return await write(conn, new Uint8Array(1 + rng.int(300)).map(() => rng.int(256)));
      case "damaged-body":
        await real();
        return await write(conn, damaged);
      case "html": {
        const page = "<!DOCTYPE html><html><head><title>Consent</title></head></html>";
        await write(
          conn,
          headers(200, { "Content-Type": "text/html", "Content-Length": page.length }),
        );
        return await write(conn, page);
      }
    }
  };
}

/** The bars of a chart body as served, or undefined when it does not parse. */
function sentPrices(body: Uint8Array): DataFrame | undefined {
  try {
    return parseYahooChart(body, { ticker: "AAPL", start: "2020-08-31", end: "2020-11-06" }).prices;
  } catch {
    return undefined;
  }
}

/** Options of every download in this class: short timeouts, few quick retries, small limits. */
const FAST = {
  cache: false,
  timeoutMs: 400,
  retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
  maxDownloadBytes: 4 << 20,
};

/**
 * Downloads through one hostile server per input, alternating a French zip and the Yahoo chart.
 * `bombBytes` is the unpacked size of the gzip bomb (1 GiB in the full run).
 */
export async function fuzzHttp(
  t: Tally,
  rng: Rng,
  count: number,
  limitMs: number,
  bombBytes: number,
): Promise<void> {
  const frenchName = "F-F_Research_Data_Factors";
  const zipPath = "data/samples/french/F-F_Research_Data_Factors_CSV_202412.zip";
  const zip = await Deno.readFile(zipPath);
  const french = await frenchDataset(zipPath, { percent: true });
  const chart = await Deno.readFile(CHART_SAMPLE);
  const range = { start: "2020-08-31", end: "2020-11-07" };
  const chartPrices =
    parseYahooChart(chart, { ticker: "AAPL", start: "2020-08-31", end: "2020-11-06" })
      .prices;
  const bomb = await gzipBomb(bombBytes);
  for (let n = 0; n < count; n++) {
    const scenario = SCENARIOS[n % SCENARIOS.length];
    const yahoo = Math.floor(n / SCENARIOS.length) % 2 === 1;
    const body = yahoo ? chart : zip;
    const damaged = body.slice();
    damaged[rng.int(damaged.length)] ^= 1 << rng.int(8);
    const server = rawServer(responder(scenario, body, damaged, rng, bomb));
    try {
      const label = `${scenario} (${yahoo ? "Yahoo chart" : "French zip"})`;
      const download = async (): Promise<Verdict> => {
        if (yahoo) {
          const got = await yahooPrices("AAPL", { ...range, ...FAST, source: server.base });
          // JSON has no checksum: a changed digit is what the server sent, and must be read so.
          const expected = scenario === "damaged-body" ? sentPrices(damaged) : chartPrices;
          if (expected === undefined) return { wrong: "a chart that does not parse was accepted" };
          if (got.prices.height < expected.height) {
            return { loss: `${got.prices.height} of ${expected.height} bars` };
          }
          return got.prices.frameEqual(expected, true) ? OK : { wrong: "the prices differ" };
        }
        const got = await frenchDataset(frenchName, {
          ...FAST,
          source: server.base,
          percent: true,
        });
        if (got.tables.length !== french.tables.length) return { loss: "tables missing" };
        for (let i = 0; i < got.tables.length; i++) {
          if (got.tables[i].frame.height < french.tables[i].frame.height) {
            return { loss: `table ${i + 1} is short` };
          }
          if (!got.tables[i].frame.frameEqual(french.tables[i].frame, true)) {
            return { wrong: `table ${i + 1} differs` };
          }
        }
        return OK;
      };
      await attempt(t, label, async () => {
        if (scenario !== "ok" && scenario !== "redirect-ok") return await download();
        // A faithful server: refusing its answer would lose good data.
        try {
          return await download();
        } catch (error) {
          return { loss: `a faithful answer was refused: ${(error as Error).message}` };
        }
      }, limitMs);
    } finally {
      await server.close();
    }
  }
}
