// The generated season (bench/lib/season-generator.mjs, OpenLigaDB's shape) in the other two providers' season
// shapes, for the per-provider ingest benchmark: the same fixtures, kick-offs and results, as
//   API-Football      GET /fixtures?league=<id>&season=<year>      (envelope + `response` items; no events: the
//                                                                  season list never embeds them)
//   football-data.org GET /competitions/<code>/matches?season=<year> (no goals: the free plan's list has none)
// Club ids are derived from OpenLigaDB's (API-Football 10000 + id, football-data 20000 + id) so each provider has
// its own id space, as in reality. Deterministic, no I/O. The field sets follow the recorded samples in
// test/fixtures/api-football and test/fixtures/football-data (test/generators/football-data-bl1.mjs).

const result = (m, type) => m.matchResults.find((r) => r.resultTypeID === type);
const utcIso = (m) => new Date(m.matchDateTimeUTC).toISOString().replace('.000Z', 'Z');

/** `/fixtures?league&season` for `matches` (generated OpenLigaDB matches), as league `league` ({ id, name, country }). */
export function toApiFootballSeason(matches, { league, season }) {
  const response = matches.map((m) => {
    const ft = result(m, 2);
    const ht = result(m, 1);
    const kickoff = Date.parse(m.matchDateTimeUTC);
    const done = m.matchIsFinished && ft;
    const winner = (a, b) => (!done ? null : a > b ? true : a < b ? false : null);
    const team = (t, own, other) => ({ id: 10000 + t.teamId, name: t.teamName, logo: `https://media.api-sports.io/football/teams/${10000 + t.teamId}.png`, winner: winner(own, other) });
    return {
      fixture: {
        id: 2_000_000 + m.matchID,
        referee: null,
        timezone: 'UTC',
        date: utcIso(m).replace('Z', '+00:00'),
        timestamp: Math.floor(kickoff / 1000),
        periods: { first: done ? Math.floor(kickoff / 1000) : null, second: done ? Math.floor(kickoff / 1000) + 3600 : null },
        venue: { id: null, name: null, city: null },
        status: done ? { long: 'Match Finished', short: 'FT', elapsed: 90, extra: null } : { long: 'Not Started', short: 'NS', elapsed: null, extra: null },
      },
      league: {
        id: league.id, name: league.name, country: league.country, logo: `https://media.api-sports.io/football/leagues/${league.id}.png`,
        flag: null, season, round: `Regular Season - ${m.group.groupOrderID}`,
      },
      teams: {
        home: team(m.team1, ft?.pointsTeam1, ft?.pointsTeam2),
        away: team(m.team2, ft?.pointsTeam2, ft?.pointsTeam1),
      },
      goals: done ? { home: ft.pointsTeam1, away: ft.pointsTeam2 } : { home: null, away: null },
      score: {
        halftime: done && ht ? { home: ht.pointsTeam1, away: ht.pointsTeam2 } : { home: null, away: null },
        fulltime: done ? { home: ft.pointsTeam1, away: ft.pointsTeam2 } : { home: null, away: null },
        extratime: { home: null, away: null },
        penalty: { home: null, away: null },
      },
    };
  });
  return {
    get: 'fixtures',
    parameters: { league: String(league.id), season: String(season) },
    errors: [],
    results: response.length,
    paging: { current: 1, total: 1 },
    response,
  };
}

/** `/competitions/<code>/matches?season` for `matches`, as competition `competition` ({ id, name, code }). */
export function toFootballDataSeason(matches, { competition, season }) {
  const comp = { id: competition.id, name: competition.name, code: competition.code, type: 'LEAGUE', emblem: `https://crests.football-data.org/${competition.code}.png` };
  const team = (t) => ({ id: 20000 + t.teamId, name: t.teamName, shortName: t.shortName, tla: t.shortName.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase(), crest: `https://crests.football-data.org/${20000 + t.teamId}.png` });
  const list = matches.map((m) => {
    const ft = result(m, 2);
    const ht = result(m, 1);
    const done = m.matchIsFinished && ft;
    const full = done ? { home: ft.pointsTeam1, away: ft.pointsTeam2 } : { home: null, away: null };
    return {
      area: { id: 2072, name: 'England', code: 'ENG', flag: 'https://crests.football-data.org/770.svg' },
      competition: comp,
      season: { id: 3000 + season, startDate: `${season}-08-11`, endDate: `${season + 1}-05-19`, currentMatchday: 38, winner: null },
      id: 3_000_000 + m.matchID,
      utcDate: utcIso(m),
      status: done ? 'FINISHED' : 'TIMED',
      matchday: m.group.groupOrderID,
      stage: 'REGULAR_SEASON',
      group: null,
      // football-data stamps a match when it changes: the generator's own update time keeps re-ingests unchanged.
      lastUpdated: new Date(Date.parse(`${m.lastUpdateDateTime.slice(0, 19)}Z`)).toISOString().replace('.000Z', 'Z'),
      homeTeam: team(m.team1),
      awayTeam: team(m.team2),
      score: {
        winner: !done ? null : full.home > full.away ? 'HOME_TEAM' : full.home < full.away ? 'AWAY_TEAM' : 'DRAW',
        duration: 'REGULAR',
        fullTime: full,
        halfTime: done && ht ? { home: ht.pointsTeam1, away: ht.pointsTeam2 } : { home: null, away: null },
      },
      odds: { msg: 'Activate Odds-Package in User-Panel to retrieve odds.' },
      referees: [],
    };
  });
  return {
    filters: { season: String(season) },
    resultSet: { count: list.length, first: list[0]?.utcDate.slice(0, 10), last: list.at(-1)?.utcDate.slice(0, 10), played: list.filter((x) => x.status === 'FINISHED').length },
    competition: comp,
    matches: list,
  };
}
