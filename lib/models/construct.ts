/**
 * Factor construction: the Fama-French size and value factors (SMB and HML) from a panel of
 * stocks, by independent 2 × 3 sorts at the end of each June and value-weighted portfolio
 * returns from July to June, with polars doing the work; and SMB/HML from six portfolio returns.
 *
 * @module
 */

import pl, { type Expr } from "../deps/polars.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { DataFrame } from "../data/polars.ts";
import { type FrameLike, toPolars } from "../pipeline/interop.ts";

/** The six portfolios of the 2 × 3 sort: size (Small, Big) / book-to-market (Low, Neutral, High). */
export const SIX_PORTFOLIOS: readonly string[] = ["S/L", "S/N", "S/H", "B/L", "B/N", "B/H"];

/** Column names of a stock panel given to {@linkcode constructFactors}. */
export interface PanelColumns {
  /** Firm identifier (default "id"). */
  id?: string;
  /** Month of the row: "YYYY-MM" or "YYYY-MM-DD" text, or a polars date (default "date"). */
  date?: string;
  /** The month's return, as a decimal (default "return"). */
  return?: string;
  /** Market equity at the end of the month (default "me"). */
  me?: string;
  /** Book equity (default "be"); see {@linkcode ConstructOptions.fiscalYearEnd} for timing. */
  be?: string;
}

/** Options of {@linkcode constructFactors}. */
export interface ConstructOptions {
  /** Names of the panel's columns when they differ from the defaults. */
  columns?: PanelColumns;
  /**
   * A column flagging NYSE firms (true, "NYSE" in any case, or CRSP's exchange code 1): the
   * breakpoints then come from NYSE firms only, as Fama and French's do. Default: every firm in
   * the sort sets the breakpoints.
   */
  nyse?: string;
  /**
   * A column holding the fiscal-year-end date ("YYYY-MM" or "YYYY-MM-DD") of the row's book
   * equity. With it, June t uses the book equity of the last fiscal year ending in calendar year
   * t − 1, as reported in a row dated June t or earlier (Fama-French timing). Without it, the
   * book equity is the one in the firm's December t − 1 row.
   */
  fiscalYearEnd?: string;
  /**
   * The size breakpoint instead of the median June market equity: one number for every year, or
   * one per formation year (`{ 2001: 850, 2002: 910 }`), in the units of the `me` column.
   */
  sizeBreakpoint?: number | Record<number, number>;
  /** Book-to-market percentiles splitting Low / Neutral / High (default [0.3, 0.7]). */
  bmPercentiles?: [number, number];
  /** Fewest firms a portfolio may hold in a month (default 1). */
  minFirms?: number;
  /**
   * A month where a portfolio holds fewer than `minFirms` firms: "error" (default) throws a
   * {@linkcode TooFewFirmsError}; "null" leaves that month's portfolio return and factors null.
   */
  tooFew?: "error" | "null";
}

/** What {@linkcode constructFactors} returns: factors, portfolios, counts and the sorts. */
export interface ConstructedFactors {
  /** `period`, `SMB`, `HML`: one row per month with returns (decimals). */
  factors: DataFrame;
  /** `period` and the value-weighted returns of `S/L`, `S/N`, `S/H`, `B/L`, `B/N`, `B/H`. */
  portfolios: DataFrame;
  /** `period` and the number of firms in each of the six portfolios that month. */
  counts: DataFrame;
  /**
   * One row per formation year: `year`, the `size` breakpoint, `bmLow` and `bmHigh`, the number
   * of firms sorted (`firms`) and of firms that set the breakpoints (`breakpointFirms`).
   */
  breakpoints: DataFrame;
  /**
   * One row per firm and formation year: `id`, `year`, June `me`, `be`, `bm`, `size` ("S"/"B"),
   * `value` ("L"/"N"/"H") and `portfolio` ("S/L", …), held from July of `year` to June after.
   */
  assignments: DataFrame;
}

/**
 * A portfolio of the 2 × 3 sort holds fewer firms in a month than the construction allows,
 * so its value-weighted return (and SMB and HML that month) would be missing or meaningless.
 *
 * @example
 * ```ts
 * import { TooFewFirmsError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new TooFewFirmsError("B/H", "2001-07", 0, 1, 2001);
 * assert.match(e.message, /"B\/H" holds 0 firm\(s\) in 2001-07/);
 * ```
 */
