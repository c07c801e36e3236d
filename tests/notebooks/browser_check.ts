/**
 * Real-browser check (`deno task notebooks:browser`): exports the executed notebooks of
 * build/notebooks/ (made by `deno task notebooks`) to HTML with nbconvert, opens each in headless
 * Chromium with the network off, and requires every plotly figure the notebook displays to be
 * drawn: a `.js-plotly-plot` with its `.main-svg` layers and at least one trace, titled as in the
 * figure's spec, with no uncaught script error on the page. Screenshots of the top of each page
 * and of every figure go to build/notebooks/screenshots/.
 *
 * Then the committed notebooks (notebooks/, whose figures are lean: spec, PNG and text, see
 * figures.ts) and copies of the executed ones handed in with `deno task figures` (the hand-in
 * command, run as a student would) are exported the same way and opened with JavaScript off, as
 * GitHub or nbviewer show them: every figure must appear as its PNG, loaded, at its size, and no
 * output may carry a script or exceed 1 MB.
 *
 * Usage: deno task notebooks:browser [name prefixes...]
 *
 * @module
 */

import { OfflineBrowser } from "../../lib/plot/chromium.ts";
import { PNG_WIDTH } from "./figures.ts";
import { ExecutedNotebook, readNotebook } from "./notebook.ts";

const ROOT = new URL("../../", import.meta.url);
const BUILD = new URL("build/notebooks/", ROOT);
const HTML = new URL("html/", BUILD);
const NOTEBOOKS = new URL("notebooks/", ROOT);
const COMMITTED_HTML = new URL("html-committed/", BUILD);
const SCREENSHOTS = new URL("screenshots/", BUILD);
/** How long a page may take to draw its figures. */
const RENDER_TIMEOUT_MS = 120_000;
/** Limit for each nbconvert and hand-in command; wide, for a loaded machine. */
const COMMAND_TIMEOUT_MS = 15 * 60_000;
const HANDED_IN = new URL("handed-in/", BUILD);
/** Debian's Chromium (the task may run it, not look for it). */
const CHROMIUM = "/usr/bin/chromium";
const HANDED_IN_HTML = new URL("html-handed-in/", BUILD);

