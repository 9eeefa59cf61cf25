// Team season stats from canonical finished matches and goal events: home / away / total records, goals,
// clean sheets, failed to score, points per game, biggest win and loss, goals for/against by 15-minute interval,
// form. Definitions in the README ("Team season stats").
import type { ResultTotals } from "../domain/canonical";

export interface TeamMatch {
  homeId: number;
  awayId: number;
  homeScore: number;
  awayScore: number;
  kickoff: Date;
  matchId: number;
}

export interface GoalMinute {
  /** Known when the caller has it: lets the interval counts be split home/away too. */
  matchId?: number;
  minute: number | null;
  forTeam: boolean;
}

export interface Margin {
  matchId: number;
  score: string;
  margin: number;
}

export interface Split extends ResultTotals {
  goalDifference: number;
  cleanSheets: number;
  failedToScore: number;
  pointsPerGame: number | null;
  biggestWin: Margin | null;
  biggestLoss: Margin | null;
  goalsByInterval: Record<Interval, { for: number; against: number }>;
}

/** 0-15, 16-30, 31-45 (incl. first-half stoppage), 46-60, 61-75, 76-90 (incl. stoppage), extra time. */
export const INTERVALS = ["0-15", "16-30", "31-45", "46-60", "61-75", "76-90", "91-120"] as const;
export type Interval = (typeof INTERVALS)[number];

const empty = (): Split => ({
  played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0, goalDifference: 0, cleanSheets: 0, failedToScore: 0, points: 0,
  pointsPerGame: null, biggestWin: null, biggestLoss: null,
  goalsByInterval: Object.fromEntries(INTERVALS.map((k) => [k, { for: 0, against: 0 }])) as Split["goalsByInterval"],
});

/** Minute as providers give it (stoppage time as 45/90 + extra, or 94): its interval. */
export function intervalOf(minute: number): Interval {
  return INTERVALS[minute <= 90 ? Math.min(5, Math.max(0, Math.ceil(minute / 15) - 1)) : 6]!;
}

export function computeTeamStats(teamId: number, results: TeamMatch[], goalMinutes: GoalMinute[]) {
  const home = empty();
  const away = empty();
  const total = empty();
  const form: string[] = [];
  const sideOf = new Map<number, Split>();
  for (const m of [...results].sort((a, b) => a.kickoff.getTime() - b.kickoff.getTime() || a.matchId - b.matchId)) {
    const atHome = m.homeId === teamId;
    if (!atHome && m.awayId !== teamId) continue;
    const split = atHome ? home : away;
    sideOf.set(m.matchId, split);
    const gf = atHome ? m.homeScore : m.awayScore;
    const ga = atHome ? m.awayScore : m.homeScore;
    for (const s of [split, total]) record(s, m, gf, ga);
    form.push(gf > ga ? "W" : gf < ga ? "L" : "D");
  }
  for (const g of goalMinutes) {
    if (g.minute == null) continue;
    const k = intervalOf(g.minute);
    const side = g.matchId != null ? sideOf.get(g.matchId) : undefined;
    for (const s of side ? [side, total] : [total]) s.goalsByInterval[k][g.forTeam ? "for" : "against"]++;
  }
  for (const s of [home, away, total]) {
    s.goalDifference = s.goalsFor - s.goalsAgainst;
    s.pointsPerGame = s.played ? Math.round((s.points / s.played) * 100) / 100 : null;
  }
  // Top-level biggestWin/biggestLoss/goalsByInterval repeat the total's (the shape before home/away splits had them).
  return { total, home, away, form: form.slice(-5).join(""), biggestWin: total.biggestWin, biggestLoss: total.biggestLoss, goalsByInterval: total.goalsByInterval };
}

export type TeamSeasonStats = ReturnType<typeof computeTeamStats>;

function record(s: Split, m: TeamMatch, gf: number, ga: number) {
  s.played++;
  s.goalsFor += gf;
  s.goalsAgainst += ga;
  if (ga === 0) s.cleanSheets++;
  if (gf === 0) s.failedToScore++;
  if (gf > ga) { s.won++; s.points += 3; } else if (gf === ga) { s.drawn++; s.points++; } else s.lost++;
  // Biggest = largest margin; among equal margins the earliest.
  const margin = Math.abs(gf - ga);
  const score = `${m.homeScore}:${m.awayScore}`;
  const better = (cur: Margin | null) => !cur || margin > cur.margin;
  if (gf > ga && better(s.biggestWin)) s.biggestWin = { matchId: m.matchId, score, margin };
  if (gf < ga && better(s.biggestLoss)) s.biggestLoss = { matchId: m.matchId, score, margin };
}
