// Queue consumer: validates each message, runs its job (fetch → normalize → store in one transaction), records
// the attempt in job_runs, invalidates the cache entries the write affected, and acks — or retries with a delay
// that respects the provider's Retry-After. Messages that exhaust their retries arrive from the dead-letter queue
// and are recorded as failed.
import { createResponseCache } from "../cache/response-cache";
import { tagsForStoreResult } from "../cache/tags";
import { openDb, type Database } from "../db/client";
import { readConfig, type AppEnv, type Config } from "../env";
import { ProviderError } from "../providers/http";
import { markFinished, markRunning } from "./job-runs";
import { ingestMessage, type IngestMessage } from "./messages";
import { updateMatchesFromOpenLigaDb } from "./jobs/update-matches";
import type { StoreResult } from "./store";

export const DEAD_LETTER_QUEUE = "ingest-dlq";
/** Must match max_retries of the ingest consumer in wrangler.toml. */
export const MAX_RETRIES = 5;

export async function consumeBatch(batch: MessageBatch<unknown>, env: AppEnv, now: () => Date = () => new Date()): Promise<void> {
  const config = readConfig(env);
  const { db, close } = openDb(config);
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
        await markFinished(db, parsed.data.jobRunId, "failed", { error: `dead-lettered after ${message.attempts} deliveries` }).catch(() => undefined);
        message.ack();
        continue;
      }
      await runOne(db, config, message, parsed.data, now());
    }
  } finally {
    await close();
  }
}

async function runOne(db: Database, config: Config, message: Message<unknown>, msg: IngestMessage, now: Date): Promise<void> {
  const started = Date.now();
  const base = { job: msg.job, provider: msg.provider, competition: msg.competition, season: msg.season, matchday: msg.matchday, jobRunId: msg.jobRunId, attempt: message.attempts };
  try {
    await markRunning(db, msg.jobRunId);
    const result = await runJob(db, config, msg, now);
    const tags = tagsForStoreResult(result);
    const invalidated = await invalidateWithRetry(config, tags);
    await markFinished(db, msg.jobRunId, "succeeded", {
      rowsWritten: result.written,
      counts: { ...result.counts, staleSkipped: result.staleSkipped, discarded: result.discarded.length, cacheKeysInvalidated: invalidated },
    });
    if (result.discarded.length) log({ msg: "provider data discarded", ...base, discarded: result.discarded.slice(0, 20) });
    log({ msg: "job unit done", ...base, status: "succeeded", rowsWritten: result.written, counts: result.counts, invalidated, ms: Date.now() - started });
    message.ack();
  } catch (err) {
    const retryable = !(err instanceof ProviderError) || err.retryable;
    const lastAttempt = message.attempts > MAX_RETRIES;
    const error = err instanceof Error ? err.message : String(err);
    if (retryable && !lastAttempt) {
      const delaySeconds = retryDelaySeconds(err, message.attempts);
      await markFinished(db, msg.jobRunId, "retrying", { error, counts: { retryInSeconds: delaySeconds } }).catch(() => undefined);
      log({ msg: "job unit failed, will retry", ...base, error, delaySeconds, ms: Date.now() - started });
      message.retry({ delaySeconds });
    } else {
      await markFinished(db, msg.jobRunId, "failed", { error }).catch(() => undefined);
      log({ msg: "job unit failed", ...base, error, ms: Date.now() - started });
      // A non-retryable provider rejection is final: ack it. Exhausted retries go to the dead-letter queue.
      if (retryable) message.retry();
      else message.ack();
    }
  }
}

async function runJob(db: Database, config: Config, msg: IngestMessage, now: Date): Promise<StoreResult & { discarded: string[] }> {
  if (msg.job === "update_matches" && msg.provider === "openligadb") return updateMatchesFromOpenLigaDb(db, config, msg, now);
  throw new ProviderError(msg.provider, "rejected", `${msg.job} is not implemented for ${msg.provider}`);
}

/** Rate limits wait what the provider asked (at least 5 s); other failures back off exponentially up to 10 min. */
export function retryDelaySeconds(err: unknown, attempts: number): number {
  if (err instanceof ProviderError && err.kind === "rate_limited") return Math.min(Math.max(err.retryAfterSeconds ?? 60, 5), 3600);
  return Math.min(10 * 2 ** Math.max(0, attempts - 1), 600);
}

/** After a commit, stale cache entries must go; a Redis hiccup gets two more tries before we log and move on. */
async function invalidateWithRetry(config: Config, tags: string[]): Promise<number> {
  const cache = createResponseCache(config);
  if (!cache || !tags.length) return 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await cache.invalidate(tags);
    } catch (err) {
      if (attempt >= 3) {
        log({ msg: "cache invalidation failed; entries expire by TTL", tags, error: String(err) });
        return 0;
      }
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
