/**
 * The classic asset-pricing test panel, read from data/samples with the library's own reader:
 * the 25 value-weighted size/book-to-market portfolios (vintage 202412) in excess of RF, and the
 * Fama-French 3 factors of the same vintage, 1963-07..2024-12 (738 months). The reference figures
 * in fixtures/asset_pricing_reference.json were computed from the same files with numpy.
 */

import pl from "nodejs-polars";
import { type DataFrame, frenchDataset } from "../../mod.ts";

const FRENCH = "data/samples/french";
const RANGE = { start: "1963-07", end: "2024-12" };

/** The panel: periods, excess returns by portfolio, factors, and the wide frame. */
export interface PortfolioPanel {
  periods: string[];
  assets: string[];
  excess: Record<string, Float64Array>;
  factors: { MKT_RF: Float64Array; SMB: Float64Array; HML: Float64Array };
  /** `period`, the 25 raw portfolio returns, MKT_RF, SMB, HML, RF. */
  frame: DataFrame;
}

/** Reads the 25 portfolios and FF3 (202412) over 1963-07..2024-12. */
export async function portfolioPanel(): Promise<PortfolioPanel> {
  const ports =
    (await frenchDataset(`${FRENCH}/25_Portfolios_5x5_CSV_202412.zip`, RANGE)).tables[0];
  if (ports.title !== "Average Value Weighted Returns -- Monthly") {
    throw new Error(`unexpected first table ${ports.title}`);
  }
  const ff3 = (await frenchDataset(`${FRENCH}/F-F_Research_Data_Factors_CSV_202412.zip`, RANGE))
    .tables[0].frame.rename({ "Mkt-RF": "MKT_RF" });
  const frame = ports.frame.join(ff3, { on: "period", how: "inner" }).sort("period");
  const col = (name: string) => Float64Array.from(frame.getColumn(name).toArray() as number[]);
  const assets = ports.frame.columns.filter((c) => c !== "period");
  const rf = col("RF");
  const excess = Object.fromEntries(
    assets.map((a) => [a, col(a).map((v, t) => v - rf[t])]),
  );
  return {
    periods: frame.getColumn("period").toArray() as string[],
    assets,
    excess,
    factors: { MKT_RF: col("MKT_RF"), SMB: col("SMB"), HML: col("HML") },
    frame: frame.select("period", ...assets, pl.col("MKT_RF"), "SMB", "HML", "RF"),
  };
}
