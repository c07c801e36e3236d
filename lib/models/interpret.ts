/**
 * Plain-language reading of a factor regression, sentence by sentence, in the words the
 * tutorials use ("moves almost exactly with the market", "value tilt", "no statistically
 * significant alpha"). Every sentence is decided by the estimates, their confidence
 * intervals and p-values, and the diagnostics.
 *
 * @module
 */

import { formatP } from "../display/mod.ts";
import type { OLSResults } from "../stats/ols.ts";

/** What the interpretation needs from an analysis. */
export interface Interpretable {
  /** Asset name. */
  name: string;
  /** Factor names. */
  factors: string[];
  /** The fit. */
  fit: OLSResults;
  /** Significance level. */
  level: number;
  /** "monthly", "weekly" or "daily". */
  frequency: string;
}

const PER_YEAR: Record<string, number> = { monthly: 12, weekly: 52, daily: 252 };

/** How far from 1 a market beta may be and still read as "moves with the market". */
const MARKET_BAND = 0.1;

interface Tilt {
  positive: string;
  negative: string;
  none: string;
}

/** Wording for the library's style factors: positive and negative significant loadings. */
const TILTS: Record<string, Tilt> = {
  SMB: {
    positive: "behaves like a small-cap stock: a size tilt",
    negative: "behaves like a large-cap stock",
    none: "shows no significant size tilt",
  },
  HML: {
    positive: "has a value tilt: it co-moves with cheap, high book-to-market stocks",
    negative: "has a growth tilt: it co-moves with expensive, low book-to-market stocks",
    none: "shows no significant value or growth tilt",
  },
  RMW: {
    positive: "leans towards profitable (robust) firms",
    negative: "leans towards unprofitable (weak) firms",
    none: "shows no significant profitability tilt",
  },
  CMA: {
    positive: "leans towards conservatively investing firms",
    negative: "leans towards aggressively investing firms",
    none: "shows no significant investment tilt",
  },
  MOM: {
    positive: "follows momentum: it co-moves with recent winners",
    negative: "leans against momentum: it co-moves with recent losers",
    none: "shows no significant momentum exposure",
  },
};

