// Reads behind the analytics: a competition season's matches, goal/card events (each match's best provider list)
// and provider player stats as job inputs; stored computed tables, ratings, head-to-head and market values for
// the API.
import { sql } from "drizzle-orm";
import type { ResultTotals } from "../../domain/canonical";
import type { MatchStatus } from "../../domain/vocabulary";
import type { Queryable } from "../client";

export interface SeasonRef {
  seasonId: number;
  competitionId: number;
  type: string;
}

export async function findSeason(db: Queryable, code: string, year: number): Promise<SeasonRef | null> {
  const r = await db.execute<{ season_id: number; competition_id: number; type: string }>(sql`
    select s.id as season_id, c.id as competition_id, c.type from seasons s join competitions c on c.id = s.competition_id
    where c.code = ${code} and s.year = ${year}`);
  const row = r.rows[0];
  return row ? { seasonId: row.season_id, competitionId: row.competition_id, type: row.type } : null;
}

export interface SeasonMatch {
  matchId: number;
  matchday: number | null;
  kickoff: Date;
  status: MatchStatus;
  homeId: number;
  awayId: number;
  homeScore: number | null;
  awayScore: number | null;
}

export async function seasonMatchList(db: Queryable, seasonId: number): Promise<SeasonMatch[]> {
  const r = await db.execute<{ id: number; matchday: number | null; kickoff: string; status: MatchStatus; home: number; away: number; hs: number | null; as: number | null }>(sql`
    select id, matchday, kickoff, status, home_team_id as home, away_team_id as away, home_score as hs, away_score as "as"
    from matches where season_id = ${seasonId} order by kickoff, id`);
  return r.rows.map((m) => ({ matchId: m.id, matchday: m.matchday, kickoff: new Date(m.kickoff), status: m.status, homeId: m.home, awayId: m.away, homeScore: m.hs, awayScore: m.as }));
}

export async function teamNames(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await db.execute<{ id: number; name: string }>(sql`select id, name from teams where id = any(${`{${ids.join(",")}}`}::int[])`);
  return new Map(r.rows.map((t) => [t.id, t.name]));
}

/** Goal, card and penalty events of a season's finished matches (canonical: one row per real event). */
export async function seasonEvents(db: Queryable, seasonId: number) {
  const r = await db.execute<{ match_id: number; type: string; minute: number | null; team_id: number | null; player_id: number | null; assist_player_id: number | null }>(sql`
    select e.match_id, e.type, e.minute, e.team_id, e.player_id, e.assist_player_id
    from match_events e join matches m on m.id = e.match_id
    where m.season_id = ${seasonId} and m.status = 'finished' and e.type <> 'substitution' and e.type <> 'var'
    order by e.match_id, e.minute nulls last, e.id`);
  return r.rows.map((e) => ({ matchId: e.match_id, type: e.type, minute: e.minute, teamId: e.team_id, playerId: e.player_id, assistPlayerId: e.assist_player_id }));
}

export async function providerPlayerStats(db: Queryable, seasonId: number) {
  const r = await db.execute<{
    player_id: number; team_id: number | null; appearances: number | null; minutes: number | null; goals: number | null; assists: number | null;
    penalties: number | null; yellow_cards: number | null; red_cards: number | null; rating: number | null; source_provider: string;
  }>(sql`select player_id, team_id, appearances, minutes, goals, assists, penalties, yellow_cards, red_cards, rating, source_provider
         from player_season_stats where season_id = ${seasonId}`);
  return r.rows.map((p) => ({
    playerId: p.player_id, teamId: p.team_id, appearances: p.appearances, minutes: p.minutes, goals: p.goals, assists: p.assists,
    penalties: p.penalties, yellowCards: p.yellow_cards, redCards: p.red_cards, rating: p.rating, source: p.source_provider,
  }));
}

