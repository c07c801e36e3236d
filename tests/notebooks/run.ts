/**
 * Notebook runner (`deno task notebooks`): executes every notebooks/*.ipynb top to bottom in the
 * real Deno Jupyter kernel (Debian's nbclient, see execute.py; kernel "deno") against the loopback
 * fixture server, which serves data/samples in the real Ken French and Yahoo formats. The
 * library is pointed at it only through its public environment variables, with a fresh cache.
 *
 * A notebook fails when its code cells do not type-check, when a cell errors, when it writes an
 * error to stderr, when one of its checks in checks.ts fails, or when its committed outputs are
 * not what a fresh run gives (ignoring the run time printed in summaries; figures are compared by
 * their plotly spec and text) or not lean (see figures.ts).
 *
 * The executed notebooks in build/notebooks/ keep what the kernel displayed, plotly.js included,
 * for the browser check. The committed ones carry each figure as its spec, a PNG drawn in
 * offline headless Chromium, a static HTML fragment showing the PNG, and its text (figures.ts).
 *
 * Usage:
 *   deno task notebooks                 # execute into build/notebooks/, check, leave notebooks/ alone
 *   deno task notebooks --update        # also write the executed notebooks back to notebooks/,
 *                                       # figures lean, with PNGs of the figures that changed
 *   deno task notebooks 01 03           # only the notebooks whose names start with these
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startFixtureServer } from "../support/fixture_server.ts";
import { CHECKS } from "./checks.ts";
import { FigureImageRenderer, leanFigures, leanProblems } from "./figures.ts";
import {
  changedCells,
  ExecutedNotebook,
  joinText,
  keepUnchangedOutputs,
  normalize,
  type Notebook,
  readNotebook,
  type Replacement,
  stripAnsi,
  writeNotebook,
} from "./notebook.ts";

const ROOT = new URL("../../", import.meta.url);
const NOTEBOOKS = new URL("notebooks/", ROOT);
const BUILD = new URL("build/notebooks/", ROOT);
/** A committed notebook must stay below this size (lean figure outputs, see figures.ts). */
const MAX_COMMITTED_BYTES = 1_000_000;
/** Whole-notebook limit; single cells are limited to 600 s by execute.py. */
const NOTEBOOK_TIMEOUT_MS = 20 * 60_000;

/** Debian's Python, which has nbclient; the first python3 on PATH may be another one. */
const PYTHON = "/usr/bin/python3";
const EXECUTE_PY = new URL("execute.py", import.meta.url);

