import assert from "node:assert/strict";
import {
  attributionChart,
  exposureChart,
  Figure,
  fittedChart,
  PlotInputError,
  plotlyScriptTag,
  residualChart,
  rollingBetasChart,
  setPlotlyInlining,
} from "../lib/plot/mod.ts";
import { plotlyBundle } from "../lib/plot/plotly_js.ts";
import { JUPYTER_DISPLAY } from "../lib/display/mod.ts";

const DISPLAY = Symbol.for("Jupyter.display");
type Trace = Record<string, unknown> & { x: unknown[]; y: unknown[] };
type Axis = Record<string, unknown>;

const trace = (fig: Figure, i: number) => fig.spec.data[i] as Trace;
const axis = (fig: Figure, name: string) => fig.spec.layout[name] as Axis;
const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);
const closeAll = (a: unknown[], b: number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => close(v as number, b[i], tol));
};
/** The figure's MIME bundle, as the kernel gets it (a promise when plotly.js goes first). */
const bundle = <T = Record<string, unknown>>(fig: Figure) =>
  (fig as unknown as Record<symbol, () => T>)[DISPLAY]();
/** Throws a PlotInputError about `field` whose message matches `pattern`. */
const rejects = (fn: () => unknown, field: string, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PlotInputError, `expected PlotInputError, got ${e}`);
    assert.equal(e.field, field);
    assert.match(e.message, pattern);
    return true;
  });

const VBR = {
  names: ["MKT_RF", "SMB", "HML", "RMW"],
  betas: [1.0136, 0.5574, 0.403, -0.06],
  lower: [0.9811, 0.4961, 0.3547, -0.15],
  upper: [1.0461, 0.6187, 0.4513, 0.04],
};

// The residuals numpy and scipy were run on for the reference figures below.
const RESID = Array.from(
  { length: 60 },
  (_, i) => 0.01 * Math.sin(i * 1.7) + 0.004 * Math.cos(i * 0.31) + (i % 7 === 0 ? 0.006 : 0),
);

const months = (n: number, start = 2010) =>
  Array.from({ length: n }, (_, i) => {
    const m = start * 12 + i;
    return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  });

