// Stores a normalized MatchBatch in one transaction, idempotently: rows are resolved through external_refs,
// new ones get pre-allocated ids, and every upsert only writes when a value really changed
// (`ON CONFLICT … DO UPDATE … WHERE (old) IS DISTINCT FROM (new)`), so re-running on unchanged data writes nothing.
// Returns what it wrote, so the caller can invalidate exactly those cache entries.
import { and, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Transaction } from "../db/client";
import { competitions, externalRefs, matches, players, playerSeasonStats, seasons, standings, teams } from "../db/schema";
import { type EntityKind, type Provider } from "../domain/vocabulary";
import type { MatchBatch, MatchRecord, PlayerStatsBatch, StandingsBatch } from "../domain/canonical";
import { PRECEDENCE } from "../domain/precedence";
import { precedenceSql } from "../db/precedence-sql";
import { matchPlayerByName, matchTeamByName, type NamedCandidate } from "./identity";
import { COMPETITIONS, seasonName } from "../domain/competitions";
import { nameKey } from "../domain/names";
import { storeObservations } from "./observations";
import { distinctFromExcluded, excludedSet, sqlIntArray } from "./upsert-sql";

export { distinctFromExcluded, excludedSet, sqlIntArray, sqlTextArray } from "./upsert-sql";
import { crossCheckStandings } from "./standings-check";

export interface StoreResult {
  /** Rows inserted, updated or deleted, all tables together. */
  written: number;
  counts: Record<string, number>;
  competitionCode: string;
  season: number;
  seasonId: number;
  changedMatchIds: number[];
  changedTeamIds: number[];
  /** Matches whose stored data is newer than what the provider sent (left untouched). */
  staleSkipped: number;
  /** Matches whose detail (lineups, statistics, odds, predictions) changed: only their own reads go stale. */
  detailMatchIds?: number[];
}

const CHUNK = 500;

/** `pollIntervalMs`: the live poll interval, for the fusion's rule on providers that stopped updating a match. */
export async function storeMatchBatch(tx: Transaction, batch: MatchBatch, opts: { pollIntervalMs?: number } = {}): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  // Serialize ingestion: two units (of any providers) linking or creating the same team or match would race.
  // Units are short (one provider payload), so one lock costs little.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('matchday-edge:ingest'))`);

  const info = COMPETITIONS[batch.competition];
  const { competitionId, seasonId } = await ensureCompetitionSeason(tx, batch, add);
  const seasonRows = await tx.execute<{ id: number; home: number; away: number; kickoff: Date; linked: boolean }>(sql`
    select m.id, m.home_team_id as home, m.away_team_id as away, m.kickoff,
           exists (select 1 from external_refs r where r.kind = 'match' and r.provider = ${batch.provider} and r.canonical_id = m.id) as linked
    from matches m where m.season_id = ${seasonId}`);
  const seasonMatches = seasonRows.rows.map((r) => ({ ...r, kickoff: new Date(r.kickoff) }));
  const { teamIds, changedTeamIds } = await storeTeams(tx, batch, competitionId, seasonMatches, add);
  const playerIds = await storePlayers(tx, batch, teamIds, add);

  // Matches: by provider id, else the same season pairing (identity.ts). What the provider says is kept as its
  // observation; the canonical row and events are derived from every provider's observation (observations.ts).
  const existing = await tx
    .select({ ref: externalRefs.externalId, id: matches.id })
    .from(externalRefs)
    .innerJoin(matches, eq(matches.id, externalRefs.canonicalId))
    .where(
      and(
        eq(externalRefs.kind, "match"),
        eq(externalRefs.provider, batch.provider),
        inArray(externalRefs.externalId, batch.matches.map((m) => m.ref)),
      ),
    );
  const stored = new Map(existing.map((r) => [r.ref, r]));
  const cup = info.type === "cup";
  const fresh = batch.matches;
  const matchIds = await resolveRefs(tx, "match", batch.provider, fresh.map((m) => m.ref), matches, {
    known: stored,
    match: async (missing) => {
      const out = new Map<string, number>();
      const taken = new Set<number>();
      for (const ref of missing) {
        const m = fresh.find((x) => x.ref === ref)!;
        const home = teamIds.get(m.homeRef);
        const away = teamIds.get(m.awayRef);
        const candidates = seasonMatches.filter(
          (c) =>
            !c.linked &&
            !taken.has(c.id) &&
            c.home === home &&
            c.away === away &&
            (!cup || Math.abs(c.kickoff.getTime() - m.kickoff.getTime()) <= 3 * 86_400_000),
        );
        if (candidates.length === 1) {
          out.set(ref, candidates[0]!.id);
          taken.add(candidates[0]!.id);
        }
      }
      return out;
    },
  });
  add("external_refs", matchIds.refsWritten);
  const { changedMatchIds, staleSkipped } = await storeObservations(tx, {
    provider: batch.provider,
    competitionId,
    seasonId,
    records: fresh,
    matchIds: matchIds.map,
    teamIds,
    playerIds,
    fetchedAt: batch.fetchedAt ?? new Date(),
    pollIntervalMs: opts.pollIntervalMs,
    add,
  });

  return storeResult(counts, batch, seasonId, { changedTeamIds, changedMatchIds, staleSkipped });
}

