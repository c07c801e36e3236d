import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { checkSetup, formatFrame, InvalidArgumentError, useSamples } from "../mod.ts";
import { startFixtureServer } from "./support/fixture_server.ts";

Deno.test("a polars frame is shown with fixed decimals, returns in percent, the unit in the header", () => {
  const frame = pl.DataFrame({
    period: ["2010-02", "2010-03", "2010-04"],
    return: [0.043757000000000004, -0.0012, null],
    adjClose: [142.5800018310547, 148.7, 150.125],
    volume: [1200, 1300, 1400],
  });
  const table = formatFrame(frame, { percent: ["return"], decimals: { adjClose: 2 } });
  assert.deepEqual(table.toString().split("\n"), [
    "period   return (%)  adjClose  volume",
    "2010-02        4.38    142.58    1200",
    "2010-03       -0.12    148.70    1300",
    // 150.125 is exact in binary: rounded half to even, as Python's "%.2f" does.
    "2010-04                150.12    1400",
  ]);
  assert.match(table.toHTML(), /<th[^>]*>return \(%\)<\/th>/);
});

Deno.test("a long frame shows its first and last rows and says how many are left out", () => {
  const n = 25;
  const frame = {
    t: Array.from({ length: n }, (_, i) => i),
    x: Array.from({ length: n }, (_, i) => i / 3),
  };
  const lines = formatFrame(frame, { maxRows: 4 }).toString().split("\n");
  assert.deepEqual(lines, [
    " t       x",
    " 0  0.0000",
    " 1  0.3333",
    " …",
    "23  7.6667",
    "24  8.0000",
    "25 rows (21 not shown)",
  ]);
  assert.throws(
    () => formatFrame({ a: [1, 2], b: [1] }),
    (e: unknown) => e instanceof InvalidArgumentError && /"b" has 1 values/.test(e.message),
  );
});

Deno.test("checkSetup says which source answers, and what to do when one does not", async () => {
  const down = await startFixtureServer();
  // A closed port: the same address, nobody listening. Taken while `down` listens, so the
  // system cannot hand out down's own port.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = probe.addr.port;
  probe.close();
  const closed = new URL(down.yahooBase);
  closed.port = String(closedPort);
  const url = closed.href;
  Deno.env.set("FACTORLAB_FRENCH_BASE_URL", down.frenchBase);
  Deno.env.set("FACTORLAB_YAHOO_BASE_URL", url);
  try {
    const report = await checkSetup({ timeoutMs: 20_000 });
    const french = report.checks.find((c) => c.item === "Ken French library")!;
    const yahoo = report.checks.find((c) => c.item === "Yahoo Finance")!;
    assert.equal(french.status, "ok");
    assert.equal(yahoo.status, "missing");
    assert.match(yahoo.fix!, /set OFFLINE = true in the next cell/);
    assert.equal(report.ready, false);
    assert.match(report.toString(), /Something is missing/);
    // With the bundled samples chosen, both sources are local folders.
    useSamples();
    const offline = await checkSetup({ timeoutMs: 20_000 });
    assert.match(offline.checks.find((c) => c.item === "Yahoo Finance")!.detail, /^local folder/);
  } finally {
    useSamples(false);
    Deno.env.delete("FACTORLAB_FRENCH_BASE_URL");
    Deno.env.delete("FACTORLAB_YAHOO_BASE_URL");
    await down.close();
  }
});
