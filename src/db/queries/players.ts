// Player reads: lists, detail, season stats, top scorers (from provider stats, else from canonical goal events).
import { and, asc, desc, eq, ilike, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../client";
import { competitions, matchEvents, matches, players, playerSeasonStats, seasons, teams } from "../schema";

const playerColumns = {
  id: players.id,
  name: players.name,
  nationality: players.nationality,
  birthDate: players.birthDate,
  position: players.position,
  team: { id: teams.id, name: teams.name, shortName: teams.shortName, crestUrl: teams.crestUrl },
};

export function listPlayers(db: Queryable, f: { team?: number; q?: string; limit: number }) {
  const pattern = f.q ? `%${f.q.replace(/[\\%_]/g, "\\$&")}%` : undefined;
  return db
    .select(playerColumns)
    .from(players)
    .leftJoin(teams, eq(teams.id, players.teamId))
    .where(and(sql`${players.name} is not null`, f.team != null ? eq(players.teamId, f.team) : undefined, pattern ? ilike(players.name, pattern) : undefined))
    .orderBy(asc(players.name), asc(players.id))
    .limit(f.limit);
}

export async function getPlayer(db: Queryable, id: number) {
  const [row] = await db.select(playerColumns).from(players).leftJoin(teams, eq(teams.id, players.teamId)).where(eq(players.id, id)).limit(1);
  return row ?? null;
}

export function playerStats(db: Queryable, playerId: number, season?: number) {
  return db
    .select({
      competition: competitions.code,
      season: seasons.year,
      team: { id: teams.id, name: teams.name, shortName: teams.shortName, crestUrl: teams.crestUrl },
      appearances: playerSeasonStats.appearances,
      minutes: playerSeasonStats.minutes,
      goals: playerSeasonStats.goals,
      assists: playerSeasonStats.assists,
      penalties: playerSeasonStats.penalties,
      yellowCards: playerSeasonStats.yellowCards,
      redCards: playerSeasonStats.redCards,
      rating: playerSeasonStats.rating,
      source: playerSeasonStats.sourceProvider,
    })
    .from(playerSeasonStats)
    .innerJoin(seasons, eq(seasons.id, playerSeasonStats.seasonId))
    .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
    .leftJoin(teams, eq(teams.id, playerSeasonStats.teamId))
    .where(and(eq(playerSeasonStats.playerId, playerId), season != null ? eq(seasons.year, season) : undefined))
    .orderBy(desc(seasons.year), asc(competitions.code));
}

export interface ScorerRow {
  playerId: number;
  playerName: string | null;
  team: { id: number; name: string; shortName: string | null; crestUrl: string | null } | null;
  goals: number;
  assists: number | null;
  penalties: number | null;
  appearances: number | null;
}

/**
 * Our player season figures (update_team_stats: goals from canonical events, merged with provider stats) when
 * computed; else provider season stats when any exist; otherwise counted from stored goal events.
 */
export async function topScorers(db: Queryable, competition: string, season: number, limit: number): Promise<{ rows: ScorerRow[]; basis: "player_season_computed" | "provider_stats" | "match_events" }> {
  const computed = await db.execute<{ player_id: number; player_name: string | null; team_id: number | null; team_name: string | null; short_name: string | null; crest_url: string | null; goals: number; assists: number | null; penalties: number | null; appearances: number | null }>(sql`
    select pc.player_id, p.name as player_name, t.id as team_id, t.name as team_name, t.short_name, t.crest_url, pc.goals, pc.assists,
           (pc.stats->>'penaltyGoals')::int as penalties, (pc.stats->>'appearances')::int as appearances
    from player_season_computed pc join players p on p.id = pc.player_id left join teams t on t.id = pc.team_id
    join seasons s on s.id = pc.season_id join competitions c on c.id = s.competition_id
    where c.code = ${competition} and s.year = ${season} and pc.goals > 0
    order by pc.goals desc, (pc.stats->>'minutes')::int asc nulls last, p.name, pc.player_id limit ${limit}`);
  if (computed.rows.length) {
    return {
      rows: computed.rows.map((r) => ({
        playerId: r.player_id,
        playerName: r.player_name,
        team: r.team_id != null ? { id: r.team_id, name: r.team_name!, shortName: r.short_name, crestUrl: r.crest_url } : null,
        goals: r.goals,
        assists: r.assists,
        penalties: r.penalties,
        appearances: r.appearances,
      })),
      basis: "player_season_computed",
    };
  }
  const fromStats = await db
    .select({
      playerId: players.id,
      playerName: players.name,
      team: { id: teams.id, name: teams.name, shortName: teams.shortName, crestUrl: teams.crestUrl },
      goals: sql<number>`coalesce(${playerSeasonStats.goals}, 0)`,
      assists: playerSeasonStats.assists,
      penalties: playerSeasonStats.penalties,
      appearances: playerSeasonStats.appearances,
    })
    .from(playerSeasonStats)
    .innerJoin(players, eq(players.id, playerSeasonStats.playerId))
    .innerJoin(seasons, eq(seasons.id, playerSeasonStats.seasonId))
    .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
    .leftJoin(teams, eq(teams.id, playerSeasonStats.teamId))
    .where(and(eq(competitions.code, competition), eq(seasons.year, season), sql`${playerSeasonStats.goals} > 0`))
    .orderBy(desc(playerSeasonStats.goals), asc(playerSeasonStats.appearances), asc(players.name))
    .limit(limit);
  if (fromStats.length) return { rows: fromStats, basis: "provider_stats" };
  // Goals (not own goals) of finished and running matches, from each match's best event list.
  const team = alias(teams, "scorer_team");
  const rows = await db
    .select({
      playerId: players.id,
      playerName: players.name,
      team: { id: team.id, name: team.name, shortName: team.shortName, crestUrl: team.crestUrl },
      goals: sql<number>`count(*)::int`,
      penalties: sql<number>`count(*) filter (where ${matchEvents.type} = 'penalty_goal')::int`,
    })
    .from(matchEvents)
    .innerJoin(matches, eq(matches.id, matchEvents.matchId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(players, eq(players.id, matchEvents.playerId))
    .leftJoin(team, eq(team.id, matchEvents.teamId))
    .where(
      and(
        eq(competitions.code, competition),
        eq(seasons.year, season),
        sql`${matchEvents.type} in ('goal', 'penalty_goal')`,
      ),
    )
    .groupBy(players.id, players.name, team.id, team.name, team.shortName, team.crestUrl)
    .orderBy(desc(sql`count(*)`), asc(players.name))
    .limit(limit);
  return { rows: rows.map((r) => ({ ...r, assists: null, appearances: null })), basis: "match_events" };
}
