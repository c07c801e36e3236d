/**
 * `deno task bench`: factorlab side by side with statsmodels, pandas and numpy (Debian's
 * python3 packages, installed with apt-get when missing), on the same synthetic data in the same
 * run on the same machine, so the ratios hold on a noisy machine.
 *
 * 1. One FF3 fit, 132 × 4, with the full summary text vs `sm.OLS(...).fit().summary()`.
 * 2. 5,000 assets × 240 months × (6 factors + const), params and bse of every asset:
 *    `analyzeMany` vs a loop of `sm.OLS` and vs numpy `lstsq` on all columns at once.
 * 3. Rolling 36-month regressions, 2,000 assets × 480 months × 3 factors vs `RollingOLS`.
 * 4. 20 years of daily prices of 1,000 tickers (5.2M rows, long) → month-end returns → join with
 *    the factors on period: polars vs pandas `resample().last().pct_change()` + `merge`.
 * 5. Cold start: `import "./mod.ts"` in a fresh process; the first FF3 summary from the cache in
 *    a fresh process (`deno task analyze … --offline`).
 *
 * Every measurement runs in its own process (bench/factorlab_tasks.ts, bench/reference.py):
 * warm-up runs, then the best of several runs. Then the scaling check (twice the assets of tasks
 * 2–4 must take at most 2.2 times as long) and peak memory of tasks 2 and 4. Prints a table and
 * writes `bench/latest.json` (`[{ task, factorlab_s, reference, reference_s, ratio }]`, ratio =
 * reference_s / factorlab_s) and every figure to `build/bench/details.json`.
 *
 * Options: `--tasks 1,2,3,4,5` (a subset), `--runs N` (timed runs of the fast tasks, default 7).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startColdServer, writeColdCsv } from "./cold.ts";
import { COLD, DATA_DIR, generate, readMeta } from "./data.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    tasks: { type: "string", default: "1,2,3,4,5" },
    runs: { type: "string", default: "7" },
  },
});
const chosen = new Set(values.tasks.split(",").map((t) => t.trim()));
const RUNS = Number(values.runs);
const PYTHON = "/usr/bin/python3";
const decoder = new TextDecoder();

// ---------------------------------------------------------------------------------------------
// Processes

async function run(
  command: string,
  args: string[],
  env?: Record<string, string>,
): Promise<{ stdout: string; seconds: number }> {
  const t0 = performance.now();
  const out = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${out.code}):\n${decoder.decode(out.stderr)}`,
    );
  }
  return { stdout: decoder.decode(out.stdout), seconds };
}

/** Flags of the factorlab task processes: the project (read only) and polars' native addon. */
const TASK_FLAGS = [
  "run",
  "--allow-read=.",
  "--allow-ffi=./node_modules",
  "--allow-sys=cpus,networkInterfaces,osRelease,hostname",
  "--v8-flags=--expose-gc",
];
/** Flags of `deno task analyze` for reading the cache. */
const CLI_FLAGS = [
  "run",
  "--allow-read=.",
  "--allow-write=build/bench",
  "--allow-net=127.0.0.1",
  "--allow-env=FACTORLAB_FRENCH_BASE_URL,FACTORLAB_YAHOO_BASE_URL,FACTORLAB_CACHE_DIR,FACTORLAB_OFFLINE",
  "--allow-ffi=./node_modules",
  "--allow-sys=cpus,networkInterfaces,osRelease,hostname",
];

interface Timing {
  task: string;
  assets: number;
  times: number[];
}
interface Memory {
  task: string;
  assets: number;
  inputBytes?: number;
  baselineRss: number;
  peakRss: number;
}

function options(o: { assets?: number; warmup?: number; runs?: number; memory?: boolean }) {
  const args: string[] = [];
  if (o.assets !== undefined) args.push("--assets", String(o.assets));
  if (o.warmup !== undefined) args.push("--warmup", String(o.warmup));
  if (o.runs !== undefined) args.push("--runs", String(o.runs));
  if (o.memory) args.push("--memory");
  return args;
}

async function factorlab(
  task: string,
  o: Parameters<typeof options>[0] = {},
): Promise<Timing & Memory> {
  const command = ["deno", ...TASK_FLAGS, "bench/factorlab_tasks.ts", task, ...options(o)];
  // Peak memory is read from /proc by a Python watcher: Deno keeps /proc from sandboxed scripts.
  const { stdout } = o.memory
    ? await run(PYTHON, ["bench/memwatch.py", ...command])
    : await run(command[0], command.slice(1));
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

async function python(
  task: string,
  o: Parameters<typeof options>[0] = {},
): Promise<Timing & Memory> {
  const { stdout } = await run(PYTHON, ["bench/reference.py", task, ...options(o)]);
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

const best = (t: { times: number[] }) => Math.min(...t.times);

/** Best wall time of fresh processes, after one untimed process (compile and disk caches). */
async function processTime(
  command: string,
  args: string[],
  runs: number,
  env?: Record<string, string>,
  check?: (stdout: string) => void,
): Promise<{ times: number[] }> {
  check?.((await run(command, args, env)).stdout);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await run(command, args, env)).seconds);
  return { times };
}

