// The detail jobs: match details (lineups, statistics, player match stats), odds with provider predictions, and
// club details. When each match is fetched (README "Match and team detail"):
//   prematch  — scheduled, kicking off within the next 65 minutes (lineups are published ~20–60 min before)
//   kickoff   — kicked off in the last 20 minutes (confirmed lineups, first numbers)
//   live-<k>  — in play, once per DETAIL_LIVE_MINUTES of play (k = minutes since kickoff ÷ interval; 0 = off)
//   final     — finished, kicked off within the last 4 hours (final statistics and ratings)
// Each (match, phase) is fetched once: a Redis checkpoint `details:<provider>:<ref>:<phase>` is saved after the
// store. API-Football answers up to 20 matches per request (`/fixtures?ids=`), so simultaneous kickoffs share
// requests; a unit makes at most DETAIL_REQUESTS_PER_UNIT of them (the rest waits for the next 5-minute run).
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { MatchStatus, Provider } from "../../domain/vocabulary";
import type { Config } from "../../env";
import { MATCH_DETAILS_MAX, type AdapterContext, type ProviderAdapter } from "../../providers/adapter";
import type { MatchTarget, RateBudget } from "../../domain/canonical";
import type { CompetitionCode } from "../../domain/competitions";
import { createCheckpoints } from "../checkpoints";
import type { IngestMessage, IngestUnit } from "../messages";
import { storeMatchDetails, storeOdds, storePredictions, storeTeamDetails } from "../store-detail";
import type { StoreResult } from "../store";
import type { JobDeps, JobOutcome } from "./types";

/** Requests one match-details unit may make (each covers up to 20 matches). */
export const DETAIL_REQUESTS_PER_UNIT = 2;
const IN_PLAY: MatchStatus[] = ["live", "halftime", "extra_time", "penalties"];

export interface DetailCandidate extends MatchTarget {
  matchId: number;
  kickoff: Date;
  status: MatchStatus;
}

/** The phase a match is in for detail fetching at `now`, or null when nothing is due. */
export function detailPhase(m: { kickoff: Date; status: MatchStatus }, now: Date, liveMinutes: number): string | null {
  const since = (now.getTime() - m.kickoff.getTime()) / 60_000;
  if (m.status === "finished") return since <= 240 ? "final" : null;
  if (m.status === "scheduled" && since < 0) return since >= -65 ? "prematch" : null;
  if (since >= 0 && since <= 20 && (m.status === "scheduled" || IN_PLAY.includes(m.status))) return "kickoff";
  if (IN_PLAY.includes(m.status) && liveMinutes > 0 && since <= 240) return `live-${Math.floor(since / liveMinutes)}`;
  return null;
}

/** Stored matches of a competition season near kickoff, with this provider's ids for the match and its teams. */
/** `from … where` of a competition season's matches that the provider knows, with its ids for match, home, away. */
const matchesWithProviderRefs = (provider: Provider, competition: CompetitionCode, season: number) => sql`
    from matches m
    join competitions c on c.id = m.competition_id
    join seasons s on s.id = m.season_id
    join external_refs r on r.kind = 'match' and r.provider = ${provider} and r.canonical_id = m.id
    join external_refs hr on hr.kind = 'team' and hr.provider = ${provider} and hr.canonical_id = m.home_team_id
    join external_refs ar on ar.kind = 'team' and ar.provider = ${provider} and ar.canonical_id = m.away_team_id
    where c.code = ${competition} and s.year = ${season}`;

export async function detailCandidates(db: Database, provider: Provider, competition: CompetitionCode, season: number, now: Date): Promise<DetailCandidate[]> {
  const rows = await db.execute<{ id: number; kickoff: string; status: MatchStatus; ref: string; home_ref: string; away_ref: string }>(sql`
    select distinct on (m.id) m.id, m.kickoff, m.status, r.external_id as ref, hr.external_id as home_ref, ar.external_id as away_ref
    ${matchesWithProviderRefs(provider, competition, season)}
      and m.kickoff between ${new Date(now.getTime() - 4 * 3600_000).toISOString()}::timestamptz and ${new Date(now.getTime() + 65 * 60_000).toISOString()}::timestamptz
    order by m.id, r.external_id`);
  return rows.rows.map((r) => ({ matchId: r.id, kickoff: new Date(r.kickoff), status: r.status, ref: r.ref, homeRef: r.home_ref, awayRef: r.away_ref }));
}

/** Candidates whose current phase has not been fetched yet, with their checkpoint keys. */
export async function dueDetails(
  candidates: DetailCandidate[],
  provider: Provider,
  now: Date,
  config: Config,
  checkpoint: AdapterContext["checkpoint"],
): Promise<{ target: DetailCandidate; key: string }[]> {
  const due: { target: DetailCandidate; key: string }[] = [];
  for (const c of candidates) {
    const phase = detailPhase(c, now, config.detailLiveMinutes);
    if (!phase) continue;
    const key = `details:${provider}:${c.ref}:${phase}`;
    if (checkpoint && (await checkpoint(key))) continue;
    due.push({ target: c, key });
  }
  return due;
}

