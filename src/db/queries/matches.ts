// Match reads: filtered, keyset-paginated lists and one match with its events. One SQL round trip each.
import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../client";
import { competitions, matchEvents, matches, players, seasons, teams } from "../schema";
import { type MatchStatus } from "../../domain/vocabulary";

const home = alias(teams, "home");
const away = alias(teams, "away");
const assist = alias(players, "assist");

const matchColumns = {
  id: matches.id,
  competitionCode: competitions.code,
  season: seasons.year,
  matchday: matches.matchday,
  stage: matches.stage,
  group: matches.groupName,
  kickoff: matches.kickoff,
  kickoffTentative: matches.kickoffTentative,
  status: matches.status,
  minute: matches.minute,
  homeScore: matches.homeScore,
  awayScore: matches.awayScore,
  halftimeHome: matches.halftimeHome,
  halftimeAway: matches.halftimeAway,
  venue: matches.venue,
  home: { id: home.id, name: home.name, shortName: home.shortName, crestUrl: home.crestUrl },
  away: { id: away.id, name: away.name, shortName: away.shortName, crestUrl: away.crestUrl },
};

export type MatchRow = Awaited<ReturnType<typeof listMatches>>[number];

export interface MatchFilter {
  competition?: string;
  season?: number;
  matchday?: number;
  /** Inclusive lower / exclusive upper bound on kickoff. */
  from?: Date;
  until?: Date;
  team?: number;
  status?: MatchStatus[];
  after?: { kickoff: Date; id: number };
  ids?: number[];
  limit: number;
}

export function listMatches(db: Queryable, f: MatchFilter) {
  const where: (SQL | undefined)[] = [
    f.competition ? eq(competitions.code, f.competition) : undefined,
    f.season != null ? eq(seasons.year, f.season) : undefined,
    f.matchday != null ? eq(matches.matchday, f.matchday) : undefined,
    f.from ? gte(matches.kickoff, f.from) : undefined,
    f.until ? lt(matches.kickoff, f.until) : undefined,
    f.team != null ? or(eq(matches.homeTeamId, f.team), eq(matches.awayTeamId, f.team)) : undefined,
    f.status?.length ? inArray(matches.status, f.status) : undefined,
    f.ids ? inArray(matches.id, f.ids) : undefined,
    f.after ? sql`(${matches.kickoff}, ${matches.id}) > (${f.after.kickoff.toISOString()}::timestamptz, ${f.after.id})` : undefined,
  ];
  return db
    .select(matchColumns)
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .innerJoin(home, eq(home.id, matches.homeTeamId))
    .innerJoin(away, eq(away.id, matches.awayTeamId))
    .where(and(...where))
    .orderBy(asc(matches.kickoff), asc(matches.id))
    .limit(f.limit);
}

export async function getMatchWithEvents(db: Queryable, id: number) {
  const [match] = await listMatches(db, { ids: [id], limit: 1 });
  if (!match) return null;
  const events = await db
    .select({
      id: matchEvents.id,
      minute: matchEvents.minute,
      extraMinute: matchEvents.extraMinute,
      type: matchEvents.type,
      teamId: matchEvents.teamId,
      playerId: matchEvents.playerId,
      playerName: sql<string | null>`coalesce(${players.name}, ${matchEvents.playerName})`,
      assistId: matchEvents.assistPlayerId,
      assistName: sql<string | null>`coalesce(${assist.name}, ${matchEvents.assistName})`,
      detail: matchEvents.detail,
      scoreHome: matchEvents.scoreHome,
      scoreAway: matchEvents.scoreAway,
    })
    .from(matchEvents)
    .leftJoin(players, eq(players.id, matchEvents.playerId))
    .leftJoin(assist, eq(assist.id, matchEvents.assistPlayerId))
    // One canonical row per real event (fused from every provider's list at ingestion).
    .where(eq(matchEvents.matchId, id))
    .orderBy(
      sql`coalesce(${matchEvents.minute}, 999)`,
      sql`coalesce(${matchEvents.extraMinute}, 0)`,
      sql`coalesce(${matchEvents.scoreHome} + ${matchEvents.scoreAway}, 999)`,
      asc(matchEvents.id),
    );
  return { match, events };
}

/** All matches of one competition season (the standings input: participants, and finished results). */
export function seasonMatches(db: Queryable, competition: string, season: number) {
  return db
    .select({
      status: matches.status,
      id: matches.id,
      kickoff: matches.kickoff,
      homeId: matches.homeTeamId,
      awayId: matches.awayTeamId,
      homeScore: matches.homeScore,
      awayScore: matches.awayScore,
    })
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(eq(competitions.code, competition), eq(seasons.year, season)))
    .orderBy(asc(matches.kickoff), asc(matches.id));
}
