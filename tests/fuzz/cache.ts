/**
 * The cache under hostile folders and entries (a file, a device or a FIFO where the folder or an
 * entry should be, damaged and future-dated entries, huge sparse entries, a full disk) and under
 * concurrent readers and writers in several Workers or processes.
 *
 * @module
 */

import { fetchCached } from "../../lib/data/cache.ts";
import { sha256Hex } from "../../lib/data/cache_entry.ts";
import { attempt, OK, type Tally, type Verdict } from "./core.ts";
import { type CacheJob, type CacheReport, checkVersionBody } from "./cache_worker.ts";

/** A loopback server whose body changes with every request: `{"v":n,"pad":…,"length":…}`. */
export function versionServer(padBytes: number): {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
} {
  let version = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    version++;
    const length = padBytes + (version % 7) * 1000;
    return new Response(JSON.stringify({ v: version, pad: "x".repeat(length), length }), {
      headers: { "content-type": "application/json" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/data/file.json`,
    hits: () => version,
    close: () => server.shutdown(),
  };
}

const validate = (body: Uint8Array) => {
  const problem = checkVersionBody(body);
  if (problem !== undefined) throw new Error(problem);
};

async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await run();
  } finally {
    console.warn = warn;
  }
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

async function mkfifo(path: string): Promise<boolean> {
  if (!granted({ name: "run", command: "mkfifo" })) return false;
  const { success } = await new Deno.Command("mkfifo", { args: [path] }).output();
  return success;
}

async function entryPath(dir: string): Promise<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".entry")) return `${dir}/${entry.name}`;
  }
  throw new Error(`no entry in ${dir}`);
}

/** Writes an entry file by hand with a valid checksum around `recordText` and `body`. */
async function forgeEntry(path: string, recordText: string, body: Uint8Array): Promise<void> {
  const record = new TextEncoder().encode(`${recordText}\n`);
  const rest = new Uint8Array(record.length + body.length);
  rest.set(record);
  rest.set(body, record.length);
  const head = new TextEncoder().encode(`factorlab-cache 1 ${await sha256Hex(rest)}\n`);
  const bytes = new Uint8Array(head.length + rest.length);
  bytes.set(head);
  bytes.set(rest, head.length);
  await Deno.writeFile(path, bytes);
}

type Setup = (dir: string, url: string) => Promise<string | undefined>;

/** Ways the folder or the entry can be in the way; each returns the folder to use. */
const HOSTILE: Record<string, Setup> = {
  "folder is a file": async (dir) => {
    await Deno.writeTextFile(`${dir}/plain`, "x");
    return `${dir}/plain`;
  },
  "folder is /dev/null": () =>
    Promise.resolve(granted({ name: "read", path: "/dev/null" }) ? "/dev/null" : undefined),
  "folder is a FIFO": async (dir) => (await mkfifo(`${dir}/fifo`)) ? `${dir}/fifo` : undefined,
  "folder under a file": async (dir) => {
    await Deno.writeTextFile(`${dir}/plain`, "x");
    return `${dir}/plain/cache`;
  },
  "entry is a folder": async (dir) => {
    const path = await entryPath(dir);
    await Deno.remove(path);
    await Deno.mkdir(path);
    return dir;
  },
  "entry is a FIFO": async (dir) => {
    const path = await entryPath(dir);
    await Deno.remove(path);
    return (await mkfifo(path)) ? dir : undefined;
  },
  "record is null": async (dir) => {
    await forgeEntry(await entryPath(dir), "null", new TextEncoder().encode("{}"));
    return dir;
  },
  "record is for another URL": async (dir) => {
    const body = new TextEncoder().encode('{"v":-1,"pad":"","length":0}');
    await forgeEntry(
      await entryPath(dir),
      JSON.stringify({
        url: "http://elsewhere/",
        fetchedAt: new Date().toISOString(),
        size: body.length,
        contentType: "",
      }),
      body,
    );
    return dir;
  },
  "fetchedAt in the future": async (dir, url) => {
    const body = new TextEncoder().encode('{"v":-1,"pad":"","length":0}');
    const future = new Date(Date.now() + 10 * 365 * 86_400_000).toISOString();
    await forgeEntry(
      await entryPath(dir),
      JSON.stringify({ url, fetchedAt: future, size: body.length, contentType: "" }),
      body,
    );
    return dir;
  },
  "fetchedAt not a date": async (dir, url) => {
    const body = new TextEncoder().encode('{"v":-1,"pad":"","length":0}');
    await forgeEntry(
      await entryPath(dir),
      JSON.stringify({ url, fetchedAt: "yesterday-ish", size: body.length, contentType: "" }),
      body,
    );
    return dir;
  },
  "entry cut short": async (dir) => {
    const path = await entryPath(dir);
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length >> 1));
    return dir;
  },
  "entry empty": async (dir) => {
    await Deno.writeFile(await entryPath(dir), new Uint8Array());
    return dir;
  },
  "entry a 4 GiB sparse file": async (dir) => {
    await Deno.truncate(await entryPath(dir), 4 * 1024 ** 3);
    return dir;
  },
  "entry one flipped byte": async (dir) => {
    const path = await entryPath(dir);
    const bytes = await Deno.readFile(path);
    bytes[bytes.length - 3] ^= 4;
    await Deno.writeFile(path, bytes);
    return dir;
  },
  "folder read-only": async (dir) => {
    await Deno.chmod(dir, 0o555);
    return dir;
  },
};

/**
 * Each hostile state, then an online download (which must return the server's answer: a
 * successful download is never thrown away) and an offline read (a whole version or a typed
 * error). A future-dated entry must not be served as fresh.
 */
export async function fuzzCacheStates(t: Tally, root: string, limitMs: number): Promise<void> {
  const server = versionServer(50_000);
  try {
    for (const [name, setup] of Object.entries(HOSTILE)) {
      const dir = await Deno.makeTempDir({ dir: root, prefix: "state-" });
      try {
        await quietly(() => fetchCached(server.url, { cacheDir: dir }, 3600_000, validate));
        const cacheDir = await setup(dir, server.url);
        if (cacheDir === undefined) continue;
        await attempt(t, `${name}: download`, async (): Promise<Verdict> => {
          const before = server.hits();
          let got;
          try {
            got = await quietly(() => fetchCached(server.url, { cacheDir }, 3600_000, validate));
          } catch (error) {
            return { loss: `the download was thrown away: ${(error as Error).message}` };
          }
          if (got.origin === "network" && server.hits() === before) {
            return { wrong: "origin network without a request" };
          }
          if (got.origin !== "network" && name.includes("future")) {
            return { wrong: "an entry dated in the future was served as fresh" };
          }
          const problem = checkVersionBody(got.body);
          return problem === undefined ? OK : { wrong: problem };
        }, limitMs);
        await attempt(t, `${name}: offline read`, async (): Promise<Verdict> => {
          const got = await quietly(() =>
            fetchCached(server.url, { cacheDir, offline: true }, 3600_000, validate)
          );
          const problem = checkVersionBody(got.body);
          return problem === undefined ? OK : { wrong: problem };
        }, limitMs);
      } finally {
        await Deno.chmod(dir, 0o755).catch(() => {});
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    }
  } finally {
    await server.close();
  }
}

/** A full disk, mocked: the store fails half-way; the download is kept, the old entry stays whole. */
export async function fuzzFullDisk(t: Tally, root: string, limitMs: number): Promise<void> {
  const server = versionServer(50_000);
  const dir = await Deno.makeTempDir({ dir: root, prefix: "full-" });
  const writeFile = Deno.writeFile;
  try {
    await quietly(() => fetchCached(server.url, { cacheDir: dir }, 3600_000, validate));
    Deno.writeFile = async (path, data, options) => {
      const bytes = data as Uint8Array;
      await writeFile(path, bytes.subarray(0, bytes.length >> 1), options);
      throw new Deno.errors.Busy("No space left on device (os error 28)");
    };
    await attempt(t, "full disk: download", async (): Promise<Verdict> => {
      try {
        const got = await quietly(() =>
          fetchCached(server.url, { cacheDir: dir, refresh: true }, 3600_000, validate)
        );
        return checkVersionBody(got.body) === undefined ? OK : { wrong: "a damaged body" };
      } catch (error) {
        return { loss: `the download was thrown away: ${(error as Error).message}` };
      }
    }, limitMs);
    Deno.writeFile = writeFile;
    await attempt(t, "full disk: previous entry", async (): Promise<Verdict> => {
      try {
        const got = await fetchCached(
          server.url,
          { cacheDir: dir, offline: true },
          3600_000,
          validate,
        );
        return checkVersionBody(got.body) === undefined ? OK : { wrong: "a damaged body" };
      } catch (error) {
        return { loss: `the previous entry was lost: ${(error as Error).message}` };
      }
    }, limitMs);
  } finally {
    Deno.writeFile = writeFile;
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Readers and writers at once on one entry, as Workers or as separate processes. Every
 * operation counts as one input; a reader that misses the entry is data loss.
 */
export async function fuzzCacheConcurrency(
  t: Tally,
  root: string,
  options: {
    writers: number;
    readers: number;
    iterations: number;
    processes: boolean;
    limitMs: number;
  },
): Promise<void> {
  const server = versionServer(300_000);
  const dir = await Deno.makeTempDir({ dir: root, prefix: "shared-" });
  try {
    await fetchCached(server.url, { cacheDir: dir }, 3600_000, validate);
    const jobs: CacheJob[] = [
      ...Array.from({ length: options.writers }, () => ({ role: "writer" as const })),
      ...Array.from({ length: options.readers }, () => ({ role: "reader" as const })),
    ].map(({ role }) => ({ url: server.url, cacheDir: dir, role, iterations: options.iterations }));
    const script = new URL("./cache_worker.ts", import.meta.url);
    const run = (job: CacheJob): Promise<CacheReport> =>
      options.processes ? inProcess(script, job) : inWorker(script, job);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reports = await Promise.race([
      Promise.all(jobs.map(run)),
      new Promise<undefined>((resolve) =>
        timer = setTimeout(() => resolve(undefined), options.limitMs)
      ),
    ]);
    clearTimeout(timer);
    if (reports === undefined) {
      t.tried += jobs.length * options.iterations;
      t.hangs++;
      t.failures.push(`hang: concurrent cache run over ${options.limitMs} ms`);
      return;
    }
    for (const report of reports) {
      t.tried += report.operations;
      t.accepted += report.whole;
      t.silentWrong += report.wrong.length;
      t.dataLoss += report.lost.length;
      t.untyped += report.untyped.length;
      for (const f of [...report.wrong, ...report.lost, ...report.untyped].slice(0, 3)) {
        if (t.failures.length < 10) t.failures.push(`concurrent: ${f}`);
      }
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function inWorker(script: URL, job: CacheJob): Promise<CacheReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.href, { type: "module" });
    worker.onmessage = (event: MessageEvent<CacheReport>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`cache worker failed: ${event.message}`));
    };
    worker.postMessage(job);
  });
}

async function inProcess(script: URL, job: CacheJob): Promise<CacheReport> {
  const output = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-read=.",
      "--allow-write=data",
      "--allow-net=127.0.0.1",
      "--allow-env=FACTORLAB_CACHE_DIR,FACTORLAB_OFFLINE",
      script.pathname,
      JSON.stringify(job),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `cache process failed: ${new TextDecoder().decode(output.stderr).slice(0, 500)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!);
}