// ---------------------------------------------------------------------------------------------
// The Python side

async function ensurePython(): Promise<string> {
  const probe = [
    "-c",
    "import statsmodels, pandas, numpy, sys; " +
    "print(sys.version.split()[0], statsmodels.__version__, pandas.__version__, numpy.__version__)",
  ];
  try {
    return (await run(PYTHON, probe)).stdout.trim();
  } catch {
    console.log(
      "Installing the Python reference from Debian (python3-statsmodels, -pandas, -numpy)…",
    );
  }
  const packages = ["install", "-y", "python3-statsmodels", "python3-pandas", "python3-numpy"];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", packages, env);
  } catch {
    await run("apt-get", ["update"], env);
    await run("apt-get", packages, env);
  }
  return (await run(PYTHON, probe)).stdout.trim();
}

// ---------------------------------------------------------------------------------------------
// Tasks

interface Row {
  task: string;
  factorlab_s: number;
  reference: string;
  reference_s: number;
  ratio: number;
}
interface Check {
  what: string;
  value: string;
  target: string;
  met?: boolean;
}

const rows: Row[] = [];
const checks: Check[] = [];
const scaling: { task: string; assets: number; seconds: number; doubled: number; ratio: number }[] =
  [];
const memory: {
  task: string;
  side: string;
  inputMB?: number;
  baselineMB: number;
  peakExtraMB: number;
  copies?: number;
}[] = [];
const details: Record<string, unknown> = {};

function row(task: string, fl: number, reference: string, ref: number): Row {
  const r = { task, factorlab_s: fl, reference, reference_s: ref, ratio: ref / fl };
  rows.push(r);
  return r;
}

function check(what: string, value: string, target: string, met: boolean): void {
  checks.push({ what, value, target, met });
}

/** A figure shown with the targets that is not one of them. */
function info(what: string, value: string): void {
  checks.push({ what, value, target: "(information)" });
}

const fmtTime = (s: number) =>
  s >= 1
    ? `${s.toFixed(2)} s`
    : s >= 1e-3
    ? `${(s * 1e3).toFixed(1)} ms`
    : `${(s * 1e6).toFixed(0)} µs`;
const MB = (b: number) => b / 2 ** 20;

/** Twice the assets, with the warm-up and runs of the task's own measurement. */
async function scale(
  task: string,
  assets: number,
  seconds: number,
  runs: number,
  warmup: number,
): Promise<void> {
  const doubled = best(await factorlab(task, { assets: 2 * assets, warmup, runs }));
  const ratio = doubled / seconds;
  scaling.push({ task, assets, seconds, doubled, ratio });
  check(
    `scaling ${task}: ${assets} → ${2 * assets} assets`,
    `×${ratio.toFixed(2)}`,
    "≤ ×2.2",
    ratio <= 2.2,
  );
}

async function peak(task: string, side: "factorlab" | "python", pyTask?: string): Promise<void> {
  const m = side === "factorlab"
    ? await factorlab(task, { memory: true })
    : await python(pyTask!, { memory: true });
  const extra = m.peakRss - m.baselineRss;
  const entry = {
    task,
    side: side === "factorlab" ? "factorlab" : pyTask!,
    inputMB: m.inputBytes === undefined ? undefined : MB(m.inputBytes),
    baselineMB: MB(m.baselineRss),
    peakExtraMB: MB(extra),
    copies: m.inputBytes === undefined ? undefined : extra / m.inputBytes,
  };
  memory.push(entry);
  if (side === "factorlab") {
    check(
      `memory ${task}: peak above the loaded input`,
      `${entry.peakExtraMB.toFixed(0)} MB = ${entry.copies!.toFixed(2)} × input (${
        entry.inputMB!.toFixed(0)
      } MB)`,
      "≤ 3 copies",
      entry.copies! <= 3,
    );
  }
}

const pythonVersions = await ensurePython();
if (await generate()) console.log(`Generated the benchmark data in ${DATA_DIR}.`);
const meta = await readMeta();

if (chosen.has("1")) {
  const fl = await factorlab("ols", { warmup: 20, runs: 50 * RUNS });
  const py = await python("ols", { warmup: 5, runs: 10 * RUNS });
  const r = row(
    "1. FF3 fit 132×4 + full summary text",
    best(fl),
    "statsmodels OLS().fit().summary()",
    best(py),
  );
  check("1. vs statsmodels", `×${r.ratio.toFixed(1)}`, "≥ ×1", r.ratio >= 1);
  details.ols = { factorlab: fl, python: py };
}

