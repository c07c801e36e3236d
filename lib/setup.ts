/**
 * The first cell of every notebook: checks what a student's setup has and lacks, before anything
 * is downloaded, and says exactly what to do about each missing piece. It loads no npm package,
 * so it runs (and explains) even when nodejs-polars has not been downloaded yet.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { frenchBase, isHttpUrl, isOffline, yahooBase } from "./data/config.ts";
import { inJupyterKernel } from "./data/progress.ts";
import { Displayable, type Summary, Table } from "./display/mod.ts";

/** One line of a {@link SetupReport}. */
export interface SetupCheck {
  /** What was checked ("Deno", "Notebook kernel", …). */
  item: string;
  /** `"ok"`, `"missing"` (something to do) or `"note"` (information). */
  status: "ok" | "missing" | "note";
  /** What was found. */
  detail: string;
  /** What to do, when something is missing. */
  fix?: string;
}

/**
 * The result of {@link checkSetup}: a table of checks that displays itself in a notebook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SetupReport } from "./setup.ts";
 * const report = new SetupReport([{ item: "Deno", status: "ok", detail: "2.9.6" }]);
 * assert.equal(report.ready, true);
 * assert.match(report.toString(), /Deno +ok +2\.9\.6/);
 * ```
 */
export class SetupReport extends Displayable {
  /** The checks, in order. */
  readonly checks: readonly SetupCheck[];

  /** Wraps the checks. */
  constructor(checks: SetupCheck[]) {
    super();
    this.checks = checks;
  }

  /** True when nothing is missing. */
  get ready(): boolean {
    return this.checks.every((c) => c.status !== "missing");
  }

  /** The checks as a display table with a closing line. */
  table(): Table {
    const rows = this.checks.map((c) => [
      c.item,
      c.status,
      c.fix ? `${c.detail} → ${c.fix}` : c.detail,
    ]);
    return new Table([{ header: "check" }, { header: "status" }, { header: "detail" }], rows, {
      title: "factorlab setup",
      note: this.ready
        ? "Ready: run the next cells."
        : "Something is missing: do what the table says, then run this cell again.",
    });
  }

  /** The table as a summary: what the report prints and displays. */
  summary(): Summary {
    return this.table().summary();
  }
}

/** Options of {@link checkSetup}. */
export interface SetupOptions {
  /** How long to wait for each data source to answer, in ms (default 5000). */
  timeoutMs?: number;
}

const ROOT = new URL("../", import.meta.url);
const POLARS = "nodejs-polars@0.25.2";

/**
 * Checks the setup a notebook needs and says what to do about anything missing: the Deno version,
 * that it runs in Deno's Jupyter kernel, that the notebook was opened from the repository's
 * `notebooks/` folder (its cells import `../mod.ts`), whether the npm packages are downloaded yet
 * (the first import downloads them: about 65 MB), whether the Ken French library and Yahoo answer,
 * and whether the bundled samples are there to work offline. It downloads nothing.
 *
 * @param options How long to wait for each source.
 * @returns the checks, which display as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSetup } from "./setup.ts";
 * const report = await checkSetup({ timeoutMs: 1 });
 * assert.ok(report.checks.some((c) => c.item === "Deno" && c.status === "ok"));
 * ```
 */
export async function checkSetup(options: SetupOptions = {}): Promise<SetupReport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const major = Number(Deno.version.deno.split(".")[0]);
  return new SetupReport([
    major >= 2 ? { item: "Deno", status: "ok", detail: Deno.version.deno } : {
      item: "Deno",
      status: "missing",
      detail: `${Deno.version.deno} is too old`,
      fix: "run npx -y deno@2.9.6 jupyter --install and choose the Deno kernel again",
    },
    inJupyterKernel()
      ? { item: "Notebook kernel", status: "ok", detail: "Deno's Jupyter kernel" }
      : {
        item: "Notebook kernel",
        status: "note",
        detail: "not running in a notebook (fine for a script)",
      },
    where(),
    packages(),
    ...await sources(timeoutMs),
    samples(),
  ]);
}

function where(): SetupCheck {
  if (ROOT.protocol !== "file:") {
    return { item: "factorlab", status: "ok", detail: `imported from ${ROOT.href}` };
  }
  const root = fileURLToPath(ROOT).replace(/\/$/, "");
  let cwd = "";
  try {
    cwd = Deno.cwd();
  } catch {
    // No read permission for the working directory: nothing to compare.
  }
  if (cwd === `${root}/notebooks`) {
    return { item: "factorlab", status: "ok", detail: `notebooks/ of ${root}` };
  }
  return {
    item: "factorlab",
    status: "note",
    detail: `found at ${root}; this runs in ${cwd || "an unknown folder"}`,
    fix: `the notebooks import ../mod.ts: open them from ${root}/notebooks, or change that ` +
      `import to ${root}/mod.ts`,
  };
}

function packages(): SetupCheck {
  if (ROOT.protocol !== "file:") {
    return { item: "npm packages", status: "note", detail: "resolved by the importing project" };
  }
  const folder = fileURLToPath(new URL(`node_modules/.deno/${POLARS}`, ROOT));
  let present = false;
  try {
    present = Deno.statSync(folder).isDirectory;
  } catch {
    present = false;
  }
  return present
    ? { item: "npm packages", status: "ok", detail: `${POLARS} and plotly.js are downloaded` }
    : {
      item: "npm packages",
      status: "note",
      detail: "not downloaded yet: the next cell's first import downloads them once, about " +
        "65 MB (230 MB on disk; nodejs-polars in its glibc and musl builds, and plotly.js). " +
        "It takes a minute or two on a good connection",
    };
}

async function sources(timeoutMs: number): Promise<SetupCheck[]> {
  const offline = isOffline();
  const probes: [string, string, string][] = [
    ["Ken French library", frenchBase(), "data_library.html"],
    ["Yahoo Finance", yahooBase(), ""],
  ];
  return await Promise.all(probes.map(async ([item, base, path]): Promise<SetupCheck> => {
    if (!isHttpUrl(base)) return { item, status: "ok", detail: `local folder ${base}` };
    if (offline) {
      return { item, status: "note", detail: "offline mode (FACTORLAB_OFFLINE): not contacted" };
    }
    const answer = await reachable(`${base}/${path}`, timeoutMs);
    return answer === "ok" ? { item, status: "ok", detail: `${base} answers` } : {
      item,
      status: "missing",
      detail: `${base} does not answer (${answer})`,
      fix: "check the network, or set OFFLINE = true in the next cell to use the bundled samples",
    };
  }));
}

/** "ok" when the server answers at all (any HTTP status), else why not. */
async function reachable(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, {
      method: "HEAD",
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel();
    return "ok";
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return "no network permission: run with --allow-net";
    }
    if ((error as Error).name === "TimeoutError") return `no answer in ${timeoutMs / 1000} s`;
    return (error as Error).message.split("\n")[0];
  }
}

function samples(): SetupCheck {
  if (ROOT.protocol !== "file:") {
    return { item: "Bundled samples", status: "note", detail: "only in a local copy" };
  }
  try {
    Deno.statSync(fileURLToPath(new URL("data/samples/french", ROOT)));
    return {
      item: "Bundled samples",
      status: "ok",
      detail: "data/samples: OFFLINE = true in the next cell works without a network",
    };
  } catch {
    return {
      item: "Bundled samples",
      status: "note",
      detail: "data/samples is missing: offline work needs a complete clone",
    };
  }
}