/** Rows written per table, as the store goes. */
export function rowCounter() {
  const counts: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n) counts[key] = (counts[key] ?? 0) + n;
  };
  return { counts, add };
}

export function storeResult(
  counts: Record<string, number>,
  batch: { competition: MatchBatch["competition"]; season: number },
  seasonId: number,
  changed: { changedTeamIds: number[]; changedMatchIds?: number[]; staleSkipped?: number; detailMatchIds?: number[] },
): StoreResult {
  return {
    written: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    competitionCode: batch.competition,
    season: batch.season,
    seasonId,
    changedMatchIds: changed.changedMatchIds ?? [],
    changedTeamIds: changed.changedTeamIds,
    staleSkipped: changed.staleSkipped ?? 0,
    ...(changed.detailMatchIds ? { detailMatchIds: changed.detailMatchIds } : {}),
  };
}

/** Upserts the batch's competition and season; returns their ids. */
export async function ensureCompetitionSeason(
  tx: Transaction,
  batch: { competition: MatchBatch["competition"]; season: number },
  add: (key: string, n: number) => void,
): Promise<{ competitionId: number; seasonId: number }> {
  const info = COMPETITIONS[batch.competition];
  const competition = await upsertReturningId(
    tx,
    competitions,
    { code: info.code, name: info.name, country: info.country, type: info.type },
    [competitions.code],
    ["name", "country", "type"],
  );
  add("competitions", competition.written);
  const season = await upsertReturningId(
    tx,
    seasons,
    { competitionId: competition.id, year: batch.season, name: seasonName(batch.season, info.type) },
    [seasons.competitionId, seasons.year],
    ["name"],
  );
  add("seasons", season.written);
  return { competitionId: competition.id, seasonId: season.id };
}

type TeamSource = Pick<MatchBatch, "provider" | "teams"> & { matches: Pick<MatchRecord, "homeRef" | "awayRef" | "kickoff">[] };

/** Resolves (identity.ts) and upserts the batch's teams, by precedence; returns ref → canonical id. */
export async function storeTeams(
  tx: Transaction,
  batch: TeamSource,
  competitionId: number,
  seasonMatches: { home: number; away: number; kickoff: Date }[],
  add: (key: string, n: number) => void,
): Promise<{ teamIds: Map<string, number>; changedTeamIds: number[] }> {
  const teamIds = await resolveRefs(tx, "team", batch.provider, batch.teams.map((t) => t.ref), teams, {
    match: (missing, resolved) => matchTeams(tx, batch, competitionId, seasonMatches, missing, resolved),
  });
  add("external_refs", teamIds.refsWritten);
  const teamRows = batch.teams.map((t) => ({
    id: teamIds.map.get(t.ref)!,
    name: t.name,
    shortName: t.shortName,
    tla: t.tla,
    crestUrl: t.crestUrl,
    nameKey: nameKey(t.name),
    sourceProvider: batch.provider,
  }));
  const changedTeamIds = await upsertById(tx, teams, teamRows, ["name", "shortName", "tla", "crestUrl", "nameKey"], {
    precedence: "team",
    keepWhenNull: true,
  });
  add("teams", changedTeamIds.length);
  return { teamIds: teamIds.map, changedTeamIds };
}

/** Resolves and upserts players; a missing name or team never erases a known one. */
export async function storePlayers(
  tx: Transaction,
  batch: Pick<MatchBatch, "provider" | "players">,
  teamIds: Map<string, number>,
  add: (key: string, n: number) => void,
): Promise<Map<string, number>> {
  const playerIds = await resolveRefs(tx, "player", batch.provider, batch.players.map((p) => p.ref), players, {
    match: (missing) => matchPlayers(tx, batch, teamIds, missing),
  });
  add("external_refs", playerIds.refsWritten);
  const playerRows = batch.players.map((p) => ({
    id: playerIds.map.get(p.ref)!,
    name: p.name,
    nameKey: p.name ? nameKey(p.name) : null,
    teamId: p.teamRef ? (teamIds.get(p.teamRef) ?? null) : null,
    nationality: p.nationality ?? null,
    birthDate: p.birthDate ?? null,
    position: p.position ?? null,
    sourceProvider: batch.provider,
  }));
  add(
    "players",
    (
      await upsertById(tx, players, playerRows, ["name", "nameKey", "teamId", "nationality", "birthDate", "position"], {
        precedence: "player",
        keepWhenNull: true,
      })
    ).length,
  );
  return playerIds.map;
}

