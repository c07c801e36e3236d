/**
 * The figures in a real browser: one headless Chromium (Debian's, with the network off so
 * nothing can come from it) loads the pages we write, one after another, and we read what
 * plotly drew from the DOM. One browser for the whole file, pages in turn: on a loaded 2-core
 * machine, browsers started in parallel made the tests fail at random. Every wait has a wide
 * limit whose failure says "timed out". Skipped (with a message) only when /usr/bin/chromium is
 * not installed.
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
import { OfflineBrowser } from "../lib/plot/chromium.ts";
import { plotlyPieces } from "../lib/plot/plotly_js.ts";
import { CHROMIUM, chromiumAvailable } from "./support/chromium.ts";

/** How long a page may take to draw its figures; wide, for a loaded machine. */
const DRAW_TIMEOUT_MS = 180_000;

const available = await chromiumAvailable();
if (!available) {
  console.warn(`plot_browser_test: ${CHROMIUM} is not installed; browser rendering tests skipped`);
}

const count = (dom: string, pattern: RegExp) => (dom.match(pattern) ?? []).length;

/**
 * Loads `file` and waits until `plots` plotly figures have drawn their SVG layers, or fails
 * with "timed out"; returns the page's DOM.
 */
async function drawnDom(browser: OfflineBrowser, file: string, plots: number): Promise<string> {
  browser.errors.length = 0;
  browser.blocked.length = 0;
  await browser.load(`file://${file}`);
  const started = Date.now();
  let drawn = 0;
  while (true) {
    drawn = await browser.evaluate<number>(
      `[...document.querySelectorAll(".js-plotly-plot")].filter((p) =>
        p.querySelectorAll(".main-svg").length >= 2).length`,
    );
    if (drawn >= plots) break;
    if (Date.now() - started > DRAW_TIMEOUT_MS) {
      assert.fail(
        `timed out after ${DRAW_TIMEOUT_MS / 1000} s waiting for ${plots} figure(s) to be drawn ` +
          `in ${file} (${drawn} drawn; page errors: ${browser.errors.join("; ") || "none"})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(browser.errors, [], `page errors in ${file}`);
  assert.deepEqual(browser.blocked, [], `${file} tried to load from the network`);
  return await browser.evaluate<string>("document.documentElement.outerHTML");
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
    pvalues: [[0, 0, 0], [0, 0, 0.01], [0, 0.2, 0], [0, 0, 0.3]],
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
  name: "figures draw offline in one Chromium, page after page",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const dir = await Deno.realPath(
      await Deno.makeTempDir({ dir: "data", prefix: "plot_browser_" }),
    );
    const browser = await OfflineBrowser.launch({ executable: CHROMIUM, tempDir: dir });
    try {
      await t.step("every chart's standalone HTML renders its plot", async () => {
        const doms: Record<string, string> = {};
        for (const [name, fig] of Object.entries(figures)) {
          await fig.save(`${dir}/${name}.html`);
          doms[name] = await drawnDom(browser, `${dir}/${name}.html`, 1);
        }
        for (const [name, dom] of Object.entries(doms)) {
          assert.ok(count(dom, /class="main-svg"/g) >= 2, `${name}: no plot SVG`);
          assert.ok(!dom.includes("it is drawn when JavaScript runs"), `${name}: placeholder left`);
          const title = (figures[name].spec.layout.title as { text: string }).text;
          assert.ok(dom.includes(`data-unformatted="${title}"`), `${name}: title not drawn`);
        }
        // What was drawn matches the specs.
        assert.equal(count(doms.exposure, /class="trace bars"/g), 1);
        // Four bars, and under the four value labels their invisible offset markers.
        assert.equal(count(doms.exposure, /class="point"/g), 8);
        assert.equal(count(doms.exposure, /class="point"[^>]*opacity: 0;/g), 4);
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
      });

      await t.step(
        "exposure chart: no value label touches a whisker, for positive and negative bars",
        async () => {
          await figures.exposure.save(`${dir}/labels.html`);
          await drawnDom(browser, `${dir}/labels.html`, 1);
          const boxes = await browser.evaluate<{ labels: Box[]; whiskers: Box[] }>(`(() => {
          const box = (el) => { const r = el.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
          return {
            labels: [...document.querySelectorAll(".textpoint text")].map(box),
            whiskers: [...document.querySelectorAll(".errorbar path")].map(box),
          };
        })()`);
          assert.equal(boxes.labels.length, 4);
          assert.equal(boxes.whiskers.length, 4);
          for (const [i, label] of boxes.labels.entries()) {
            const whisker = boxes.whiskers[i];
            const gap = Math.max(whisker.top - label.bottom, label.top - whisker.bottom);
            assert.ok(gap >= 2, `label ${i + 1} is ${gap.toFixed(1)} px from its whisker`);
          }
        },
      );

      await t.step(
        "notebook page: a figure rendered before the one carrying plotly.js waits for it",
        async () => {
          // As JupyterLab may render outputs out of order: the reference-only figure comes first.
          const page = `<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body style="background:#111111;color:#dddddd;width:900px">
${figures.fitted.toHTMLFragment()}
${figures.exposure.toHTMLFragment({ includePlotly: true })}
${figures.residual.toHTMLFragment()}
</body></html>`;
          await Deno.writeTextFile(`${dir}/notebook.html`, page);
          const dom = await drawnDom(browser, `${dir}/notebook.html`, 3);
          assert.equal(count(dom, /class="plot-container plotly"/g), 3);
          assert.ok(!dom.includes("it is drawn when JavaScript runs"));
          // Text takes the dark page's colour instead of the spec's neutral grey.
          const title = /<text class="gtitle"[^>]*style="[^"]*fill: (rgb\([^)]*\))/.exec(dom);
          assert.equal(title?.[1], "rgb(221, 221, 221)");
        },
      );

      await t.step(
        "a second inlined copy of plotly.js on one page is skipped, and plots still render",
        async () => {
          const page = `<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head>
<body><script>window.firstPlotly = window.Plotly;</script>
${figures.exposure.toHTMLFragment({ includePlotly: true })}
<script>document.body.setAttribute("data-same-plotly", String(window.firstPlotly === window.Plotly));</script>
</body></html>`;
          await Deno.writeTextFile(`${dir}/twice.html`, page);
          const dom = await drawnDom(browser, `${dir}/twice.html`, 1);
          assert.match(dom, /data-same-plotly="true"/);
          assert.equal(count(dom, /class="plot-container plotly"/g), 1);
        },
      );

      const pieces = plotlyPieces().map((piece) => piece.html);
      await t.step(
        "exported notebook: plotly.js in pieces before the first figure draws every figure",
        async () => {
          // An nbconvert export: outputs in document order, the pieces before the first figure,
          // and a second kernel's set (another notebook run) later on the same page.
          const page = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
${pieces.join("\n")}
${figures.exposure.toHTMLFragment()}
${figures.fitted.toHTMLFragment()}
${pieces.join("\n")}
${figures.risk.toHTMLFragment()}
</body></html>`;
          await Deno.writeTextFile(`${dir}/pieces.html`, page);
          const dom = await drawnDom(browser, `${dir}/pieces.html`, 3);
          assert.equal(count(dom, /class="plot-container plotly"/g), 3);
          assert.equal(
            await browser.evaluate<number>(`Object.keys(window.__factorlabPlotlyPieces).length`),
            0,
            "the pieces are freed once the bundle ran",
          );
        },
      );

      await t.step(
        "live notebook: pieces rendered in any order, after the figures, still draw them",
        async () => {
          // A front end that renders outputs out of order, or attaches them late.
          const reversed = [...pieces].reverse().map((html, i) =>
            `<div id="slot${i}"></div><script>setTimeout(function () {
            var range = document.createRange();
            document.getElementById("slot${i}").appendChild(range.createContextualFragment(${
              JSON.stringify(html).replace(/</g, "\\u003c")
            }));
          }, ${50 * (i + 1)});</script>`
          );
          const page = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
${figures.exposure.toHTMLFragment()}
${figures.attribution.toHTMLFragment()}
${reversed.join("\n")}
</body></html>`;
          await Deno.writeTextFile(`${dir}/late.html`, page);
          const dom = await drawnDom(browser, `${dir}/late.html`, 2);
          assert.equal(count(dom, /class="plot-container plotly"/g), 2);
        },
      );

      await t.step(
        "a figure whose page lacks a piece of plotly.js says so instead of drawing",
        async () => {
          const page = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
${pieces.slice(1).join("\n")}
${figures.exposure.toHTMLFragment()}
</body></html>`;
          await Deno.writeTextFile(`${dir}/missing.html`, page);
          browser.errors.length = 0;
          await browser.load(`file://${dir}/missing.html`);
          // Virtual time runs the figure's 30 s wait at once.
          const expired = browser.waitFor("Emulation.virtualTimeBudgetExpired");
          await browser.send("Emulation.setVirtualTimePolicy", {
            policy: "advance",
            budget: 40_000,
          });
          await expired;
          const text = await browser.evaluate<string>(
            `document.querySelector(".factorlab-plot").textContent`,
          );
          assert.match(text, /needs plotly\.js, which is not on this page yet/);
          assert.match(
            text,
            new RegExp(
              `Pieces of plotly\\.js on this page: ${pieces.length - 1} of ${pieces.length}\\.`,
            ),
          );
          assert.equal(await browser.evaluate<string>("typeof window.Plotly"), "undefined");
          assert.deepEqual(browser.errors, []);
        },
      );
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
