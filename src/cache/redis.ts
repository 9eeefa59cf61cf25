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

/** Redis calls never fail a request: each is time-boxed and an error or timeout yields `fallback`. */
export async function timeBoxed<T, F>(promise: Promise<T>, fallback: F, op: string): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  // If the timeout wins, the slower promise may still reject later: never leave that rejection unhandled.
  promise.catch(() => undefined);
  try {
    return await Promise.race([
      promise,
      new Promise<F>((resolve) => {
        timer = setTimeout(() => {
          console.warn(JSON.stringify({ msg: "redis timeout", op }));
          resolve(fallback);
        }, TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    console.warn(JSON.stringify({ msg: "redis error", op, error: String(err) }));
    return fallback;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
