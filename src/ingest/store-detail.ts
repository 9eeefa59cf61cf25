// Stores match and team detail idempotently, like store.ts (whose helpers it uses): lineups, team match
// statistics, player match stats, odds, provider predictions and club details. Details only attach to matches
// and teams that are already known (resolved through external_refs): a payload never creates a match. Players
// named by lineups and player stats are resolved or created (identity.ts). Every upsert writes only when a value
// changed, so re-ingesting the same payload writes 0 rows.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "../db/client";
import { externalRefs, lineups, matchOdds, matchPlayerStats, matchPredictions, matchTeamStats, teamDetails, teams } from "../db/schema";
import { type EntityKind, type Provider } from "../domain/vocabulary";
import type { MatchDetailBatch, OddsBatch, PredictionBatch, TeamDetailBatch } from "../domain/canonical";
import { DETAIL_PRECEDENCE } from "../domain/precedence";
import { precedenceSql, providerArraySql } from "../db/precedence-sql";
import type { CompetitionCode } from "../domain/competitions";
import { distinctFromExcluded, ensureCompetitionSeason, excludedSet, rowCounter, sqlTextArray, storePlayers, storeResult, storeTeams, type StoreResult } from "./store";

/** The unit's competition season: detail rows are not season-scoped, but results and cache tags are. */
export interface DetailScope {
  competition: CompetitionCode;
  season: number;
}

