// Queue consumer: validates each message, waits for its provider's rate budget (deferring the unit, not
// failing it), runs its job (fetch → normalize → store in one transaction), records the attempt in job_runs,
// invalidates the cache entries the writes affected, and acks — or retries with a delay that respects the
// provider's Retry-After. Messages that exhaust their retries arrive from the dead-letter queue and are recorded
// as failed.
import { createResponseCache } from "../cache/response-cache";
import { tagsForStoreResult } from "./invalidation";
import { openDb, type Database } from "../db/client";
import { readConfig, type AppEnv, type Config } from "../env";
import { adapterFor } from "../providers";
import { ProviderError } from "../providers/http";
import { createJobRuns, markDeadLettered, markFinished, markRunning } from "./job-runs";
import { runJob } from "./jobs";
import { ingestMessage, type IngestMessage } from "./messages";
import { createRateGate, type RateGate } from "./rate-budget";

export const DEAD_LETTER_QUEUE = "ingest-dlq";
/** Must match max_retries of the ingest consumer in wrangler.toml. */
export const MAX_RETRIES = 5;

export async function consumeBatch(batch: MessageBatch<unknown>, env: AppEnv, now: () => Date = () => new Date()): Promise<void> {
  const config = readConfig(env);
  const { db, close } = openDb(config);
  const gate = createRateGate(config);
  try {
    const dead = batch.queue === DEAD_LETTER_QUEUE;
    for (const message of batch.messages) {
      const parsed = ingestMessage.safeParse(message.body);
      if (!parsed.success) {
        log({ msg: "ingest message rejected", queue: batch.queue, id: message.id, issues: parsed.error.issues.slice(0, 3) });
        message.ack();
        continue;
      }
      if (dead) {
        await markDeadLettered(db, parsed.data.jobRunId).catch(() => undefined);
        message.ack();
        continue;
      }
      await runOne({ db, config, env, gate }, message, parsed.data, now());
    }
  } finally {
    await close();
  }
}

interface ConsumerDeps {
  db: Database;
  config: Config;
  env: AppEnv;
  gate: RateGate;
}

async function runOne({ db, config, env, gate }: ConsumerDeps, message: Message<unknown>, msg: IngestMessage, now: Date): Promise<void> {
  const started = Date.now();
  const base = { job: msg.job, provider: msg.provider, competition: msg.competition, season: msg.season, matchday: msg.matchday, page: msg.page, jobRunId: msg.jobRunId, attempt: message.attempts };
  try {
    if (msg.provider) {
      const wait = await gate.acquire(msg.provider, adapterFor(msg.provider).requestsPerMinute(config), now);
      if (wait > 0) {
        // Over budget: send the unit again for later and ack this delivery, so waiting never uses up retries.
        await env.INGEST_QUEUE.send(msg, { delaySeconds: wait });
        await markFinished(db, msg.jobRunId, "retrying", { counts: { deferredSeconds: wait }, error: `waiting ${wait} s for ${msg.provider}'s rate budget` });
        log({ msg: "job unit deferred for rate budget", ...base, delaySeconds: wait });
        message.ack();
        return;
      }
    }
    await markRunning(db, msg.jobRunId);
    const outcome = await runJob({ db, config, env, now }, msg);
    if (msg.provider && outcome.budget) await gate.observe(msg.provider, outcome.budget, now);
    if (msg.provider && outcome.requests && outcome.requests > 1) await gate.charge(msg.provider, outcome.requests - 1, now);
    if (outcome.skippedBecause) {
      await markFinished(db, msg.jobRunId, "skipped", { rowsWritten: 0, error: outcome.skippedBecause });
      log({ msg: "job unit skipped", ...base, reason: outcome.skippedBecause });
      message.ack();
      return;
    }
    const invalidated = await invalidateWithRetry(config, outcome.results.flatMap(tagsForStoreResult));
    const counts: Record<string, number> = {};
    for (const r of outcome.results) for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
    const rowsWritten = outcome.results.reduce((n, r) => n + r.written, 0);
    const staleSkipped = outcome.results.reduce((n, r) => n + r.staleSkipped, 0);
    if (outcome.nextPage) {
      // Paged endpoints continue as a new unit of the same run.
      const [row] = await createJobRuns(db, msg.runId, msg.trigger, [{ ...unitOf(msg), page: outcome.nextPage }]);
      await env.INGEST_QUEUE.send({ ...msg, jobRunId: row!.id, page: outcome.nextPage });
    }
    await markFinished(db, msg.jobRunId, "succeeded", {
      rowsWritten,
      counts: { ...counts, staleSkipped, discarded: outcome.discarded.length, cacheKeysInvalidated: invalidated, ...(outcome.nextPage ? { nextPage: outcome.nextPage } : {}) },
    });
    if (outcome.discarded.length) log({ msg: "provider data discarded", ...base, discarded: outcome.discarded.slice(0, 20) });
    log({ msg: "job unit done", ...base, status: "succeeded", rowsWritten, counts, invalidated, ms: Date.now() - started });
    message.ack();
  } catch (err) {
    const retryable = !(err instanceof ProviderError) || err.retryable;
    const lastAttempt = message.attempts > MAX_RETRIES;
    const error = describeError(err);
    if (err instanceof ProviderError && err.kind === "rate_limited" && msg.provider) {
      await gate.closeFor(msg.provider, retryDelaySeconds(err, message.attempts), now);
    }
    if (retryable && !lastAttempt) {
      const delaySeconds = retryDelaySeconds(err, message.attempts);
      await markFinished(db, msg.jobRunId, "retrying", { error, counts: { retryInSeconds: delaySeconds } }).catch(() => undefined);
      log({ msg: "job unit failed, will retry", ...base, error, delaySeconds, ms: Date.now() - started });
      message.retry({ delaySeconds });
    } else {
      // Exhausted retries still pass through the dead-letter queue, whose consumer records the final mark.
      await markFinished(db, msg.jobRunId, "failed", { error, ...(retryable ? { counts: { toDeadLetterQueue: true } } : {}) }).catch(() => undefined);
      log({ msg: "job unit failed", ...base, error, ms: Date.now() - started });
      // A non-retryable provider rejection is final: ack it. Exhausted retries go to the dead-letter queue.
      if (retryable) message.retry();
      else message.ack();
    }
  }
}

const unitOf = ({ job, provider, competition, season, matchday }: IngestMessage) => ({ job, provider, competition, season, ...(matchday ? { matchday } : {}) });

/** Rate limits wait what the provider asked (at least 5 s); other failures back off exponentially up to 10 min. */
export function retryDelaySeconds(err: unknown, attempts: number): number {
  if (err instanceof ProviderError && err.kind === "rate_limited") return Math.min(Math.max(err.retryAfterSeconds ?? 60, 5), 43_200);
  return Math.min(10 * 2 ** Math.max(0, attempts - 1), 600);
}

/** After a commit, stale cache entries must go; a Redis hiccup gets two more tries before we log and move on. */
async function invalidateWithRetry(config: Config, tags: string[]): Promise<number> {
  const cache = createResponseCache(config);
  const unique = [...new Set(tags)];
  if (!cache || !unique.length) return 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await cache.invalidate(unique);
    } catch (err) {
      if (attempt >= 3) {
        log({ msg: "cache invalidation failed; entries expire by TTL", tags: unique, error: String(err) });
        return 0;
      }
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/** The error's message and its causes' (a failed query's message names the SQL; its cause says what Postgres said). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e != null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const text = e instanceof Error ? e.message : typeof e === "object" && "message" in (e as object) ? String((e as { message: unknown }).message) : String(e);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(" — caused by: ");
}
