/**
 * The figures in a real browser: Debian's Chromium, headless, with name resolution disabled so
 * nothing can come from the network, loads the HTML we write and we count what plotly drew in
 * the DOM it dumps. Skipped (with a message) only when /usr/bin/chromium is not installed.
 */
import assert from "node:assert/strict";
import {
  attributionChart,
  exposureChart,
  exposureComparisonChart,
  exposureHeatmap,
  type Figure,
  fittedChart,
  plotlyScriptTag,
  residualChart,
  riskDecompositionChart,
  rollingBetasChart,
} from "../lib/plot/mod.ts";

const CHROMIUM = "/usr/bin/chromium";

async function chromiumAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(CHROMIUM, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e; // e.g. missing --allow-run: a configuration error, not a reason to skip
  }
}

const available = await chromiumAvailable();
if (!available) {
  console.warn(`plot_browser_test: ${CHROMIUM} is not installed; browser rendering tests skipped`);
}

/** Loads `file` in headless Chromium without network and returns the rendered DOM. */
async function renderedDom(file: string, workDir: string): Promise<string> {
  const profile = await Deno.makeTempDir({ dir: workDir, prefix: "profile_" });
  const { success, stdout, stderr } = await new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--host-resolver-rules=MAP * ~NOTFOUND",
      "--virtual-time-budget=10000",
      "--dump-dom",
      `file://${file}`,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  const dom = new TextDecoder().decode(stdout);
  assert.ok(success && dom.length > 0, `chromium failed: ${new TextDecoder().decode(stderr)}`);
  return dom;
}

const count = (dom: string, pattern: RegExp) => (dom.match(pattern) ?? []).length;