const lock = (tx: Transaction) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('matchday-edge:ingest'))`);

/** Canonical ids of already linked provider refs (no identity resolution, no creation). */
async function linked(tx: Transaction, kind: EntityKind, provider: Provider, refs: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(refs)];
  if (!unique.length) return new Map();
  const rows = await tx
    .select({ ref: externalRefs.externalId, id: externalRefs.canonicalId })
    .from(externalRefs)
    .where(and(eq(externalRefs.kind, kind), eq(externalRefs.provider, provider), inArray(externalRefs.externalId, unique)));
  return new Map(rows.map((r) => [r.ref, r.id]));
}

/** A row written by a provider that ranks at least as high as the stored row's (match precedence). */
const outranks = (table: { provider: unknown }) =>
  sql`array_position(${precedenceSql("match")}, excluded.provider) <= array_position(${precedenceSql("match")}, ${table.provider})`;

export async function storeMatchDetails(tx: Transaction, batch: MatchDetailBatch, scope: DetailScope): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await lock(tx);
  const matchIds = await linked(tx, "match", batch.provider, batch.details.map((d) => d.matchRef));
  const details = batch.details.filter((d) => {
    if (!matchIds.has(d.matchRef)) batch.discarded.push(`match ${d.matchRef}: not stored yet, its detail left out`);
    return matchIds.has(d.matchRef);
  });
  const teamRefs = details.flatMap((d) => [...(d.lineups ?? []).map((l) => l.teamRef), ...(d.statistics ?? []).map((s) => s.teamRef), ...(d.players ?? []).map((p) => p.teamRef)]);
  const teamIds = await linked(tx, "team", batch.provider, [...teamRefs, ...batch.players.flatMap((p) => (p.teamRef ? [p.teamRef] : []))]);
  const players = batch.players.filter((p) => p.teamRef && teamIds.has(p.teamRef));
  const playerIds = await storePlayers(tx, { provider: batch.provider, players }, teamIds, add);
  const changed = new Set<number>();
  const note = (rows: { matchId: number }[], key: string) => {
    add(key, rows.length);
    for (const r of rows) changed.add(r.matchId);
  };

  const lineupRows = details.flatMap((d) =>
    (d.lineups ?? []).flatMap((l) => {
      const teamId = teamIds.get(l.teamRef);
      if (teamId == null) return [];
      const person = (p: (typeof l.startXI)[number]) => ({ playerId: p.ref ? (playerIds.get(p.ref) ?? null) : null, name: p.name, number: p.number, position: p.position, grid: p.grid });
      return [{ matchId: matchIds.get(d.matchRef)!, teamId, provider: batch.provider, formation: l.formation, coach: l.coach, startXI: l.startXI.map(person), substitutes: l.substitutes.map(person) }];
    }),
  );
  if (lineupRows.length) {
    const cols = ["provider", "formation", "coach", "startXI", "substitutes"] as const;
    note(
      await tx
        .insert(lineups)
        .values(lineupRows)
        .onConflictDoUpdate({
          target: [lineups.matchId, lineups.teamId],
          set: { ...excludedSet(lineups, cols), updatedAt: sql`now()` },
          setWhere: sql`${distinctFromExcluded(lineups, cols)} and ${outranks(lineups)}`,
        })
        .returning({ matchId: lineups.matchId }),
      "lineups",
    );
  }

  const statRows = details.flatMap((d) =>
    (d.statistics ?? []).flatMap((s) => {
      const teamId = teamIds.get(s.teamRef);
      if (teamId == null) return [];
      const extra = Object.fromEntries(
        Object.entries({ shotsOffTarget: s.shotsOffTarget, blockedShots: s.blockedShots, shotsInsideBox: s.shotsInsideBox, shotsOutsideBox: s.shotsOutsideBox, saves: s.saves, passesAccurate: s.passesAccurate }).filter(([, v]) => v != null),
      );
      return [{
        matchId: matchIds.get(d.matchRef)!, teamId, provider: batch.provider,
        possession: s.possession, shots: s.shots, shotsOnTarget: s.shotsOnTarget, corners: s.corners, fouls: s.fouls, offsides: s.offsides,
        yellowCards: s.yellowCards, redCards: s.redCards, passes: s.passes, passAccuracy: s.passAccuracy, expectedGoals: s.expectedGoals, extra,
      }];
    }),
  );
  if (statRows.length) {
    const cols = ["provider", "possession", "shots", "shotsOnTarget", "corners", "fouls", "offsides", "yellowCards", "redCards", "passes", "passAccuracy", "expectedGoals", "extra"] as const;
    note(
      await tx
        .insert(matchTeamStats)
        .values(statRows)
        .onConflictDoUpdate({
          target: [matchTeamStats.matchId, matchTeamStats.teamId],
          set: { ...excludedSet(matchTeamStats, cols), updatedAt: sql`now()` },
          setWhere: sql`${distinctFromExcluded(matchTeamStats, cols)} and ${outranks(matchTeamStats)}`,
        })
        .returning({ matchId: matchTeamStats.matchId }),
      "match_team_stats",
    );
  }

  const withPlayers = details.filter((d) => d.players !== null);
  const playerRows = withPlayers.flatMap((d) =>
    d.players!.flatMap((p) => {
      const teamId = teamIds.get(p.teamRef);
      const playerId = playerIds.get(p.playerRef);
      if (teamId == null || playerId == null) return [];
      const { playerRef: _p, teamRef: _t, ...values } = p;
      return [{ matchId: matchIds.get(d.matchRef)!, playerId, teamId, provider: batch.provider, ...values }];
    }),
  );
  const unique = [...new Map(playerRows.map((r) => [`${r.matchId}:${r.playerId}`, r])).values()];
  if (unique.length) {
    const cols = [
      "teamId", "provider", "number", "position", "captain", "substitute", "minutes", "rating", "goals", "assists", "shots", "shotsOnTarget",
      "passes", "keyPasses", "passesAccurate", "tackles", "duels", "duelsWon", "dribbles", "dribblesSuccess", "yellowCards", "redCards", "extra",
    ] as const;
    note(
      await tx
        .insert(matchPlayerStats)
        .values(unique)
        .onConflictDoUpdate({
          target: [matchPlayerStats.matchId, matchPlayerStats.playerId],
          set: { ...excludedSet(matchPlayerStats, cols), updatedAt: sql`now()` },
          setWhere: sql`${distinctFromExcluded(matchPlayerStats, cols)} and ${outranks(matchPlayerStats)}`,
        })
        .returning({ matchId: matchPlayerStats.matchId }),
      "match_player_stats",
    );
  }
  if (withPlayers.length) {
    // The provider's list is complete for the match: its rows for players it no longer lists go.
    const keep = unique.map((r) => `${r.matchId}:${r.playerId}`);
    note(
      await tx
        .delete(matchPlayerStats)
        .where(
          and(
            eq(matchPlayerStats.provider, batch.provider),
            inArray(matchPlayerStats.matchId, withPlayers.map((d) => matchIds.get(d.matchRef)!)),
            sql`(${matchPlayerStats.matchId}::text || ':' || ${matchPlayerStats.playerId}::text) <> all(${sqlTextArray(keep)})`,
          ),
        )
        .returning({ matchId: matchPlayerStats.matchId }),
      "match_player_stats_removed",
    );
  }
  return storeResult(counts, scope, 0, { changedTeamIds: [], detailMatchIds: [...changed] });
}

/** Odds of the covered matches: this provider's rows for those matches are replaced (unchanged rows stay as they are). */
export async function storeOdds(tx: Transaction, batch: OddsBatch, scope: DetailScope): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await lock(tx);
  const matchIds = await linked(tx, "match", batch.provider, batch.matchRefs);
  const unknown = batch.matchRefs.filter((r) => !matchIds.has(r));
  if (unknown.length) batch.discarded.push(`odds of ${unknown.length} matches not stored yet left out (${unknown.slice(0, 5).join(", ")})`);
  const rows = batch.odds.flatMap((o) => {
    const matchId = matchIds.get(o.matchRef);
    return matchId == null ? [] : [{ matchId, provider: batch.provider, bookmakerId: o.bookmakerRef, bookmaker: o.bookmaker, market: o.market, line: o.line, selections: o.selections, sourceUpdatedAt: o.sourceUpdatedAt }];
  });
  const unique = [...new Map(rows.map((r) => [`${r.matchId}|${r.bookmakerId}|${r.market}|${r.line}`, r])).values()];
  const changed = new Set<number>();
  const cols = ["bookmaker", "selections", "sourceUpdatedAt"] as const;
  for (let i = 0; i < unique.length; i += 500) {
    const written = await tx
      .insert(matchOdds)
      .values(unique.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [matchOdds.matchId, matchOdds.provider, matchOdds.bookmakerId, matchOdds.market, matchOdds.line],
        set: { ...excludedSet(matchOdds, cols), updatedAt: sql`now()` },
        // An older quote never replaces a newer one.
        setWhere: sql`${distinctFromExcluded(matchOdds, cols)} and (excluded.source_updated_at is null or ${matchOdds.sourceUpdatedAt} is null or excluded.source_updated_at >= ${matchOdds.sourceUpdatedAt})`,
      })
      .returning({ matchId: matchOdds.matchId });
    add("match_odds", written.length);
    for (const w of written) changed.add(w.matchId);
  }
  const covered = [...new Set([...matchIds.values()])];
  if (covered.length) {
    const keep = unique.map((r) => `${r.matchId}|${r.bookmakerId}|${r.market}|${r.line}`);
    const removed = await tx
      .delete(matchOdds)
      .where(
        and(
          eq(matchOdds.provider, batch.provider),
          inArray(matchOdds.matchId, covered),
          sql`(${matchOdds.matchId}::text || '|' || ${matchOdds.bookmakerId} || '|' || ${matchOdds.market} || '|' || ${matchOdds.line}) <> all(${sqlTextArray(keep)})`,
        ),
      )
      .returning({ matchId: matchOdds.matchId });
    add("match_odds_removed", removed.length);
    for (const r of removed) changed.add(r.matchId);
  }
  return storeResult(counts, scope, 0, { changedTeamIds: [], detailMatchIds: [...changed] });
}

/** A provider's predictions (source = the provider's name; our own model will write its own source). */
export async function storePredictions(tx: Transaction, batch: PredictionBatch, scope: DetailScope): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await lock(tx);
  const matchIds = await linked(tx, "match", batch.provider, batch.predictions.map((p) => p.matchRef));
  const teamIds = await linked(tx, "team", batch.provider, batch.predictions.flatMap((p) => (p.winnerTeamRef ? [p.winnerTeamRef] : [])));
  const rows = batch.predictions.flatMap((p) => {
    const matchId = matchIds.get(p.matchRef);
    if (matchId == null) {
      batch.discarded.push(`match ${p.matchRef}: not stored yet, its prediction left out`);
      return [];
    }
    const { matchRef: _m, winnerTeamRef, ...values } = p;
    return [{ matchId, source: batch.provider as string, winnerTeamId: winnerTeamRef ? (teamIds.get(winnerTeamRef) ?? null) : null, ...values }];
  });
  const changed: number[] = [];
  if (rows.length) {
    const cols = ["homeWin", "draw", "awayWin", "winnerTeamId", "winnerComment", "winOrDraw", "underOver", "goalsHome", "goalsAway", "advice", "comparison"] as const;
    const written = await tx
      .insert(matchPredictions)
      .values(rows)
      .onConflictDoUpdate({
        target: [matchPredictions.matchId, matchPredictions.source],
        set: { ...excludedSet(matchPredictions, cols), updatedAt: sql`now()` },
        setWhere: distinctFromExcluded(matchPredictions, cols),
      })
      .returning({ matchId: matchPredictions.matchId });
    add("match_predictions", written.length);
    changed.push(...written.map((w) => w.matchId));
  }
  return storeResult(counts, scope, 0, { changedTeamIds: [], detailMatchIds: changed });
}

/**
 * Club details: the provider's own row in team_details, then the merged values in `teams` (per field, the first
 * provider in DETAIL_PRECEDENCE with a value; venue sub-fields one by one). Teams are resolved like everywhere
 * (a club not seen yet is created: the teams list of a competition is authoritative).
 */
export async function storeTeamDetails(tx: Transaction, batch: TeamDetailBatch): Promise<StoreResult> {
  const { counts, add } = rowCounter();
  await lock(tx);
  const { competitionId, seasonId } = await ensureCompetitionSeason(tx, batch, add);
  const { teamIds, changedTeamIds } = await storeTeams(tx, { ...batch, matches: [] }, competitionId, [], add);
  const rows = [...new Map(batch.details.map((d) => [teamIds.get(d.teamRef)!, d])).entries()].map(([teamId, d]) => ({
    teamId, provider: batch.provider, country: d.country, founded: d.founded, crestUrl: d.crestUrl, venue: d.venue, coach: d.coach, address: d.address, website: d.website,
  }));
  const changed = new Set(changedTeamIds);
  if (rows.length) {
    const cols = ["country", "founded", "crestUrl", "venue", "coach", "address", "website"] as const;
    const written = await tx
      .insert(teamDetails)
      .values(rows)
      .onConflictDoUpdate({
        target: [teamDetails.teamId, teamDetails.provider],
        set: { ...excludedSet(teamDetails, cols), updatedAt: sql`now()` },
        setWhere: distinctFromExcluded(teamDetails, cols),
      })
      .returning({ teamId: teamDetails.teamId });
    add("team_details", written.length);
    const ids = rows.map((r) => r.teamId);
    const first = (field: keyof typeof DETAIL_PRECEDENCE, value: ReturnType<typeof sql>) =>
      sql`(select ${value} from team_details d where d.team_id = t.id and ${value} is not null
           order by array_position(${providerArraySql(DETAIL_PRECEDENCE[field])}, d.provider) limit 1)`;
    const venueField = (k: string) => first("venue", sql`d.venue -> ${k}`);
    const merged = await tx.execute<{ id: number }>(sql`
      with m as (
        select t.id,
          ${first("country", sql`d.country`)} as country,
          ${first("founded", sql`d.founded`)} as founded,
          ${first("coach", sql`d.coach`)} as coach,
          ${first("address", sql`d.address`)} as address,
          ${first("website", sql`d.website`)} as website,
          nullif(jsonb_strip_nulls(jsonb_build_object(
            'name', ${venueField("name")}, 'address', ${venueField("address")}, 'city', ${venueField("city")},
            'capacity', ${venueField("capacity")}, 'surface', ${venueField("surface")}, 'image', ${venueField("image")})), '{}'::jsonb) as venue
        from teams t where t.id = any(${`{${ids.join(",")}}`}::int[]))
      update ${teams} t set country = m.country, founded = m.founded, coach = m.coach, address = m.address, website = m.website,
        venue = m.venue, updated_at = now()
      from m where m.id = t.id
        and (t.country, t.founded, t.coach, t.address, t.website, t.venue) is distinct from (m.country, m.founded, m.coach, m.address, m.website, m.venue)
      returning t.id`);
    add("teams", merged.rows.length);
    for (const r of merged.rows) changed.add(r.id);
  }
  return storeResult(counts, batch, seasonId, { changedTeamIds: [...changed] });
}