/** Every finished match of a competition up to a season, oldest first (Elo replays them). */
export async function competitionResults(db: Queryable, competitionId: number, upToYear: number) {
  const r = await db.execute<{ id: number; year: number; kickoff: string; home: number; away: number; hs: number; as: number }>(sql`
    select m.id, s.year, m.kickoff, m.home_team_id as home, m.away_team_id as away, m.home_score as hs, m.away_score as "as"
    from matches m join seasons s on s.id = m.season_id
    where m.competition_id = ${competitionId} and s.year <= ${upToYear} and m.status = 'finished' and m.home_score is not null and m.away_score is not null
    order by m.kickoff, m.id`);
  return r.rows.map((m) => ({ matchId: m.id, seasonYear: m.year, kickoff: new Date(m.kickoff), homeId: m.home, awayId: m.away, homeScore: m.hs, awayScore: m.as }));
}

export interface StoredRow extends ResultTotals {
  teamId: number;
  source: string;
  position: number;
  previousPosition: number | null;
  form: string | null;
  updatedAt: Date;
}

export async function storedStandings(db: Queryable, seasonId: number, sources: string[]): Promise<StoredRow[]> {
  const r = await db.execute<Record<string, unknown>>(sql`
    select team_id, source, position, previous_position, played, won, drawn, lost, goals_for, goals_against, points, form, updated_at
    from standings where season_id = ${seasonId} and source = any(${`{${sources.join(",")}}`}::text[]) order by source, position`);
  return r.rows.map((x) => ({
    teamId: x.team_id as number, source: x.source as string, position: x.position as number, previousPosition: (x.previous_position as number | null) ?? null,
    played: x.played as number, won: x.won as number, drawn: x.drawn as number, lost: x.lost as number, goalsFor: x.goals_for as number,
    goalsAgainst: x.goals_against as number, points: x.points as number, form: (x.form as string | null) ?? null, updatedAt: new Date(x.updated_at as string),
  }));
}

/**
 * What a stored computed table must reflect to be current: finished-match count and their newest change; and
 * whether a match of the season is in play (a table with live matches is cached briefly).
 */
export async function seasonResultsVersion(db: Queryable, seasonId: number): Promise<{ finished: number; changedAt: Date | null; inPlay: boolean }> {
  const r = await db.execute<{ n: number; at: string | null; live: number }>(sql`
    select count(*) filter (where status = 'finished' and home_score is not null)::int as n,
           max(updated_at) filter (where status = 'finished' and home_score is not null) as at,
           count(*) filter (where status in ('live', 'halftime', 'extra_time', 'penalties'))::int as live
    from matches where season_id = ${seasonId}`);
  const row = r.rows[0]!;
  return { finished: row.n, changedAt: row.at ? new Date(row.at) : null, inPlay: row.live > 0 };
}

export async function findSeasonById(db: Queryable, seasonId: number): Promise<(SeasonRef & { code: string; year: number }) | null> {
  const r = await db.execute<{ competition_id: number; type: string; code: string; year: number }>(sql`
    select s.competition_id, c.type, c.code, s.year from seasons s join competitions c on c.id = s.competition_id where s.id = ${seasonId}`);
  const row = r.rows[0];
  return row ? { seasonId, competitionId: row.competition_id, type: row.type, code: row.code, year: row.year } : null;
}

/** Finished matches of a competition in the year before `before` (the prediction model's training window). */
export async function matchesBefore(db: Queryable, competitionId: number, before: Date, days = 365) {
  const r = await db.execute<{ home: number; away: number; hs: number; as: number; kickoff: string }>(sql`
    select home_team_id as home, away_team_id as away, home_score as hs, away_score as "as", kickoff from matches
    where competition_id = ${competitionId} and status = 'finished' and home_score is not null and away_score is not null
      and kickoff < ${before.toISOString()}::timestamptz and kickoff >= ${new Date(before.getTime() - days * 86_400_000).toISOString()}::timestamptz`);
  return r.rows.map((m) => ({ homeId: m.home, awayId: m.away, homeScore: m.hs, awayScore: m.as, kickoff: new Date(m.kickoff) }));
}

