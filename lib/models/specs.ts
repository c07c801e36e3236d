/**
 * Factor-model specifications: the Ken French models by name, and custom factor lists.
 *
 * @module
 */

import { type FactorModel, MODEL_FACTORS } from "../data/factors.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { FrameLike } from "../pipeline/interop.ts";

/**
 * A custom model: any factor columns, either found in the returns frame given to `analyze`,
 * taken from `data` (a frame with a `period` column), or, when every factor is one of the
 * library's (MKT_RF, SMB, HML, RMW, CMA, MOM), downloaded from the Ken French library.
 */
export interface CustomModel {
  /** Factor column names, in the order the summary lists them. */
  factors: string[];
  /** Name shown in titles (default "Custom factor model"). */
  name?: string;
  /** A frame with `period` and the factor columns (and `RF` for excess returns). */
  data?: FrameLike;
}

/** A model as `analyze` accepts it: a library model name or a custom model. */
export type ModelInput = FactorModel | CustomModel;

/** A resolved model. */
export interface ModelSpec {
  /** Short name (`"ff3"`, or `"custom"`). */
  name: string;
  /** Title, e.g. "Fama-French 3-Factor". */
  label: string;
  /** Factor columns. */
  factors: string[];
  /** The smallest library model holding all factors, when there is one. */
  library: FactorModel | undefined;
  /** User-supplied factor data, for custom models. */
  data: FrameLike | undefined;
}

const LABELS: Record<FactorModel, string> = {
  capm: "CAPM",
  ff3: "Fama-French 3-Factor",
  carhart4: "Carhart 4-Factor",
  ff5: "Fama-French 5-Factor",
  ff5mom: "Fama-French 5-Factor + Momentum",
  ff6: "Fama-French 6-Factor",
};

/** What each library factor measures, for reports. */
export const FACTOR_LABELS: Readonly<Record<string, string>> = Object.freeze({
  MKT_RF: "Market",
  MKT: "Market",
  SMB: "Size",
  HML: "Value",
  RMW: "Profitability",
  CMA: "Investment",
  MOM: "Momentum",
});

const SEARCH_ORDER: FactorModel[] = ["capm", "ff3", "carhart4", "ff5", "ff6"];

/** Resolves a model name or custom model, or throws saying which names exist. */
export function resolveModel(model: ModelInput | undefined): ModelSpec {
  const m = model ?? "ff3";
  if (typeof m === "string") {
    const factors = MODEL_FACTORS[m as FactorModel];
    if (!factors) {
      throw new InvalidArgumentError(
        `Unknown model "${m}". Use one of ${
          Object.keys(MODEL_FACTORS).map((k) => `"${k}"`).join(", ")
        }, or { factors: [...] } for your own factors.`,
      );
    }
    return {
      name: m,
      label: LABELS[m as FactorModel],
      factors: [...factors],
      library: m,
      data: undefined,
    };
  }
  if (!m || !Array.isArray(m.factors) || m.factors.length === 0) {
    throw new InvalidArgumentError(
      'A custom model needs a non-empty list of factor columns: { factors: ["MOM", "HML"] }.',
    );
  }
  const dup = m.factors.find((f, i) => m.factors.indexOf(f) !== i);
  if (dup !== undefined) throw new InvalidArgumentError(`Factor "${dup}" is listed twice.`);
  const library = SEARCH_ORDER.find((name) =>
    m.factors.every((f) => MODEL_FACTORS[name].includes(f))
  );
  return {
    name: "custom",
    label: m.name ?? "Custom factor model",
    factors: [...m.factors],
    library,
    data: m.data,
  };
}
