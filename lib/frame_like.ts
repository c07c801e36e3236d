/**
 * The one shape of a danfojs DataFrame that factorlab recognises, without importing danfojs:
 * statistics (regressors, PCA panels) and the pipeline (frames of returns or prices) read it
 * through {@linkcode danfoColumn}.
 *
 * @module
 */

/**
 * A danfojs DataFrame, recognised by its shape: column names, then its columns as
 * `column(name).values` or its row-major `values` (a real danfojs frame has both), and its row
 * labels (`index`) when they mean something (periods or dates).
 */
export type DanfoFrameLike =
  & {
    /** Column names in order. */
    readonly columns: string[];
    /** Row labels (0..n-1 unless set, e.g. to periods or dates). */
    readonly index?: readonly (string | number)[];
  }
  & (
    | {
      /** One column as a Series with `values`. */
      column(name: string): { readonly values: unknown };
    }
    | {
      /** Row-major values. */
      readonly values: readonly (readonly unknown[])[];
    }
  );

/**
 * Whether a value has the shape of a danfojs DataFrame (and is not a nodejs-polars one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDanfoFrame } from "./frame_like.ts";
 * assert.ok(isDanfoFrame({ columns: ["a"], values: [[1], [2]] }));
 * assert.ok(!isDanfoFrame({ a: [1, 2] }));
 * ```
 */
export function isDanfoFrame(value: unknown): value is DanfoFrameLike {
  if (!(value instanceof Object) || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.columns) && typeof v.getColumn !== "function" &&
    (typeof v.column === "function" || Array.isArray(v.values));
}

/**
 * One column of a danfojs-shaped frame: `column(name).values` when the frame has it, else taken
 * from the row-major `values`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { danfoColumn } from "./frame_like.ts";
 * assert.deepEqual(danfoColumn({ columns: ["a", "b"], values: [[1, 2], [3, 4]] }, "b"), [2, 4]);
 * ```
 */
export function danfoColumn(frame: DanfoFrameLike, name: string): unknown {
  if ("column" in frame && typeof frame.column === "function") return frame.column(name).values;
  const j = frame.columns.indexOf(name);
  return (frame as { values: readonly (readonly unknown[])[] }).values.map((row) => row[j]);
}