export async function matchContext(db: Queryable, matchId: number) {
  const r = await db.execute<{ competition_id: number; code: string; year: number; season_id: number; kickoff: string }>(sql`
    select m.competition_id, c.code, s.year, m.season_id, m.kickoff from matches m
    join competitions c on c.id = m.competition_id join seasons s on s.id = m.season_id where m.id = ${matchId}`);
  const row = r.rows[0];
  return row ? { competitionId: row.competition_id, code: row.code, season: row.year, seasonId: row.season_id, kickoff: new Date(row.kickoff) } : null;
}

/** Ids of every match between two teams (either venue, any competition), newest first. */
export async function meetingIds(db: Queryable, a: number, b: number): Promise<number[]> {
  const r = await db.execute<{ id: number }>(sql`
    select id from matches where (home_team_id = ${a} and away_team_id = ${b}) or (home_team_id = ${b} and away_team_id = ${a})
    order by kickoff desc, id desc`);
  return r.rows.map((x) => x.id);
}

/** Stored Elo ratings of a season (update_team_stats). */
export async function seasonRatings(db: Queryable, seasonId: number) {
  const r = await db.execute<{ team_id: number; updated_at: string; rating: { model: string; elo: number; matches: number; history: { matchId: number; kickoff: string; rating: number; change: number }[] } | null }>(sql`
    select team_id, updated_at, stats->'rating' as rating from team_season_stats where season_id = ${seasonId}`);
  return r.rows.filter((x) => x.rating).map((x) => ({ teamId: x.team_id, updatedAt: new Date(x.updated_at), ...x.rating! }));
}

/** Competition seasons a team played in a season year (or its latest one). */
export async function teamSeasons(db: Queryable, teamId: number, year?: number) {
  const r = await db.execute<{ code: string; year: number; season_id: number; competition_id: number; type: string }>(sql`
    select distinct c.code, s.year, s.id as season_id, c.id as competition_id, c.type from matches m
    join seasons s on s.id = m.season_id join competitions c on c.id = m.competition_id
    where (m.home_team_id = ${teamId} or m.away_team_id = ${teamId})
      and s.year = coalesce(${year ?? null}::int, (select max(s2.year) from matches m2 join seasons s2 on s2.id = m2.season_id
                                                    where m2.home_team_id = ${teamId} or m2.away_team_id = ${teamId}))
    order by c.code`);
  return r.rows.map((x) => ({ code: x.code, year: x.year, seasonId: x.season_id, competitionId: x.competition_id, type: x.type }));
}

/** Our player season figures, ranked by goals or assists. */
export async function playerLeaders(db: Queryable, seasonId: number, by: "goals" | "assists", limit: number) {
  const order = by === "goals" ? sql`pc.goals desc, pc.assists desc nulls last` : sql`pc.assists desc, pc.goals desc`;
  const r = await db.execute<{ player_id: number; player_name: string | null; team_id: number | null; team_name: string | null; short_name: string | null; crest_url: string | null; goals: number; assists: number | null; stats: Record<string, unknown> }>(sql`
    select pc.player_id, p.name as player_name, t.id as team_id, t.name as team_name, t.short_name, t.crest_url, pc.goals, pc.assists, pc.stats
    from player_season_computed pc join players p on p.id = pc.player_id left join teams t on t.id = pc.team_id
    where pc.season_id = ${seasonId} and ${by === "goals" ? sql`pc.goals > 0` : sql`pc.assists > 0`}
    order by ${order}, (pc.stats->>'minutes')::int asc nulls last, p.name, pc.player_id limit ${limit}`);
  return r.rows;
}

export async function marketValueHistory(db: Queryable, playerId: number, limit = 104) {
  const r = await db.execute<{ as_of: string; value_eur: string; model_version: string; features: unknown }>(sql`
    select as_of::text as as_of, value_eur, model_version, features from market_values where player_id = ${playerId} order by as_of desc limit ${limit}`);
  return r.rows.map((x) => ({ asOf: x.as_of, valueEur: Number(x.value_eur), modelVersion: x.model_version, features: x.features }));
}
