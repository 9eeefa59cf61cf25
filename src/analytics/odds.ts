// Bookmaker odds → probabilities. A bookmaker's decimal odds o_i imply 1/o_i, which sum to more than 1 over a
// market's outcomes: the excess is its margin (overround). We remove it by PROPORTIONAL normalization,
// p_i = (1/o_i) / Σ_j (1/o_j), so a complete market's probabilities sum to exactly 1. (Shin's method would
// shift more of the margin onto long shots; proportional is the documented, assumption-free baseline.)
// Only complete markets (every mutually exclusive outcome quoted) are normalized; anything else keeps its raw
// implied probabilities and no margin-free ones.

export const MARGIN_METHOD = "proportional" as const;

export interface Priced {
  name: string;
  odds: number;
}

export interface Normalized {
  /** Σ 1/o − 1 (0.05 = 5 % margin); null when the market is incomplete. */
  margin: number | null;
  selections: { name: string; odds: number; impliedProbability: number; probability: number | null }[];
}

/** Margin and margin-free probabilities of one bookmaker's market; `complete` says whether all outcomes are there. */
export function removeMargin(selections: Priced[], complete: boolean): Normalized {
  const implied = selections.map((s) => (s.odds > 1 ? 1 / s.odds : NaN));
  const ok = complete && implied.every(Number.isFinite);
  const total = implied.reduce((a, b) => a + b, 0);
  return {
    margin: ok ? round(total - 1) : null,
    selections: selections.map((s, i) => ({
      name: s.name,
      odds: s.odds,
      impliedProbability: round(implied[i]!),
      probability: ok ? implied[i]! / total : null,
    })),
  };
}

/** Mean of several bookmakers' margin-free probabilities per outcome, renormalized to sum to 1. */
export function consensus(markets: Normalized[]): { name: string; probability: number }[] | null {
  const usable = markets.filter((m) => m.margin != null);
  if (!usable.length) return null;
  const sums = new Map<string, { total: number; n: number }>();
  for (const m of usable) for (const s of m.selections) {
    const acc = sums.get(s.name) ?? { total: 0, n: 0 };
    sums.set(s.name, { total: acc.total + s.probability!, n: acc.n + 1 });
  }
  const means = [...sums].map(([name, { total, n }]) => ({ name, probability: total / n }));
  const all = means.reduce((a, m) => a + m.probability, 0);
  return means.map((m) => ({ name: m.name, probability: m.probability / all }));
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
