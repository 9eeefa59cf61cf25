// Match observations in the store transaction: keeps each provider's latest observation of each match
// (`match_observations`; a slow earlier fetch or a payload the provider marks older changes nothing), and for every
// match whose observations changed re-derives the canonical `matches` row and its `match_events` with
// domain/fusion.ts, writing only what differs. Canonical event ids carry over (see fuseMatch), so a provider switch
// or a corrected scorer is an update of the same event, never a delete + insert.
import { and, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "../db/client";
import { matchEvents, matches, matchObservations } from "../db/schema";
import { EVENT_TYPES, type Provider } from "../domain/vocabulary";
import {
  compareObservations,
  fuseMatch,
  mergeObservation,
  type FusedMatch,
  type ObservedEvent,
  type Observation,
  type PreviousEvent,
  type Side,
} from "../domain/fusion";
import type { MatchRecord } from "../domain/canonical";
import { PRECEDENCE } from "../domain/precedence";
import { upsertDisagreements } from "./disagreements";
import { distinctFromExcluded, excludedSet, sqlIntArray } from "./upsert-sql";

const CHUNK = 500;
/** Poll interval assumed when the caller does not pass the configured one. */
const DEFAULT_POLL_INTERVAL_MS = 30_000;

// The stored event list, validated when read back (it is jsonb written by this module, but a hand edit or an
// old row must fail loudly here rather than inside the fusion).
const observedEventSchema = z.object({
  ref: z.string(),
  type: z.enum(EVENT_TYPES),
  minute: z.number().int().nullable(),
  extraMinute: z.number().int().nullable(),
  side: z.enum(["home", "away"]).nullable(),
  playerId: z.number().int().nullable(),
  playerName: z.string().nullable(),
  assistId: z.number().int().nullable(),
  assistName: z.string().nullable(),
  detail: z.string().nullable(),
  scoreHome: z.number().int().nullable(),
  scoreAway: z.number().int().nullable(),
});
const observedEventsSchema = z.array(observedEventSchema).nullable();

export interface ObservationInput {
  provider: Provider;
  competitionId: number;
  seasonId: number;
  records: MatchRecord[];
  matchIds: Map<string, number>;
  teamIds: Map<string, number>;
  playerIds: Map<string, number>;
  /** Our clock before the request. */
  fetchedAt: Date;
  pollIntervalMs?: number;
  add: (key: string, n: number) => void;
}

/** Stores the batch's observations and re-fuses every match whose observations changed. */
export async function storeObservations(tx: Transaction, input: ObservationInput): Promise<{ changedMatchIds: number[]; staleSkipped: number }> {
  const ids = [...new Set(input.records.map((m) => input.matchIds.get(m.ref)!))];
  const all = await loadObservations(tx, ids);

  let staleSkipped = 0;
  const writes = new Map<number, Observation>();
  for (const record of input.records) {
    const matchId = input.matchIds.get(record.ref)!;
    const mine = all.get(matchId) ?? [];
    const stored = writes.get(matchId) ?? mine.find((o) => o.provider === input.provider) ?? null;
    const incoming = keepKnownNames(stored, toObservation(record, input));
    if (stored && compareObservations(stored, incoming) === "older") staleSkipped++;
    const next = mergeObservation(stored, incoming, { touchAfterMs: (input.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS) / 2 });
    if (next) writes.set(matchId, next);
  }
  if (!writes.size) return { changedMatchIds: [], staleSkipped };

  for (const [matchId, o] of writes) all.set(matchId, [...(all.get(matchId) ?? []).filter((x) => x.provider !== o.provider), o]);

  const changed = await refuse(tx, writes, all, input);
  return { changedMatchIds: changed, staleSkipped };
}

/** Every provider's observation of the given matches. */
async function loadObservations(tx: Transaction, ids: number[]): Promise<Map<number, Observation[]>> {
  const out = new Map<number, Observation[]>();
  if (!ids.length) return out;
  const rows = await tx.select().from(matchObservations).where(sql`${matchObservations.matchId} = any(${sqlIntArray(ids)})`);
  for (const r of rows) {
    const o: Observation = {
      provider: r.provider,
      fetchedAt: r.fetchedAt,
      seenAt: r.seenAt,
      sourceUpdatedAt: r.sourceUpdatedAt,
      status: r.status,
      minute: r.minute,
      homeScore: r.homeScore,
      awayScore: r.awayScore,
      halftimeHome: r.halftimeHome,
      halftimeAway: r.halftimeAway,
      extraTimeHome: r.extraTimeHome,
      extraTimeAway: r.extraTimeAway,
      penaltiesHome: r.penaltiesHome,
      penaltiesAway: r.penaltiesAway,
      kickoff: r.kickoff,
      kickoffProvisional: r.kickoffProvisional,
      matchday: r.matchday,
      stage: r.stage,
      group: r.groupName,
      venue: r.venue,
      attendance: r.attendance,
      homeTeamId: r.homeTeamId,
      awayTeamId: r.awayTeamId,
      events: observedEventsSchema.parse(r.events),
    };
    out.set(r.matchId, [...(out.get(r.matchId) ?? []), o]);
  }
  return out;
}

function toObservation(m: MatchRecord, input: ObservationInput): Observation {
  const sideOf = (ref: string | null): Side | null => (ref === m.homeRef ? "home" : ref === m.awayRef ? "away" : null);
  const player = (ref: string | null) => (ref ? (input.playerIds.get(ref) ?? null) : null);
  return {
    provider: input.provider,
    fetchedAt: input.fetchedAt,
    seenAt: input.fetchedAt,
    sourceUpdatedAt: m.sourceUpdatedAt,
    status: m.status,
    minute: m.minute,
    homeScore: m.homeScore,
    awayScore: m.awayScore,
    halftimeHome: m.halftimeHome,
    halftimeAway: m.halftimeAway,
    extraTimeHome: m.extraTimeHome ?? null,
    extraTimeAway: m.extraTimeAway ?? null,
    penaltiesHome: m.penaltiesHome ?? null,
    penaltiesAway: m.penaltiesAway ?? null,
    kickoff: m.kickoff,
    kickoffProvisional: m.kickoffProvisional ?? false,
    matchday: m.matchday,
    stage: m.stage,
    group: m.group ?? null,
    venue: m.venue,
    attendance: m.attendance,
    homeTeamId: input.teamIds.get(m.homeRef)!,
    awayTeamId: input.teamIds.get(m.awayRef)!,
    events:
      m.events?.map(
        (e): ObservedEvent => ({
          ref: e.ref,
          type: e.type,
          minute: e.minute,
          extraMinute: e.extraMinute,
          side: sideOf(e.teamRef),
          playerId: player(e.playerRef),
          playerName: e.playerName,
          assistId: player(e.assistRef),
          assistName: e.assistName,
          detail: e.detail,
          scoreHome: e.scoreHome,
          scoreAway: e.scoreAway,
        }),
      ) ?? null,
  };
}

/** A reported name is kept when a later payload of the same provider omits it (OpenLigaDB's season feed sends ""). */
function keepKnownNames(stored: Observation | null, incoming: Observation): Observation {
  if (!stored?.events || !incoming.events) return incoming;
  const before = new Map(stored.events.map((e) => [e.ref, e]));
  return {
    ...incoming,
    events: incoming.events.map((e) => {
      const was = before.get(e.ref);
      if (!was) return e;
      return { ...e, playerName: e.playerName ?? was.playerName, assistName: e.assistName ?? was.assistName };
    }),
  };
}

function observationRow(matchId: number, o: Observation) {
  return {
    matchId,
    provider: o.provider as Provider,
    fetchedAt: o.fetchedAt,
    seenAt: o.seenAt,
    sourceUpdatedAt: o.sourceUpdatedAt,
    status: o.status,
    minute: o.minute,
    homeScore: o.homeScore,
    awayScore: o.awayScore,
    halftimeHome: o.halftimeHome,
    halftimeAway: o.halftimeAway,
    extraTimeHome: o.extraTimeHome,
    extraTimeAway: o.extraTimeAway,
    penaltiesHome: o.penaltiesHome,
    penaltiesAway: o.penaltiesAway,
    kickoff: o.kickoff,
    kickoffProvisional: o.kickoffProvisional,
    matchday: o.matchday,
    stage: o.stage,
    groupName: o.group,
    venue: o.venue,
    attendance: o.attendance,
    homeTeamId: o.homeTeamId,
    awayTeamId: o.awayTeamId,
    events: o.events,
  };
}

const MATCH_COLUMNS = [
  "competitionId", "seasonId", "matchday", "stage", "groupName", "kickoff", "kickoffTentative", "status", "minute",
  "homeTeamId", "awayTeamId", "homeScore", "awayScore", "halftimeHome", "halftimeAway", "extraTimeHome", "extraTimeAway",
  "penaltiesHome", "penaltiesAway", "venue", "attendance", "sourceProvider", "sourceUpdatedAt",
] as const;
const EVENT_COLUMNS = [
  "matchId", "type", "minute", "extraMinute", "teamId", "playerId", "playerName", "assistPlayerId", "assistName", "detail",
  "scoreHome", "scoreAway", "provider", "providerEventId", "sources",
] as const;

/** Re-derives the canonical rows of the given matches from their observations; returns the matches written. */
async function refuse(tx: Transaction, writes: Map<number, Observation>, all: Map<number, Observation[]>, input: ObservationInput): Promise<number[]> {
  const ids = [...writes.keys()];
  const changed = new Set<number>();
  const previousRows = await tx
    .select({
      id: matchEvents.id,
      matchId: matchEvents.matchId,
      sources: matchEvents.sources,
      type: matchEvents.type,
      minute: matchEvents.minute,
      extraMinute: matchEvents.extraMinute,
      teamId: matchEvents.teamId,
    })
    .from(matchEvents)
    .where(inArray(matchEvents.matchId, ids));
  const fused = new Map<number, FusedMatch>();
  for (const id of ids) {
    const observations = all.get(id)!;
    const top = observations[0]!;
    const previous: PreviousEvent[] = previousRows
      .filter((e) => e.matchId === id)
      .map((e) => ({ ...e, side: e.teamId == null ? null : e.teamId === top.homeTeamId ? "home" : e.teamId === top.awayTeamId ? "away" : null }));
    fused.set(id, fuseMatch(observations, previous, { precedence: PRECEDENCE.match, pollIntervalMs: input.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS }));
  }

  const fresh = [...fused.values()].flatMap((f) => f.events.filter((e) => e.id == null));
  if (fresh.length) {
    const newIds = await tx.execute<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence('match_events', 'id'))::int as id from generate_series(1, ${fresh.length})`,
    );
    fresh.forEach((e, i) => (e.id = newIds.rows[i]!.id));
  }

  const matchRows = [...fused].map(([id, f]) => ({
    id,
    competitionId: input.competitionId,
    seasonId: input.seasonId,
    matchday: f.matchday,
    stage: f.stage,
    groupName: f.groupName,
    kickoff: f.kickoff,
    kickoffTentative: f.kickoffTentative,
    status: f.status,
    minute: f.minute,
    homeTeamId: f.homeTeamId,
    awayTeamId: f.awayTeamId,
    homeScore: f.homeScore,
    awayScore: f.awayScore,
    halftimeHome: f.halftimeHome,
    halftimeAway: f.halftimeAway,
    extraTimeHome: f.extraTimeHome,
    extraTimeAway: f.extraTimeAway,
    penaltiesHome: f.penaltiesHome,
    penaltiesAway: f.penaltiesAway,
    venue: f.venue,
    attendance: f.attendance,
    sourceProvider: f.sourceProvider as Provider,
    sourceUpdatedAt: f.sourceUpdatedAt,
  }));
  for (let i = 0; i < matchRows.length; i += CHUNK) {
    const written = await tx
      .insert(matches)
      .values(matchRows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: matches.id,
        set: { ...excludedSet(matches, MATCH_COLUMNS), updatedAt: sql`now()` },
        setWhere: distinctFromExcluded(matches, MATCH_COLUMNS),
      })
      .returning({ id: matches.id });
    input.add("matches", written.length);
    for (const w of written) changed.add(w.id);
  }

  // After the match rows: a new match's observation references its row.
  const rows = [...writes].map(([matchId, o]) => observationRow(matchId, o));
  const cols = Object.keys(rows[0]!).filter((c) => c !== "matchId" && c !== "provider");
  for (let i = 0; i < rows.length; i += CHUNK) {
    const written = await tx
      .insert(matchObservations)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [matchObservations.matchId, matchObservations.provider],
        set: { ...excludedSet(matchObservations, cols), updatedAt: sql`now()` },
        setWhere: distinctFromExcluded(matchObservations, cols),
      })
      .returning({ matchId: matchObservations.matchId });
    input.add("match_observations", written.length);
  }
  const eventRows = [...fused].flatMap(([matchId, f]) =>
    f.events.map((e) => ({
      id: e.id!,
      matchId,
      type: e.type,
      minute: e.minute,
      extraMinute: e.extraMinute,
      teamId: e.side === "home" ? f.homeTeamId : e.side === "away" ? f.awayTeamId : null,
      playerId: e.playerId,
      playerName: e.playerName,
      assistPlayerId: e.assistId,
      assistName: e.assistName,
      detail: e.detail,
      scoreHome: e.scoreHome,
      scoreAway: e.scoreAway,
      provider: e.provider as Provider,
      providerEventId: e.ref,
      sources: e.sources,
    })),
  );
  for (let i = 0; i < eventRows.length; i += CHUNK) {
    const written = await tx
      .insert(matchEvents)
      .values(eventRows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: matchEvents.id,
        set: { ...excludedSet(matchEvents, EVENT_COLUMNS), updatedAt: sql`now()` },
        setWhere: distinctFromExcluded(matchEvents, EVENT_COLUMNS),
      })
      .returning({ matchId: matchEvents.matchId });
    input.add("match_events", written.length);
    for (const w of written) changed.add(w.matchId);
  }
  const keep = eventRows.map((e) => e.id);
  if (previousRows.some((p) => !keep.includes(p.id))) {
    const removed = await tx
      .delete(matchEvents)
      .where(and(inArray(matchEvents.matchId, ids), sql`${matchEvents.id} <> all(${sqlIntArray(keep)})`))
      .returning({ matchId: matchEvents.matchId });
    input.add("match_events_removed", removed.length);
    for (const r of removed) changed.add(r.matchId);
  }

  const disagreements = [...fused].flatMap(([id, f]) => f.disagreements.map((d) => ({ kind: "match" as const, canonicalId: id, field: d.field, values: d.values })));
  input.add("provider_disagreements", await upsertDisagreements(tx, disagreements));
  return [...changed];
}
