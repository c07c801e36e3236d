/**
 * Classic Notebook check (`deno task notebooks:classic`): Debian's Jupyter Notebook 6.4 served
 * on 127.0.0.1, driven in headless Chromium over the DevTools protocol the way a student uses
 * it: open each notebooks/*.ipynb, choose Kernel → "Restart & Run All" and confirm the dialog,
 * wait until every cell has run, count what the page shows. Each notebook is run `--runs` times
 * (default 3) in the same page.
 *
 * The notebooks download from the tests' loopback fixture server (data/samples in the Ken French
 * and Yahoo formats) through the library's environment variables, into a fresh cache under
 * build/classic/. The server serves the repository root, so the notebooks open where they are
 * and their `../mod.ts` imports resolve as for a student; they are never saved: autosave is
 * turned off in the page, every request that would write a notebook (anything but GET on
 * /api/contents) is failed by the browser before it leaves, and the check fails unless every
 * notebook file is byte for byte what it was before.
 *
 * Per run it counts code cells run, figures drawn (`.js-plotly-plot` with its SVG) against the
 * figures the committed notebook has, error outputs, outputs that differ in kind from the
 * committed notebook's cell at the same place (missing, extra, or under another cell), and the
 * largest WebSocket message the page received. A run fails when it does not finish within its
 * limit ("timed out"), a cell does not run, a figure is not drawn or is under the wrong cell, an
 * output errs, or a message reaches 1 MB. Other outputs under the wrong cell are printed as
 * warnings: Deno's kernel (2.9) sometimes labels a cell's last output with the next cell's request
 * when "Run All" has queued them all, which no notebook code can prevent (docs/notebooks.md). The
 * table is printed and written to
 * build/classic/results.md; the server's log is in build/classic/jupyter.log.
 *
 * Usage: deno task notebooks:classic [--runs N] [--timeout-minutes M] [name prefixes...]
 *
 * @module
 */

import { OfflineBrowser } from "../../lib/plot/chromium.ts";
import { CHROMIUM } from "../support/chromium.ts";
import { startFixtureServer } from "../support/fixture_server.ts";
import {
  type CellObservation,
  frameBytes,
  notebookOutputs,
  parseOptions,
  resultTable,
  type RunResult,
  shortfalls,
  summarizeRun,
  warnings,
} from "./classic.ts";
import { readNotebook } from "./notebook.ts";

const ROOT = new URL("../../", import.meta.url);
const NOTEBOOKS = new URL("notebooks/", ROOT);
const BUILD = new URL("build/classic/", ROOT);
/** Limit for the server to answer, the page to load and the kernel to connect. */
const START_TIMEOUT_MS = 180_000;
/** After the last cell finished, the page must be quiet this long before it is counted. */
const QUIET_MS = 3_000;
/** How long figures may take to draw once every cell has finished. */
const DRAW_TIMEOUT_MS = 120_000;
const POLL_MS = 1_000;

