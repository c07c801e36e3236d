/**
 * `deno task fuzz [seed]`: the full fuzzing run of the data layer (see docs/development.md).
 * Prints one line per class and a closing summary line; exits with 1 when any untyped crash,
 * hang, silently wrong result or data loss was found.
 *
 * @module
 */

import { runFuzz } from "./harness.ts";

const seed = Deno.args[0] === undefined ? 20261207 : Number(Deno.args[0]);
if (!Number.isSafeInteger(seed)) {
  console.error(`The seed must be a whole number, not ${Deno.args[0]}.`);
  Deno.exit(2);
}
const result = await runFuzz({
  seed,
  samples: /\.zip$/,
  csvPerSample: 60,
  zipPerSample: 60,
  longRows: 210_000,
  charts: 600,
  tickers: 1000,
  http: 17 * 12,
  bombBytes: 1024 ** 3,
  cache: { writers: 4, readers: 4, iterations: 60, processes: true },
  limits: { parse: 20_000, download: 20_000, concurrent: 600_000 },
  log: (line) => console.log(line),
});
console.log(result.summary);
const { untyped, hangs, silentWrong, dataLoss } = result.totals;
// Pending hostile connections or workers must not keep the run alive.
Deno.exit(untyped + hangs + silentWrong + dataLoss === 0 ? 0 : 1);
