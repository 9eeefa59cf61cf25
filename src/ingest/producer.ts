// Queue producer: turns a job request (from a cron firing or the admin API) into small queue messages, one per
// (provider, competition, season[, matchday]), each with its job_runs row, so every unit retries on its own.
import type { Database } from "../db/client";
import type { JobName } from "../db/schema";
import { trackedSeasons, type Config } from "../env";
import { COMPETITIONS, type CompetitionCode } from "../providers/registry";
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
  /** Why some competitions produced no unit (no provider covers them yet). */
  skipped: string[];
}

/** Jobs with provider work implemented so far; the others have nothing to plan yet. */
const PLANNERS: Partial<Record<JobName, (req: JobRequest, config: Config, season: number, code: CompetitionCode) => IngestUnit[]>> = {
  update_matches: (req, _config, season, code) => {
    const units: IngestUnit[] = [];
    if (COMPETITIONS[code].ids.openligadb) {
      units.push({ job: "update_matches", provider: "openligadb", competition: code, season, ...(req.matchday ? { matchday: req.matchday } : {}) });
    }
    return units;
  },
};

export function planJob(req: JobRequest, config: Config, now: Date): PlannedJob {
  const planner = PLANNERS[req.job];
  if (!planner) return { units: [], skipped: [`${req.job}: no provider work is implemented for this job yet`] };
  const codes = req.competition ? [req.competition] : config.competitions;
  const seasons = req.season ? [req.season] : trackedSeasons(config, now);
  const units: IngestUnit[] = [];
  const skipped: string[] = [];
  for (const code of codes) {
    for (const season of seasons) {
      const planned = planner(req, config, season, code);
      if (!planned.length) skipped.push(`${code} ${season}: no configured provider covers it for ${req.job}`);
      units.push(...planned);
    }
  }
  return { units, skipped };
}

/** Records the units in job_runs and sends them; returns the dispatch's runId. */
export async function enqueueJob(
  db: Database,
  queue: Queue<IngestMessage>,
  units: IngestUnit[],
  trigger: "cron" | "manual",
): Promise<{ runId: string; jobRunIds: number[] }> {
  const runId = crypto.randomUUID();
  const rows = await createJobRuns(db, runId, trigger, units);
  const messages = units.map((u, i) => ({ body: { v: 1 as const, jobRunId: rows[i]!.id, runId, trigger, ...u } }));
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
  return { runId, jobRunIds: rows.map((r) => r.id) };
}
