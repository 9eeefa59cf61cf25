// Elo team ratings updated from results (World Football Elo form): expected result from the rating difference plus
// a home advantage, change = K × goal-difference multiplier × (actual − expected). Ratings carry over between
// seasons of a competition, pulled a third of the way back to the mean; a club new to the competition starts
// below the mean (promoted clubs are usually weaker). Parameters are judgement, not fitted: see README.

export const ELO = {
  version: "elo-1",
  initial: 1500,
  /** A club first seen after the competition's first season (promoted): starts here. */
  newcomer: 1450,
  k: 20,
  homeAdvantage: 65,
  /** Share of the distance to the mean removed between seasons. */
  seasonRegression: 1 / 3,
} as const;

export interface EloMatch {
  matchId: number;
  seasonYear: number;
  kickoff: Date;
  homeId: number;
  awayId: number;
  homeScore: number;
  awayScore: number;
}

export interface EloPoint {
  matchId: number;
  kickoff: string;
  rating: number;
  change: number;
}

export interface EloTeam {
  teamId: number;
  rating: number;
  matches: number;
  /** This season's matches, oldest first. */
  history: EloPoint[];
}

/** Goal-difference weight: 1 for a one-goal margin or a draw, 1.5 for two, (11 + N) / 8 from three. */
export const marginWeight = (gd: number) => {
  const n = Math.abs(gd);
  return n <= 1 ? 1 : n === 2 ? 1.5 : (11 + n) / 8;
};

/** Home win expectancy (0..1) for ratings `home` and `away`, home advantage included. */
export const expectedHome = (home: number, away: number, homeAdvantage: number = ELO.homeAdvantage) =>
  1 / (1 + 10 ** (-(home + homeAdvantage - away) / 400));

/** Replays every finished match of a competition (all stored seasons, oldest first); returns `season`'s ratings. */
export function computeElo(matches: EloMatch[], season: number): Map<number, EloTeam> {
  const sorted = [...matches].sort((a, b) => a.kickoff.getTime() - b.kickoff.getTime() || a.matchId - b.matchId);
  const firstSeason = sorted[0]?.seasonYear;
  const ratings = new Map<number, { rating: number; matches: number; season: number; history: EloPoint[] }>();
  const teamOf = (id: number, year: number) => {
    let t = ratings.get(id);
    if (!t) {
      t = { rating: year === firstSeason ? ELO.initial : ELO.newcomer, matches: 0, season: year, history: [] };
      ratings.set(id, t);
    }
    if (t.season !== year) {
      t.rating = t.rating - (t.rating - ELO.initial) * ELO.seasonRegression;
      t.season = year;
      t.history = [];
    }
    return t;
  };
  for (const m of sorted) {
    if (m.seasonYear > season) break;
    const h = teamOf(m.homeId, m.seasonYear);
    const a = teamOf(m.awayId, m.seasonYear);
    const actual = m.homeScore > m.awayScore ? 1 : m.homeScore === m.awayScore ? 0.5 : 0;
    const change = ELO.k * marginWeight(m.homeScore - m.awayScore) * (actual - expectedHome(h.rating, a.rating));
    h.rating += change;
    a.rating -= change;
    h.matches++;
    a.matches++;
    const kickoff = m.kickoff.toISOString();
    h.history.push({ matchId: m.matchId, kickoff, rating: round1(h.rating), change: round1(change) });
    a.history.push({ matchId: m.matchId, kickoff, rating: round1(a.rating), change: round1(-change) });
  }
  const out = new Map<number, EloTeam>();
  for (const [teamId, t] of ratings) if (t.season === season) out.set(teamId, { teamId, rating: round1(t.rating), matches: t.matches, history: t.history });
  return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