/**
 * A provider's own standings table, kept per provider (source = provider) to cross-check ours: where the
 * provider and our table (computed from canonical results) agree on games played but not on points or goals,
 * the difference is recorded as a disagreement.
 */
export async function storeStandings(tx: Transaction, batch: StandingsBatch): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('matchday-edge:ingest'))`);
  const { competitionId, seasonId } = await ensureCompetitionSeason(tx, batch, add);
  const { teamIds, changedTeamIds } = await storeTeams(tx, { ...batch, matches: [] }, competitionId, [], add);
  // Group tables (cups) list a team once per group it played in; keep its first row.
  const seen = new Set<number>();
  const rows = batch.rows.flatMap((r) => {
    const teamId = teamIds.get(r.teamRef)!;
    if (seen.has(teamId)) return [];
    seen.add(teamId);
    return [{ seasonId, source: batch.provider as string, teamId, position: r.position, played: r.played, won: r.won, drawn: r.drawn, lost: r.lost, goalsFor: r.goalsFor, goalsAgainst: r.goalsAgainst, points: r.points, form: r.form }];
  });
  const { written, removed } = await replaceStandingsTable(tx, seasonId, batch.provider, rows);
  add("standings", written);
  add("standings_removed", removed);
  add("provider_disagreements", await crossCheckStandings(tx, batch.competition, seasonId, [batch.provider]));
  return storeResult(counts, batch, seasonId, { changedTeamIds });
}

const STANDING_COLUMNS = ["position", "played", "won", "drawn", "lost", "goalsFor", "goalsAgainst", "points", "form", "previousPosition"] as const;

/**
 * Replaces one table of a season (a provider's, or one of ours): rows that changed are updated, new ones inserted,
 * teams no longer in it deleted; an unchanged table writes nothing.
 */
export async function replaceStandingsTable(
  tx: Transaction,
  seasonId: number,
  source: string,
  rows: (typeof standings.$inferInsert)[],
): Promise<{ written: number; removed: number }> {
  const written = rows.length
    ? (
        await tx
          .insert(standings)
          .values(rows)
          .onConflictDoUpdate({
            target: [standings.seasonId, standings.source, standings.teamId],
            set: { ...excludedSet(standings, STANDING_COLUMNS), updatedAt: sql`now()` },
            setWhere: distinctFromExcluded(standings, STANDING_COLUMNS),
          })
          .returning({ teamId: standings.teamId })
      ).length
    : 0;
  const removed = await tx
    .delete(standings)
    .where(and(eq(standings.seasonId, seasonId), eq(standings.source, source), sql`${standings.teamId} <> all(${sqlIntArray(rows.map((r) => r.teamId))})`))
    .returning({ teamId: standings.teamId });
  return { written, removed: removed.length };
}

/** A provider's players and their season stats (one page), by precedence between providers. */
export async function storePlayerStats(tx: Transaction, batch: PlayerStatsBatch): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('matchday-edge:ingest'))`);
  const { competitionId, seasonId } = await ensureCompetitionSeason(tx, batch, add);
  const { teamIds, changedTeamIds } = await storeTeams(tx, { ...batch, matches: [] }, competitionId, [], add);
  const playerIds = await storePlayers(tx, batch, teamIds, add);
  const rows = batch.stats.map((s) => ({
    seasonId,
    playerId: playerIds.get(s.playerRef)!,
    teamId: s.teamRef ? (teamIds.get(s.teamRef) ?? null) : null,
    appearances: s.appearances,
    minutes: s.minutes,
    goals: s.goals,
    assists: s.assists,
    penalties: s.penalties,
    yellowCards: s.yellowCards,
    redCards: s.redCards,
    rating: s.rating,
    sourceProvider: batch.provider,
  }));
  const unique = [...new Map(rows.map((r) => [r.playerId, r])).values()];
  const cols = ["teamId", "appearances", "minutes", "goals", "assists", "penalties", "yellowCards", "redCards", "rating", "sourceProvider"] as const;
  const order = precedenceSql("player");
  for (let i = 0; i < unique.length; i += CHUNK) {
    const written = await tx
      .insert(playerSeasonStats)
      .values(unique.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [playerSeasonStats.seasonId, playerSeasonStats.playerId],
        set: { ...excludedSet(playerSeasonStats, cols), updatedAt: sql`now()` },
        setWhere: sql`${distinctFromExcluded(playerSeasonStats, cols)} and array_position(${order}, excluded.source_provider) <= array_position(${order}, ${playerSeasonStats.sourceProvider})`,
      })
      .returning({ playerId: playerSeasonStats.playerId });
    add("player_season_stats", written.length);
  }
  return storeResult(counts, batch, seasonId, { changedTeamIds });
}