function path(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

interface RenderedPlot {
  title: string;
  mainSvgs: number;
  traces: number;
  rect: { x: number; y: number; width: number; height: number };
}

/** Runs in the page: what plotly drew, figure by figure. */
const MEASURE = `(() => [...document.querySelectorAll(".js-plotly-plot")].map((plot) => {
  const rect = plot.getBoundingClientRect();
  return {
    title: plot.querySelector(".gtitle")?.textContent ?? "",
    mainSvgs: plot.querySelectorAll(".main-svg").length,
    traces: plot.querySelectorAll(".trace, .hm").length,
    rect: { x: rect.left + scrollX, y: rect.top + scrollY, width: rect.width, height: rect.height },
  };
}))()`;

/** Runs in the page: the images shown as outputs (nbconvert renders `image/png` as `<img>`). */
const OUTPUT_IMAGES = `[...document.querySelectorAll(".jp-OutputArea-output img")].map((img) => ({
  complete: img.complete,
  width: img.naturalWidth,
  height: img.naturalHeight,
  png: img.src.startsWith("data:image/png;base64,"),
}))`;

/** Runs a command with a time limit; the error says "timed out" or shows its stderr. */
async function runCommand(command: string, args: string[], what: string): Promise<string> {
  const signal = AbortSignal.timeout(COMMAND_TIMEOUT_MS);
  const result = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  const decoder = new TextDecoder();
  if (signal.aborted) {
    throw new Error(
      `${what} timed out after ${COMMAND_TIMEOUT_MS / 60_000} min: ${command} ${args.join(" ")}`,
    );
  }
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code}):\n${decoder.decode(result.stderr)}`);
  }
  return decoder.decode(result.stdout);
}

async function exportHtml(from: URL, to: URL, names: string[]): Promise<void> {
  await Deno.remove(to, { recursive: true }).catch(() => {});
  await runCommand("jupyter", [
    "nbconvert",
    "--to=html",
    `--output-dir=${path(to)}`,
    ...names.map((name) => path(new URL(name, from))),
  ], "nbconvert --to html");
}

/**
 * Hands in copies of the executed notebooks with the hand-in command (deno task figures), as a
 * student would: static PNGs for the figures, the plotly.js pieces dropped.
 */
async function handIn(names: string[]): Promise<void> {
  await Deno.remove(HANDED_IN, { recursive: true }).catch(() => {});
  await Deno.mkdir(HANDED_IN, { recursive: true });
  for (const name of names) {
    const log = await runCommand("deno", [
      "task",
      "--quiet",
      "figures",
      `--out=${path(new URL(name, HANDED_IN))}`,
      path(new URL(name, BUILD)),
    ], `deno task figures ${name}`);
    console.log(`  ${log.trim().replace(path(ROOT) + "/", "")}`);
  }
}

function specTitle(layout: Record<string, unknown> | undefined): string {
  const title = layout?.title;
  return typeof title === "string" ? title : String((title as { text?: string })?.text ?? "");
}

/** Problems with one notebook's page; empty when every figure rendered. */
async function checkPage(browser: OfflineBrowser, name: string): Promise<string[]> {
  const notebook = new ExecutedNotebook(name, await readNotebook(path(new URL(name, BUILD))));
  const expected = notebook.figures.map((figure) => specTitle(figure.layout));
  const stem = name.replace(/\.ipynb$/, "");
  browser.errors.length = 0;
  browser.blocked.length = 0;
  await browser.load(new URL(`${stem}.html`, HTML).href);

  let plots: RenderedPlot[] = [];
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    plots = await browser.evaluate<RenderedPlot[]>(MEASURE);
    if (plots.length >= expected.length && plots.every((p) => p.mainSvgs > 0 && p.traces > 0)) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  await Deno.writeFile(path(new URL(`${stem}-page.png`, SCREENSHOTS)), await browser.screenshot());
  for (const [i, plot] of plots.entries()) {
    if (plot.rect.width <= 0 || plot.rect.height <= 0) continue;
    const clip = {
      x: Math.max(0, plot.rect.x - 8),
      y: Math.max(0, plot.rect.y - 8),
      width: plot.rect.width + 16,
      height: plot.rect.height + 16,
    };
    const file = new URL(`${stem}-figure${i + 1}.png`, SCREENSHOTS);
    await Deno.writeFile(path(file), await browser.screenshot(clip));
  }

  const problems: string[] = [];
  if (plots.length !== expected.length) {
    problems.push(`${expected.length} figure(s) displayed, ${plots.length} drawn by plotly`);
  }
  for (const [i, plot] of plots.entries()) {
    const want = expected[i];
    console.log(
      `  figure ${
        i + 1
      }: "${plot.title}" — ${plot.mainSvgs} main-svg layer(s), ${plot.traces} trace(s), ` +
        `${Math.round(plot.rect.width)}×${Math.round(plot.rect.height)} px`,
    );
    if (plot.mainSvgs === 0) problems.push(`figure ${i + 1} has no .main-svg`);
    if (plot.traces === 0) problems.push(`figure ${i + 1} drew no trace`);
    if (plot.rect.width < 100 || plot.rect.height < 100) {
      problems.push(`figure ${i + 1} is only ${plot.rect.width}×${plot.rect.height} px`);
    }
    if (want !== undefined && plot.title.trim() !== want.replace(/<[^>]*>/g, "").trim()) {
      problems.push(`figure ${i + 1} is titled "${plot.title}", its spec says "${want}"`);
    }
  }
  for (const error of browser.errors) problems.push(`page error: ${error}`);
  if (browser.blocked.length) {
    console.log(`  blocked (network off): ${[...new Set(browser.blocked)].join(", ")}`);
  }
  return problems;
}

/** Where a static view comes from: the committed notebooks, or the handed-in copies. */
interface StaticView {
  label: string;
  notebooks: URL;
  html: URL;
  /** The executed notebook, when the view must show as many figures as it displayed. */
  executed: boolean;
}

const COMMITTED: StaticView = {
  label: "as committed",
  notebooks: NOTEBOOKS,
  html: COMMITTED_HTML,
  executed: false,
};
const HANDED: StaticView = {
  label: "handed in (deno task figures)",
  notebooks: HANDED_IN,
  html: HANDED_IN_HTML,
  executed: true,
};

/** An output larger than this makes a notebook slow to open and to hand in. */
const MAX_OUTPUT_BYTES = 1_000_000;

/**
 * Problems with the static view of one notebook (JavaScript off); empty when every figure shows
 * as its PNG, no output carries a script, and no output is over 1 MB.
 */
async function checkStaticPage(
  browser: OfflineBrowser,
  name: string,
  view: StaticView,
): Promise<string[]> {
  const saved = await readNotebook(path(new URL(name, view.notebooks)));
  const source = view.executed ? await readNotebook(path(new URL(name, BUILD))) : saved;
  const expected = new ExecutedNotebook(name, source).figures.length;
  const stem = name.replace(/\.ipynb$/, "");
  const problems: string[] = [];
  for (const [i, cell] of saved.cells.entries()) {
    for (const output of cell.outputs ?? []) {
      const text = JSON.stringify(output);
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > MAX_OUTPUT_BYTES) problems.push(`cell ${i + 1} has an output of ${bytes} bytes`);
      if (/<script/i.test(text)) problems.push(`cell ${i + 1} has an output with a script`);
    }
  }
  browser.errors.length = 0;
  await browser.load(new URL(`${stem}.html`, view.html).href);
  const images = await browser.evaluate<
    { complete: boolean; width: number; height: number; png: boolean }[]
  >(OUTPUT_IMAGES);
  const file = new URL(
    `${stem}-${view === COMMITTED ? "committed" : "handed-in"}-page.png`,
    SCREENSHOTS,
  );
  await Deno.writeFile(path(file), await browser.screenshot());
  const pngs = images.filter((image) => image.png);
  if (pngs.length !== expected) {
    problems.push(`${expected} figure(s) displayed, ${pngs.length} shown as PNG without scripts`);
  }
  for (const [i, image] of pngs.entries()) {
    console.log(`  figure ${i + 1}: PNG ${image.width}×${image.height} px`);
    if (!image.complete || image.width !== PNG_WIDTH || image.height < 100) {
      problems.push(`figure ${i + 1}'s PNG did not load at ${PNG_WIDTH} px wide`);
    }
  }
  return problems;
}

