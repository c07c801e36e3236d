/**
 * Covariance estimators of OLS parameter estimates: the classical one and the
 * heteroscedasticity (HC0–HC3) and autocorrelation (HAC, Newey-West) robust sandwiches,
 * with the same definitions as statsmodels.
 *
 * Every sandwich `(XᵀX)⁻¹ Xᵀ Ω X (XᵀX)⁻¹` is computed as `R⁻¹ (Q₁ᵀ Ω Q₁) R⁻ᵀ` with
 * `X = Q₁ R`, which is algebraically the same and better conditioned.
 *
 * @module
 */

import { RegressionInputError } from "./errors.ts";
import { sandwich } from "./linalg.ts";
import type { NeweyWestLagSelection } from "./newey_west.ts";

/** Covariance types of OLS parameter estimates. */
export type CovType = "nonrobust" | "HC0" | "HC1" | "HC2" | "HC3" | "HAC";

/** All covariance types, in the order they are documented. */
export const COV_TYPES: readonly CovType[] = ["nonrobust", "HC0", "HC1", "HC2", "HC3", "HAC"];

/** Settings of a robust covariance estimate. */
export interface CovOptions {
  /**
   * HAC only (required): highest autocorrelation lag in the Newey-West (Bartlett) window, or
   * `"auto"` for the Newey-West (1994) automatic selection (see `neweyWestLags`).
   */
  maxlags?: number | "auto";
  /** HAC only: scale by `nobs / (nobs − k)`, as statsmodels' `use_correction`. Default false. */
  useCorrection?: boolean;
}

/** A covariance specification checked against the sample. */
export interface CovSpec {
  /** The covariance type. */
  covType: CovType;
  /** Lags of the HAC window (HAC only). */
  maxlags?: number;
  /** Small-sample correction applied (HAC only). */
  useCorrection?: boolean;
  /** HAC only: how `maxlags` was chosen, given (`"fixed"`) or by Newey-West (1994). */
  lagSelection?: "fixed" | "newey-west-1994";
  /** HAC with `maxlags: "auto"`: the quantities of the Newey-West (1994) rule. */
  neweyWest?: NeweyWestLagSelection;
  /** The sentence statsmodels prints in the summary notes. */
  description: string;
}

const DESCRIPTIONS: Record<Exclude<CovType, "HAC">, string> = {
  nonrobust:
    "Standard Errors assume that the covariance matrix of the errors is correctly specified.",
  HC0: "Standard Errors are heteroscedasticity robust (HC0)",
  HC1: "Standard Errors are heteroscedasticity robust (HC1)",
  HC2: "Standard Errors are heteroscedasticity robust (HC2)",
  HC3: "Standard Errors are heteroscedasticity robust (HC3)",
};

/**
 * Checks a covariance request and returns its specification, or throws saying what to fix.
 * `autoLags` computes the Newey-West (1994) selection of the fit when `maxlags` is `"auto"`.
 */
export function covSpec(
  covType: string,
  options: CovOptions,
  nobs: number,
  autoLags?: () => NeweyWestLagSelection,
): CovSpec {
  const known = COV_TYPES.find((t) => t.toLowerCase() === String(covType).toLowerCase());
  if (known === undefined) {
    throw new RegressionInputError(
      `Unknown covType "${covType}". Use one of ${COV_TYPES.map((t) => `"${t}"`).join(", ")}.`,
    );
  }
  if (known !== "HAC") {
    if (options.maxlags !== undefined || options.useCorrection !== undefined) {
      throw new RegressionInputError(
        `maxlags and useCorrection apply to covType "HAC" only, not "${known}".`,
      );
    }
    return { covType: known, description: DESCRIPTIONS[known] };
  }
  const { maxlags } = options;
  if (maxlags === undefined) {
    const rule = Math.floor(4 * Math.pow(nobs / 100, 2 / 9));
    throw new RegressionInputError(
      `covType "HAC" needs maxlags, the number of autocorrelation lags (e.g. { maxlags: ${rule} }` +
        ` for ${nobs} observations by the rule floor(4·(T/100)^(2/9)); 12 is common for ` +
        'monthly data), or { maxlags: "auto" } for the Newey-West (1994) automatic selection.',
    );
  }
  const useCorrection = options.useCorrection ?? false;
  const correction = `${useCorrection ? "with" : "without"} small sample correction`;
  const intro = "Standard Errors are heteroscedasticity and autocorrelation robust (HAC) using";
  if (maxlags === "auto") {
    if (autoLags === undefined) {
      throw new RegressionInputError('maxlags "auto" needs the fit\'s residuals; pass a number.');
    }
    const neweyWest = autoLags();
    const lags = neweyWest.lags;
    return {
      covType: "HAC",
      maxlags: lags,
      useCorrection,
      lagSelection: "newey-west-1994",
      neweyWest,
      description: `${intro} ${lags} lag${lags === 1 ? "" : "s"} (Newey-West 1994 automatic ` +
        `selection) and ${correction}`,
    };
  }
  if (!Number.isInteger(maxlags) || maxlags < 0 || maxlags >= nobs) {
    throw new RegressionInputError(
      `maxlags must be a whole number from 0 to ${nobs - 1} (the sample has ${nobs} ` +
        `observations) or "auto", not ${
          typeof maxlags === "string" ? JSON.stringify(maxlags) : maxlags
        }.`,
    );
  }
  return {
    covType: "HAC",
    maxlags,
    useCorrection,
    lagSelection: "fixed",
    description: `${intro} ${maxlags} lags and ${correction}`,
  };
}

