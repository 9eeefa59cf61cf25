// The work of one queue message per job: ask the unit's provider adapter, store what it returns in one
// transaction per batch, and report what was written (for job_runs and cache invalidation).
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Provider } from "../../domain/vocabulary";
import { publishMatchChanges } from "../../live/publish";
import { MATCHES_BY_REFS_MAX, type ProviderAdapter } from "../../providers/adapter";
import { adapterFor } from "../../providers";
import type { CompetitionCode } from "../../domain/competitions";
import type { IngestMessage } from "../messages";
import { createCheckpoints } from "../checkpoints";
import { runMarketValues } from "./market-values";
import { runSeasonAnalytics } from "./season-analytics";
import { storeMatchBatch, storePlayerStats, storeStandings, type StoreResult } from "../store";
import { runMatchDetails, runOdds, runTeamDetails } from "./detail";
import type { JobDeps, JobOutcome } from "./types";

export type { JobDeps, JobOutcome } from "./types";

export async function runJob({ db, config, env, now }: JobDeps, msg: IngestMessage): Promise<JobOutcome> {
  const checkpoints = createCheckpoints(config);
  const ctx = { config, now, checkpoint: checkpoints.get };
  if (msg.job === "update_market_values") {
    const out = await runMarketValues(db, msg.competition, msg.season, now);
    return "skippedBecause" in out ? { results: [], discarded: [], budget: null, skippedBecause: out.skippedBecause } : { results: [out], discarded: [], budget: null };
  }
  if (msg.job === "update_team_stats" && msg.provider === null) {
    // The computed unit: our tables, team/player season stats and ratings from canonical data.
    const result = await runSeasonAnalytics(db, msg.competition, msg.season);
    return result ? { results: [result], discarded: [], budget: null } : { results: [], discarded: [], budget: null, skippedBecause: `nothing stored for ${msg.competition} ${msg.season} yet` };
  }
  const adapter = adapterFor(msg.provider!);
  switch (msg.job) {
    case "update_matches": {
      const fetchedAt = new Date(); // before the request: a slow answer stored late is still recognisably older
      const { data, budget } = await adapter.seasonMatches(ctx, msg.competition, msg.season, { matchday: msg.matchday });
      const result = await db.transaction((tx) => storeMatchBatch(tx, { ...data, fetchedAt }, storeOptions(config)));
      return { results: [result], discarded: data.discarded, budget };
    }
    case "update_live_matches":
      return runLiveMatches({ db, config, env, now }, adapter, [msg.competition], msg.season);
    case "update_team_stats": {
      const { data, budget } = await adapter.standings!(ctx, msg.competition, msg.season);
      const result = await db.transaction((tx) => storeStandings(tx, data));
      return { results: [result], discarded: [], budget };
    }
    case "update_player_stats": {
      const page = msg.page ?? 1;
      const { data, budget } = await adapter.playerStats!(ctx, msg.competition, msg.season, page);
      const result = await db.transaction((tx) => storePlayerStats(tx, data));
      return { results: [result], discarded: [], budget, ...(data.nextPage ? { nextPage: data.nextPage } : {}) };
    }
    case "update_match_details":
      return runMatchDetails({ db, config, env, now }, adapter, msg, ctx, checkpoints.save);
    case "update_odds":
      return runOdds({ db, config, env, now }, adapter, msg, ctx, checkpoints.save);
    case "update_team_details":
      return runTeamDetails({ db, config, env, now }, adapter, msg, ctx);
  }
}

/**
 * The live job's body, shared by the queue unit (one competition) and the LivePoller (every tracked competition
 * a provider covers, in one call): fetch the provider's matches in play, store each batch in its own transaction,
 * save the provider's checkpoints only once stored, optionally let the caller act on what was written (the
 * poller invalidates the cache there, so a client refetching after a push reads fresh data), then publish every
 * changed match to its room. Publishing never fails the job (see publishMatchChanges).
 */
export async function runLiveMatches(
  { db, config, env, now }: JobDeps,
  adapter: ProviderAdapter,
  competitions: CompetitionCode[],
  season: number,
  opts: { beforePublish?: (results: StoreResult[]) => Promise<unknown> } = {},
): Promise<JobOutcome & { published: number }> {
  if (!adapter.liveMatches) return { results: [], discarded: [], budget: null, published: 0, skippedBecause: `${adapter.provider} has no live endpoint` };
  const checkpoints = createCheckpoints(config);
  const fetchedAt = new Date();
  const { data, budget, checkpoints: reached } = await adapter.liveMatches({ config, now, checkpoint: checkpoints.get }, competitions, season);
  const results: StoreResult[] = [];
  for (const batch of data) results.push(await db.transaction((tx) => storeMatchBatch(tx, { ...batch, fetchedAt }, storeOptions(config))));
  await checkpoints.save(reached ?? {});
  // Live lists drop a match at full time: a match we still show in play that this provider no longer lists is
  // fetched by id, so its final state lands now rather than with the next daily run.
  if (adapter.matchesByRefs) {
    const listed = new Set(data.flatMap((b) => b.matches.map((m) => m.ref)));
    for (const competition of competitions) {
      const vanished = (await inPlayRefs(db, adapter.provider, competition, season)).filter((ref) => !listed.has(ref));
      for (let i = 0; i < vanished.length; i += MATCHES_BY_REFS_MAX) {
        const askedAt = new Date();
        const { data: batch } = await adapter.matchesByRefs({ config, now }, competition, season, vanished.slice(i, i + MATCHES_BY_REFS_MAX));
        if (batch.matches.length) results.push(await db.transaction((tx) => storeMatchBatch(tx, { ...batch, fetchedAt: askedAt }, storeOptions(config))));
      }
    }
  }
  if (opts.beforePublish) await opts.beforePublish(results);
  const published = await publishMatchChanges(
    env,
    db,
    results.flatMap((r) => r.changedMatchIds.map((matchId) => ({ matchId, competition: r.competitionCode, season: r.season }))),
  );
  return { results, discarded: data.flatMap((b) => b.discarded), budget, published };
}

/** The store's view of the live poll: the fusion's "stopped updating" rule counts poll intervals. */
const storeOptions = (config: JobDeps["config"]) => ({ pollIntervalMs: config.livePollIntervalSeconds * 1000 });

/** This provider's ids of the stored matches of a competition season that are in play. */
async function inPlayRefs(db: Database, provider: Provider, competition: CompetitionCode, season: number): Promise<string[]> {
  const rows = await db.execute<{ ref: string }>(sql`
    select r.external_id as ref from matches m
    join external_refs r on r.kind = 'match' and r.provider = ${provider} and r.canonical_id = m.id
    join competitions c on c.id = m.competition_id
    join seasons s on s.id = m.season_id
    where c.code = ${competition} and s.year = ${season} and m.status in ('live', 'halftime', 'extra_time', 'penalties')`);
  return rows.rows.map((r) => r.ref);
}