async function withWorkDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ dir: "data", prefix: "plot_browser_" }));
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const periods = Array.from(
  { length: 48 },
  (_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
);
const mkt = periods.map((_, i) => 0.04 * Math.sin(i * 1.3));
const resid = periods.map((_, i) => 0.01 * Math.cos(i * 2.1) + (i % 11 === 0 ? 0.015 : 0));
const figures: Record<string, Figure> = {
  exposure: exposureChart({
    names: ["MKT_RF", "SMB", "HML", "RMW"],
    betas: [1.0136, 0.5574, 0.403, -0.06],
    lower: [0.9811, 0.4961, 0.3547, -0.15],
    upper: [1.0461, 0.6187, 0.4513, 0.04],
    title: "Factor Exposures for VBR",
  }),
  fitted: fittedChart({ periods, actual: mkt.map((m, i) => m + resid[i]), fitted: mkt }),
  residual: residualChart({ resid, periods }),
  attribution: attributionChart({
    periods,
    components: [
      { name: "MKT_RF", values: mkt },
      { name: "alpha", values: periods.map(() => 0.001) },
      { name: "residual", values: resid },
    ],
  }),
  rolling: rollingBetasChart({
    periods,
    level: 0.95,
    series: [{
      name: "MKT_RF",
      values: periods.map((_, i) => (i < 12 ? null : 1 + 0.1 * Math.sin(i / 5))),
      lower: periods.map((_, i) => (i < 12 ? null : 0.9 + 0.1 * Math.sin(i / 5))),
      upper: periods.map((_, i) => (i < 12 ? null : 1.1 + 0.1 * Math.sin(i / 5))),
    }],
  }),
  comparison: exposureComparisonChart({
    assets: ["VBR", "SPY"],
    factors: ["MKT_RF", "SMB", "HML"],
    betas: [[1.01, 0.56, 0.4], [0.98, -0.15, 0.02]],
    lower: [[0.97, 0.5, 0.35], [0.96, -0.19, -0.01]],
    upper: [[1.05, 0.62, 0.45], [1.0, -0.11, 0.05]],
    title: "Exposures of two ETFs",
  }),
  heatmap: exposureHeatmap({
    assets: ["Small value", "Small growth", "Big value", "Big growth"],
    factors: ["MKT_RF", "SMB", "HML"],
    values: [[1.05, 1.02, 0.78], [1.1, 1.2, -0.3], [1.0, -0.1, 0.7], [0.97, -0.24, -0.31]],
    pValues: [[0, 0, 0], [0, 0, 0.01], [0, 0.2, 0], [0, 0, 0.3]],
    title: "Exposures of four portfolios",
  }),
  risk: riskDecompositionChart({
    names: ["MKT_RF", "SMB", "HML"],
    contributions: [0.0022, 0.0004, -0.00005],
    specific: 0.0001,
    periodsPerYear: 12,
  }),
};

Deno.test({
  name: "every chart's standalone HTML renders its plot offline in Chromium",
  ignore: !available,
  fn: () =>
    withWorkDir(async (dir) => {
      const doms = Object.fromEntries(
        await Promise.all(
          Object.entries(figures).map(async ([name, fig]) => {
            await fig.save(`${dir}/${name}.html`);
            return [name, await renderedDom(`${dir}/${name}.html`, dir)] as const;
          }),
        ),
      );
      for (const [name, dom] of Object.entries(doms)) {
        assert.ok(count(dom, /class="main-svg"/g) >= 2, `${name}: no plot SVG`);
        assert.ok(!dom.includes("it is drawn when JavaScript runs"), `${name}: placeholder left`);
        const title = (figures[name].spec.layout.title as { text: string }).text;
        assert.ok(dom.includes(`data-unformatted="${title}"`), `${name}: title not drawn`);
      }
      // What was drawn matches the specs.
      assert.equal(count(doms.exposure, /class="trace bars"/g), 1);
      assert.equal(count(doms.exposure, /class="point"/g), 4);
      assert.equal(count(doms.exposure, /class="errorbar"/g), 4);
      assert.equal(count(doms.exposure, /class="textpoint"/g), 4);
      assert.equal(count(doms.fitted, /class="trace scatter /g), 2);
      const bins = (figures.residual.spec.data[0].y as number[]).length;
      assert.equal(count(doms.residual, /class="point"/g), bins);
      assert.equal(count(doms.residual, /class="point plotly-customdata"/g), periods.length);
      assert.equal(count(doms.attribution, /class="trace bars"/g), 3);
      assert.equal(count(doms.attribution, /class="point"/g), 3 * periods.length);
      assert.equal(count(doms.rolling, /class="js-fill"/g), 1);
      assert.equal(count(doms.comparison, /class="trace bars"/g), 2);
      assert.equal(count(doms.comparison, /class="errorbar"/g), 6);
      assert.equal(count(doms.heatmap, /class="hm"/g), 1);
      for (const label of ["1.05*", "−0.31", "−0.10"]) {
        assert.ok(doms.heatmap.includes(`>${label}<`), `heatmap: cell label ${label} not drawn`);
      }
      assert.equal(count(doms.risk, /class="trace bars"/g), 1);
      assert.equal(count(doms.risk, /class="point"/g), 6);
    }),
});

Deno.test({
  name: "notebook page: a figure rendered before the one carrying plotly.js waits for it",
  ignore: !available,
  fn: () =>
    withWorkDir(async (dir) => {
      // As JupyterLab may render outputs out of order: the reference-only figure comes first.
      const page = `<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body style="background:#111111;color:#dddddd;width:900px">
${figures.fitted.toHTMLFragment()}
${figures.exposure.toHTMLFragment({ includePlotly: true })}
${figures.residual.toHTMLFragment()}
</body></html>`;
      await Deno.writeTextFile(`${dir}/notebook.html`, page);
      const dom = await renderedDom(`${dir}/notebook.html`, dir);
      assert.equal(count(dom, /class="plot-container plotly"/g), 3);
      assert.ok(!dom.includes("it is drawn when JavaScript runs"));
      // Text takes the dark page's colour instead of the spec's neutral grey.
      const title = /<text class="gtitle"[^>]*style="[^"]*fill: (rgb\([^)]*\))/.exec(dom);
      assert.equal(title?.[1], "rgb(221, 221, 221)");
    }),
});

Deno.test({
  name: "a second inlined copy of plotly.js on one page is skipped, and plots still render",
  ignore: !available,
  fn: () =>
    withWorkDir(async (dir) => {
      const page = `<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head>
<body><script>window.firstPlotly = window.Plotly;</script>
${figures.exposure.toHTMLFragment({ includePlotly: true })}
<script>document.body.setAttribute("data-same-plotly", String(window.firstPlotly === window.Plotly));</script>
</body></html>`;
      await Deno.writeTextFile(`${dir}/twice.html`, page);
      const dom = await renderedDom(`${dir}/twice.html`, dir);
      assert.match(dom, /data-same-plotly="true"/);
      assert.equal(count(dom, /class="plot-container plotly"/g), 1);
    }),
});
