// job_runs bookkeeping: a row per unit of work, created when it is queued and updated by the consumer.
// Written outside the data transaction so a failed attempt is still recorded.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { jobRuns, type JobName, type JobStatus } from "../db/schema";
import type { IngestUnit } from "./messages";

export async function createJobRuns(db: Queryable, runId: string, trigger: "cron" | "manual", units: IngestUnit[]) {
  if (!units.length) return [];
  return db
    .insert(jobRuns)
    .values(
      units.map((u) => ({
        runId,
        job: u.job,
        trigger,
        provider: u.provider,
        competition: u.competition,
        season: u.season,
        params: u.matchday || u.page ? { ...(u.matchday ? { matchday: u.matchday } : {}), ...(u.page ? { page: u.page } : {}) } : null,
      })),
    )
    .returning({ id: jobRuns.id });
}

export async function markRunning(db: Queryable, id: number) {
  await db
    .update(jobRuns)
    .set({ status: "running", attempts: sql`${jobRuns.attempts} + 1`, startedAt: sql`coalesce(${jobRuns.startedAt}, now())`, error: null })
    .where(eq(jobRuns.id, id));
}

export async function markFinished(
  db: Queryable,
  id: number,
  status: Extract<JobStatus, "succeeded" | "skipped" | "retrying" | "failed">,
  result: { rowsWritten?: number; counts?: Record<string, unknown>; error?: string },
) {
  const done = status !== "retrying";
  await db
    .update(jobRuns)
    .set({
      status,
      rowsWritten: result.rowsWritten ?? null,
      counts: result.counts ?? null,
      error: result.error ?? null,
      finishedAt: done ? sql`now()` : null,
    })
    .where(eq(jobRuns.id, id));
}

/**
 * A unit that came back from the dead-letter queue (its retries used up): failed, saying after how many attempts
 * (the row's own count: a dead-letter delivery counts its attempts afresh) with the last attempt's error kept, and
 * `counts.deadLettered` set, so a backfill can tell it from a request the provider rejected.
 */
export async function markDeadLettered(db: Queryable, id: number) {
  await db
    .update(jobRuns)
    .set({
      status: "failed",
      error: sql`'dead-lettered after ' || ${jobRuns.attempts} || case when ${jobRuns.attempts} = 1 then ' attempt' else ' attempts' end || coalesce(' — last error: ' || ${jobRuns.error}, '')`,
      counts: sql`jsonb_build_object('deadLettered', true, 'attempts', ${jobRuns.attempts})`,
      finishedAt: sql`now()`,
    })
    .where(eq(jobRuns.id, id));
}

export async function listJobRuns(db: Queryable, filter: { job?: JobName; runIds?: string[] }, limit: number) {
  return db
    .select()
    .from(jobRuns)
    .where(and(filter.job ? eq(jobRuns.job, filter.job) : undefined, filter.runIds?.length ? inArray(jobRuns.runId, filter.runIds) : undefined))
    .orderBy(desc(jobRuns.id))
    .limit(limit);
}
