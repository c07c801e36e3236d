/**
 * The factorlab side of the benchmark: one task per process, started by `bench/run.ts`.
 *
 * ```sh
 * deno run <permissions> bench/factorlab_tasks.ts TASK [--assets N] [--warmup W] [--runs R] [--memory]
 * ```
 *
 * Prints one line of JSON: `{ task, assets, times }` (seconds of each timed run, after the
 * warm-up runs). With `--memory`, under `bench/memwatch.py`: prints `{ task, assets, inputBytes }`
 * once the input is loaded and garbage collected, waits for a line on stdin, runs once, prints
 * "done" and waits for another line, while the watcher reads the process's resident memory
 * before the run and its peak during it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import pl from "nodejs-polars";
import {
  analyzeMany,
  joinOnPeriod,
  ols,
  rollingOls,
  rollingOlsMany,
  toMonthlyReturns,
  toWide,
} from "../mod.ts";
import { readF64, readMeta, tickerName } from "./data.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    assets: { type: "string" },
    warmup: { type: "string", default: "2" },
    runs: { type: "string", default: "5" },
    memory: { type: "boolean", default: false },
  },
});
const task = positionals[0];
const meta = await readMeta();

/** A task: builds its input (untimed), then returns the timed function. */
type Setup = (assets: number) => Promise<{ run: () => unknown; inputBytes?: number }>;

const tasks: Record<string, { assets: number; setup: Setup }> = {
  // 1. One FF3 fit of 132 months with the full summary text.
  ols: {
    assets: 1,
    setup: async () => {
      const x = await readF64("ols_x.f64");
      const y = await readF64("ols_y.f64");
      const n = meta.ols.rows;
      const X = Object.fromEntries(
        meta.ols.factors.map((f, j) => [f, x.slice(j * n, (j + 1) * n)]),
      );
      return {
        inputBytes: (x.length + y.length) * 8,
        run: () => {
          const text = ols(y, X, { addConstant: true }).summary().toString();
          if (text.length < 1500) throw new Error("short summary");
          return text;
        },
      };
    },
  },
  // 2. Excess returns of many assets on six factors and a constant: params and bse of each.
  many: {
    assets: meta.many.assets,
    setup: async (assets) => {
      const { rows, factors, periods } = meta.many;
      const x = await readF64("many_x.f64");
      const rf = await readF64("many_rf.f64");
      const y = (await readF64("many_y.f64")).subarray(0, rows * assets);
      const frame: Record<string, Float64Array | string[]> = { period: periods };
      for (let i = 0; i < assets; i++) frame[`A${i}`] = y.subarray(i * rows, (i + 1) * rows);
      factors.forEach((f, j) => (frame[f] = x.subarray(j * rows, (j + 1) * rows)));
      frame.RF = rf;
      return {
        inputBytes: y.byteLength + x.byteLength + rf.byteLength,
        run: async () => {
          const many = await analyzeMany(frame, { model: "ff5mom" });
          const { params, bse } = many;
          if (params.rows !== assets || !(bse.data[bse.data.length - 1] > 0)) {
            throw new Error("bad fit");
          }
          return many;
        },
      };
    },
  },
  // 2b. The same from a polars DataFrame (the frame a notebook holds after a join).
  "many-frame": {
    assets: meta.many.assets,
    setup: async (assets) => {
      const { rows, factors, periods } = meta.many;
      const x = await readF64("many_x.f64");
      const rf = await readF64("many_rf.f64");
      const y = (await readF64("many_y.f64")).subarray(0, rows * assets);
      const series: pl.Series[] = [pl.Series("period", periods)];
      for (let i = 0; i < assets; i++) {
        series.push(pl.Series(`A${i}`, y.subarray(i * rows, (i + 1) * rows)));
      }
      factors.forEach((f, j) => series.push(pl.Series(f, x.subarray(j * rows, (j + 1) * rows))));
      series.push(pl.Series("RF", rf));
      const frame = pl.DataFrame(series);
      return {
        run: async () => {
          const many = await analyzeMany(frame, { model: "ff5mom" });
          const { params, bse } = many;
          if (params.rows !== assets || !(bse.data[bse.data.length - 1] > 0)) {
            throw new Error("bad fit");
          }
          return many;
        },
      };
    },
  },
  // 3. Rolling 36-month regressions of every asset on three factors and a constant.
  rolling: {
    assets: meta.rolling.assets,
    setup: async (assets) => {
      const { rows, factors, window } = meta.rolling;
      const x = await readF64("rolling_x.f64");
      const y = (await readF64("rolling_y.f64")).subarray(0, rows * assets);
      const X = Object.fromEntries(
        factors.map((f, j) => [f, x.subarray(j * rows, (j + 1) * rows)]),
      );
      const Y = Object.fromEntries(
        Array.from({ length: assets }, (_, i) => [`A${i}`, y.subarray(i * rows, (i + 1) * rows)]),
      );
      return {
        inputBytes: y.byteLength + x.byteLength,
        run: () => {
          const rolling = rollingOlsMany(Y, X, { window, addConstant: true });
          const last = rolling.get(assets - 1);
          if (!(last.bse.data[last.bse.data.length - 1] > 0)) throw new Error("bad fit");
          return rolling;
        },
      };
    },
  },
  // 3'. The same, one rollingOls per asset (before rollingOlsMany).
  "rolling-each": {
    assets: meta.rolling.assets,
    setup: async (assets) => {
      const { rows, factors, window } = meta.rolling;
      const x = await readF64("rolling_x.f64");
      const y = (await readF64("rolling_y.f64")).subarray(0, rows * assets);
      const X = Object.fromEntries(
        factors.map((f, j) => [f, x.subarray(j * rows, (j + 1) * rows)]),
      );
      return {
        inputBytes: y.byteLength + x.byteLength,
        run: () => {
          let last = 0;
          for (let i = 0; i < assets; i++) {
            const r = rollingOls(y.subarray(i * rows, (i + 1) * rows), X, {
              window,
              addConstant: true,
            });
            last = r.bse.data[r.bse.data.length - 1];
          }
          if (!(last > 0)) throw new Error("bad fit");
        },
      };
    },
  },
  // 4. Daily prices (long: ticker, date, adjClose) → month-end returns → one column per ticker
  // (as pandas' resample gives) → join with the factors on period.
  datapath: {
    assets: meta.prices.tickers,
    setup: async (assets) => {
      const { dates, periods } = meta.prices;
      const days = dates.length;
      const prices = (await readF64("prices.f64")).subarray(0, days * assets);
      const f = await readF64("prices_factors.f64");
      const rf = await readF64("prices_rf.f64");
      const m = periods.length;
      const factors = pl.DataFrame({
        period: periods,
        MKT_RF: f.subarray(0, m),
        SMB: f.subarray(m, 2 * m),
        HML: f.subarray(2 * m, 3 * m),
        RF: rf,
      });
      const names = Array.from({ length: assets }, (_, i) => tickerName(i));
      const tickers = new Array<string>(days * assets);
      const dateColumn = new Array<string>(days * assets);
      for (let i = 0; i < assets; i++) {
        for (let t = 0; t < days; t++) {
          tickers[i * days + t] = names[i];
          dateColumn[i * days + t] = dates[t];
        }
      }
      const frame = pl.DataFrame({ ticker: tickers, date: dateColumn, adjClose: prices });
      return {
        run: () => {
          const monthly = toMonthlyReturns(frame);
          const wide = toWide(monthly);
          const { frame: joined } = joinOnPeriod(wide, factors);
          if (joined.height !== m - 1) throw new Error(`joined ${joined.height} periods`);
          return joined;
        },
      };
    },
  },
};