async function main(filters: string[]): Promise<number> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(BUILD)) {
      if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const chosen = names.sort().filter((n) =>
    !filters.length || filters.some((f) => n.startsWith(f))
  );
  if (!chosen.length) {
    throw new Error("no executed notebooks in build/notebooks/: run deno task notebooks first");
  }
  console.log("--- handing in copies of the executed notebooks (deno task figures)");
  await handIn(chosen);
  await exportHtml(BUILD, HTML, chosen);
  await exportHtml(NOTEBOOKS, COMMITTED_HTML, chosen);
  await exportHtml(HANDED_IN, HANDED_IN_HTML, chosen);
  await Deno.remove(SCREENSHOTS, { recursive: true }).catch(() => {});
  await Deno.mkdir(SCREENSHOTS, { recursive: true });

  let passed = 0;
  const failed: string[] = [];
  const record = async (label: string, check: () => Promise<string[]>) => {
    let problems: string[];
    try {
      problems = await check();
    } catch (error) {
      problems = [error instanceof Error ? error.message : String(error)];
    }
    if (problems.length) {
      failed.push(label);
      for (const problem of problems) console.log(`  FAIL ${problem}`);
    } else {
      passed++;
    }
  };
  const browser = await OfflineBrowser.launch({ executable: CHROMIUM, tempDir: path(BUILD) });
  try {
    for (const name of chosen) {
      console.log(`--- ${name} (Chromium, network off)`);
      await record(name, () => checkPage(browser, name));
    }
    await browser.setScriptsEnabled(false);
    for (const view of [COMMITTED, HANDED]) {
      for (const name of chosen) {
        console.log(`--- ${name} ${view.label} (JavaScript off)`);
        await record(`${name} ${view.label}`, () => checkStaticPage(browser, name, view));
      }
    }
  } finally {
    await browser.close();
  }
  console.log(
    `\nHTML pages are in build/notebooks/html/ (committed: html-committed/, handed in: ` +
      `html-handed-in/), screenshots in build/notebooks/screenshots/.`,
  );
  if (failed.length) console.log(`Failed: ${failed.join(", ")}`);
  console.log(`browser: ${passed} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
