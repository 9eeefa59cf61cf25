// The work of one queue message per job: ask the unit's provider adapter, store what it returns in one
// transaction per batch, and report what was written (for job_runs and cache invalidation).
import type { Database } from "../../db/client";
import type { AppEnv, Config } from "../../env";
import { publishMatchChanges } from "../../live/publish";
import type { RateBudget } from "../../providers/canonical";
import { adapterFor } from "../../providers";
import type { IngestMessage } from "../messages";
import { createCheckpoints } from "../checkpoints";
import { storeMatchBatch, storePlayerStats, storeStandings, type StoreResult } from "../store";

export interface JobOutcome {
  results: StoreResult[];
  discarded: string[];
  budget: RateBudget | null;
  /** Paged jobs: the next page to enqueue. */
  nextPage?: number;
  /** Jobs that had nothing to do, with why (recorded as status "skipped"). */
  skippedBecause?: string;
}

export interface JobDeps {
  db: Database;
  config: Config;
  env: AppEnv;
  now: Date;
}

export async function runJob({ db, config, env, now }: JobDeps, msg: IngestMessage): Promise<JobOutcome> {
  const checkpoints = createCheckpoints(config);
  const ctx = { config, now, checkpoint: checkpoints.get };
  if (msg.job === "update_market_values") {
    return { results: [], discarded: [], budget: null, skippedBecause: "the market-value model is not implemented yet (analytics issue)" };
  }
  const adapter = adapterFor(msg.provider!);
  switch (msg.job) {
    case "update_matches": {
      const { data, budget } = await adapter.seasonMatches(ctx, msg.competition, msg.season, { matchday: msg.matchday });
      const result = await db.transaction((tx) => storeMatchBatch(tx, data));
      return { results: [result], discarded: data.discarded, budget };
    }
    case "update_live_matches": {
      const { data, budget, checkpoints: reached } = await adapter.liveMatches!(ctx, [msg.competition], msg.season);
      const results: StoreResult[] = [];
      for (const batch of data) results.push(await db.transaction((tx) => storeMatchBatch(tx, batch)));
      await checkpoints.save(reached ?? {});
      await publishMatchChanges(
        env,
        results.flatMap((r) => r.changedMatchIds.map((matchId) => ({ matchId, competition: r.competitionCode, season: r.season }))),
      );
      return { results, discarded: data.flatMap((b) => b.discarded), budget };
    }
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
  }
}
