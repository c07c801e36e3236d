/**
 * Deterministic synthetic data of the side-by-side benchmark (`deno task bench`), written once
 * as little-endian float64 files into `build/bench/data/` and read by both sides: the factorlab
 * tasks (`bench/factorlab_tasks.ts`) and the Python reference (`bench/reference.py`, with
 * `numpy.fromfile`). The largest sizes are generated (twice the assets of each task, for the
 * scaling check); a task reads the first columns it needs.
 *
 * Matrices are column-major: all of asset 0, then all of asset 1, … (`asset * rows + row`).
 *
 * @module
 */

/** Bump when the formulas change: the files are regenerated. */
export const DATA_VERSION = 1;

/** Task 1: one FF3 regression of 132 months. */
export const OLS_ROWS = 132;
/** Task 2: months and factors of the many-asset regression; assets of the task and of its double. */
export const MANY = {
  rows: 240,
  factors: ["MKT_RF", "SMB", "HML", "RMW", "CMA", "MOM"],
  assets: 5_000,
};
/** Task 3: rolling regressions. */
export const ROLLING = { rows: 480, factors: ["MKT_RF", "SMB", "HML"], assets: 2_000, window: 36 };
/** Task 4: daily prices, 2001-01-01..2020-12-31 on weekdays. */
export const PRICES = { first: "2001-01-01", last: "2020-12-31", tickers: 1_000 };
/** Task 5: the cached ticker and its range. */
export const COLD = { ticker: "SYNTH", start: "2010-01", end: "2020-12" };

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator (Numerical Recipes). */
class Lcg {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  uniform(): number {
    this.#state = (Math.imul(this.#state, 1664525) + 1013904223) >>> 0;
    return (this.#state + 0.5) / 2 ** 32;
  }
  /** Standard normal by Box-Muller (one value per call; the partner is discarded). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
}

/** Month keys "YYYY-MM" of `count` months from `start` ("YYYY-MM"). */
export function monthKeys(start: string, count: number): string[] {
  const [y0, m0] = start.split("-").map(Number);
  return Array.from({ length: count }, (_, i) => {
    const m = m0 - 1 + i;
    return `${y0 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
  });
}

/** Weekdays from `first` to `last` ("YYYY-MM-DD"): the trading days of the price panel. */
export function weekdays(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 864e5) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Factor returns (decimals) of `rows` months: market with a premium, the others centred. */
function factorColumns(rng: Lcg, rows: number, count: number): Float64Array {
  const x = new Float64Array(rows * count);
  for (let j = 0; j < count; j++) {
    const vol = j === 0 ? 0.045 : 0.03 - 0.003 * j;
    const mean = j === 0 ? 0.006 : 0.001;
    for (let t = 0; t < rows; t++) x[j * rows + t] = mean + vol * rng.normal();
  }
  return x;
}

/** Asset returns `RF + α + Σ β f + ε`, betas and residual volatility varying by asset. */
function assetColumns(
  rng: Lcg,
  x: Float64Array,
  rf: Float64Array,
  rows: number,
  factors: number,
  assets: number,
): Float64Array {
  const y = new Float64Array(rows * assets);
  const beta = new Float64Array(factors);
  for (let i = 0; i < assets; i++) {
    for (let j = 0; j < factors; j++) beta[j] = (j === 0 ? 1 : 0) + 0.6 * rng.normal();
    const alpha = 0.002 * rng.normal();
    const vol = 0.02 + 0.06 * rng.uniform();
    for (let t = 0; t < rows; t++) {
      let v = rf[t] + alpha + vol * rng.normal();
      for (let j = 0; j < factors; j++) v += beta[j] * x[j * rows + t];
      y[i * rows + t] = v;
    }
  }
  return y;
}

function riskFree(rng: Lcg, rows: number): Float64Array {
  return Float64Array.from(
    { length: rows },
    (_, t) => Math.max(0, 0.002 + 0.0015 * Math.sin(t / 30) + 0.0002 * rng.normal()),
  );
}

/** Where the data live. */
export const DATA_DIR = "build/bench/data";

async function writeF64(path: string, values: Float64Array): Promise<void> {
  await Deno.writeFile(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Reads a float64 file written by {@linkcode generate}. */
export async function readF64(name: string): Promise<Float64Array> {
  const bytes = await Deno.readFile(`${DATA_DIR}/${name}`);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/** What {@linkcode generate} wrote, read back by both sides. */
export interface Meta {
  version: number;
  ols: { rows: number; factors: string[] };
  many: { rows: number; factors: string[]; assets: number; periods: string[] };
  rolling: { rows: number; factors: string[]; assets: number; window: number };
  prices: { dates: string[]; tickers: number; periods: string[] };
  cold: { ticker: string; start: string; end: string; dates: string[]; periods: string[] };
}

/** Reads `meta.json`. */
export async function readMeta(): Promise<Meta> {
  return JSON.parse(await Deno.readTextFile(`${DATA_DIR}/meta.json`));
}

/**
 * Writes every input of the benchmark unless the files of this {@linkcode DATA_VERSION} exist.
 * Returns true when it generated them.
 */
export async function generate(): Promise<boolean> {
  try {
    if ((await readMeta()).version === DATA_VERSION) return false;
  } catch {
    // No data yet.
  }
  await Deno.mkdir(DATA_DIR, { recursive: true });

  // 1. One asset on FF3, 132 months.
  {
    const rng = new Lcg(1);
    const x = factorColumns(rng, OLS_ROWS, 3);
    const rf = riskFree(rng, OLS_ROWS);
    const y = assetColumns(rng, x, rf, OLS_ROWS, 3, 1);
    for (let t = 0; t < OLS_ROWS; t++) y[t] -= rf[t];
    await writeF64(`${DATA_DIR}/ols_x.f64`, x);
    await writeF64(`${DATA_DIR}/ols_y.f64`, y);
  }
  // 2. Many assets on six factors (returns include RF; the regressions use excess returns).
  {
    const rng = new Lcg(2);
    const k = MANY.factors.length;
    const x = factorColumns(rng, MANY.rows, k);
    const rf = riskFree(rng, MANY.rows);
    await writeF64(`${DATA_DIR}/many_x.f64`, x);
    await writeF64(`${DATA_DIR}/many_rf.f64`, rf);
    await writeF64(
      `${DATA_DIR}/many_y.f64`,
      assetColumns(rng, x, rf, MANY.rows, k, 2 * MANY.assets),
    );
  }
  // 3. Rolling: 480 months, three factors (returns as regressed, no RF).
  {
    const rng = new Lcg(3);
    const k = ROLLING.factors.length;
    const x = factorColumns(rng, ROLLING.rows, k);
    const zero = new Float64Array(ROLLING.rows);
    await writeF64(`${DATA_DIR}/rolling_x.f64`, x);
    await writeF64(
      `${DATA_DIR}/rolling_y.f64`,
      assetColumns(rng, x, zero, ROLLING.rows, k, 2 * ROLLING.assets),
    );
  }
  // 4. Daily adjusted closes: a random walk per ticker, tickers T0000.., and monthly factors.
  const dates = weekdays(PRICES.first, PRICES.last);
  const periods = monthKeys(PRICES.first.slice(0, 7), 240);
  {
    const rng = new Lcg(4);
    const days = dates.length;
    const prices = new Float64Array(days * 2 * PRICES.tickers);
    for (let i = 0; i < 2 * PRICES.tickers; i++) {
      const drift = 0.0003 + 0.0002 * rng.normal();
      const vol = 0.01 + 0.02 * rng.uniform();
      let p = 10 + 90 * rng.uniform();
      for (let t = 0; t < days; t++) {
        p *= 1 + drift + vol * rng.normal();
        prices[i * days + t] = Math.round(p * 1e4) / 1e4;
      }
    }
    await writeF64(`${DATA_DIR}/prices.f64`, prices);
    const f = factorColumns(rng, 240, 3);
    await writeF64(`${DATA_DIR}/prices_factors.f64`, f);
    await writeF64(`${DATA_DIR}/prices_rf.f64`, riskFree(rng, 240));
  }
  // 5. The cached ticker: daily prices 2009-12..2021-01 and FF3 factors 2000-01..2021-12.
  const coldDates = weekdays("2009-12-01", "2021-01-29");
  const coldPeriods = monthKeys("2000-01", 264);
  {
    const rng = new Lcg(5);
    const f = factorColumns(rng, coldPeriods.length, 3);
    const rf = riskFree(rng, coldPeriods.length);
    await writeF64(`${DATA_DIR}/cold_factors.f64`, f);
    await writeF64(`${DATA_DIR}/cold_rf.f64`, rf);
    const monthOf = new Map(coldPeriods.map((p, i) => [p, i]));
    const daysIn = new Map<string, number>();
    for (const d of coldDates) daysIn.set(d.slice(0, 7), (daysIn.get(d.slice(0, 7)) ?? 0) + 1);
    // Daily returns that compound to 1.0 × MKT_RF + 0.5 × SMB + 0.3 × HML + RF + noise a month.
    let p = 100;
    const prices = coldDates.map((d) => {
      const m = monthOf.get(d.slice(0, 7))!;
      const monthly = f[m] + 0.5 * f[coldPeriods.length + m] + 0.3 * f[2 * coldPeriods.length + m] +
        rf[m] + 0.01 * rng.normal();
      p *= (1 + monthly) ** (1 / daysIn.get(d.slice(0, 7))!);
      return Math.round(p * 1e4) / 1e4;
    });
    await writeF64(`${DATA_DIR}/cold_prices.f64`, Float64Array.from(prices));
  }
  const meta: Meta = {
    version: DATA_VERSION,
    ols: { rows: OLS_ROWS, factors: ["MKT_RF", "SMB", "HML"] },
    many: { ...MANY, periods: monthKeys("2001-01", MANY.rows) },
    rolling: ROLLING,
    prices: { dates, tickers: PRICES.tickers, periods },
    cold: { ...COLD, dates: coldDates, periods: coldPeriods },
  };
  await Deno.writeTextFile(`${DATA_DIR}/meta.json`, JSON.stringify(meta));
  return true;
}

/** Ticker names of the price panel: T0000, T0001, … */
export function tickerName(i: number): string {
  return `T${String(i).padStart(4, "0")}`;
}
