// update_team_stats, computed unit (no provider): recomputes one competition season from canonical data —
// tables (total, home, away; source "computed", "computed_home", "computed_away") with the league's tie-break
// rules, team season stats with Elo ratings (team_season_stats), player season figures (player_season_computed)
// — stores them idempotently (only changed rows are written) and cross-checks every provider's table.
// A 20-team season is ~380 matches: the computation takes milliseconds (README, "Analytics: cost").
import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { playerSeasonComputed, teamSeasonStats } from "../../db/schema";
import { competitionResults, findSeason, providerPlayerStats, seasonEvents, seasonMatchList, teamNames } from "../../db/queries/analytics";
import { computeElo, ELO } from "../../analytics/elo";
import { computePlayerSeasonStats } from "../../analytics/player-stats";
import { computeTable, ruleFor, type TableRow, type TableView } from "../../analytics/standings";
import { computeTeamStats } from "../../analytics/team-stats";
import type { CompetitionCode } from "../../domain/competitions";
import { distinctFromExcluded, excludedSet, replaceStandingsTable, rowCounter, sqlIntArray, storeResult, type StoreResult } from "../store";
import { crossCheckStandings } from "../standings-check";

export interface SeasonAnalytics {
  tables: Record<TableView, TableRow[]> | null;
  teamStats: Map<number, Record<string, unknown>>;
  players: ReturnType<typeof computePlayerSeasonStats>;
  computeMs: number;
}

const VIEW_SOURCE: Record<TableView, string> = { total: "computed", home: "computed_home", away: "computed_away" };

