// The Upstash Redis client, one per configuration (the config object lives as long as the isolate's env), shared
// by the response cache, the rate limiter, API-key lookups and request metrics.
import { Redis } from "@upstash/redis";
import type { Config } from "../env";

const clients = new WeakMap<Config, Redis | null>();

/** Null when no Upstash URL is configured. */
export function upstash(config: Config): Redis | null {
  if (clients.has(config)) return clients.get(config)!;
  const redis = config.redis
    ? new Redis({
        url: config.redis.url,
        token: config.redis.token,
        automaticDeserialization: false,
        enableTelemetry: false,
        // The client is shared by requests: auto-pipelining would batch one request's command into another's
        // fetch, which Workers forbid. Explicit pipelines do the batching.
        enableAutoPipelining: false,
        // One quick retry: a read should fall back to Postgres rather than wait on a sick Redis.
        retry: { retries: 1, backoff: () => 20 },
      })
    : null;
  clients.set(config, redis);
  return redis;
}

const TIMEOUT_MS = 500;
/** After a failure, calls to that Redis are skipped for this long (then one is tried again). */
const BREAKER_MS = 5_000;

// Per client: until when calls are skipped. Without it, every read during a Redis outage would wait out the
// time-box (and the client's retry) before falling back to Postgres.
const openUntil = new WeakMap<Redis, number>();

/** False while the breaker of this client is open (a call failed or timed out in the last few seconds). */
export const redisAvailable = (redis: Redis) => Date.now() >= (openUntil.get(redis) ?? 0);

export function reportRedisFailure(redis: Redis, op: string, error: string): void {
  if (redisAvailable(redis)) console.warn(JSON.stringify({ msg: "redis unavailable; skipping it for a while", op, error, seconds: BREAKER_MS / 1000 }));
  openUntil.set(redis, Date.now() + BREAKER_MS);
}

/**
 * Redis calls never fail a request: each is time-boxed, and an error or timeout yields `fallback` and opens the
 * client's breaker, so the next calls return `fallback` at once instead of waiting again.
 */
export async function timeBoxed<T, F>(redis: Redis, call: () => Promise<T>, fallback: F, op: string): Promise<T | F> {
  if (!redisAvailable(redis)) return fallback;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const promise = call();
  // If the timeout wins, the slower promise may still reject later: never leave that rejection unhandled.
  promise.catch(() => undefined);
  try {
    return await Promise.race([
      promise,
      new Promise<F>((resolve) => {
        timer = setTimeout(() => {
          reportRedisFailure(redis, op, "timeout");
          resolve(fallback);
        }, TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    reportRedisFailure(redis, op, String(err));
    return fallback;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