/** The match-details units (from planJob) that have at least one match due now; the others are not sent. */
export async function filterDueDetailUnits(db: Database, config: Config, units: IngestUnit[], now: Date): Promise<IngestUnit[]> {
  const checkpoints = createCheckpoints(config);
  const out: IngestUnit[] = [];
  for (const u of units) {
    if (!u.provider) continue;
    const candidates = await detailCandidates(db, u.provider, u.competition, u.season, now);
    if (candidates.length && (await dueDetails(candidates, u.provider, now, config, checkpoints.get)).length) out.push(u);
  }
  return out;
}

export async function runMatchDetails({ db, config, now }: JobDeps, adapter: ProviderAdapter, msg: IngestMessage, ctx: AdapterContext, save: (c: Record<string, string>) => Promise<void>): Promise<JobOutcome> {
  if (!adapter.matchDetails) return skipped(`${adapter.provider} has no match details`);
  const due = await dueDetails(await detailCandidates(db, adapter.provider, msg.competition, msg.season, now), adapter.provider, now, config, ctx.checkpoint);
  if (!due.length) return skipped("no match is due for details (see README: prematch, kickoff, live, final)");
  const results: StoreResult[] = [];
  const discarded: string[] = [];
  let budget: RateBudget | null = null;
  let requests = 0;
  for (let i = 0; i < due.length && requests < DETAIL_REQUESTS_PER_UNIT; i += MATCH_DETAILS_MAX) {
    const chunk = due.slice(i, i + MATCH_DETAILS_MAX);
    const fetched = await adapter.matchDetails(ctx, chunk.map((d) => d.target));
    requests++;
    budget = fetched.budget;
    results.push(await db.transaction((tx) => storeMatchDetails(tx, fetched.data, msg)));
    discarded.push(...fetched.data.discarded);
    await save(Object.fromEntries(chunk.map((d) => [d.key, now.toISOString()])));
  }
  return { results, discarded, budget, requests };
}

/**
 * Odds of the competition season's upcoming matches (one page per unit, further pages as new units), and on
 * page 1 the provider's predictions for up to PREDICTIONS_PER_RUN matches kicking off in the next 48 hours
 * that have none from today (one request each; checkpoint `prediction:<provider>:<ref>:<UTC day>`).
 */
export async function runOdds({ db, config, now }: JobDeps, adapter: ProviderAdapter, msg: IngestMessage, ctx: AdapterContext, save: (c: Record<string, string>) => Promise<void>): Promise<JobOutcome> {
  const page = msg.page ?? 1;
  const results: StoreResult[] = [];
  const discarded: string[] = [];
  let budget: RateBudget | null = null;
  let requests = 0;
  let nextPage: number | null = null;
  if (adapter.odds) {
    const fetched = await adapter.odds(ctx, msg.competition, msg.season, page);
    requests++;
    budget = fetched.budget;
    results.push(await db.transaction((tx) => storeOdds(tx, fetched.data, msg)));
    discarded.push(...fetched.data.discarded);
    nextPage = fetched.data.nextPage;
  }
  if (adapter.prediction && page === 1 && config.predictionsPerRun > 0) {
    const day = now.toISOString().slice(0, 10);
    const upcoming = (await upcomingTargets(db, adapter.provider, msg.competition, msg.season, now)).slice(0, 50);
    let asked = 0;
    for (const target of upcoming) {
      if (asked >= config.predictionsPerRun) break;
      const key = `prediction:${adapter.provider}:${target.ref}:${day}`;
      if (ctx.checkpoint && (await ctx.checkpoint(key))) continue;
      const fetched = await adapter.prediction(ctx, target);
      asked++;
      requests++;
      budget = fetched.budget;
      results.push(await db.transaction((tx) => storePredictions(tx, fetched.data, msg)));
      discarded.push(...fetched.data.discarded);
      await save({ [key]: now.toISOString() });
    }
  }
  if (!requests) return skipped(`${adapter.provider} has no odds or predictions`);
  return { results, discarded, budget, requests, ...(nextPage ? { nextPage } : {}) };
}

/** Scheduled matches kicking off in the next 48 hours, nearest first. */
async function upcomingTargets(db: Database, provider: Provider, competition: CompetitionCode, season: number, now: Date): Promise<MatchTarget[]> {
  const rows = await db.execute<{ ref: string; home_ref: string; away_ref: string }>(sql`
    select distinct on (m.kickoff, m.id) r.external_id as ref, hr.external_id as home_ref, ar.external_id as away_ref
    ${matchesWithProviderRefs(provider, competition, season)} and m.status = 'scheduled'
      and m.kickoff between ${now.toISOString()}::timestamptz and ${new Date(now.getTime() + 48 * 3600_000).toISOString()}::timestamptz
    order by m.kickoff, m.id, r.external_id`);
  return rows.rows.map((r) => ({ ref: r.ref, homeRef: r.home_ref, awayRef: r.away_ref }));
}

export async function runTeamDetails({ db }: JobDeps, adapter: ProviderAdapter, msg: IngestMessage, ctx: AdapterContext): Promise<JobOutcome> {
  if (!adapter.teamDetails) return skipped(`${adapter.provider} has no team details`);
  const { data, budget } = await adapter.teamDetails(ctx, msg.competition, msg.season);
  const result = await db.transaction((tx) => storeTeamDetails(tx, data));
  return { results: [result], discarded: data.discarded, budget, requests: 1 };
}

const skipped = (why: string): JobOutcome => ({ results: [], discarded: [], budget: null, skippedBecause: why, requests: 0 });