export class TooFewFirmsError extends InvalidArgumentError {
  /** The portfolio ("S/L", …). */
  readonly portfolio: string;
  /** The month ("YYYY-MM"). */
  readonly period: string;
  /** Firms it holds that month. */
  readonly firms: number;

  /** Creates the error for one portfolio and month (formed in June of `year`). */
  constructor(portfolio: string, period: string, firms: number, minFirms: number, year: number) {
    super(
      `Portfolio "${portfolio}" holds ${firms} firm(s) in ${period} (formed in June ${year}); ` +
        `at least ${minFirms} needed. Give the panel more firms, or pass { tooFew: "null" } to ` +
        "leave such months' returns null (or lower minFirms).",
    );
    this.portfolio = portfolio;
    this.period = period;
    this.firms = firms;
  }
}

/**
 * Builds SMB and HML from a panel of stocks as Fama and French do, with polars expressions,
 * joins and group-bys (no loops over rows):
 *
 * 1. At the end of June of each year t, a firm is sorted when it has a positive market equity
 *    (ME) in June t and in December t − 1, and a positive book equity (BE); firms with missing
 *    or negative BE are left out. Book-to-market is BE / ME of December t − 1, with BE from the
 *    firm's December t − 1 row, or, given {@linkcode ConstructOptions.fiscalYearEnd}, from the
 *    last fiscal year ending in t − 1.
 * 2. Breakpoints (from NYSE firms when `nyse` is given, else from every sorted firm): the median
 *    June ME (or `sizeBreakpoint`) and the 30th and 70th percentiles of book-to-market, by linear
 *    interpolation (numpy's default). Small is ME ≤ the breakpoint; Low is B/M ≤ the 30th
 *    percentile, Neutral ≤ the 70th, High above; the sorts are independent.
 * 3. From July t to June t + 1 each portfolio's return is value-weighted by the firm's ME at the
 *    end of the previous month (June's ME in July), over firms with a return that month and a
 *    positive lagged ME. A firm that leaves the panel drops out; one that enters waits for the
 *    next June with a December ME behind it.
 * 4. SMB = (S/L + S/N + S/H)/3 − (B/L + B/N + B/H)/3 and HML = (S/H + B/H)/2 − (S/L + B/L)/2.
 *
 * Simplifications against the published factors: no share-code, industry or
 * two-years-on-Compustat filters; the BE definition (preferred stock, deferred taxes) and
 * delisting returns are whatever the panel holds; by default BE is the December t − 1 row's
 * value, which is right when the panel carries each fiscal year's BE by that December.
 *
 * @param panel Monthly rows with firm id, date, return, ME and BE (a polars frame or any
 *   {@linkcode FrameLike}); one row per firm and month.
 * @param options Column names, NYSE flag, fiscal-year-end timing, breakpoints, minimum firms.
 * @returns The factors, the six portfolios, firm counts, breakpoints and assignments.
 * @throws {InvalidArgumentError} on missing columns, unreadable dates, a firm listed twice in a
 *   month, no firm to set a year's breakpoints, or a bad option.
 * @throws {TooFewFirmsError} when a portfolio holds fewer than `minFirms` firms in a month.
 *
 * @example Six firms, one formation year
 * ```ts
 * import { constructFactors } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // Firms a–c are small, d–f big; a and d have low B/M, b and e medium, c and f high.
 * const me = { a: 10, b: 11, c: 12, d: 100, e: 110, f: 120 };
 * const bm = { a: 0.2, b: 0.6, c: 1.5, d: 0.25, e: 0.7, f: 1.4 };
 * const july = { a: 0.01, b: 0.02, c: 0.05, d: 0.0, e: 0.01, f: 0.03 };
 * const rows = Object.keys(me).flatMap((id) => {
 *   const m = me[id as keyof typeof me];
 *   return [
 *     { id, date: "2000-12", return: 0, me: m, be: m * bm[id as keyof typeof bm] },
 *     { id, date: "2001-06", return: 0, me: m, be: null },
 *     { id, date: "2001-07", return: july[id as keyof typeof july], me: m, be: null },
 *   ];
 * });
 * const { factors, portfolios } = constructFactors(rows);
 * assert.ok(Math.abs(portfolios.getColumn("S/H").get(0) - 0.05) < 1e-15);
 * const smb = (0.01 + 0.02 + 0.05) / 3 - (0.0 + 0.01 + 0.03) / 3;
 * assert.ok(Math.abs(factors.getColumn("SMB").get(0) - smb) < 1e-15);
 * ```
 */
