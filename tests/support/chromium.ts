/** The Chromium the browser tests use, and whether it runs here. */

/** Debian's Chromium, which the test task may run (`--allow-run=/usr/bin/chromium`). */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether Chromium runs; the test task may run it but not read /usr/bin, so ask it. A missing
 * permission is a configuration error, not a reason to skip, so it is thrown.
 */
export async function chromiumAvailable(): Promise<boolean> {
  const signal = AbortSignal.timeout(120_000);
  try {
    const { success } = await new Deno.Command(CHROMIUM, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
      signal,
    }).output();
    if (signal.aborted) throw new Error(`timed out after 120 s running ${CHROMIUM} --version`);
    return success;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
