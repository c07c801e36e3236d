/**
 * Starts the tests' loopback server (tests/support/fixture_server.ts: data/samples in the Ken
 * French and Yahoo formats) for a shell script, prints its base URLs as shell assignments, and
 * serves until it gets SIGTERM or SIGINT.
 *
 * Usage: deno run --allow-read=. --allow-net=127.0.0.1 .ci/serve_fixtures.ts
 * prints:
 *   FACTORLAB_FRENCH_BASE_URL=http://127.0.0.1:PORT/french
 *   FACTORLAB_YAHOO_BASE_URL=http://127.0.0.1:PORT/yahoo
 *
 * @module
 */

import { startFixtureServer } from "../tests/support/fixture_server.ts";

const server = await startFixtureServer();
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  Deno.exit(0);
}
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
console.log(`FACTORLAB_FRENCH_BASE_URL=${server.frenchBase}`);
console.log(`FACTORLAB_YAHOO_BASE_URL=${server.yahooBase}`);
