/**
 * Writing files safely, for every layer: data (the cache, the store), plot (HTML pages, static
 * figures) and the CLI.
 *
 * @module
 */

/**
 * Writes a file so that a reader never sees it half-written: a temporary file next to it,
 * then a rename over the target (atomic on one file system).
 *
 * @param path The file to write.
 * @param data Its content.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAtomic } from "./files.ts";
 * const dir = await Deno.makeTempDir({ dir: "data" });
 * await writeAtomic(`${dir}/a.txt`, "whole");
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "whole");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(temp, data);
    else await Deno.writeFile(temp, data);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