if (chosen.has("2")) {
  const n = meta.many.assets;
  const fl = await factorlab("many", { warmup: 8, runs: RUNS });
  const flFrame = await factorlab("many-frame", { warmup: 8, runs: RUNS });
  const loop = await python("many-loop", { warmup: 1, runs: 3 });
  const lstsq = await python("many-lstsq", { warmup: 3, runs: RUNS });
  const lstsqFrame = await python("many-frame-lstsq", { warmup: 3, runs: RUNS });
  const label = `2. ${n.toLocaleString("en")} assets × 240 × 7, params + bse`;
  const a = row(label, best(fl), "statsmodels OLS loop", best(loop));
  const b = row(label, best(fl), "numpy lstsq, all columns", best(lstsq));
  const c = row(
    `${label}, from a polars frame`,
    best(flFrame),
    "numpy lstsq from a pandas frame",
    best(lstsqFrame),
  );
  check("2. vs statsmodels loop", `×${a.ratio.toFixed(1)}`, "≥ ×10", a.ratio >= 10);
  check("2. vs numpy lstsq", `×${b.ratio.toFixed(2)}`, "≥ ×0.5 (within 2×)", b.ratio >= 0.5);
  info("2. from frames: vs numpy lstsq from pandas", `×${c.ratio.toFixed(2)}`);
  await scale("many", n, best(fl), RUNS, 8);
  await peak("many", "factorlab");
  await peak("many", "python", "many-lstsq");
  details.many = { factorlab: fl, factorlabFrame: flFrame, loop, lstsq, lstsqFrame };
}

if (chosen.has("3")) {
  const n = meta.rolling.assets;
  const fl = await factorlab("rolling", { warmup: 3, runs: RUNS });
  const each = await factorlab("rolling-each", { warmup: 2, runs: Math.min(RUNS, 5) });
  const py = await python("rolling", { warmup: 0, runs: 2 });
  const label = `3. rolling 36m, ${n.toLocaleString("en")} assets × 480 × 4`;
  const r = row(`${label} (rollingOlsMany)`, best(fl), "statsmodels RollingOLS loop", best(py));
  const e = row(`${label} (rollingOls each)`, best(each), "statsmodels RollingOLS loop", best(py));
  check("3. vs RollingOLS", `×${r.ratio.toFixed(0)}`, "≥ ×10", r.ratio >= 10);
  check(
    "3. one rollingOls per asset vs RollingOLS",
    `×${e.ratio.toFixed(0)}`,
    "≥ ×10",
    e.ratio >= 10,
  );
  await scale("rolling", n, best(fl), RUNS, 3);
  details.rolling = { factorlab: fl, each, python: py };
}

if (chosen.has("4")) {
  const n = meta.prices.tickers;
  const fl = await factorlab("datapath", { warmup: 1, runs: Math.min(RUNS, 5) });
  const py = await python("datapath", { warmup: 1, runs: Math.min(RUNS, 5) });
  const rowsIn = (n * meta.prices.dates.length / 1e6).toFixed(1);
  const r = row(
    `4. ${rowsIn}M daily rows → monthly → join`,
    best(fl),
    "pandas pivot, resample().last().pct_change(), merge",
    best(py),
  );
  check("4. vs pandas", `×${r.ratio.toFixed(1)}`, "≥ ×2", r.ratio >= 2);
  await scale("datapath", n, best(fl), Math.min(RUNS, 5), 1);
  await peak("datapath", "factorlab");
  await peak("datapath", "python", "datapath");
  details.datapath = { factorlab: fl, python: py };
}