/**
 * Canonical ids for provider refs. Refs never seen are first offered to `match` (identity resolution against
 * existing canonical rows), and the rest get fresh ids (pre-allocated, then linked).
 */
async function resolveRefs(
  tx: Transaction,
  kind: EntityKind,
  provider: Provider,
  refs: string[],
  table: PgTable & { id: PgColumn },
  opts: {
    known?: Map<string, { id: number }>;
    match?: (missing: string[], resolved: Map<string, number>) => Promise<Map<string, number>>;
  } = {},
): Promise<{ map: Map<string, number>; refsWritten: number }> {
  const map = new Map<string, number>();
  const unique = [...new Set(refs)];
  const lookup = opts.known ? unique.filter((r) => !opts.known!.has(r)) : unique;
  if (opts.known) for (const [ref, row] of opts.known) map.set(ref, row.id);
  for (let i = 0; i < lookup.length; i += CHUNK) {
    const rows = await tx
      .select({ ref: externalRefs.externalId, id: externalRefs.canonicalId })
      .from(externalRefs)
      .where(
        and(eq(externalRefs.kind, kind), eq(externalRefs.provider, provider), inArray(externalRefs.externalId, lookup.slice(i, i + CHUNK))),
      );
    for (const r of rows) map.set(r.ref, r.id);
  }
  let missing = unique.filter((r) => !map.has(r));
  if (!missing.length) return { map, refsWritten: 0 };
  const linked = missing;
  if (opts.match) {
    for (const [ref, id] of await opts.match(missing, map)) map.set(ref, id);
    missing = missing.filter((r) => !map.has(r));
  }
  if (missing.length) {
    const ids = await tx.execute<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence(${tableName(table)}, 'id'))::int as id from generate_series(1, ${missing.length})`,
    );
    missing.forEach((ref, i) => map.set(ref, ids.rows[i]!.id));
  }
  await tx.insert(externalRefs).values(linked.map((ref) => ({ kind, provider, externalId: ref, canonicalId: map.get(ref)! })));
  return { map, refsWritten: linked.length };
}

/** Teams of this batch not linked yet: the same club by name within the competition, else by the matches it plays. */
async function matchTeams(
  tx: Transaction,
  batch: TeamSource,
  competitionId: number,
  seasonMatches: { home: number; away: number; kickoff: Date }[],
  missing: string[],
  resolved: Map<string, number>,
): Promise<Map<string, number>> {
  const candidates = (
    await tx.execute<NamedCandidate & Record<string, unknown>>(sql`
      select t.id, t.name, t.short_name as "shortName" from teams t
      where t.id in (select home_team_id from matches where competition_id = ${competitionId}
                     union select away_team_id from matches where competition_id = ${competitionId})
        and not exists (select 1 from external_refs r where r.kind = 'team' and r.provider = ${batch.provider} and r.canonical_id = t.id)`)
  ).rows;
  if (!candidates.length) return new Map();
  const out = new Map<string, number>();
  const taken = new Set<number>();
  const free = () => candidates.filter((c) => !taken.has(c.id));
  for (const ref of missing) {
    const team = batch.teams.find((t) => t.ref === ref);
    const id = team ? matchTeamByName(team.name, team.shortName, free()) : null;
    if (id != null) {
      out.set(ref, id);
      taken.add(id);
    }
  }
  // Names that differ too much ("FC Bayern München" / "Bayern Munich"): a team whose opponents are known is the
  // team those opponents played at that time, when every such match agrees.
  const known = (ref: string) => out.get(ref) ?? resolved.get(ref);
  for (const ref of missing.filter((r) => !out.has(r))) {
    const votes = new Set<number>();
    for (const m of batch.matches) {
      const side = m.homeRef === ref ? "home" : m.awayRef === ref ? "away" : null;
      const opponent = side && known(side === "home" ? m.awayRef : m.homeRef);
      if (!side || opponent == null) continue;
      for (const c of seasonMatches) {
        if (Math.abs(c.kickoff.getTime() - m.kickoff.getTime()) > 3 * 86_400_000) continue;
        if (side === "home" && c.away === opponent) votes.add(c.home);
        if (side === "away" && c.home === opponent) votes.add(c.away);
      }
    }
    const [only] = votes;
    if (votes.size === 1 && free().some((c) => c.id === only)) {
      out.set(ref, only!);
      taken.add(only!);
    }
  }
  return out;
}

/** Players of this batch not linked yet: the same name (or surname + initial) in the same team. */
async function matchPlayers(tx: Transaction, batch: Pick<MatchBatch, "provider" | "players">, teamIds: Map<string, number>, missing: string[]): Promise<Map<string, number>> {
  const wanted = batch.players.filter((p) => missing.includes(p.ref) && p.name && p.teamRef && teamIds.has(p.teamRef));
  if (!wanted.length) return new Map();
  const teamList = [...new Set(wanted.map((p) => teamIds.get(p.teamRef!)!))];
  const candidates = await tx
    .select({ id: players.id, name: players.name, teamId: players.teamId })
    .from(players)
    .where(
      and(
        inArray(players.teamId, teamList),
        sql`not exists (select 1 from external_refs r where r.kind = 'player' and r.provider = ${batch.provider} and r.canonical_id = ${players.id})`,
      ),
    );
  const out = new Map<string, number>();
  const taken = new Set<number>();
  for (const p of wanted) {
    const team = teamIds.get(p.teamRef!)!;
    const id = matchPlayerByName(p.name!, candidates.filter((c) => c.teamId === team && !taken.has(c.id)));
    if (id != null) {
      out.set(p.ref, id);
      taken.add(id);
    }
  }
  return out;
}

type Row = { id: number } & Record<string, unknown>;

/**
 * Inserts rows with known ids or updates them where a column changed; returns the ids written.
 * `onlyFromSource`: descriptive fields are only updated by the provider that is the row's source.
 * `keepWhenNull`: a null never overwrites a stored value.
 */
async function upsertById<T extends PgTable & { id: PgColumn; sourceProvider?: PgColumn }>(
  tx: Transaction,
  table: T,
  rows: Row[],
  columns: string[],
  opts: { precedence?: keyof typeof PRECEDENCE; keepWhenNull?: boolean } = {},
): Promise<number[]> {
  const written: number[] = [];
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const keep = opts.keepWhenNull ? new Set(columns) : undefined;
  // With precedence, the row's source moves to the writing provider, which must rank at least as high.
  const all = opts.precedence ? [...columns, "sourceProvider"] : columns;
  const set: Record<string, SQL> = { ...excludedSet(table, all, keep), updatedAt: sql`now()` };
  let where = distinctFromExcluded(table, all, keep);
  if (opts.precedence) {
    const order = precedenceSql(opts.precedence);
    where = sql`${where} and array_position(${order}, excluded.source_provider) <= array_position(${order}, ${cols.sourceProvider})`;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const out = await tx
      .insert(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .onConflictDoUpdate({ target: cols.id!, set: set as never, setWhere: where })
      .returning({ id: cols.id! });
    for (const r of out as { id: number }[]) written.push(r.id);
  }
  return written;
}

/** Insert-or-update of one row by a natural key, returning its id and whether anything was written. */
async function upsertReturningId<T extends PgTable & { id: PgColumn }>(
  tx: Transaction,
  table: T,
  row: Record<string, unknown>,
  target: PgColumn[],
  columns: string[],
): Promise<{ id: number; written: number }> {
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const out = (await tx
    .insert(table)
    .values(row as never)
    .onConflictDoUpdate({
      target,
      set: excludedSet(table, columns) as never,
      setWhere: distinctFromExcluded(table, columns),
    })
    .returning({ id: cols.id! })) as { id: number }[];
  if (out[0]) return { id: out[0].id, written: 1 };
  const existing = (await tx
    .select({ id: cols.id! })
    .from(table as PgTable)
    .where(and(...target.map((c) => eq(c, row[keyOf(cols, c)] as never))))) as { id: number }[];
  return { id: existing[0]!.id, written: 0 };
}

const keyOf = (cols: Record<string, PgColumn>, col: PgColumn) => Object.keys(cols).find((k) => cols[k] === col)!;
const tableName = (table: PgTable) => (table as unknown as Record<symbol, string>)[Symbol.for("drizzle:Name")]!;
