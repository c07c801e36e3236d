/** Helpers for tests that look inside the cache folder. */

import { type CacheRecord, readEntry, writeEntry } from "../../lib/data/cache_entry.ts";
import { listDir } from "./temp.ts";

/** Rewrites every entry of a cache folder through `change`, with a valid checksum. */
export async function rewriteEntries(
  dir: string,
  change: (record: CacheRecord, body: Uint8Array) => { record: CacheRecord; body: Uint8Array },
): Promise<void> {
  for (const name of await listDir(dir)) {
    if (!name.endsWith(".entry")) continue;
    const key = name.slice(0, -".entry".length);
    const bytes = await Deno.readFile(`${dir}/${name}`);
    const first = bytes.indexOf(10);
    const url = JSON.parse(
      new TextDecoder().decode(bytes.subarray(first + 1, bytes.indexOf(10, first + 1))),
    ).url;
    const entry = await readEntry(dir, key, url, 1 << 30);
    if (entry.kind !== "ok") throw new Error(`${name} is not a valid entry: ${entry.kind}`);
    const changed = change(entry.record, entry.body);
    await writeEntry(dir, key, changed.record, changed.body);
  }
}

/** Runs `body` with console.warn captured; returns the warnings. */
export async function captureWarnings(body: () => Promise<void>): Promise<string[]> {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
  try {
    await body();
  } finally {
    console.warn = warn;
  }
  return warnings;
}