export function constructFactors(
  panelInput: FrameLike,
  options: ConstructOptions = {},
): ConstructedFactors {
  const settings = checkOptions(options);
  const panel = normalizePanel(toPolars(panelInput), settings);

  // 1. The June sort: June ME, December ME, book equity.
  const june = panel.filter(pl.col("month").eq(6)).select(
    "id",
    pl.col("year"),
    pl.col("me").alias("meJune"),
    ...(settings.nyse ? [pl.col("isNyse")] : []),
  );
  const december = panel.filter(pl.col("month").eq(12)).select(
    "id",
    pl.col("year").plus(1).cast(pl.Int32).alias("year"),
    pl.col("me").alias("meDec"),
    pl.col("be").alias("beDec"),
  );
  let sorted = june.join(december, { on: ["id", "year"], how: "inner" });
  if (settings.fiscalYearEnd) {
    // The last fiscal year ending in t − 1, as known by June t.
    const reported = panel
      .filter(pl.col("fyeYear").isNotNull().and(pl.col("be").isNotNull()))
      .select(
        "id",
        pl.col("fyeYear").plus(1).cast(pl.Int32).alias("year"),
        "fye",
        "mi",
        "be",
      )
      .filter(pl.col("mi").ltEq(pl.col("year").mul(12).plus(5)))
      .sort(["id", "year", "fye", "mi"])
      .unique({ subset: ["id", "year"], keep: "last", maintainOrder: true })
      .select("id", "year", pl.col("be").alias("beFiscal"));
    sorted = sorted.join(reported, { on: ["id", "year"], how: "left" })
      .withColumns(pl.col("beFiscal").alias("be"));
  } else {
    sorted = sorted.withColumns(pl.col("beDec").alias("be"));
  }
  sorted = sorted
    .filter(pl.col("meJune").gt(0).and(pl.col("meDec").gt(0)).and(pl.col("be").gt(0)))
    .withColumns(pl.col("be").div(pl.col("meDec")).alias("bm"));

  // 2. Breakpoints per formation year.
  const [low, high] = settings.bmPercentiles;
  const setters = settings.nyse ? sorted.filter(pl.col("isNyse")) : sorted;
  let breakpoints = sorted.groupBy("year").agg(pl.len().alias("firms"))
    .join(
      setters.groupBy("year").agg(
        pl.col("meJune").median().alias("size"),
        pl.col("bm").quantile(low, "linear").alias("bmLow"),
        pl.col("bm").quantile(high, "linear").alias("bmHigh"),
        pl.len().alias("breakpointFirms"),
      ),
      { on: "year", how: "left" },
    )
    .sort("year");
  const noSetters = breakpoints.filter(pl.col("breakpointFirms").isNull());
  if (noSetters.height > 0) {
    throw new InvalidArgumentError(
      `No NYSE firm can be sorted in June ${noSetters.getColumn("year").get(0)}, so there are ` +
        `no breakpoints for that year; check the "${options.nyse}" column, or leave out ` +
        "{ nyse } to take breakpoints from every firm.",
    );
  }
  if (settings.sizeBreakpoint !== undefined) {
    breakpoints = withGivenSizeBreakpoint(breakpoints, settings.sizeBreakpoint);
  }
  breakpoints = breakpoints.select(
    pl.col("year"),
    pl.col("size").cast(pl.Float64),
    "bmLow",
    "bmHigh",
    pl.col("firms").cast(pl.Int64),
    pl.col("breakpointFirms").cast(pl.Int64),
  );

  // 3. Independent sorts.
  const assignments = sorted
    .join(breakpoints.select("year", "size", "bmLow", "bmHigh"), { on: "year" })
    .select(
      "id",
      "year",
      pl.col("meJune").alias("me"),
      "be",
      "bm",
      pl.when(pl.col("meJune").ltEq(pl.col("size"))).then(pl.lit("S")).otherwise(pl.lit("B"))
        .alias("size"),
      pl.when(pl.col("bm").ltEq(pl.col("bmLow"))).then(pl.lit("L"))
        .when(pl.col("bm").ltEq(pl.col("bmHigh"))).then(pl.lit("N"))
        .otherwise(pl.lit("H"))
        .alias("value"),
    )
    .withColumns(pl.concatString([pl.col("size"), pl.col("value")], "/").alias("portfolio"))
    .sort(["year", "id"]);

  // 4. Value-weighted returns from July t to June t + 1, weighted by last month's ME.
  const lagged = panel.select(
    "id",
    pl.col("mi").plus(1).cast(pl.Int32).alias("mi"),
    pl.col("me").alias("weight"),
  );
  const held = panel
    .filter(pl.col("ret").isNotNull())
    .select(
      "id",
      "mi",
      "period",
      "ret",
      pl.when(pl.col("month").gtEq(7)).then(pl.col("year")).otherwise(
        pl.col("year").minus(1).cast(pl.Int32),
      )
        .alias("year"),
    )
    .join(assignments.select("id", "year", "portfolio"), { on: ["id", "year"] })
    .join(lagged, { on: ["id", "mi"] })
    .filter(pl.col("weight").gt(0));
  const monthly = held
    .groupBy("period")
    .agg(
      pl.col("year").first().alias("year"),
      ...SIX_PORTFOLIOS.flatMap((p) => {
        const inP = pl.col("portfolio").eq(pl.lit(p));
        return [
          pl.col("ret").mul(pl.col("weight")).filter(inP).sum().alias(`rw ${p}`),
          pl.col("weight").filter(inP).sum().alias(`w ${p}`),
          inP.sum().cast(pl.Int64).alias(`n ${p}`),
        ];
      }),
    )
    .sort("period");

  if (settings.tooFew === "error") {
    for (const p of SIX_PORTFOLIOS) {
      const bad = monthly.filter(pl.col(`n ${p}`).lt(settings.minFirms));
      if (bad.height > 0) {
        throw new TooFewFirmsError(
          p,
          bad.getColumn("period").get(0),
          bad.getColumn(`n ${p}`).get(0),
          settings.minFirms,
          bad.getColumn("year").get(0),
        );
      }
    }
  }
  const portfolios = monthly.select(
    "period",
    ...SIX_PORTFOLIOS.map((p) =>
      pl.when(pl.col(`n ${p}`).gtEq(settings.minFirms))
        .then(pl.col(`rw ${p}`).div(pl.col(`w ${p}`)))
        .otherwise(pl.lit(null))
        .cast(pl.Float64)
        .alias(p)
    ),
  );
  return {
    factors: factorsFromSixPortfolios(portfolios),
    portfolios,
    counts: monthly.select("period", ...SIX_PORTFOLIOS.map((p) => pl.col(`n ${p}`).alias(p))),
    breakpoints,
    assignments,
  };
}

