// job_runs bookkeeping: a row per unit of work, created when it is queued and updated by the consumer.
// Written outside the data transaction so a failed attempt is still recorded.
import { desc, eq, sql } from "drizzle-orm";
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

export async function listJobRuns(db: Queryable, job: JobName | undefined, limit: number) {
  return db
    .select()
    .from(jobRuns)
    .where(job ? eq(jobRuns.job, job) : undefined)
    .orderBy(desc(jobRuns.id))
    .limit(limit);
}