/**
 * `Q₁ = X R⁻¹` (column-major `n × k`, orthonormal columns spanning X) and the leverages, the
 * squared row norms of `Q₁`: what the robust covariances are built from.
 */
export function orthonormalBasis(
  x: Float64Array,
  rinv: Float64Array,
  n: number,
  k: number,
): { q1: Float64Array; leverage: Float64Array } {
  const q1 = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c <= j; c++) {
      const r = rinv[j * k + c];
      if (r === 0) continue;
      for (let i = 0; i < n; i++) q1[j * n + i] += x[c * n + i] * r;
    }
  }
  const leverage = new Float64Array(n);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) leverage[i] += q1[j * n + i] ** 2;
  return { q1, leverage };
}

/** `(XᵀX)⁻¹ = R⁻¹ R⁻ᵀ` (symmetric `k × k`) from the column-major upper triangular `R⁻¹`. */
export function normalizedCovariance(rinv: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = i; c < k; c++) s += rinv[c * k + i] * rinv[c * k + j];
      out[j * k + i] = s;
      out[i * k + j] = s;
    }
  }
  return out;
}

/**
 * Robust covariance of the parameters (column-major `k × k`) for a non-classical spec, from the
 * fit's {@linkcode orthonormalBasis} and leverages, its `R⁻¹` (column-major upper triangular)
 * and its residuals.
 */
export function robustCovariance(
  basis: { q1: Float64Array; leverage: Float64Array },
  rinv: Float64Array,
  resid: Float64Array,
  spec: CovSpec,
): Float64Array {
  const { q1, leverage } = basis;
  const nobs = resid.length;
  const k = q1.length / nobs;
  const correction = nobs / (nobs - k);
  if (spec.covType === "HAC") {
    // The Newey-West inner matrix of the scores q_i u_i.
    const scores = q1.map((v, at) => v * resid[at % nobs]);
    const meat = longRunCovariance(scores, nobs, k, spec.maxlags ?? 0);
    return sandwich(rinv, k, k, spec.useCorrection ? meat.map((v) => v * correction) : meat);
  }
  const weightOf: Record<string, (e2: number, h: number) => number> = {
    HC0: (e2) => e2,
    HC1: (e2) => correction * e2,
    HC2: (e2, h) => e2 / (1 - h),
    HC3: (e2, h) => e2 / ((1 - h) * (1 - h)),
  };
  const weight = weightOf[spec.covType];
  if (weight === undefined) {
    throw new Error(`robustCovariance: ${spec.covType} is not a robust type`);
  }
  const w = Float64Array.from(resid, (e, i) => weight(e * e, leverage[i]));
  return sandwich(rinv, k, k, weightedGram(q1, nobs, k, w));
}

/** `Q₁ᵀ diag(w) Q₁`. */
function weightedGram(q: Float64Array, n: number, k: number, w: Float64Array): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const qa = a * n;
    for (let b = 0; b <= a; b++) {
      const qb = b * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += q[qa + i] * w[i] * q[qb + i];
      out[b * k + a] = s;
      out[a * k + b] = s;
    }
  }
  return out;
}

/**
 * `Σ_lag w_lag (Γ_lag + Γ_lagᵀ)` with Bartlett weights `1 − lag / (lags + 1)` (Γ₀ once), where
 * `Γ_lag[a][b] = Σ_t s_a(t) s_b(t − lag)` over the column-major `n × k` series `s`: the Newey-West
 * long-run covariance times n (column-major `k × k`).
 */
export function longRunCovariance(
  scores: Float64Array,
  n: number,
  k: number,
  lags: number,
): Float64Array {
  const out = new Float64Array(k * k);
  for (let lag = 0; lag <= lags; lag++) {
    const w = 1 - lag / (lags + 1);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        const sa = a * n;
        const sb = b * n;
        for (let t = lag; t < n; t++) s += scores[sa + t] * scores[sb + t - lag];
        if (lag === 0) out[b * k + a] += s;
        else {
          out[b * k + a] += w * s;
          out[a * k + b] += w * s;
        }
      }
    }
  }
  return out;
}