/** The options, checked, with their defaults. */
interface Settings extends ConstructOptions {
  columns: Required<PanelColumns>;
  bmPercentiles: [number, number];
  minFirms: number;
  tooFew: "error" | "null";
}

function checkOptions(options: ConstructOptions): Settings {
  const columns = {
    id: "id",
    date: "date",
    return: "return",
    me: "me",
    be: "be",
    ...options.columns,
  };
  const bmPercentiles = options.bmPercentiles ?? [0.3, 0.7];
  if (
    !Array.isArray(bmPercentiles) || bmPercentiles.length !== 2 ||
    !(bmPercentiles[0] > 0 && bmPercentiles[0] < bmPercentiles[1] && bmPercentiles[1] < 1)
  ) {
    throw new InvalidArgumentError(
      `bmPercentiles must be two increasing fractions between 0 and 1, such as [0.3, 0.7]; got ` +
        `${JSON.stringify(bmPercentiles)}.`,
    );
  }
  const minFirms = options.minFirms ?? 1;
  if (!Number.isInteger(minFirms) || minFirms < 1) {
    throw new InvalidArgumentError(`minFirms must be a whole number ≥ 1, not ${minFirms}.`);
  }
  const tooFew = options.tooFew ?? "error";
  if (tooFew !== "error" && tooFew !== "null") {
    throw new InvalidArgumentError(
      `tooFew must be "error" or "null", not ${JSON.stringify(tooFew)}.`,
    );
  }
  const bp = options.sizeBreakpoint;
  if (bp !== undefined) {
    const values = typeof bp === "number" ? [bp] : Object.values(bp ?? {});
    if (
      (typeof bp !== "number" && (bp === null || typeof bp !== "object")) || values.length === 0 ||
      values.some((v) => typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
    ) {
      throw new InvalidArgumentError(
        "sizeBreakpoint must be a positive market equity, or one per formation year " +
          "({ 2001: 850, 2002: 910 }).",
      );
    }
  }
  return {
    ...options,
    columns,
    bmPercentiles: [bmPercentiles[0], bmPercentiles[1]],
    minFirms,
    tooFew,
  };
}

/**
 * The panel with internal column names: id, period ("YYYY-MM"), year, month, mi (months since
 * year 0), ret, me, be, and isNyse / fye / fyeYear when asked for.
 */
function normalizePanel(frame: DataFrame, settings: Settings): DataFrame {
  const c = settings.columns;
  const wanted: [string, string][] = [
    [c.id, "id"],
    [c.date, "date"],
    [c.return, "return"],
    [c.me, "me"],
    [c.be, "be"],
  ];
  if (settings.nyse) wanted.push([settings.nyse, "nyse"]);
  if (settings.fiscalYearEnd) wanted.push([settings.fiscalYearEnd, "fiscalYearEnd"]);
  const missing = wanted.filter(([name]) => !frame.columns.includes(name));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `The panel has no ${missing.map(([n, role]) => `${role} column "${n}"`).join(", ")} ` +
        `(it has ${frame.columns.join(", ")}). Name the columns with { columns: { id, date, ` +
        "return, me, be } }.",
    );
  }
  const asText = (name: string) =>
    frame.getColumn(name).dtype.equals(pl.String) ? pl.col(name) : pl.col(name).cast(pl.String);
  const exprs = [
    pl.col(c.id).alias("id"),
    asText(c.date).str.slice(0, 7).alias("period"),
    pl.col(c.return).cast(pl.Float64).alias("ret"),
    pl.col(c.me).cast(pl.Float64).alias("me"),
    pl.col(c.be).cast(pl.Float64).alias("be"),
  ];
  if (settings.nyse) exprs.push(nyseFlag(frame, settings.nyse).alias("isNyse"));
  if (settings.fiscalYearEnd) {
    exprs.push(asText(settings.fiscalYearEnd).str.slice(0, 7).alias("fye"));
  }
  let panel = frame.select(...exprs);
  const badDate = panel.filter(pl.col("period").str.contains("^\\d{4}-(0[1-9]|1[0-2])$").not());
  if (badDate.height > 0) {
    throw new InvalidArgumentError(
      `The panel's "${c.date}" column holds ${JSON.stringify(badDate.getColumn("period").get(0))}` +
        `; dates must be "YYYY-MM" or "YYYY-MM-DD" (or polars dates).`,
    );
  }
  if (settings.fiscalYearEnd) {
    const badFye = panel.filter(
      pl.col("fye").isNotNull().and(pl.col("fye").str.contains("^\\d{4}-\\d{2}$").not()),
    );
    if (badFye.height > 0) {
      throw new InvalidArgumentError(
        `The "${settings.fiscalYearEnd}" column holds ` +
          `${JSON.stringify(badFye.getColumn("fye").get(0))}; fiscal year ends must be ` +
          `"YYYY-MM" or "YYYY-MM-DD".`,
      );
    }
  }
  panel = panel.withColumns(
    pl.col("period").str.slice(0, 4).cast(pl.Int32).alias("year"),
    pl.col("period").str.slice(5, 2).cast(pl.Int32).alias("month"),
    ...(settings.fiscalYearEnd
      ? [pl.col("fye").str.slice(0, 4).cast(pl.Int32).alias("fyeYear")]
      : []),
  ).withColumns(pl.col("year").mul(12).plus(pl.col("month")).minus(1).cast(pl.Int32).alias("mi"));
  const repeated = panel.groupBy(["id", "period"]).agg(pl.len().alias("rows"))
    .filter(pl.col("rows").gt(1));
  if (repeated.height > 0) {
    throw new InvalidArgumentError(
      `Firm ${JSON.stringify(repeated.getColumn("id").get(0))} has ` +
        `${repeated.getColumn("rows").get(0)} rows in ${repeated.getColumn("period").get(0)}; ` +
        "the panel needs one row per firm and month.",
    );
  }
  return panel;
}

