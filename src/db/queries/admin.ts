// Operator reads: provider disagreements, job load.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../client";
import { jobRuns, providerDisagreements } from "../schema";
import { type EntityKind } from "../../domain/vocabulary";

export function listDisagreements(db: Queryable, f: { kind?: EntityKind; openOnly: boolean; limit: number }) {
  return db
    .select()
    .from(providerDisagreements)
    .where(and(f.kind ? eq(providerDisagreements.kind, f.kind) : undefined, f.openOnly ? isNull(providerDisagreements.resolvedAt) : undefined))
    .orderBy(desc(providerDisagreements.detectedAt), desc(providerDisagreements.id))
    .limit(f.limit);
}

/** Job load over recent windows: units by job and status, durations, rows written; the backlog; recent failures. */
export async function jobMetrics(db: Queryable) {
  const windows = await db.execute<{ label: string; job: string; status: string; units: string; avg_ms: string | null; p95_ms: string | null; rows: string | null }>(sql`
    select w.label, r.job, r.status, count(*) as units,
           round(avg(extract(epoch from (r.finished_at - r.started_at)) * 1000)) as avg_ms,
           round((percentile_cont(0.95) within group (order by extract(epoch from (r.finished_at - r.started_at)) * 1000))::numeric) as p95_ms,
           sum(r.rows_written) as rows
    from (values ('last1h', interval '1 hour'), ('last24h', interval '24 hours')) as w(label, span)
    join ${jobRuns} r on r.queued_at > now() - w.span
    group by w.label, r.job, r.status
    order by w.label, r.job, r.status`);
  const backlog = await db.execute<{ status: string; units: string; oldest: Date | string | null }>(sql`
    select status, count(*) as units, min(queued_at) as oldest from ${jobRuns}
    where status in ('queued', 'running', 'retrying') group by status`);
  const failures = await db
    .select({ id: jobRuns.id, job: jobRuns.job, provider: jobRuns.provider, competition: jobRuns.competition, season: jobRuns.season, attempts: jobRuns.attempts, error: jobRuns.error, finishedAt: jobRuns.finishedAt })
    .from(jobRuns)
    .where(eq(jobRuns.status, "failed"))
    .orderBy(desc(jobRuns.id))
    .limit(10);
  const byWindow: Record<string, Record<string, Record<string, { units: number; avgMs: number | null; p95Ms: number | null; rowsWritten: number }>>> = { last1h: {}, last24h: {} };
  for (const r of windows.rows) {
    ((byWindow[r.label] ??= {})[r.job] ??= {})[r.status] = {
      units: Number(r.units),
      avgMs: r.avg_ms == null ? null : Number(r.avg_ms),
      p95Ms: r.p95_ms == null ? null : Number(r.p95_ms),
      rowsWritten: Number(r.rows ?? 0),
    };
  }
  return {
    ...byWindow,
    backlog: Object.fromEntries(backlog.rows.map((b) => [b.status, { units: Number(b.units), oldestQueuedAt: b.oldest ? new Date(b.oldest).toISOString() : null }])),
    recentFailures: failures.map((f) => ({ ...f, finishedAt: f.finishedAt?.toISOString() ?? null })),
  };
}
