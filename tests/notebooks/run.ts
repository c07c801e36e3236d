/**
 * Notebook runner (`deno task notebooks`): executes every notebooks/*.ipynb top to bottom in the
 * real Deno Jupyter kernel (Debian's nbclient, see execute.py; kernel "deno") against the loopback
 * fixture server, which serves ../shared/data in the real Ken French and Yahoo formats. The
 * library is pointed at it only through its public environment variables, with a fresh cache.
 *
 * A notebook fails when a cell errors, when it writes an error to stderr, when one of its checks
 * in checks.ts fails, or when its committed outputs no longer have the shape of a fresh run.
 *
 * Usage:
 *   deno task notebooks                 # execute into build/notebooks/, check, leave notebooks/ alone
 *   deno task notebooks --update        # also write the executed notebooks back to notebooks/
 *   deno task notebooks 01 03           # only the notebooks whose names start with these
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startFixtureServer } from "../support/fixture_server.ts";
import { CHECKS } from "./checks.ts";
import {
  ExecutedNotebook,
  normalize,
  type Notebook,
  outputShape,
  readNotebook,
  type Replacement,
  writeNotebook,
} from "./notebook.ts";

const ROOT = new URL("../../", import.meta.url);
const NOTEBOOKS = new URL("notebooks/", ROOT);
const BUILD = new URL("build/notebooks/", ROOT);
/** Whole-notebook limit; single cells are limited to 600 s by execute.py. */
const NOTEBOOK_TIMEOUT_MS = 20 * 60_000;

/** Debian's Python, which has nbclient; the first python3 on PATH may be another one. */
const PYTHON = "/usr/bin/python3";
const EXECUTE_PY = new URL("execute.py", import.meta.url);

function path(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
    signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

async function notebookNames(filters: string[]): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(NOTEBOOKS)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
  }
  const missing = names.filter((name) => !(name in CHECKS));
  if (missing.length) throw new Error(`no checks in tests/notebooks/checks.ts for ${missing}`);
  const orphans = Object.keys(CHECKS).filter((name) => !names.includes(name));
  if (orphans.length) throw new Error(`checks.ts names notebooks that do not exist: ${orphans}`);
  return names.sort().filter((name) => !filters.length || filters.some((f) => name.startsWith(f)));
}

/** Executes one notebook into build/notebooks/executed/ and returns it as executed. */
async function execute(name: string, env: Record<string, string>): Promise<Notebook> {
  const outDir = path(new URL("executed/", BUILD));
  await Deno.mkdir(outDir, { recursive: true });
  const target = `${outDir}/${name}`;
  const started = performance.now();
  const result = await run(PYTHON, [
    path(EXECUTE_PY),
    path(new URL(name, NOTEBOOKS)),
    target,
    path(NOTEBOOKS),
  ], { env, timeoutMs: NOTEBOOK_TIMEOUT_MS });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.code !== 0) {
    throw new Error(`could not execute ${name} (exit ${result.code}):\n${result.stderr.trim()}`);
  }
  console.log(`  executed in ${seconds} s`);
  return await readNotebook(target);
}

/** Problems with one executed notebook; empty when it passes. */
function verify(name: string, executed: Notebook, committed: Notebook, update: boolean): string[] {
  const problems: string[] = [];
  const notebook = new ExecutedNotebook(name, executed);
  const { allowStderr, checks } = CHECKS[name];
  problems.push(...notebook.errors);
  for (const text of notebook.stderr) {
    if (!allowStderr?.test(text)) problems.push(`unexpected stderr output: ${text.trim()}`);
  }
  for (const check of checks) {
    try {
      check.run(notebook);
      console.log(`  ok   ${check.description}`);
    } catch (error) {
      problems.push(`${check.description}: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (!update) {
    const fresh = outputShape(executed);
    const saved = outputShape(committed);
    const unexecuted = committed.cells.some((c) => c.cell_type === "code" && !c.execution_count);
    if (unexecuted || fresh.join("\n") !== saved.join("\n")) {
      const cell = fresh.findIndex((shape, i) => shape !== saved[i]);
      problems.push(
        `the committed notebook's outputs are missing or stale${
          cell >= 0
            ? ` (code cell ${cell + 1}: committed "${saved[cell]}", now "${fresh[cell]}")`
            : ""
        }; run deno task notebooks --update and commit the result`,
      );
    }
  }
  return problems;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { update: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const update = values.update ?? false;
  const names = await notebookNames(positionals);
  if (!names.length) throw new Error(`no notebook matches ${positionals.join(" ")}`);

  await Deno.remove(BUILD, { recursive: true }).catch(() => {});
  const cacheDir = path(new URL("cache/", BUILD));
  await Deno.mkdir(cacheDir, { recursive: true });

  const server = await startFixtureServer();
  const env = {
    FACTORLAB_FRENCH_BASE_URL: server.frenchBase,
    FACTORLAB_YAHOO_BASE_URL: server.yahooBase,
    FACTORLAB_CACHE_DIR: cacheDir,
    FACTORLAB_OFFLINE: "",
    NO_COLOR: "1",
  };
  // Outputs must not carry this run's addresses or this machine's paths.
  const replacements: Replacement[] = [
    { from: server.frenchBase, to: "$FACTORLAB_FRENCH_BASE_URL" },
    { from: server.yahooBase, to: "$FACTORLAB_YAHOO_BASE_URL" },
    { from: server.url, to: "http://127.0.0.1:$PORT" },
    { from: cacheDir, to: "$FACTORLAB_CACHE_DIR" },
    { from: path(ROOT) + "/", to: "" },
    { from: path(ROOT), to: "." },
  ];

  let passed = 0;
  const failed: string[] = [];
  try {
    for (const name of names) {
      console.log(`--- ${name}`);
      const committed = await readNotebook(path(new URL(name, NOTEBOOKS)));
      let problems: string[];
      let executed: Notebook | undefined;
      try {
        executed = normalize(await execute(name, env), replacements);
        await writeNotebook(path(new URL(name, BUILD)), executed);
        problems = verify(name, executed, committed, update);
      } catch (error) {
        problems = [error instanceof Error ? error.message : String(error)];
      }
      if (problems.length) {
        failed.push(name);
        for (const problem of problems) console.log(`  FAIL ${problem}`);
      } else {
        passed++;
        if (update && executed) {
          await writeNotebook(path(new URL(name, NOTEBOOKS)), executed);
          console.log(`  updated notebooks/${name}`);
        }
      }
    }
  } finally {
    await server.close();
  }
  console.log(`\nExecuted notebooks are in build/notebooks/.`);
  if (failed.length) console.log(`Failed: ${failed.join(", ")}`);
  console.log(`notebooks: ${passed} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