/** True for NYSE firms: a boolean column as is, "NYSE" text (any case), or exchange code 1. */
function nyseFlag(frame: DataFrame, column: string): Expr {
  const series = frame.getColumn(column);
  const dtype = series.dtype;
  if (dtype.equals(pl.Bool)) return pl.col(column).fillNull(false);
  if (dtype.equals(pl.String)) {
    return pl.col(column).str.strip().str.toUpperCase().eq(pl.lit("NYSE")).fillNull(false);
  }
  if (series.isNumeric()) return pl.col(column).eq(1).fillNull(false);
  throw new InvalidArgumentError(
    `The NYSE column "${column}" must hold true/false, "NYSE" or an exchange code (1 = NYSE); ` +
      `it is ${dtype}.`,
  );
}

function withGivenSizeBreakpoint(
  breakpoints: DataFrame,
  given: number | Record<number, number>,
): DataFrame {
  if (typeof given === "number") return breakpoints.withColumns(pl.lit(given).alias("size"));
  const years = breakpoints.getColumn("year").toArray() as number[];
  const missing = years.filter((y) => !(y in given));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `sizeBreakpoint has no value for formation year(s) ${missing.join(", ")}; give one for ` +
        "every June in the panel, or a single number.",
    );
  }
  return breakpoints.withColumns(
    pl.Series("size", years.map((y) => given[y]), pl.Float64),
  );
}

