/**
 * Joining frames on their period keys, one to one, with a report of every period that was
 * dropped from either side.
 *
 * @module
 */

import pl from "../deps/polars.ts";
import type { DataFrame } from "../data/polars.ts";
import {
  Displayable,
  JUPYTER_DISPLAY,
  type MimeBundle,
  Summary,
  TextPart,
} from "../display/mod.ts";
import { InvalidArgumentError } from "../errors.ts";
import { type FrameLike, toPolars } from "./interop.ts";

/** Options of {@link joinOnPeriod}. */
export interface JoinOptions {
  /** The key column of both frames (default "period"). */
  on?: string;
  /** Suffix for columns present on both sides (default "_right"). */
  suffix?: string;
  /** Name of the left frame in the report (default "left"). */
  leftName?: string;
  /** Name of the right frame in the report (default "right"). */
  rightName?: string;
}

/** What a join kept and dropped. */
export class JoinReport extends Displayable {
  /** Name of the left frame. */
  readonly leftName!: string;
  /** Name of the right frame. */
  readonly rightName!: string;
  /** Rows of the left frame. */
  readonly leftRows!: number;
  /** Rows of the right frame. */
  readonly rightRows!: number;
  /** Rows of the joined frame. */
  readonly rows!: number;
  /** Periods only in the left frame (dropped), sorted. */
  readonly leftOnly!: string[];
  /** Periods only in the right frame (dropped), sorted. */
  readonly rightOnly!: string[];
  /** First and last period kept, when any. */
  readonly range!: [string, string] | undefined;

  /** Creates the report; see the fields. */
  constructor(
    fields: Pick<
      JoinReport,
      | "leftName"
      | "rightName"
      | "leftRows"
      | "rightRows"
      | "rows"
      | "leftOnly"
      | "rightOnly"
      | "range"
    >,
  ) {
    super();
    Object.assign(this, fields);
  }

  /** What was kept, then what was dropped from each side: one line each. */
  summary(): Summary {
    const span = this.range ? ` (${this.range[0]}..${this.range[1]})` : "";
    const lines = [
      `Joined ${this.rows} periods${span} from ${this.leftName} (${this.leftRows} rows) and ` +
      `${this.rightName} (${this.rightRows} rows).`,
    ];
    const sides = [[this.leftName, this.leftOnly], [this.rightName, this.rightOnly]] as const;
    for (const [name, dropped] of sides) {
      if (dropped.length) {
        lines.push(`Dropped ${dropped.length} period(s) only in ${name}: ${summarize(dropped)}.`);
      }
    }
    return Summary.of(new TextPart(lines, { list: true }));
  }

  /** Jupyter shows the report as a Markdown list, with the text as fallback. */
  override [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/markdown": this.toMarkdown() };
  }
}

/** Lists periods compactly: runs of consecutive keys are not collapsed, long lists are cut. */
function summarize(periods: string[], max = 12): string {
  if (periods.length <= max) return periods.join(", ");
  const head = periods.slice(0, max / 2).join(", ");
  const tail = periods.slice(-max / 2).join(", ");
  return `${head}, … ${periods.length - max} more …, ${tail}`;
}

function checkKey(frame: DataFrame, on: string, name: string): void {
  if (!frame.columns.includes(on)) {
    throw new InvalidArgumentError(
      `The ${name} frame has no "${on}" column (columns: ${frame.columns.join(", ")}). ` +
        `Make one with toMonthlyReturns()/toReturns(), or name the key with { on }.`,
    );
  }
  const duplicated = frame.filter(pl.col(on).isDuplicated()).getColumn(on).unique().sort();
  if (duplicated.length) {
    throw new InvalidArgumentError(
      `The ${name} frame repeats ${duplicated.length} ${on} value(s) ` +
        `(${
          summarize(duplicated.toArray().map(String), 6)
        }), so a one-to-one join is impossible. ` +
        `Resample to one row per period first, or filter to one series (e.g. one ticker).`,
    );
  }
}

/**
 * Inner join of two frames on `period`, validated one to one, returning the joined frame
 * (sorted by period) and a {@link JoinReport} of the periods dropped from each side.
 *
 * @param left e.g. monthly asset returns
 * @param right e.g. monthly factors
 * @param options key column, suffix, names used in the report
 * @returns the joined frame and the report
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinOnPeriod } from "./joins.ts";
 * const returns = { period: ["2020-01", "2020-02", "2020-03"], return: [0.01, 0.02, 0.03] };
 * const factors = { period: ["2020-02", "2020-03", "2020-04"], RF: [0.001, 0.001, 0.001] };
 * const { frame, report } = joinOnPeriod(returns, factors, { leftName: "VBR", rightName: "FF3" });
 * assert.ok(frame.height === 2);
 * assert.ok(report.leftOnly[0] === "2020-01" && report.rightOnly[0] === "2020-04");
 * ```
 */
export function joinOnPeriod(
  left: FrameLike,
  right: FrameLike,
  options: JoinOptions = {},
): { frame: DataFrame; report: JoinReport } {
  const on = options.on ?? "period";
  const leftName = options.leftName ?? "left";
  const rightName = options.rightName ?? "right";
  const l = toPolars(left);
  const r = toPolars(right);
  checkKey(l, on, leftName);
  checkKey(r, on, rightName);
  const lKeys = l.select(pl.col(on).cast(pl.Utf8));
  const rKeys = r.select(pl.col(on).cast(pl.Utf8));
  if (l.height && r.height) {
    const lw = String(lKeys.getColumn(on).get(0)).length;
    const rw = String(rKeys.getColumn(on).get(0)).length;
    if (lw !== rw) {
      throw new InvalidArgumentError(
        `Cannot join ${leftName} keyed like "${lKeys.getColumn(on).get(0)}" with ${rightName} ` +
          `keyed like "${rKeys.getColumn(on).get(0)}": the frequencies differ. Resample the ` +
          `finer one first (e.g. toMonthlyReturns for daily prices).`,
      );
    }
  }
  const frame = l.withColumns(pl.col(on).cast(pl.Utf8))
    .join(r.withColumns(pl.col(on).cast(pl.Utf8)), {
      on,
      how: "inner",
      validate: "1:1",
      suffix: options.suffix ?? "_right",
    })
    .sort(on);
  const only = (a: DataFrame, b: DataFrame) =>
    a.join(b, { on, how: "anti" }).getColumn(on).sort().toArray().map(String);
  const keys = frame.getColumn(on);
  const report = new JoinReport({
    leftName,
    rightName,
    leftRows: l.height,
    rightRows: r.height,
    rows: frame.height,
    leftOnly: only(lKeys, rKeys),
    rightOnly: only(rKeys, lKeys),
    range: frame.height ? [String(keys.get(0)), String(keys.get(frame.height - 1))] : undefined,
  });
  return { frame, report };
}
