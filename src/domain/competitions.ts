// Competition registry: canonical codes (football-data.org's where one exists) mapped to each provider's own id.
// `COMPETITIONS` (canonical codes) is all a user configures; adapters look their ids up here.
export const COMPETITION_CODES = [
  "PL", "ELC", "BL1", "BL2", "PD", "SA", "FL1", "DED", "PPL", "CL", "EL", "WC", "EC",
] as const;
export type CompetitionCode = (typeof COMPETITION_CODES)[number];

export interface CompetitionInfo {
  code: CompetitionCode;
  name: string;
  country: string | null;
  type: "league" | "cup";
  /** Provider ids; a missing entry means the provider does not cover the competition. */
  ids: { openligadb?: string; apiFootball?: number; footballData?: string };
}

export const COMPETITIONS: Record<CompetitionCode, CompetitionInfo> = {
  PL: { code: "PL", name: "Premier League", country: "England", type: "league", ids: { apiFootball: 39, footballData: "PL" } },
  ELC: { code: "ELC", name: "Championship", country: "England", type: "league", ids: { apiFootball: 40, footballData: "ELC" } },
  BL1: { code: "BL1", name: "Bundesliga", country: "Germany", type: "league", ids: { openligadb: "bl1", apiFootball: 78, footballData: "BL1" } },
  BL2: { code: "BL2", name: "2. Bundesliga", country: "Germany", type: "league", ids: { openligadb: "bl2", apiFootball: 79, footballData: "BL2" } },
  PD: { code: "PD", name: "La Liga", country: "Spain", type: "league", ids: { apiFootball: 140, footballData: "PD" } },
  SA: { code: "SA", name: "Serie A", country: "Italy", type: "league", ids: { apiFootball: 135, footballData: "SA" } },
  FL1: { code: "FL1", name: "Ligue 1", country: "France", type: "league", ids: { apiFootball: 61, footballData: "FL1" } },
  DED: { code: "DED", name: "Eredivisie", country: "Netherlands", type: "league", ids: { apiFootball: 88, footballData: "DED" } },
  PPL: { code: "PPL", name: "Primeira Liga", country: "Portugal", type: "league", ids: { apiFootball: 94, footballData: "PPL" } },
  CL: { code: "CL", name: "UEFA Champions League", country: null, type: "cup", ids: { apiFootball: 2, footballData: "CL" } },
  EL: { code: "EL", name: "UEFA Europa League", country: null, type: "cup", ids: { apiFootball: 3, footballData: "EL" } },
  WC: { code: "WC", name: "FIFA World Cup", country: null, type: "cup", ids: { apiFootball: 1, footballData: "WC" } },
  EC: { code: "EC", name: "European Championship", country: null, type: "cup", ids: { apiFootball: 4, footballData: "EC" } },
};

export function isCompetitionCode(code: string): code is CompetitionCode {
  return Object.hasOwn(COMPETITIONS, code);
}

/** "2023/24" for 2023: a season is named by the year it starts, as all three providers do. */
export function seasonName(year: number, type: CompetitionInfo["type"]): string {
  return type === "league" ? `${year}/${String((year + 1) % 100).padStart(2, "0")}` : String(year);
}