/** Computes and stores; null when nothing of this competition season is stored yet. */
export async function runSeasonAnalytics(db: Database, competition: CompetitionCode, season: number): Promise<StoreResult | null> {
  const ref = await findSeason(db, competition, season);
  if (!ref) return null;
  // One after the other, on one connection: four parallel reads would open four (dear on Neon; and PGlite, the
  // embedded stand-in, mixes up interleaved extended-protocol messages of concurrent connections).
  const matches = await seasonMatchList(db, ref.seasonId);
  const events = await seasonEvents(db, ref.seasonId);
  const provided = await providerPlayerStats(db, ref.seasonId);
  const history = await competitionResults(db, ref.competitionId, season);
  const teamIds = [...new Set(matches.flatMap((m) => [m.homeId, m.awayId]))];
  const names = await teamNames(db, teamIds);
  const computed = computeSeasonAnalytics({ competition, season, cup: ref.type === "cup", matches, events, provided, history, names });

  return db.transaction(async (tx) => {
    const { counts, add } = rowCounter();
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('matchday-edge:ingest'))`);
    if (computed.tables) for (const view of ["total", "home", "away"] as const) add("standings_computed", await storeTable(tx, ref.seasonId, VIEW_SOURCE[view], computed.tables[view]));
    const changedTeamIds = await storeTeamStats(tx, ref.seasonId, computed.teamStats);
    add("team_season_stats", changedTeamIds.length);
    add("player_season_computed", await storePlayers(tx, ref.seasonId, computed.players));
    if (computed.tables) add("provider_disagreements", await crossCheckStandings(tx, competition, ref.seasonId, undefined, computed.tables.total));
    return storeResult(counts, { competition, season }, ref.seasonId, { changedTeamIds });
  });
}

/** The pure part: everything computed from loaded rows (also what the timing in the README measures). */
export function computeSeasonAnalytics(input: {
  competition: string;
  season: number;
  cup: boolean;
  matches: Awaited<ReturnType<typeof seasonMatchList>>;
  events: Awaited<ReturnType<typeof seasonEvents>>;
  provided: Awaited<ReturnType<typeof providerPlayerStats>>;
  history: Awaited<ReturnType<typeof competitionResults>>;
  names: Map<number, string>;
}): SeasonAnalytics {
  const started = performance.now();
  const finished = input.matches.filter((m): m is typeof m & { homeScore: number; awayScore: number } => m.status === "finished" && m.homeScore != null && m.awayScore != null);
  const rule = ruleFor(input.competition);
  const tables = input.cup
    ? null
    : {
        total: computeTable(finished, input.names, rule, "total"),
        home: computeTable(finished, input.names, rule, "home"),
        away: computeTable(finished, input.names, rule, "away"),
      };
  const elo = computeElo(input.history, input.season);
  const goalEvents = input.events.filter((e) => e.type === "goal" || e.type === "penalty_goal" || e.type === "own_goal");
  const teamStats = new Map<number, Record<string, unknown>>();
  for (const teamId of input.names.keys()) {
    const mine = finished.filter((m) => m.homeId === teamId || m.awayId === teamId);
    const ids = new Set(mine.map((m) => m.matchId));
    const goals = goalEvents.filter((g) => ids.has(g.matchId)).map((g) => ({ matchId: g.matchId, minute: g.minute, forTeam: g.teamId === teamId }));
    const r = elo.get(teamId);
    teamStats.set(teamId, {
      ...computeTeamStats(teamId, mine, goals),
      rating: r ? { model: ELO.version, elo: r.rating, matches: r.matches, history: r.history } : null,
    });
  }
  const players = computePlayerSeasonStats(input.events, input.provided);
  return { tables, teamStats, players, computeMs: Math.round((performance.now() - started) * 10) / 10 };
}

async function storeTable(tx: Transaction, seasonId: number, source: string, table: TableRow[]): Promise<number> {
  const rows = table.map((r) => ({
    seasonId, source, teamId: r.teamId, position: r.position, played: r.played, won: r.won, drawn: r.drawn, lost: r.lost,
    goalsFor: r.goalsFor, goalsAgainst: r.goalsAgainst, points: r.points, form: r.form, previousPosition: r.previousPosition,
  }));
  const { written, removed } = await replaceStandingsTable(tx, seasonId, source, rows);
  return written + removed;
}

async function storeTeamStats(tx: Transaction, seasonId: number, stats: Map<number, Record<string, unknown>>): Promise<number[]> {
  const rows = [...stats].map(([teamId, s]) => ({ seasonId, teamId, stats: s }));
  if (!rows.length) return [];
  const out = await tx
    .insert(teamSeasonStats)
    .values(rows)
    .onConflictDoUpdate({
      target: [teamSeasonStats.seasonId, teamSeasonStats.teamId],
      set: { stats: sql`excluded.stats`, updatedAt: sql`now()` },
      setWhere: sql`${teamSeasonStats.stats} is distinct from excluded.stats`,
    })
    .returning({ teamId: teamSeasonStats.teamId });
  return out.map((r) => r.teamId);
}

async function storePlayers(tx: Transaction, seasonId: number, players: SeasonAnalytics["players"]): Promise<number> {
  const rows = players.map(({ playerId, teamId, goals, assists, ...rest }) => ({ seasonId, playerId, teamId, goals, assists, stats: rest }));
  let written = 0;
  const cols = ["teamId", "goals", "assists", "stats"] as const;
  for (let i = 0; i < rows.length; i += 500) {
    written += (
      await tx
        .insert(playerSeasonComputed)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [playerSeasonComputed.seasonId, playerSeasonComputed.playerId],
          set: { ...excludedSet(playerSeasonComputed, cols), updatedAt: sql`now()` },
          setWhere: distinctFromExcluded(playerSeasonComputed, cols),
        })
        .returning({ playerId: playerSeasonComputed.playerId })
    ).length;
  }
  written += (
    await tx
      .delete(playerSeasonComputed)
      .where(and(eq(playerSeasonComputed.seasonId, seasonId), sql`${playerSeasonComputed.playerId} <> all(${sqlIntArray(rows.map((r) => r.playerId))})`))
      .returning({ playerId: playerSeasonComputed.playerId })
  ).length;
  return written;
}
