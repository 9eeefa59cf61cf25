// The odds markets we keep, by canonical name (API-Football's bet names, which are descriptive), with the number
// of mutually exclusive outcomes that make a market complete — only a complete market's margin can be removed
// (src/analytics/odds.ts). Over/under markets are kept per line ("2.5"), each line a market of two outcomes.
export const ODDS_MARKETS: Record<string, { outcomes: number; lined?: boolean }> = {
  "Match Winner": { outcomes: 3 },
  "Home/Away": { outcomes: 2 },
  "First Half Winner": { outcomes: 3 },
  "Second Half Winner": { outcomes: 3 },
  "Both Teams Score": { outcomes: 2 },
  "Goals Over/Under": { outcomes: 2, lined: true },
  "Goals Over/Under First Half": { outcomes: 2, lined: true },
  "Goals Over/Under - Second Half": { outcomes: 2, lined: true },
  "Total - Home": { outcomes: 2, lined: true },
  "Total - Away": { outcomes: 2, lined: true },
  "Odd/Even": { outcomes: 2 },
  "Odd/Even - First Half": { outcomes: 2 },
  "Win to Nil - Home": { outcomes: 2 },
  "Win to Nil - Away": { outcomes: 2 },
};

/** Outcomes per market name (undefined: a market we do not know to be exclusive). */
export const ODDS_OUTCOMES: Record<string, number | undefined> = Object.fromEntries(Object.entries(ODDS_MARKETS).map(([k, v]) => [k, v.outcomes]));