function path(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

/** The limit of a command without its own (the type check of every notebook's cells). */
const COMMAND_TIMEOUT_MS = 20 * 60_000;

async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Every process gets a limit, wide for a loaded machine, and a message that says "timed out".
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(command, {
      args,
      cwd: options.cwd,
      env: options.env,
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
  } catch (error) {
    if (!signal.aborted) throw error;
    result = {
      code: 1,
      signal: null,
      success: false,
      stdout: new Uint8Array(),
      stderr: new Uint8Array(),
    };
  }
  if (signal.aborted) {
    throw new Error(
      `timed out after ${Math.round(timeoutMs / 1000)} s: ${command} ${
        args.slice(0, 3).join(" ")
      }…`,
    );
  }
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

/**
 * Deno's kernel (2.9) sometimes sends an IOPub message whose signature does not match (seen in
 * about one notebook run in 20, at random cells); the client then stops. Such runs are retried;
 * errors in the notebook's own cells are not.
 */
const KERNEL_PROTOCOL_ERROR = /Invalid Signature|DeadKernelError|Kernel died/;
const ATTEMPTS = 3;

/** Executes one notebook into build/notebooks/executed/ and returns it as executed. */
async function execute(name: string, env: Record<string, string>): Promise<Notebook> {
  const outDir = path(new URL("executed/", BUILD));
  await Deno.mkdir(outDir, { recursive: true });
  const target = `${outDir}/${name}`;
  for (let attempt = 1;; attempt++) {
    const started = performance.now();
    const result = await run(PYTHON, [
      path(EXECUTE_PY),
      path(new URL(name, NOTEBOOKS)),
      target,
      path(NOTEBOOKS),
    ], { env, timeoutMs: NOTEBOOK_TIMEOUT_MS });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.code === 0) {
      console.log(`  executed in ${seconds} s`);
      return await readNotebook(target);
    }
    const protocol = KERNEL_PROTOCOL_ERROR.exec(result.stderr);
    if (!protocol || attempt === ATTEMPTS) {
      throw new Error(`could not execute ${name} (exit ${result.code}):\n${result.stderr.trim()}`);
    }
    console.log(`  kernel protocol error (${protocol[0]}) after ${seconds} s; running it again`);
  }
}

/**
 * Type-checks each notebook's code cells, joined in order into one module (the kernel runs them
 * without type checking, so an API change could otherwise slip through as `undefined`). The
 * modules go to a temporary folder under data/, two levels below the project like the notebooks'
 * own `../` imports expect. Returns the problems by notebook.
 */
async function typeCheck(names: string[]): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>();
  await Deno.mkdir(new URL("data/", ROOT), { recursive: true });
  const dir = await Deno.makeTempDir({
    dir: path(new URL("data/", ROOT)),
    prefix: "notebook-check-",
  });
  try {
    const files = [];
    for (const name of names) {
      const notebook = await readNotebook(path(new URL(name, NOTEBOOKS)));
      const code = notebook.cells.filter((cell) => cell.cell_type === "code")
        .map((cell) =>
          joinText(cell.source).replaceAll('from "../', 'from "../../')
            .replaceAll('import("../', 'import("../../')
        );
      const file = `${dir}/${name.replace(/\.ipynb$/, ".ts")}`;
      await Deno.writeTextFile(file, code.join("\n\n") + "\n");
      files.push(file);
    }
    const result = await run("deno", ["check", "--quiet", ...files]);
    if (result.code !== 0) {
      // deno check stops at the first failing module graph; name the notebooks it mentions.
      const output = stripAnsi(result.stderr + result.stdout).replaceAll(`file://${dir}/`, "")
        .replaceAll(`${dir}/`, "");
      const blamed = names.filter((name) => output.includes(name.replace(/\.ipynb$/, ".ts")));
      for (const name of blamed.length ? blamed : names) {
        problems.set(name, [`type check of the code cells failed:\n${output.trim()}`]);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return problems;
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
    problems.push(...leanProblems(committed));
    const unexecuted = committed.cells.some((c) => c.cell_type === "code" && !c.execution_count);
    const changed = changedCells(committed, executed);
    if (unexecuted || changed.length) {
      problems.push(
        `the committed notebook's outputs are ${
          unexecuted
            ? "missing"
            : `not what the code gives now (code cell(s) ${changed.join(", ")})`
        }; run deno task notebooks --update and commit the result`,
      );
    }
  }
  return problems;
}

/** The committed file's size, logged; a problem when it is not lean. */
async function sizeProblems(name: string): Promise<string[]> {
  const { size } = await Deno.stat(new URL(name, NOTEBOOKS));
  console.log(`  notebooks/${name}: ${Math.round(size / 1024)} KB`);
  return size < MAX_COMMITTED_BYTES
    ? []
    : [`notebooks/${name} is ${size} bytes; committed notebooks must stay under 1 MB`];
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
  const typeProblems = await typeCheck(names);

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
  const renderer = new FigureImageRenderer({
    executable: "/usr/bin/chromium",
    tempDir: path(new URL("png/", BUILD)),
  });
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
      problems.unshift(...typeProblems.get(name) ?? []);
      if (!update) problems.push(...await sizeProblems(name));
      if (!problems.length && update && executed) {
        try {
          const lean = await leanFigures(keepUnchangedOutputs(executed, committed), renderer);
          await writeNotebook(path(new URL(name, NOTEBOOKS)), lean.notebook);
          console.log(
            `  updated notebooks/${name}` +
              (lean.rendered ? ` (${lean.rendered} figure(s) drawn to PNG)` : ""),
          );
          problems.push(...await sizeProblems(name));
        } catch (error) {
          problems.push(
            `could not write the lean notebook: ${error instanceof Error ? error.message : error}`,
          );
        }
      }
      if (problems.length) {
        failed.push(name);
        for (const problem of problems) console.log(`  FAIL ${problem}`);
      } else {
        passed++;
      }
    }
  } finally {
    await renderer.close();
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
