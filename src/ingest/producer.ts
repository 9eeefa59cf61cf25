// Queue producer: turns a job request (from a cron firing or the admin API) into small queue messages, one per
// (provider, competition, season[, matchday | page]), each with its job_runs row, so every unit retries on its
// own. Messages of one provider are spread over time to fit its per-minute budget.
import type { Database } from "../db/client";
import type { JobName } from "../db/schema";
import type { Provider } from "../domain/vocabulary";
import { trackedSeasons, type Config } from "../env";
import type { ProviderAdapter } from "../providers/adapter";
import { ADAPTERS, MISSING_CONFIG } from "../providers";
import type { CompetitionCode } from "../domain/competitions";
import { createJobRuns } from "./job-runs";
import type { IngestMessage, IngestUnit } from "./messages";

export interface JobRequest {
  job: JobName;
  competition?: CompetitionCode;
  season?: number;
  matchday?: number;
}

export interface PlannedJob {
  units: IngestUnit[];
  /** Why some competitions or providers produced no unit. */
  skipped: string[];
}

/** What a provider must offer to take part in a job. */
const CAPABILITY: Record<Exclude<JobName, "update_market_values">, (a: ProviderAdapter) => boolean> = {
  update_matches: () => true,
  update_live_matches: (a) => Boolean(a.liveMatches),
  update_team_stats: (a) => Boolean(a.standings),
  update_player_stats: (a) => Boolean(a.playerStats),
  update_match_details: (a) => Boolean(a.matchDetails),
  update_odds: (a) => Boolean(a.odds || a.prediction),
  update_team_details: (a) => Boolean(a.teamDetails),
};

export function planJob(req: JobRequest, config: Config, now: Date): PlannedJob {
  const codes = req.competition ? [req.competition] : config.competitions;
  const seasons = req.season ? [req.season] : trackedSeasons(config, now);
  const units: IngestUnit[] = [];
  const skipped: string[] = [];
  if (req.job === "update_market_values") {
    // Computed from stored player data, not fetched: one unit per competition season, no provider.
    for (const competition of codes) for (const season of seasons) units.push({ job: req.job, provider: null, competition, season });
    return { units, skipped };
  }
  const capable = CAPABILITY[req.job];
  const adapters = Object.values(ADAPTERS).filter((a) => {
    if (!a.isConfigured(config)) {
      skipped.push(`${a.provider}: skipped, ${MISSING_CONFIG[a.provider]}`);
      return false;
    }
    return capable(a);
  });
  for (const competition of codes) {
    for (const season of seasons) {
      const covering = adapters.filter((a) => a.covers(competition));
      // update_team_stats also recomputes our own tables and stats from stored data: one unit without a provider.
      if (req.job === "update_team_stats") units.push({ job: req.job, provider: null, competition, season });
      if (!covering.length && req.job !== "update_team_stats") skipped.push(`${competition} ${season}: no configured provider covers it for ${req.job}`);
      for (const a of covering) {
        const unit: IngestUnit = { job: req.job, provider: a.provider, competition, season };
        if (req.matchday && req.job === "update_matches") unit.matchday = req.matchday;
        if (req.job === "update_player_stats" || req.job === "update_odds") unit.page = 1;
        units.push(unit);
      }
    }
  }
  return { units, skipped };
}

/** Records the units in job_runs and sends them, spread to fit each provider's budget; returns the runId. */
export async function enqueueJob(
  db: Database,
  queue: Queue<IngestMessage>,
  units: IngestUnit[],
  trigger: "cron" | "manual",
  config: Config,
  runId: string = crypto.randomUUID(),
): Promise<{ runId: string; jobRunIds: number[] }> {
  const rows = await createJobRuns(db, runId, trigger, units);
  const perProvider = new Map<Provider | null, number>();
  const messages = units.map((u, i) => {
    const n = perProvider.get(u.provider) ?? 0;
    perProvider.set(u.provider, n + 1);
    const rpm = u.provider ? ADAPTERS[u.provider]!.requestsPerMinute(config) : Infinity;
    // The n-th unit of a provider waits n / budget minutes (rounded down): never more than the budget per minute.
    const delaySeconds = Math.min(Math.floor(n / Math.max(1, rpm - 1)) * 60, 43_200);
    return { body: { v: 1 as const, jobRunId: rows[i]!.id, runId, trigger, ...u }, ...(delaySeconds ? { delaySeconds } : {}) };
  });
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
  return { runId, jobRunIds: rows.map((r) => r.id) };
}