/** Options of {@linkcode factorsFromSixPortfolios}. */
export interface SixPortfolioColumns {
  /** Small / low B/M column (default "S/L", or Ken French's "SMALL LoBM"). */
  SL?: string;
  /** Small / neutral column (default "S/N", or "ME1 BM2"). */
  SN?: string;
  /** Small / high column (default "S/H", or "SMALL HiBM"). */
  SH?: string;
  /** Big / low column (default "B/L", or "BIG LoBM"). */
  BL?: string;
  /** Big / neutral column (default "B/N", or "ME2 BM2"). */
  BN?: string;
  /** Big / high column (default "B/H", or "BIG HiBM"). */
  BH?: string;
}

const FRENCH_SIX: Required<SixPortfolioColumns> = {
  SL: "SMALL LoBM",
  SN: "ME1 BM2",
  SH: "SMALL HiBM",
  BL: "BIG LoBM",
  BN: "ME2 BM2",
  BH: "BIG HiBM",
};
const OWN_SIX = Object.fromEntries(
  SIX_PORTFOLIOS.map((p) => [p.replace("/", ""), p]),
) as Required<SixPortfolioColumns>;

/**
 * SMB and HML from the returns of the six size/book-to-market portfolios, by the Fama-French
 * formulas: SMB = (S/L + S/N + S/H)/3 − (B/L + B/N + B/H)/3 and HML = (S/H + B/H)/2 −
 * (S/L + B/L)/2. Takes the columns of {@linkcode constructFactors}' portfolios or of Ken French's
 * `6_Portfolios_2x3` file ("SMALL LoBM", "ME1 BM2", …), or the ones named in `columns`.
 *
 * @param portfolios A frame with the six return columns (and `period`, kept when present).
 * @param columns Column names, when they are neither of the two known layouts.
 * @returns `period` (when present), `SMB` and `HML`, in the portfolios' units.
 * @throws {InvalidArgumentError} when a portfolio column is missing.
 *
 * @example Ken French's six portfolios give the library's SMB and HML
 * ```ts
 * import { factorsFromSixPortfolios, frenchDataset } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const six = await frenchDataset("data/samples/french/6_Portfolios_2x3_CSV_202412.zip", {
 *   start: "2020-01",
 *   end: "2020-12",
 * });
 * const factors = factorsFromSixPortfolios(six.tables[0].frame);
 * assert.deepEqual(factors.columns, ["period", "SMB", "HML"]);
 * assert.equal(factors.height, 12);
 * ```
 */
export function factorsFromSixPortfolios(
  portfolios: FrameLike,
  columns?: SixPortfolioColumns,
): DataFrame {
  const frame = toPolars(portfolios);
  const layout = columns
    ? { ...OWN_SIX, ...columns }
    : Object.values(FRENCH_SIX).every((c) => frame.columns.includes(c))
    ? FRENCH_SIX
    : OWN_SIX;
  const missing = Object.values(layout).filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `The portfolio returns have no ${missing.map((m) => `"${m}"`).join(", ")} column ` +
        `(they have ${frame.columns.join(", ")}). Name the six columns with { SL, SN, SH, BL, ` +
        "BN, BH }.",
    );
  }
  const col = (key: keyof SixPortfolioColumns) => pl.col(layout[key]);
  return frame.select(
    ...(frame.columns.includes("period") ? [pl.col("period")] : []),
    col("SL").plus(col("SN")).plus(col("SH")).div(3)
      .minus(col("BL").plus(col("BN")).plus(col("BH")).div(3))
      .alias("SMB"),
    col("SH").plus(col("BH")).div(2).minus(col("SL").plus(col("BL")).div(2)).alias("HML"),
  );
}
