// Team season stats from canonical finished matches: home/away/total records, goals, clean sheets, failed to
// score, points per game, biggest win and loss, goals by 15-minute interval (from goal events), form.

export interface TeamMatch {
  homeId: number;
  awayId: number;
  homeScore: number;
  awayScore: number;
  kickoff: Date;
  matchId: number;
}

export interface Split {
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  cleanSheets: number;
  failedToScore: number;
  points: number;
  pointsPerGame: number | null;
}

const empty = (): Split => ({ played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0, cleanSheets: 0, failedToScore: 0, points: 0, pointsPerGame: null });

export function computeTeamStats(teamId: number, results: TeamMatch[], goalMinutes: { minute: number | null; forTeam: boolean }[]) {
  const home = empty();
  const away = empty();
  let biggestWin: { matchId: number; score: string; margin: number } | null = null;
  let biggestLoss: { matchId: number; score: string; margin: number } | null = null;
  const form: string[] = [];
  for (const m of [...results].sort((a, b) => a.kickoff.getTime() - b.kickoff.getTime())) {
    const atHome = m.homeId === teamId;
    if (!atHome && m.awayId !== teamId) continue;
    const split = atHome ? home : away;
    const gf = atHome ? m.homeScore : m.awayScore;
    const ga = atHome ? m.awayScore : m.homeScore;
    split.played++;
    split.goalsFor += gf;
    split.goalsAgainst += ga;
    if (ga === 0) split.cleanSheets++;
    if (gf === 0) split.failedToScore++;
    const result = gf > ga ? "W" : gf < ga ? "L" : "D";
    if (result === "W") { split.won++; split.points += 3; }
    else if (result === "D") { split.drawn++; split.points++; }
    else split.lost++;
    form.push(result);
    const margin = gf - ga;
    const score = `${m.homeScore}:${m.awayScore}`;
    if (margin > 0 && (!biggestWin || margin > biggestWin.margin)) biggestWin = { matchId: m.matchId, score, margin };
    if (margin < 0 && (!biggestLoss || -margin > biggestLoss.margin)) biggestLoss = { matchId: m.matchId, score, margin: -margin };
  }
  const total = empty();
  for (const s of [home, away]) for (const k of Object.keys(total) as (keyof Split)[]) if (k !== "pointsPerGame") (total[k] as number) += s[k] as number;
  for (const s of [home, away, total]) s.pointsPerGame = s.played ? Math.round((s.points / s.played) * 100) / 100 : null;
  // 0-15, 16-30, 31-45 (incl. first-half stoppage), 46-60, 61-75, 76-90 (incl. stoppage), extra time.
  const intervals = ["0-15", "16-30", "31-45", "46-60", "61-75", "76-90", "91-120"];
  const goalsByInterval = Object.fromEntries(intervals.map((k) => [k, { for: 0, against: 0 }]));
  for (const g of goalMinutes) {
    if (g.minute == null) continue;
    const i = g.minute <= 90 ? Math.min(5, Math.max(0, Math.ceil(g.minute / 15) - 1)) : 6;
    goalsByInterval[intervals[i]!]![g.forTeam ? "for" : "against"]++;
  }
  return { total, home, away, form: form.slice(-5).join(""), biggestWin, biggestLoss, goalsByInterval };
}
