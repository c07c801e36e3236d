/** Temporary cache folders for tests, under the git-ignored data/ folder. */

/** Creates an empty folder under data/ and returns its path. */
export async function tempCacheDir(): Promise<string> {
  await Deno.mkdir("data", { recursive: true });
  return await Deno.makeTempDir({ dir: "data", prefix: "test-cache-" });
}

/** Lists the file names in a folder (empty when it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** Removes a test folder. */
export async function removeDir(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