Deno.test("exposure bars are the betas, with error bars upper − beta and beta − lower", () => {
  const fig = exposureChart({ ...VBR, title: "Factor Exposures for VBR" });
  const bars = trace(fig, 0);
  assert.equal(bars.type, "bar");
  assert.deepEqual(bars.x, VBR.names);
  assert.deepEqual(bars.y, VBR.betas);
  const err = bars.error_y as { array: number[]; arrayminus: number[]; symmetric: boolean };
  assert.equal(err.symmetric, false);
  closeAll(err.array, [0.0325, 0.0613, 0.0483, 0.1]);
  closeAll(err.arrayminus, [0.0325, 0.0613, 0.0483, 0.09]);
  // Hover shows the interval itself.
  assert.deepEqual(bars.customdata, VBR.names.map((_, i) => [VBR.lower[i], VBR.upper[i]]));
  assert.match(
    bars.hovertemplate as string,
    /Beta %\{y:\.3f\}<br>95% CI \[%\{customdata\[0\]:\.3f\}/,
  );
  // RMW's interval contains zero: its bar is faded, the others are solid.
  const colors = (bars.marker as { color: string[] }).color;
  assert.equal(colors[0], colors[1]);
  assert.notEqual(colors[3], colors[0]);
  assert.match(colors[3], /^rgba\(.*,0\.35\)$/);
  // Value labels to two decimals at the far end of each whisker, away from zero.
  const labels = trace(fig, 1);
  assert.deepEqual(labels.text, ["1.01", "0.56", "0.40", "−0.06"]);
  assert.deepEqual(labels.y, [1.0461, 0.6187, 0.4513, -0.15]);
  assert.deepEqual(labels.textposition, [
    "top center",
    "top center",
    "top center",
    "bottom center",
  ]);
  // The axis shows every interval and zero, with betas to two decimals.
  const y = axis(fig, "yaxis");
  const [lo, hi] = y.range as number[];
  assert.ok(lo < -0.15 && hi > 1.0461);
  assert.equal(y.tickformat, ".2f");
  assert.equal(y.zeroline, true);
  assert.deepEqual(y.title, { text: "Beta" });
  const title = fig.spec.layout.title as { text: string; subtitle: { text: string } };
  assert.equal(title.text, "Factor Exposures for VBR");
  assert.match(title.subtitle.text, /95% confidence intervals · faded: interval includes 0/);
});

Deno.test("exposure labels never meet a whisker: past its far end, set off by an invisible marker, with room on the axis", () => {
  // Positive, negative, zero, all-negative and wide/narrow intervals.
  const cases = [
    VBR,
    {
      names: ["A", "B", "C"],
      betas: [-0.5, -0.02, 0],
      lower: [-0.9, -0.4, -0.1],
      upper: [-0.1, 0.3, 0.1],
    },
    { names: ["MKT"], betas: [1], lower: [0.999], upper: [1.001] },
    { names: ["X", "Y"], betas: [-3, 0.01], lower: [-3.2, -0.01], upper: [-2.8, 0.03] },
  ];
  for (const input of cases) {
    const fig = exposureChart(input);
    const bars = trace(fig, 0);
    const err = bars.error_y as { array: number[]; arrayminus: number[]; thickness: number };
    const labels = trace(fig, 1) as Trace & {
      textposition: string[];
      textfont: { size: number };
      marker: { size: number; opacity: number };
      mode: string;
    };
    const betas = bars.y as number[];
    const top = betas.map((b, i) => b + err.array[i]);
    const bottom = betas.map((b, i) => b - err.arrayminus[i]);
    // A label sits on the whisker's far end from zero and is drawn away from the whisker.
    betas.forEach((b, i) => {
      if (b >= 0) {
        close(labels.y[i] as number, top[i]);
        assert.equal(labels.textposition[i], "top center");
      } else {
        close(labels.y[i] as number, bottom[i]);
        assert.equal(labels.textposition[i], "bottom center");
      }
    });
    // plotly sets text off its point by radius / 0.8 + 1 px when the trace has markers: the
    // marker is there but invisible, and the offset clears the cap's half thickness with room.
    assert.equal(labels.mode, "markers+text");
    assert.equal(labels.marker.opacity, 0);
    const offset = labels.marker.size / 2 / 0.8 + 1;
    assert.ok(offset - err.thickness / 2 >= 4, `label offset ${offset} px`);
    // The axis leaves room for a label beyond each end: offset plus a line of text, in a plot
    // area no taller than the figure minus its margins and 40 px for tick labels.
    const layout = fig.spec.layout as { height: number; margin: { t: number; b: number } };
    const [lo, hi] = axis(fig, "yaxis").range as number[];
    const plotPx = layout.height - layout.margin.t - layout.margin.b - 40;
    const pxPerUnit = plotPx / (hi - lo);
    const need = offset + 1.25 * labels.textfont.size;
    betas.forEach((b, i) => {
      const room = (b >= 0 ? hi - top[i] : bottom[i] - lo) * pxPerUnit;
      assert.ok(room >= need, `label ${i + 1}: ${room.toFixed(1)} px of room, needs ${need}`);
    });
  }
});

Deno.test("exposure chart labels other confidence levels and axis titles", () => {
  const fig = exposureChart({ ...VBR, level: 0.9, yTitle: "Loading" });
  assert.match(trace(fig, 0).hovertemplate as string, /Loading %\{y:\.3f\}<br>90% CI/);
  assert.deepEqual(axis(fig, "yaxis").title, { text: "Loading" });
  const allPositive = exposureChart({ names: ["MKT"], betas: [1], lower: [0.9], upper: [1.1] });
  assert.equal((axis(allPositive, "yaxis").range as number[])[0], 0);
  const title = allPositive.spec.layout.title as { text: string; subtitle: { text: string } };
  assert.equal(title.text, "Factor Exposures");
  assert.match(title.subtitle.text, /every interval excludes 0/);
});

Deno.test("fitted chart: both series on a date axis, returns in percent", () => {
  const periods = months(24);
  const actual = periods.map((_, i) => 0.01 * Math.sin(i));
  const fitted = actual.map((a) => a * 0.9);
  const fig = fittedChart({ periods, actual, fitted, title: "Actual vs fitted: VBR" });
  assert.deepEqual(trace(fig, 0).x, periods);
  assert.deepEqual(trace(fig, 0).y, actual);
  assert.equal(trace(fig, 0).name, "Actual");
  assert.deepEqual(trace(fig, 1).y, fitted);
  assert.equal(trace(fig, 1).name, "Fitted");
  const x = axis(fig, "xaxis");
  assert.equal(x.type, "date");
  assert.equal(x.hoverformat, "%b %Y");
  // Two years of months: quarterly ticks labelled by month, never by day.
  assert.equal(x.dtick, "M3");
  assert.equal(x.tickformat, "%b %Y");
  assert.equal(axis(fig, "yaxis").tickformat, ".1%"); // a 2% range
  assert.deepEqual(axis(fig, "yaxis").title, { text: "Excess return" });
  assert.equal(fig.spec.layout.hovermode, "x unified");
  const rms = Math.sqrt(actual.reduce((s, a) => s + (0.1 * a) ** 2, 0) / 24);
  const subtitle = (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text;
  assert.equal(
    subtitle,
    `24 months, 2010-01 to 2011-12 · root mean squared difference ${(rms * 100).toFixed(2)}%`,
  );

  const daily = fittedChart({
    periods: ["2020-01-02", "2020-01-03", "2020-01-06"],
    actual: new Float64Array([0.01, -0.02, 0.005]),
    fitted: [0.008, -0.018, 0.004],
    yTitle: "AAPL excess return",
  });
  assert.deepEqual(trace(daily, 0).y, [0.01, -0.02, 0.005]); // typed arrays become plain JSON
  assert.equal(axis(daily, "xaxis").hoverformat, "%a %d %b %Y");
  assert.equal(axis(daily, "xaxis").dtick, undefined); // plotly's own date ticks
  const fewMonths = fittedChart({ periods: months(4), actual: [0, 1, 2, 3], fitted: [0, 1, 2, 3] });
  assert.equal(axis(fewMonths, "xaxis").dtick, "M1");
  const decade = fittedChart({
    periods: months(131),
    actual: months(131).map(() => 0),
    fitted: months(131).map(() => 0),
  });
  assert.equal(axis(decade, "xaxis").dtick, undefined);
  assert.deepEqual(axis(daily, "yaxis").title, { text: "AAPL excess return" });
});

Deno.test("residual histogram uses numpy's 'auto' bins and is a probability density", () => {
  const fig = residualChart({ resid: RESID });
  const hist = trace(fig, 0);
  const width = hist.width as number;
  // numpy.histogram_bin_edges(resid, "auto"): 7 bins from -0.013610515519888686.
  close(width, 0.004394623978250958, 1e-12);
  const edges = (hist.customdata as number[][]).map((c) => c[0]);
  close(edges[0], -0.013610515519888686);
  assert.deepEqual((hist.customdata as number[][]).map((c) => c[2]), [7, 10, 8, 14, 9, 9, 3]);
  closeAll(hist.y.slice(0, 3), [26.547587972042948, 37.925125674347086, 30.340100539477657], 1e-10);
  close((hist.y as number[]).reduce((s, d) => s + d * width, 0), 1, 1e-12);
  closeAll(hist.x, edges.map((e) => e + width / 2));
  // The normal curve has the residuals' mean and sd (n − 1): its peak is 1 / (sd √(2π)).
  const curve = trace(fig, 1);
  const sd = 0.007913603554001497;
  const peak = Math.max(...(curve.y as number[]));
  close(peak, 1 / (sd * Math.sqrt(2 * Math.PI)), 1e-3);
  const x = curve.x as number[];
  assert.ok(x[0] <= 0.0008312135219301099 - 3.5 * sd && x[x.length - 1] >= 0.00083 + 3.5 * sd);
  // Subtitle: scipy.stats.skew 0.0427, kurtosis (fisher=False) 2.053.
  const subtitle = (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text;
  assert.equal(subtitle, "n = 60 · sd 0.79% · skew 0.04 · kurtosis 2.05 (normal: 0 and 3)");
});

Deno.test("QQ plot: Blom positions give the known normal quantiles, sample is standardized", () => {
  const fig = residualChart({ resid: [0.02, -0.01, 0, 0.01, -0.02] });
  const qq = trace(fig, 2);
  // Φ⁻¹((i − 0.375) / 5.25), i = 1..5 (Python's statistics.NormalDist().inv_cdf).
  closeAll(qq.x, [
    -1.1797611176118603,
    -0.497200570681554,
    0,
    0.497200570681554,
    1.1797611176118603,
  ]);
  const sd = Math.sqrt(0.001 / 4);
  closeAll(qq.y, [-0.02 / sd, -0.01 / sd, 0, 0.01 / sd, 0.02 / sd]);
  assert.equal(qq.xaxis, "x2");
  // Sorted points remember which observation they are.
  assert.deepEqual((qq.customdata as unknown[][]).map((c) => c[1]), ["#5", "#2", "#3", "#4", "#1"]);
  // The reference line is y = x and spans both axes.
  const line = trace(fig, 3);
  assert.deepEqual(line.x, line.y);
  const [xr, yr] = [axis(fig, "xaxis2").range as number[], axis(fig, "yaxis2").range as number[]];
  assert.ok((line.x[0] as number) <= Math.min(xr[0], yr[0]));
  assert.ok((line.x[1] as number) >= Math.max(xr[1], yr[1]));

  const n20 = trace(residualChart({ resid: RESID.slice(0, 20) }), 2).x;
  closeAll(n20.slice(0, 3), [-1.8682416548639302, -1.4034126358514005, -1.1281436452787634]);
  // numpy: the extremes of (resid − mean) / std(ddof=1).
  const z = trace(residualChart({ resid: RESID }), 2).y as number[];
  close(z[0], -1.8249245041491071, 1e-10);
  close(z[59], 2.062352339811792, 1e-10);
});

Deno.test("QQ hover names the period of each residual when periods are given", () => {
  const fig = residualChart({
    resid: [0.01, -0.03, 0.02],
    periods: ["2020-01", "2020-02", "2020-03"],
  });
  assert.deepEqual((trace(fig, 2).customdata as unknown[][]).map((c) => c[1]), [
    "2020-02",
    "2020-01",
    "2020-03",
  ]);
});

Deno.test("attribution stacks cumulative sums of components under the cumulative total", () => {
  const periods = months(4, 2020);
  const components = [
    { name: "MKT_RF", values: [0.01, -0.03, 0.02, 0.015] },
    { name: "SMB", values: [0.002, 0.001, -0.004, 0.003] },
    { name: "alpha", values: [0.0005, 0.0005, 0.0005, 0.0005] },
    { name: "residual", values: [-0.001, 0.004, 0.002, -0.003] },
  ];
  const fig = attributionChart({ periods, components });
  assert.equal(fig.spec.layout.barmode, "relative");
  assert.equal(fig.spec.data.length, 5);
  closeAll(trace(fig, 0).y, [0.01, -0.02, 0, 0.015]);
  closeAll(trace(fig, 1).y, [0.002, 0.003, -0.001, 0.002]);
  closeAll(trace(fig, 2).y, [0.0005, 0.001, 0.0015, 0.002]);
  closeAll(trace(fig, 3).y, [-0.001, 0.003, 0.005, 0.002]);
  const total = trace(fig, 4);
  assert.equal(total.type, "scatter");
  assert.equal(total.name, "Total");
  closeAll(total.y, [0.0115, -0.013, 0.0055, 0.021]);
  // Each stack adds up to the total line.
  for (let t = 0; t < 4; t++) {
    close(
      [0, 1, 2, 3].reduce((s, k) => s + (trace(fig, k).y[t] as number), 0),
      total.y[t] as number,
    );
  }
  assert.deepEqual(trace(fig, 0).x, periods);
  assert.equal(axis(fig, "xaxis").type, "date");
  assert.match(axis(fig, "yaxis").tickformat as string, /^\.\d%$/);
  // The residual is grey, alpha has its own colour, factors take the palette.
  const color = (k: number) => (trace(fig, k).marker as { color: string }).color;
  assert.equal(color(3), "#8C8C8C");
  assert.equal(new Set([color(0), color(1), color(2), color(3)]).size, 4);
  const subtitle = (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text;
  assert.match(
    subtitle,
    /MKT_RF \+1\.5% · SMB \+0\.2% · alpha \+0\.2% · residual \+0\.2% · total \+2\.1%$/,
  );
  // A component that sums to (almost) nothing, like the residual of a fit with a constant,
  // shows as 0.0% with no sign either way.
  const flat = attributionChart({
    periods,
    components: [{ name: "a", values: [0.01, -0.005, 0, 0] }, {
      name: "residual",
      values: [2e-18, -1e-18, 0, 0],
    }],
  });
  assert.match(
    (flat.spec.layout.title as { subtitle: { text: string } }).subtitle.text,
    /a \+0\.5% · residual 0\.0% · total \+0\.5%$/,
  );
});

Deno.test("attribution bars touch across weekends and holidays, and leave a gap when few", () => {
  // 61 trading days: weekdays of early 2021 without New Year's Day.
  const days: string[] = [];
  for (let t = Date.UTC(2021, 0, 4); days.length < 61; t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() % 6 !== 0 && t !== Date.UTC(2021, 0, 18)) {
      days.push(d.toISOString().slice(0, 10));
    }
  }
  const bars = trace(
    attributionChart({
      periods: days,
      components: [{ name: "MKT_RF", values: days.map(() => 0.001) }],
    }),
    0,
  );
  const [width, offset] = [bars.width as number[], bars.offset as number[]];
  const left = (i: number) => Date.parse(`${days[i]}T00:00:00Z`) + offset[i];
  for (let i = 0; i + 1 < days.length; i++) {
    assert.equal(left(i) + width[i], left(i + 1), `bar ${i} ends where bar ${i + 1} starts`);
  }
  // Friday 2021-01-08 reaches halfway to Monday; Friday 2021-01-15 halfway to Tuesday (a holiday).
  assert.equal(width[4], (0.5 + 1.5) * 86_400_000);
  assert.equal(width[9], (0.5 + 2) * 86_400_000);

  const monthly = trace(
    attributionChart({
      periods: ["2021-01", "2021-02", "2021-03"],
      components: [{ name: "MKT_RF", values: [0.01, 0.02, 0.03] }],
    }),
    0,
  );
  // February: from mid-January's gap to mid-March's gap, narrowed to 85% around its span.
  const feb = (31 + 28) / 2 * 86_400_000;
  close((monthly.width as number[])[1], 0.85 * feb);
  close((monthly.offset as number[])[1], -31 / 2 * 86_400_000 + 0.075 * feb);
});

Deno.test("attribution total line follows the given total", () => {
  const fig = attributionChart({
    periods: ["2020-01-02", "2020-01-03"],
    components: [{ name: "MKT_RF", values: [0.01, 0.02] }],
    total: [0.012, 0.018],
  });
  closeAll(trace(fig, 1).y, [0.012, 0.03]);
  assert.equal(trace(fig, 1).name, "Total (actual)");
});

Deno.test("rolling betas: lines keep nulls as gaps, bands are closed polygons per run", () => {
  const periods = months(6, 2020);
  const fig = rollingBetasChart({
    periods,
    level: 0.95,
    series: [
      {
        name: "MKT_RF",
        values: [null, 1.0, 1.1, null, 0.9, 1.0],
        lower: [null, 0.8, 0.9, null, 0.7, 0.8],
        upper: [null, 1.2, 1.3, null, 1.1, 1.2],
      },
      { name: "SMB", values: [0.1, 0.2, NaN, 0.3, 0.2, 0.1] },
    ],
  });
  assert.equal(fig.spec.data.length, 3);
  const [band, line, smb] = [trace(fig, 0), trace(fig, 1), trace(fig, 2)];
  assert.equal(band.fill, "toself");
  assert.equal(band.legendgroup, "MKT_RF");
  assert.deepEqual(band.x, [
    "2020-02",
    "2020-03",
    "2020-03",
    "2020-02",
    null,
    "2020-05",
    "2020-06",
    "2020-06",
    "2020-05",
  ]);
  assert.deepEqual(band.y, [1.2, 1.3, 0.9, 0.8, null, 1.1, 1.2, 0.8, 0.7]);
  assert.deepEqual(line.y, [null, 1.0, 1.1, null, 0.9, 1.0]);
  assert.equal(line.connectgaps, false);
  assert.deepEqual((line.customdata as unknown[][])[1], [0.8, 1.2]);
  assert.deepEqual(smb.y, [0.1, 0.2, null, 0.3, 0.2, 0.1]); // NaN is a gap too
  assert.equal(axis(fig, "yaxis").tickformat, ".2f");
  const subtitle = (fig.spec.layout.title as { subtitle: { text: string } }).subtitle.text;
  assert.equal(subtitle, "Lines: estimates · shaded: 95% confidence bands");
});

Deno.test("specs are plain JSON: stringify and parse give them back unchanged", () => {
  const periods = months(8);
  const values = periods.map((_, i) => 0.01 * Math.cos(i));
  const figs = [
    exposureChart(VBR),
    fittedChart({ periods, actual: values, fitted: values.map((v) => v / 2) }),
    residualChart({ resid: values }),
    attributionChart({ periods, components: [{ name: "MKT_RF", values }] }),
    rollingBetasChart({ periods, series: [{ name: "b", values, lower: values, upper: values }] }),
  ];
  for (const fig of figs) {
    assert.deepEqual(JSON.parse(JSON.stringify(fig.spec)), fig.spec);
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig.spec); // toJSON
    const layout = fig.spec.layout;
    assert.equal(layout.paper_bgcolor, "rgba(0,0,0,0)");
    assert.equal(layout.plot_bgcolor, "rgba(0,0,0,0)");
    assert.ok((layout.title as { text: string }).text.length > 0);
    // Nothing that uploads data: plotly.js 4's "Share chart" button is off.
    assert.equal(fig.spec.config?.showSendToCloud, false);
    assert.ok((fig.spec.config?.modeBarButtonsToRemove as string[]).includes("sendChartToCloud"));
  }
});

Deno.test("bad input is rejected with the field named", () => {
  rejects(
    () => exposureChart({ ...VBR, lower: [1, 2] }),
    "lower",
    /"lower" has 2 value\(s\) but "names" has 4/,
  );
  rejects(() => exposureChart({ ...VBR, betas: [1, NaN, 0, 0] }), "betas", /betas\[1\] is NaN/);
  rejects(
    () => exposureChart({ ...VBR, upper: [1.1, Infinity, 1, 1] }),
    "upper",
    /upper\[1\] is Infinity/,
  );
  rejects(() => exposureChart({ names: [], betas: [], lower: [], upper: [] }), "names", /empty/);
  rejects(() => exposureChart({ ...VBR, names: ["a", "", "c", "d"] }), "names", /names\[1\]/);
  rejects(
    () => exposureChart({ ...VBR, lower: [1.1, 0, 0, -1] }),
    "lower",
    /lower\[0\] \(1\.1\) is above betas\[0\]/,
  );
  rejects(() => exposureChart({ ...VBR, level: 95 }), "level", /in \(0, 1\)/);
  rejects(
    () => exposureChart({ ...VBR, betas: null as unknown as number[] }),
    "betas",
    /"betas" must be an array, got null/,
  );

  const periods = ["2020-01", "2020-02", "2020-03"];
  rejects(
    () => fittedChart({ periods, actual: [1, 2], fitted: [1, 2, 3] }),
    "actual",
    /"periods" has 3/,
  );
  rejects(() => fittedChart({ periods: [], actual: [], fitted: [] }), "periods", /empty/);
  rejects(
    () =>
      fittedChart({
        periods: ["2020-01", "2020-03", "2020-02"],
        actual: [1, 2, 3],
        fitted: [1, 2, 3],
      }),
    "periods",
    /periods\[2\] \(2020-02\) does not come after periods\[1\] \(2020-03\)/,
  );
  rejects(
    () => fittedChart({ periods: ["2020-01", "2020-02-03"], actual: [1, 2], fitted: [1, 2] }),
    "periods",
    /use one format/,
  );
  rejects(
    () => fittedChart({ periods: ["2020-13"], actual: [1], fitted: [1] }),
    "periods",
    /"2020-13"/,
  );
  rejects(
    () => fittedChart({ periods: ["2021-02-29"], actual: [1], fitted: [1] }),
    "periods",
    /"2021-02-29"/,
  );
  rejects(
    () => fittedChart({ periods: ["202001"], actual: [1], fitted: [1] }),
    "periods",
    /"YYYY-MM"/,
  );
  rejects(
    () => fittedChart({ periods, actual: [1, 2, 3], fitted: [1, null as unknown as number, 3] }),
    "fitted",
    /fitted\[1\] is null/,
  );

  rejects(() => residualChart({ resid: [0.1, 0.2] }), "resid", /at least 3/);
  rejects(() => residualChart({ resid: [0.1, 0.1, 0.1] }), "resid", /zero variance/);
  rejects(() => residualChart({ resid: [] }), "resid", /empty/);
  rejects(
    () => residualChart({ resid: [0.1, 0.2, 0.3], periods: ["2020-01"] }),
    "periods",
    /"periods" has 1/,
  );

  rejects(() => attributionChart({ periods, components: [] }), "components", /non-empty/);
  rejects(
    () => attributionChart({ periods, components: [{ name: "a", values: [1, 2] }] }),
    "components[0].values",
    /"components\[0\]\.values" has 2/,
  );
  rejects(
    () =>
      attributionChart({
        periods,
        components: [{ name: "a", values: [1, 2, 3] }, { name: "a", values: [1, 2, 3] }],
      }),
    "components",
    /"a" is given twice/,
  );
  rejects(
    () => attributionChart({ periods, components: [{ name: "a", values: [1, 2, 3] }], total: [1] }),
    "total",
    /"total" has 1/,
  );

  rejects(
    () =>
      rollingBetasChart({ periods, series: [{ name: "b", values: [1, 2, 3], lower: [0, 1, 2] }] }),
    "series[0].lower",
    /only one of lower\/upper/,
  );
  rejects(
    () =>
      rollingBetasChart({
        periods,
        series: [{ name: "b", values: [1, 2, 3], lower: [0, 3, 2], upper: [2, 2.5, 4] }],
      }),
    "series[0].lower",
    /series\[0\]\.lower\[1\] \(3\) is above series\[0\]\.upper\[1\] \(2\.5\)/,
  );
  rejects(
    () => rollingBetasChart({ periods, series: [{ name: "b", values: [1, Infinity, 3] }] }),
    "series[0].values",
    /values\[1\] is Infinity/,
  );
  rejects(() => rollingBetasChart({ periods, series: [] }), "series", /non-empty/);
});

Deno.test("Figure rejects specs that are not plotly JSON", () => {
  assert.throws(
    () => new Figure({ data: {} as unknown as [], layout: {} }),
    /spec\.data must be an array/,
  );
  assert.throws(
    () => new Figure({ data: [], layout: [] as unknown as Record<string, unknown> }),
    /spec\.layout/,
  );
});

Deno.test("MIME bundle outside the kernel: plotly JSON with config, one-line text, and small HTML that waits for plotly.js", () => {
  setPlotlyInlining("once");
  const fig = exposureChart({ ...VBR, title: "Factor Exposures for VBR" });
  const first = bundle(fig);
  assert.deepEqual(Object.keys(first).sort(), [
    "application/vnd.plotly.v1+json",
    "text/html",
    "text/plain",
  ]);
  const json = first["application/vnd.plotly.v1+json"] as Record<string, unknown>;
  assert.deepEqual(json.data, fig.spec.data);
  assert.deepEqual(json.layout, fig.spec.layout);
  assert.equal((json.config as Record<string, unknown>).displaylogo, false);
  assert.equal(
    first["text/plain"],
    'Figure "Factor Exposures for VBR" (plotly, 2 traces: 1 bar, 1 scatter)',
  );
  assert.equal(String(fig), first["text/plain"]);
  assert.equal(Deno.inspect(fig), first["text/plain"]);

  const htmls = [first, bundle(fig), bundle(fig)].map((b) => b["text/html"] as string);
  for (const html of htmls) {
    assert.ok(html.length < 50_000, "a figure's own output never carries plotly.js");
    assert.ok(!html.includes("window.Plotly = Plotly"));
    assert.match(html, /window\.Plotly\.newPlot\(el, spec\.data, layout, spec\.config \|\| \{\}\)/);
    assert.ok(!/<script[^>]+src=/.test(html), "nothing is loaded from the network");
  }
  const ids = htmls.map((h) => /<div id="(factorlab-plot-[0-9a-f-]{36})"/.exec(h)![1]);
  assert.equal(new Set(ids).size, 3);
  for (const [i, h] of htmls.entries()) {
    assert.ok(h.includes(`var id = "${ids[i]}"`), "each script draws into its own div");
  }
  assert.throws(() => setPlotlyInlining("never" as "once"), /"once" or "always"/);
});

/** A stand-in for Deno.jupyter.broadcast that records the messages as the kernel would send them. */
function fakeKernel() {
  const messages: { type: string; content: Record<string, unknown>; bytes: number }[] = [];
  const broadcast = (type: string, content: Record<string, unknown>) => {
    messages.push({
      type,
      content,
      bytes: new TextEncoder().encode(JSON.stringify(content)).length,
    });
    return Promise.resolve();
  };
  return { messages, broadcast };
}

Deno.test("in the kernel, plotly.js goes once, before the first figure, in display messages of under 1 MB that rebuild the bundle", async () => {
  const jupyter = Deno as unknown as { jupyter: unknown };
  const kernel = fakeKernel();
  setPlotlyInlining("once");
  jupyter.jupyter = { broadcast: kernel.broadcast };
  try {
    const fig = exposureChart({ ...VBR, title: "Factor Exposures for VBR" });
    const first = await bundle(fig);
    const pieces = kernel.messages.length;
    assert.ok(pieces >= 8 && pieces <= 14, `${pieces} pieces`);
    assert.ok(!(fig[JUPYTER_DISPLAY]() instanceof Promise), "once delivered, no promise");
    const second = await bundle(fig);
    assert.equal(kernel.messages.length, pieces, "the second figure sends no piece");
    for (const b of [first, second]) assert.ok((b["text/html"] as string).length < 50_000);

    const texts: string[] = [];
    for (const [i, { type, content, bytes }] of kernel.messages.entries()) {
      assert.equal(type, "display_data");
      assert.ok(bytes < 600_000, `piece ${i + 1} is ${bytes} bytes`);
      const meta = (content.metadata as Record<string, Record<string, unknown>>)
        .factorlab_plotly_piece;
      assert.deepEqual(meta, { version: "4.1.2", part: i + 1, parts: pieces });
      const data = content.data as Record<string, string>;
      assert.deepEqual(Object.keys(data), ["text/html"]);
      const html = data["text/html"];
      assert.ok(
        html.startsWith(
          `<script type="text/javascript">/* factorlab: plotly.js piece ${i + 1} of ${pieces}`,
        ),
      );
      assert.equal(html.split("</script").length, 2, "the piece cannot end its script early");
      const body = html.slice(html.indexOf(">") + 1, html.lastIndexOf("</script>"));
      assert.ok(!body.includes("<"), "no markup inside the script");
      texts.push(JSON.parse(/entry\.texts\[part\] = ("(?:[^"\\]|\\.)*");/.exec(html)![1]));
    }
    const { text } = plotlyBundle();
    assert.ok(text.length > 4_000_000 && text.includes("plotly.js v4.1.2"));
    assert.equal(texts.join(""), text, "the pieces join to plotly.min.js");

    setPlotlyInlining("always");
    await bundle(fig);
    await bundle(fig);
    assert.equal(kernel.messages.length, 3 * pieces, '"always": pieces before every figure');
    setPlotlyInlining("once");
    await Promise.all([bundle(fig), bundle(fig)]);
    assert.equal(kernel.messages.length, 4 * pieces, "two figures displayed at once: one set");
  } finally {
    jupyter.jupyter = undefined;
    setPlotlyInlining("once");
  }
});

Deno.test("a failed delivery is reported and the next figure tries again", async () => {
  const jupyter = Deno as unknown as { jupyter: unknown };
  setPlotlyInlining("once");
  let calls = 0;
  jupyter.jupyter = {
    broadcast: () => ++calls === 3 ? Promise.reject(new Error("socket closed")) : Promise.resolve(),
  };
  try {
    const fig = exposureChart(VBR);
    await assert.rejects(Promise.resolve(bundle(fig)), /socket closed/);
    const before = calls;
    await bundle(fig);
    assert.ok(calls - before >= 8, "all pieces were sent again");
  } finally {
    jupyter.jupyter = undefined;
    setPlotlyInlining("once");
  }
});

Deno.test("HTML keeps user text inert: titles cannot close the script or inject markup", () => {
  const fig = exposureChart({ ...VBR, title: "</script><img src=x onerror=alert(1)> & <b>β</b>" });
  const fragment = fig.toHTMLFragment();
  assert.equal(fragment.split("</script>").length, 2, "only the fragment's own script closes");
  assert.ok(!fragment.includes("<img"));
  assert.ok(fragment.includes("\\u003c/script>\\u003cimg"));
  const page = fig.toHTML();
  // The page title is the figure title without plotly's markup.
  assert.match(page, /<title>&amp; β<\/title>/);
  assert.equal(
    fig.toHTML({ title: "VBR <FF3>" }).match(/<title>(.*)<\/title>/)![1],
    "VBR &lt;FF3&gt;",
  );
});

Deno.test("the inlined plotly.js cannot end its script element early", () => {
  const tag = plotlyScriptTag();
  const body = tag.slice(tag.indexOf(">") + 1, tag.lastIndexOf("</script>"));
  assert.ok(!/<\/script/i.test(body));
  assert.ok(!body.includes("<!--"));
  assert.match(tag, /plotly\.js v4\.1\.2/);
  assert.match(body, /\(function \(module, exports, define\) \{/);
});

Deno.test("toHTML is a standalone page with plotly.js inlined once and no network access", () => {
  const fig = fittedChart({
    periods: ["2020-01", "2020-02"],
    actual: [0.01, 0.02],
    fitted: [0.011, 0.019],
  });
  const html = fig.toHTML();
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(html.trimEnd().endsWith("</html>"));
  assert.equal(html.split("window.Plotly = Plotly").length, 2);
  // Outside the inlined bundle nothing refers to another resource.
  const inlined = html.indexOf("window.Plotly = Plotly");
  const own = html.slice(0, html.lastIndexOf("<script", inlined)) +
    html.slice(html.indexOf("</script>", inlined));
  assert.ok(own.length < 50_000);
  assert.ok(!/<script[^>]+src=|<link|<img|https?:/i.test(own));
  assert.match(html, /<title>Actual vs fitted excess returns<\/title>/);
  assert.match(html, /color-scheme: light dark/);
  assert.equal(html.split("Plotly.newPlot(").length, 2);
});

Deno.test("save writes the page atomically and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir({ dir: "data", prefix: "plot_test_" });
  try {
    const fig = residualChart({ resid: RESID });
    const path = `${dir}/resid.html`;
    await Deno.writeTextFile(path, "old");
    await fig.save(path, { title: "Residuals of VBR" });
    const written = await Deno.readTextFile(path);
    assert.match(written, /<title>Residuals of VBR<\/title>/);
    assert.ok(written.includes("window.Plotly = Plotly"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["resid.html"]);
    await assert.rejects(fig.save(`${dir}/missing/x.html`), Deno.errors.NotFound);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["resid.html"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