const spec = tasks[task];
if (!spec) throw new Error(`unknown task ${task}; tasks: ${Object.keys(tasks).join(", ")}`);
const assets = values.assets ? Number(values.assets) : spec.assets;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const beforeInput = Deno.memoryUsage().rss;
const { run, inputBytes: rawBytes } = await spec.setup(assets);

if (values.memory) {
  // The watcher (bench/memwatch.py) reads /proc, which Deno keeps from sandboxed scripts.
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  const nextLine = async () => {
    const { value } = await lines.read();
    return value ?? "";
  };
  gc?.();
  // Typed-array inputs are counted exactly; a frame by what building it added to the process.
  const inputBytes = rawBytes ?? Deno.memoryUsage().rss - beforeInput;
  console.log(JSON.stringify({ task, assets, inputBytes }));
  await nextLine();
  let result = await run();
  console.log("done");
  await nextLine();
  result = undefined;
  void result;
  // The stdin stream would keep the process alive.
  Deno.exit(0);
} else {
  for (let i = 0; i < Number(values.warmup); i++) await run();
  const times: number[] = [];
  // Every timed run starts with the input out of the CPU caches, as data met for the first time:
  // otherwise a small input stays cached from one run to the next and a large one does not.
  const flush = new Float64Array(16 * 2 ** 20);
  for (let i = 0; i < Number(values.runs); i++) {
    flush.fill(i);
    gc?.();
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
  }
  console.log(JSON.stringify({ task, assets, times }));
}
