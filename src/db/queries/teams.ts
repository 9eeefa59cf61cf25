// Team and competition reads.
import { and, asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { competitions, matches, seasons, teams } from "../schema";

const teamColumns = {
  id: teams.id,
  name: teams.name,
  shortName: teams.shortName,
  tla: teams.tla,
  crestUrl: teams.crestUrl,
  country: teams.country,
  founded: teams.founded,
};

export type TeamRow = Awaited<ReturnType<typeof getTeam>>;

export async function getTeam(db: Queryable, id: number) {
  // With the club details (venue, coach, address, website) merged from team_details (store-detail.ts).
  const [row] = await db
    .select({ ...teamColumns, venue: teams.venue, coach: teams.coach, address: teams.address, website: teams.website })
    .from(teams)
    .where(eq(teams.id, id))
    .limit(1);
  return row ?? null;
}

export function listTeams(db: Queryable, f: { competition?: string; season?: number; q?: string; limit: number }) {
  const scoped = f.competition || f.season != null;
  const inSeason = db
    .select({ id: sql<number>`unnest(array[${matches.homeTeamId}, ${matches.awayTeamId}])`.as("id") })
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(f.competition ? eq(competitions.code, f.competition) : undefined, f.season != null ? eq(seasons.year, f.season) : undefined));
  const pattern = f.q ? `%${f.q.replace(/[\\%_]/g, "\\$&")}%` : undefined;
  return db
    .select(teamColumns)
    .from(teams)
    .where(
      and(
        scoped ? inArray(teams.id, inSeason) : undefined,
        pattern ? or(ilike(teams.name, pattern), ilike(teams.shortName, pattern)) : undefined,
      ),
    )
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(f.limit);
}

export function listCompetitions(db: Queryable) {
  return db
    .select({
      code: competitions.code,
      name: competitions.name,
      country: competitions.country,
      type: competitions.type,
      seasons: sql<number[]>`coalesce(array_agg(${seasons.year} order by ${seasons.year}) filter (where ${seasons.year} is not null), '{}')`,
    })
    .from(competitions)
    .leftJoin(seasons, eq(seasons.competitionId, competitions.id))
    .groupBy(competitions.id)
    .orderBy(asc(competitions.code));
}

export async function latestSeason(db: Queryable, competition: string): Promise<number | null> {
  const [row] = await db
    .select({ year: sql<number>`max(${seasons.year})` })
    .from(seasons)
    .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
    .where(eq(competitions.code, competition));
  return row?.year ?? null;
}

export async function teamsByIds(db: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return db.select(teamColumns).from(teams).where(inArray(teams.id, ids));
}

export async function seasonExists(db: Queryable, competition: string, season: number): Promise<boolean> {
  const rows = await db
    .select({ id: seasons.id })
    .from(seasons)
    .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
    .where(and(eq(competitions.code, competition), eq(seasons.year, season)))
    .limit(1);
  return rows.length > 0;
}

/** A team's finished matches of a season (every competition), and the goals in them from each match's best list. */
export async function teamSeasonResults(db: Queryable, teamId: number, season: number | undefined) {
  const year =
    season ??
    (
      await db
        .select({ year: sql<number | null>`max(${seasons.year})` })
        .from(matches)
        .innerJoin(seasons, eq(seasons.id, matches.seasonId))
        .where(or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)))
    )[0]?.year;
  if (year == null) return { season: null, results: [], goals: [] };
  const results = await db
    .select({
      matchId: matches.id,
      competition: competitions.code,
      homeId: matches.homeTeamId,
      awayId: matches.awayTeamId,
      homeScore: sql<number>`${matches.homeScore}`,
      awayScore: sql<number>`${matches.awayScore}`,
      kickoff: matches.kickoff,
    })
    .from(matches)
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .where(
      and(
        or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)),
        eq(seasons.year, year),
        eq(matches.status, "finished"),
        sql`${matches.homeScore} is not null and ${matches.awayScore} is not null`,
      ),
    );
  const ids = results.map((r) => r.matchId);
  const goals = ids.length
    ? (
        await db.execute<{ match_id: number; minute: number | null; team_id: number | null }>(sql`
          select e.match_id, e.minute, e.team_id from match_events e
          where e.match_id = any(${`{${ids.join(",")}}`}::int[]) and e.type in ('goal', 'penalty_goal', 'own_goal')`)
      ).rows
    : [];
  return { season: year, results, goals };
}