function path(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined, or fails with "timed out". */
async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s ${what()}`);
    }
    await sleep(POLL_MS);
  }
}

async function digest(file: URL): Promise<string> {
  const bytes = await Deno.readFile(file);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function notebookHashes(): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for await (const entry of Deno.readDir(NOTEBOOKS)) {
    if (entry.isFile) hashes.set(entry.name, await digest(new URL(entry.name, NOTEBOOKS)));
  }
  return hashes;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A running `jupyter notebook` server, its log going to build/classic/jupyter.log. */
interface NotebookServer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

async function startNotebookServer(env: Record<string, string>): Promise<NotebookServer> {
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const url = `http://127.0.0.1:${port}`;
  const log = await Deno.open(new URL("jupyter.log", BUILD), {
    write: true,
    create: true,
    truncate: true,
  });
  const process = new Deno.Command("jupyter", {
    args: [
      "notebook",
      "--no-browser",
      "--allow-root",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${path(ROOT)}`,
      // Opening a notebook makes an empty checkpoint folder beside it; keep it out of notebooks/.
      `--FileCheckpoints.checkpoint_dir=${path(new URL("checkpoints/", BUILD))}`,
    ],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = log.writable.getWriter();
  const drain = (stream: ReadableStream<Uint8Array>) =>
    (async () => {
      for await (const chunk of stream) await writer.write(chunk);
    })();
  const drained = Promise.all([drain(process.stdout), drain(process.stderr)])
    .finally(() => writer.close().catch(() => {}));
  let exited = false;
  const status = process.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      await fetch(`${url}/api/shutdown`, {
        method: "POST",
        headers: { Authorization: `token ${token}` },
      }).then((r) => r.body?.cancel()).catch(() => {});
      const timer = setTimeout(() => {
        try {
          process.kill("SIGKILL");
        } catch {
          // already exited
        }
      }, 60_000);
      await status;
      clearTimeout(timer);
    }
    await drained;
  };
  try {
    await until(
      async () => {
        if (exited) {
          throw new Error(`jupyter notebook exited before serving; see ${path(BUILD)}/jupyter.log`);
        }
        const response = await fetch(`${url}/api/status`, {
          headers: { Authorization: `token ${token}` },
        }).catch(() => undefined);
        await response?.body?.cancel();
        return response?.ok ? true : undefined;
      },
      START_TIMEOUT_MS,
      () => `waiting for jupyter notebook to answer on ${url} (log: build/classic/jupyter.log)`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, token, stop };
}

/** Runs in the page: counters of the cells the notebook sends to the kernel and sees finish. */
const INSTALL_COUNTERS = `(() => {
  const state = window.__classicCheck;
  if (!state) {
    const fresh = window.__classicCheck = { executed: 0, finished: 0 };
    Jupyter.notebook.events.on("execute.CodeCell", () => fresh.executed++);
    Jupyter.notebook.events.on("finished_execute.CodeCell", () => fresh.finished++);
  } else {
    state.executed = 0;
    state.finished = 0;
  }
  return true;
})()`;

/** Runs in the page: where the run is. */
const PROGRESS = `(() => {
  const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
  const state = window.__classicCheck;
  return {
    withCode: cells.filter((c) => c.get_text().trim().length > 0).length,
    running: cells.filter((c) => c.input_prompt_number === "*").length,
    executed: state.executed,
    finished: state.finished,
    busy: Jupyter.notebook.kernel_busy,
    errors: cells.filter((c) => c.output_area.outputs.some((o) => o.output_type === "error")).length,
    figures: cells.reduce((n, c) => n + c.output_area.outputs.filter((o) =>
      o.data && "application/vnd.plotly.v1+json" in o.data).length, 0),
    drawn: [...document.querySelectorAll(".js-plotly-plot")]
      .filter((p) => p.querySelector("svg.main-svg")).length,
  };
})()`;

interface Progress {
  withCode: number;
  running: number;
  executed: number;
  finished: number;
  busy: boolean;
  errors: number;
  figures: number;
  drawn: number;
}

/** Runs in the page: the code cells, their outputs and the figures drawn in them. */
const OBSERVE =
  `(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").map((cell) => ({
  prompt: cell.input_prompt_number ?? null,
  hasCode: cell.get_text().trim().length > 0,
  outputs: cell.output_area.outputs.map((o) => {
    const html = o.data ? o.data["text/html"] : undefined;
    return {
      output_type: o.output_type,
      name: o.name,
      mimes: o.data ? Object.keys(o.data) : undefined,
      htmlHead: Array.isArray(html) ? html.join("").slice(0, 200) : String(html ?? "").slice(0, 200),
      piece: !!(o.metadata && "factorlab_plotly_piece" in o.metadata),
      ename: o.ename,
      evalue: o.evalue,
    };
  }),
  drawn: [...cell.output_area.element[0].querySelectorAll(".js-plotly-plot")]
    .filter((p) => p.querySelector("svg.main-svg")).length,
})))()`;

/** Runs in the page: clicks the confirm button of the "Restart & Run All" dialog, if shown. */
const CONFIRM = `(() => {
  const button = [...document.querySelectorAll(".modal .modal-footer button")]
    .find((b) => b.textContent.trim() === "Restart and Run All Cells" && b.offsetParent !== null);
  if (!button) return false;
  button.click();
  return true;
})()`;

/** Fails every request that would write a notebook; counts them. */
function guardSaves(browser: OfflineBrowser): { blocked: string[] } {
  const guard = { blocked: [] as string[] };
  browser.onEvent((method, params) => {
    if (method !== "Fetch.requestPaused") return;
    const request = params.request as { method: string; url: string };
    if (request.method === "GET") {
      browser.send("Fetch.continueRequest", { requestId: params.requestId }).catch(() => {});
    } else {
      guard.blocked.push(`${request.method} ${new URL(request.url).pathname}`);
      browser.send("Fetch.failRequest", {
        requestId: params.requestId,
        errorReason: "BlockedByClient",
      }).catch(() => {});
    }
  });
  return guard;
}

async function runOnce(
  browser: OfflineBrowser,
  name: string,
  run: number,
  reference: ReturnType<typeof notebookOutputs>,
  timeoutMs: number,
): Promise<RunResult> {
  let largestMessage = 0;
  let messages = 0;
  let lastFrame = performance.now();
  const stopListening = browser.onEvent((method, params) => {
    if (method !== "Network.webSocketFrameReceived") return;
    messages++;
    lastFrame = performance.now();
    const bytes = frameBytes(params.response as { opcode?: number; payloadData?: string });
    largestMessage = Math.max(largestMessage, bytes);
  });
  await browser.evaluate(INSTALL_COUNTERS);
  let progress: Progress | undefined;
  let failure: string | undefined;
  const started = performance.now();
  let finishedAt: number | undefined;
  try {
    await browser.evaluate(
      `Jupyter.actions.call("jupyter-notebook:confirm-restart-kernel-and-run-all-cells"), true`,
    );
    await until(
      async () => (await browser.evaluate<boolean>(CONFIRM)) || undefined,
      START_TIMEOUT_MS,
      () => `waiting for the "Restart and Run All Cells" dialog`,
    );
    await until(
      async () => {
        progress = await browser.evaluate<Progress>(PROGRESS);
        const done = progress.executed >= progress.withCode && progress.running === 0 &&
          progress.finished >= progress.executed && !progress.busy;
        // A failing cell stops the run (classic Notebook aborts the cells after it).
        const stopped = progress.executed > 0 && progress.errors > 0 && !progress.busy &&
          progress.running === 0;
        return done || stopped ? true : undefined;
      },
      timeoutMs,
      () =>
        `waiting for "Restart & Run All" of ${name} (run ${run}) to finish: ` +
        (progress
          ? `${progress.finished} of ${progress.withCode} code cells finished, ` +
            `${progress.running} still marked running, kernel ${progress.busy ? "busy" : "idle"}`
          : "no progress read from the page"),
    );
    finishedAt = performance.now();
    // Late outputs and figure drawing: wait for a quiet page with every figure received drawn.
    await until(
      async () => {
        progress = await browser.evaluate<Progress>(PROGRESS);
        const quiet = performance.now() - lastFrame >= QUIET_MS;
        return quiet && progress.drawn >= progress.figures ? true : undefined;
      },
      DRAW_TIMEOUT_MS,
      () =>
        `waiting for ${name} (run ${run}) to draw its figures: ` +
        `${progress?.drawn} of ${progress?.figures} drawn`,
    ).catch((error) => {
      failure = (error as Error).message;
    });
  } catch (error) {
    failure = (error as Error).message;
  }
  const seconds = ((finishedAt ?? performance.now()) - started) / 1000;
  const cells = await browser.evaluate<CellObservation[]>(OBSERVE).catch(() => []);
  stopListening();
  return summarizeRun(
    { notebook: name, run, largestMessage, messages, seconds, failure },
    reference,
    cells,
  );
}

async function checkNotebook(
  browser: OfflineBrowser,
  server: NotebookServer,
  name: string,
  runs: number,
  timeoutMs: number,
): Promise<RunResult[]> {
  const reference = notebookOutputs(await readNotebook(path(new URL(name, NOTEBOOKS))));
  await browser.load(
    `${server.url}/notebooks/notebooks/${encodeURIComponent(name)}?token=${server.token}`,
  );
  await until(
    async () =>
      (await browser.evaluate<boolean>(
        `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
            Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`,
      )) || undefined,
    START_TIMEOUT_MS,
    () => `waiting for ${name} to open with its kernel connected`,
  );
  // The check never saves: no autosave, and the page is told it has nothing to save on leaving.
  await browser.evaluate(`Jupyter.notebook.set_autosave_interval(0), true`);
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const result = await runOnce(browser, name, run, reference, timeoutMs);
      results.push(result);
      const problems = shortfalls(result);
      const notes = warnings(result);
      console.log(
        `  run ${run}: ${result.executed}/${result.codeCells} cells, figures ` +
          `${result.figuresDrawn}/${result.figuresExpected}, largest message ` +
          `${Math.round(result.largestMessage / 1024)} KB, ${result.seconds.toFixed(1)} s` +
          (problems.length ? `\n    FAIL ${problems.join("\n    FAIL ")}` : ", ok") +
          (notes.length ? `\n    WARN ${notes.join("\n    WARN ")}` : ""),
      );
      if (result.failure?.startsWith("timed out")) break;
    }
  } finally {
    const session = await browser.evaluate<string>(
      `(Jupyter.notebook.set_dirty(false), Jupyter.notebook.session.id)`,
    ).catch(() => "");
    if (session) {
      await fetch(`${server.url}/api/sessions/${session}`, {
        method: "DELETE",
        headers: { Authorization: `token ${server.token}` },
      }).then((r) => r.body?.cancel()).catch(() => {});
    }
    await browser.load("about:blank").catch(() => {});
  }
  return results;
}

async function main(): Promise<number> {
  const { runs, timeoutMs, prefixes } = parseOptions(Deno.args);
  const names = [...(await notebookHashes()).keys()]
    .filter((name) => name.endsWith(".ipynb"))
    .filter((name) => !prefixes.length || prefixes.some((prefix) => name.startsWith(prefix)))
    .sort();
  if (!names.length) throw new Error(`no notebook in notebooks/ matches ${prefixes.join(" ")}`);
  const before = await notebookHashes();
  const checkpointsBefore = await Deno.stat(new URL(".ipynb_checkpoints", NOTEBOOKS))
    .then(() => true, () => false);

  await Deno.remove(BUILD, { recursive: true }).catch(() => {});
  for (const dir of ["cache", "runtime", "config", "checkpoints"]) {
    await Deno.mkdir(new URL(`${dir}/`, BUILD), { recursive: true });
  }
  const fixtures = await startFixtureServer();
  const results: RunResult[] = [];
  const problems: string[] = [];
  let blockedSaves: string[] = [];
  try {
    const server = await startNotebookServer({
      FACTORLAB_FRENCH_BASE_URL: fixtures.frenchBase,
      FACTORLAB_YAHOO_BASE_URL: fixtures.yahooBase,
      FACTORLAB_CACHE_DIR: path(new URL("cache/", BUILD)),
      FACTORLAB_OFFLINE: "",
      NO_COLOR: "1",
      // The server's own files and an empty configuration, so no user setting changes the run.
      JUPYTER_RUNTIME_DIR: path(new URL("runtime/", BUILD)),
      JUPYTER_CONFIG_DIR: path(new URL("config/", BUILD)),
    });
    try {
      const browser = await OfflineBrowser.launch({
        executable: CHROMIUM,
        loopback: true,
        tempDir: path(BUILD),
        timeoutMs: START_TIMEOUT_MS,
      });
      try {
        const guard = guardSaves(browser);
        await browser.send("Fetch.enable", {
          patterns: [{ urlPattern: "*/api/contents/*", requestStage: "Request" }],
        });
        // Leaving a page with unsaved outputs asks first; leave without saving.
        browser.onEvent((method) => {
          if (method === "Page.javascriptDialogOpening") {
            browser.send("Page.handleJavaScriptDialog", { accept: true }).catch(() => {});
          }
        });
        for (const name of names) {
          console.log(`--- ${name}`);
          try {
            results.push(...await checkNotebook(browser, server, name, runs, timeoutMs));
          } catch (error) {
            problems.push(`${name}: ${(error as Error).message}`);
            console.log(`  FAIL ${(error as Error).message}`);
          }
        }
        blockedSaves = guard.blocked;
        if (browser.blocked.length) {
          console.log(`requests off the loopback, blocked: ${browser.blocked.join(", ")}`);
        }
        if (browser.errors.length) {
          console.log(`page script errors:\n  ${browser.errors.join("\n  ")}`);
        }
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await fixtures.close();
  }

  const after = await notebookHashes();
  for (const [name, hash] of before) {
    if (after.get(name) !== hash) problems.push(`notebooks/${name} changed during the check`);
  }
  for (const name of after.keys()) {
    if (!before.has(name)) problems.push(`notebooks/${name} appeared during the check`);
  }
  const checkpoints = new URL(".ipynb_checkpoints", NOTEBOOKS);
  if (!checkpointsBefore && await Deno.stat(checkpoints).then(() => true, () => false)) {
    problems.push("notebooks/.ipynb_checkpoints appeared during the check");
  }
  if (blockedSaves.length) {
    console.log(`save requests the browser blocked: ${blockedSaves.join(", ")}`);
  }

  const table = resultTable(results);
  console.log(`\n${table.join("\n")}`);
  await Deno.writeTextFile(new URL("results.md", BUILD), table.join("\n") + "\n");
  const failed = results.filter((result) => shortfalls(result).length);
  for (const problem of problems) console.log(`FAIL ${problem}`);
  console.log(
    `classic Notebook: ${results.length - failed.length} of ${results.length} runs passed` +
      ` (${names.length} notebooks × ${runs} runs)`,
  );
  return failed.length || problems.length || results.length < names.length * runs ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