const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
const num = (x: number) => x.toFixed(2);
const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${formatP(p)}`);

/** The sentences, in reading order: exposures, alpha, fit, then diagnostics. */
export function interpretAnalysis(a: Interpretable): string[] {
  const { fit, level, name } = a;
  const ci = fit.confInt(level);
  const confidence = `${Math.round((1 - level) * 100)}%`;
  const out: string[] = [];

  for (const f of a.factors) {
    const beta = fit.params.get(f);
    const p = fit.pvalues.get(f);
    const lo = ci.lower.get(f);
    const hi = ci.upper.get(f);
    const detail = `${f} beta ${num(beta)}, ${confidence} CI ${num(lo)} to ${num(hi)}, ${pText(p)}`;
    if (f === "MKT_RF" || f === "MKT") {
      // Statistically different from 1 is not the same as economically different: a beta
      // within MARKET_BAND of 1 reads as moving with the market either way.
      const withinBand = Math.abs(beta - 1) <= MARKET_BAND;
      if (p >= level) {
        out.push(`${name} shows no significant market exposure (${detail}).`);
      } else if (lo <= 1 && hi >= 1) {
        out.push(
          `${name} moves almost exactly with the market: its market beta is statistically ` +
            `indistinguishable from 1 (${detail}).`,
        );
      } else if (withinBand) {
        out.push(
          `${name} moves almost exactly with the market: its market beta differs from 1 by ` +
            `less than ${MARKET_BAND}, though measurably (${detail}).`,
        );
      } else if (beta > 1) {
        out.push(
          `${name} amplifies market moves: a 1% market excess return goes with about ` +
            `${num(beta)}% for ${name} (${detail}).`,
        );
      } else if (beta > 0) {
        out.push(
          `${name} is defensive: it moves less than the market, about ${num(beta)}% per 1% ` +
            `market move (${detail}).`,
        );
      } else {
        out.push(`${name} moves against the market (${detail}).`);
      }
      continue;
    }
    const tilt = TILTS[f];
    if (tilt) {
      const verdict = p >= level ? tilt.none : beta > 0 ? tilt.positive : tilt.negative;
      out.push(`${name} ${verdict} (${detail}).`);
    } else if (p >= level) {
      out.push(`${name} shows no significant exposure to ${f} (${detail}).`);
    } else {
      out.push(
        `${name} has a significant ${beta > 0 ? "positive" : "negative"} exposure to ${f} ` +
          `(${detail}).`,
      );
    }
  }

  const alpha = fit.params.get("const");
  const alphaP = fit.pvalues.get("const");
  const perYear = PER_YEAR[a.frequency] ?? 12;
  const alphaText = `${a.frequency} alpha ${pct(alpha, 3)}, about ${pct(alpha * perYear)} a year, ${
    pText(alphaP)
  }`;
  if (alphaP >= level) {
    out.push(
      `No statistically significant alpha (${alphaText}): the factors account for the ` +
        "average return; what is left is indistinguishable from zero.",
    );
  } else if (alpha > 0) {
    out.push(
      `Significant positive alpha (${alphaText}): ${name} earned more than its factor ` +
        "exposures explain.",
    );
  } else {
    out.push(
      `Significant negative alpha (${alphaText}): ${name} earned less than its factor ` +
        "exposures explain (fees and costs show up here).",
    );
  }

  out.push(
    `The factors explain ${pct(fit.rsquaredAdj, 1)} of the variation in ${name}'s ` +
      `${a.frequency} excess returns (adjusted R²).`,
  );

  const dw = fit.durbinWatson;
  if (dw >= 1.5 && dw <= 2.5) {
    out.push(
      `Durbin-Watson ${num(dw)} is in the usual 1.5–2.5 band: no worrying autocorrelation ` +
        "in the residuals.",
    );
  } else {
    out.push(
      `Durbin-Watson ${num(dw)} is outside 1.5–2.5: the residuals are ${
        dw < 1.5 ? "positively" : "negatively"
      } autocorrelated, so classical standard errors are off; use Newey-West (covType "HAC").`,
    );
  }

  const jb = fit.jarqueBera();
  const omni = fit.omnibus();
  const nonNormal = jb.pvalue < level || omni.pvalue < level;
  if (nonNormal) {
    const shape = [
      jb.kurtosis > 3.5 ? `fat tails (kurtosis ${num(jb.kurtosis)} against 3 for a normal)` : "",
      Math.abs(jb.skew) > 0.5 ? `skew ${num(jb.skew)}` : "",
    ].filter(Boolean).join(" and ");
    out.push(
      `The residuals are not normal (Omnibus ${pText(omni.pvalue)}, Jarque-Bera ` +
        `${pText(jb.pvalue)}${shape ? `; ${shape}` : ""}): treat exact confidence intervals ` +
        "and p-values with some care.",
    );
  } else {
    out.push(
      `The residuals look normal (Omnibus ${pText(omni.pvalue)}, Jarque-Bera ${pText(jb.pvalue)}).`,
    );
  }

  try {
    const white = fit.hetWhite();
    if (white.lmPvalue < level) {
      out.push(
        `White's test finds heteroscedasticity (${pText(white.lmPvalue)}): prefer robust ` +
          'standard errors (covType "HC3", or "HAC" with autocorrelation).',
      );
    } else {
      out.push(`White's test finds no heteroscedasticity (${pText(white.lmPvalue)}).`);
    }
  } catch {
    // Too few observations for White's auxiliary regression: say nothing about it.
  }
  if (fit.covType !== "nonrobust") out.push(`${fit.covKwds.description}.`);
  return out;
}
