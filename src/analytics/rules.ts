// Each league's ranking rules for teams level on points, as an ordered list of criteria (analytics/standings.ts
// applies them). Sources are the leagues' own regulations for the 2024/25 season; where a league ends with a
// play-off, fair-play table or drawing of lots, we stop at the last criterion computable from results and fall
// back to the team name (documented in the README as a limit).
import type { CompetitionCode } from "../domain/competitions";

export type Criterion =
  | "points"
  | "goalDifference"
  | "goalsFor"
  | "wins"
  | "awayGoals"
  /** Among the teams still level: points, goal difference, goals and away goals of their matches with each other. */
  | "h2hPoints"
  | "h2hGoalDifference"
  | "h2hGoalsFor"
  | "h2hAwayGoals";

export interface TieBreakRule {
  criteria: Criterion[];
  /** Where the order comes from (regulation and article). */
  source: string;
}

// Premier League Handbook 2024/25, Section C (League Table), rules C.17–C.18: goal difference, goals scored, then
// points in the matches between the clubs, then away goals in those matches, then a play-off.
const ENGLAND: TieBreakRule = {
  criteria: ["points", "goalDifference", "goalsFor", "h2hPoints", "h2hAwayGoals"],
  source: "Premier League Handbook 2024/25 rules C.17–C.18; EFL Regulations 2024/25 reg. 9.5 (same order)",
};

// DFL Spielordnung (SpOL) § 4 Nr. 2: goal difference, goals scored, aggregate of the matches between the clubs,
// away goals in those matches, away goals overall, then a deciding match.
const GERMANY: TieBreakRule = {
  criteria: ["points", "goalDifference", "goalsFor", "h2hPoints", "h2hGoalDifference", "h2hAwayGoals", "awayGoals"],
  source: "DFL Spielordnung § 4 Nr. 2 (2024/25)",
};

export const TIE_BREAKS: Record<CompetitionCode, TieBreakRule> = {
  PL: ENGLAND,
  ELC: ENGLAND,
  BL1: GERMANY,
  BL2: GERMANY,
  // RFEF Reglamento General art. 201: between clubs level on points, first the matches between them (points,
  // then goal difference, as a mini-league when more than two), then overall goal difference, then goals scored.
  PD: {
    criteria: ["points", "h2hPoints", "h2hGoalDifference", "h2hGoalsFor", "goalDifference", "goalsFor"],
    source: "RFEF Reglamento General art. 201 (LaLiga 2024/25)",
  },
  // Lega Serie A, from 2022/23 (C.U. FIGC): points in the matches between the clubs (classifica avulsa), their
  // goal difference, then overall goal difference, goals scored, then lots (a play-off only for the title or
  // relegation, which we do not model).
  SA: {
    criteria: ["points", "h2hPoints", "h2hGoalDifference", "goalDifference", "goalsFor"],
    source: "Lega Serie A / FIGC C.U. 2022/23 onwards (classifica avulsa before goal difference)",
  },
  // LFP Règlement des compétitions (Ligue 1), ranking article: overall goal difference first, then the matches
  // between the clubs (points, goal difference, goals, away goals), then goals scored, away goals overall.
  FL1: {
    criteria: ["points", "goalDifference", "h2hPoints", "h2hGoalDifference", "h2hGoalsFor", "h2hAwayGoals", "goalsFor", "awayGoals"],
    source: "LFP Règlement des compétitions 2024/25, classement (différence de buts générale, puis confrontations directes)",
  },
  // KNVB Eredivisie competition rules art. 12: goal difference, goals scored, then a deciding match for
  // titles/relegation; we continue with the matches between the clubs.
  DED: {
    criteria: ["points", "goalDifference", "goalsFor", "h2hPoints", "h2hGoalDifference", "h2hAwayGoals"],
    source: "KNVB Reglement Betaald Voetbal, Eredivisie ranking (2024/25)",
  },
  // Liga Portugal Regulamento das Competições art. 13: matches between the clubs first (points, goal difference,
  // goals), then overall goal difference, wins, goals scored.
  PPL: {
    criteria: ["points", "h2hPoints", "h2hGoalDifference", "h2hGoalsFor", "goalDifference", "wins", "goalsFor"],
    source: "Liga Portugal Regulamento das Competições art. 13 (2024/25)",
  },
  // Cups: group and league-phase tables are not computed by us (see README); this order only serves ad-hoc use.
  CL: { criteria: ["points", "goalDifference", "goalsFor", "awayGoals", "wins"], source: "UEFA Champions League regulations 2024/25 art. 18 (league phase), partial" },
  EL: { criteria: ["points", "goalDifference", "goalsFor", "awayGoals", "wins"], source: "UEFA Europa League regulations 2024/25 art. 18 (league phase), partial" },
  WC: { criteria: ["points", "goalDifference", "goalsFor", "h2hPoints", "h2hGoalDifference", "h2hGoalsFor"], source: "FIFA World Cup 2022 regulations art. 32.5" },
  EC: { criteria: ["points", "h2hPoints", "h2hGoalDifference", "h2hGoalsFor", "goalDifference", "goalsFor"], source: "UEFA EURO 2024 regulations art. 20" },
};