if (chosen.has("5")) {
  const runs = Math.max(RUNS, 5);
  const empty = await processTime("deno", ["run", "bench/cold_empty.ts"], runs);
  const imports = await processTime("deno", [...TASK_FLAGS, "bench/cold_import.ts"], runs);
  const pyImport = await processTime(PYTHON, ["-c", "import pandas, statsmodels.api"], runs);
  const a = row(
    "5. import mod.ts, fresh process",
    best(imports),
    "python3 -c 'import pandas, statsmodels.api'",
    best(pyImport),
  );
  check("5. import in a fresh process", fmtTime(a.factorlab_s), "< 300 ms", a.factorlab_s < 0.3);

  const cacheDir = "build/bench/cache";
  await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
  const server = await startColdServer(meta);
  const env = {
    FACTORLAB_FRENCH_BASE_URL: server.frenchBase,
    FACTORLAB_YAHOO_BASE_URL: server.yahooBase,
    FACTORLAB_CACHE_DIR: cacheDir,
  };
  const analyze = [
    ...CLI_FLAGS,
    "cli.ts",
    "analyze",
    COLD.ticker,
    "--start",
    COLD.start,
    "--end",
    COLD.end,
  ];
  try {
    await run("deno", analyze, env); // online once: fills the cache
  } finally {
    await server.close();
  }
  const offline = [...analyze, "--offline"];
  const summary = await processTime("deno", offline, runs, env, (out) => {
    if (!out.includes("OLS Regression Results")) throw new Error(`no summary in:\n${out}`);
  });
  const csv = await writeColdCsv(meta);
  const pySummary = await processTime(
    PYTHON,
    ["bench/reference_cold.py", csv.prices, csv.factors],
    runs,
    undefined,
    (out) => {
      if (!out.includes("OLS Regression Results")) throw new Error(`no summary in:\n${out}`);
    },
  );
  const b = row(
    "5. first FF3 summary from cache, fresh process",
    best(summary),
    "python3: read CSVs, resample, merge, OLS summary",
    best(pySummary),
  );
  check("5. first summary in a fresh process", fmtTime(b.factorlab_s), "< 1 s", b.factorlab_s < 1);
  details.cold = { empty, imports, pyImport, summary, pySummary, denoStartup: best(empty) };
}

// ---------------------------------------------------------------------------------------------
// Report

async function machine(): Promise<Record<string, string>> {
  // Deno keeps /proc from sandboxed scripts; Python reads the CPU model.
  const cpu = (await run(PYTHON, [
    "-c",
    "import re; print(re.search(r'model name\\s*:\\s*(.*)', open('/proc/cpuinfo').read()).group(1))",
  ]).catch(() => ({ stdout: "unknown CPU" }))).stdout.trim();
  let memoryGiB = "?";
  try {
    memoryGiB = (Deno.systemMemoryInfo().total / 2 ** 30).toFixed(0);
  } catch {
    // No --allow-sys=systemMemoryInfo.
  }
  const [py, statsmodels, pandas, numpy] = pythonVersions.split(" ");
  return {
    cpu: `${cpu}, ${navigator.hardwareConcurrency} cores`,
    memory: `${memoryGiB} GiB`,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    python: `${py}, statsmodels ${statsmodels}, pandas ${pandas}, numpy ${numpy}`,
  };
}

function table(headers: string[], body: string[][], right: boolean[]): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (right[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

const box = await machine();
console.log(
  `\nMachine: ${box.cpu}, ${box.memory}, ${box.os}; Deno ${box.deno}; Python ${box.python}\n`,
);
console.log(table(
  ["task", "factorlab", "reference", "reference time", "ratio"],
  rows.map((
    r,
  ) => [
    r.task,
    fmtTime(r.factorlab_s),
    r.reference,
    fmtTime(r.reference_s),
    `×${r.ratio.toFixed(r.ratio < 10 ? 2 : 0)}`,
  ]),
  [false, true, false, true, true],
));
if (scaling.length) {
  console.log("\nScaling (factorlab, twice the assets):");
  console.log(table(
    ["task", "assets", "time", "2× assets", "time", "ratio"],
    scaling.map((
      s,
    ) => [
      s.task,
      String(s.assets),
      fmtTime(s.seconds),
      String(2 * s.assets),
      fmtTime(s.doubled),
      `×${s.ratio.toFixed(2)}`,
    ]),
    [false, true, true, true, true, true],
  ));
}
if (memory.length) {
  console.log("\nPeak memory of one run in a fresh process (VmHWM above the loaded input):");
  console.log(table(
    ["task", "side", "input", "peak above input", "copies of input"],
    memory.map((m) => [
      m.task,
      m.side,
      m.inputMB === undefined ? "" : `${m.inputMB.toFixed(1)} MB`,
      `${m.peakExtraMB.toFixed(1)} MB`,
      m.copies === undefined ? "" : m.copies.toFixed(2),
    ]),
    [false, false, true, true, true],
  ));
}
if (details.cold) {
  const c = details.cold as { denoStartup: number };
  console.log(`\nDeno's own start-up (an empty script): ${fmtTime(c.denoStartup)}.`);
}
console.log("\nTargets:");
console.log(table(
  ["", "measured", "target", "met"],
  checks.map((c) => [c.what, c.value, c.target, c.met === undefined ? "" : c.met ? "yes" : "NO"]),
  [false, true, false, false],
));

await Deno.writeTextFile("bench/latest.json", JSON.stringify(rows, null, 2) + "\n");
await Deno.writeTextFile(
  "build/bench/details.json",
  JSON.stringify(
    { date: new Date().toISOString(), machine: box, rows, checks, scaling, memory, details },
    null,
    2,
  ) +
    "\n",
);
console.log("\nWrote bench/latest.json and build/bench/details.json.");
