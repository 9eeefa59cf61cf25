// Rate limits and quotas for the public API (@upstash/ratelimit on the same Upstash Redis as the cache).
// With `X-API-Key`: the key's per-minute rate (sliding window) and daily quota (fixed window, resets 00:00 UTC).
// Without: a low per-minute rate per client IP. Every limited response carries the IETF RateLimit headers
// (draft-ietf-httpapi-ratelimit-headers: RateLimit-Limit/-Remaining/-Reset for the limit closest to running out,
// and RateLimit-Policy listing all); beyond a limit, 429 problem+json with Retry-After.
// A sick Redis never blocks the API: a limiter that errs or times out lets the request through (logged), and
// the Redis breaker (cache/redis.ts) skips the limiter for a few seconds after.
import { Ratelimit } from "@upstash/ratelimit";
import { createMiddleware } from "hono/factory";
import { lookupApiKey } from "../auth/api-keys";
import { redisAvailable, reportRedisFailure, upstash } from "../cache/redis";
import type { AppBindings } from "./context";
import type { Config } from "../env";
import { problem } from "./problem";

type Window = "minute" | "day";
const WINDOWS: Record<Window, { seconds: number; upstash: "1 m" | "1 d" }> = {
  minute: { seconds: 60, upstash: "1 m" },
  day: { seconds: 86_400, upstash: "1 d" },
};
const LIMITER_TIMEOUT_MS = 500;

interface LimitResult {
  window: Window;
  limit: number;
  remaining: number;
  /** Seconds until the window frees capacity. */
  resetSeconds: number;
  success: boolean;
}

// Limiters are cheap objects but carry an in-memory cache of blocked identifiers: keep one per (config, window, limit).
const limiters = new WeakMap<Config, Map<string, Ratelimit>>();

function limiter(config: Config, window: Window, limit: number): Ratelimit | null {
  const redis = upstash(config);
  if (!redis) return null;
  let byLimit = limiters.get(config);
  if (!byLimit) limiters.set(config, (byLimit = new Map()));
  const id = `${window}:${limit}`;
  let found = byLimit.get(id);
  if (!found) {
    found = new Ratelimit({
      redis,
      limiter: window === "minute" ? Ratelimit.slidingWindow(limit, WINDOWS.minute.upstash) : Ratelimit.fixedWindow(limit, WINDOWS.day.upstash),
      // The limit is part of the prefix: changing a key's limit starts a fresh window instead of misreading the old one.
      prefix: `md:v1:rl:${id}`,
      timeout: LIMITER_TIMEOUT_MS,
      analytics: false,
    });
    byLimit.set(id, found);
  }
  return found;
}

async function check(config: Config, window: Window, limit: number, identifier: string): Promise<LimitResult | null> {
  const redis = upstash(config);
  const rl = limiter(config, window, limit);
  if (!rl || !redis || !redisAvailable(redis)) return null;
  try {
    const r = await rl.limit(identifier);
    if (r.reason === "timeout") {
      reportRedisFailure(redis, `rate limit ${window}`, "timeout");
      return null;
    }
    return { window, limit: r.limit, remaining: Math.max(0, r.remaining), resetSeconds: Math.max(0, Math.ceil((r.reset - Date.now()) / 1000)), success: r.success };
  } catch (err) {
    reportRedisFailure(redis, `rate limit ${window}`, String(err));
    return null;
  }
}

function headersFor(results: LimitResult[]): Record<string, string> {
  if (!results.length) return {};
  // The limit that decides: a failed one, else the one with the least left.
  const decisive = results.find((r) => !r.success) ?? [...results].sort((a, b) => a.remaining - b.remaining)[0]!;
  return {
    "RateLimit-Limit": String(decisive.limit),
    "RateLimit-Remaining": String(decisive.remaining),
    "RateLimit-Reset": String(decisive.resetSeconds),
    "RateLimit-Policy": results.map((r) => `${r.limit};w=${WINDOWS[r.window].seconds}`).join(", "),
  };
}

export const RATE_LIMIT_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After"];

export const rateLimits = createMiddleware<AppBindings>(async (c, next) => {
  const config = c.var.config;
  const presented = c.req.header("x-api-key");
  let results: (LimitResult | null)[];
  if (presented !== undefined) {
    const key = await lookupApiKey(config, c.var.db, presented.trim());
    if (!key) throw problem(401, "Unknown API key. Send a key created by an operator in X-API-Key, or none for the anonymous limit.");
    if (key.revoked) throw problem(401, "This API key has been revoked.");
    c.set("apiKeyId", key.id);
    const id = `key:${key.id}`;
    results = await Promise.all([check(config, "minute", key.ratePerMinute, id), check(config, "day", key.dailyQuota, id)]);
  } else {
    const ip = c.req.header("cf-connecting-ip") ?? "unknown";
    results = [await check(config, "minute", config.anonRequestsPerMinute, `ip:${ip}`)];
  }
  const known = results.filter((r): r is LimitResult => r !== null);
  const headers = headersFor(known);
  const exceeded = known.find((r) => !r.success);
  if (exceeded) {
    const what = exceeded.window === "day" ? "daily quota" : presented !== undefined ? "per-minute rate" : "anonymous per-minute rate (send an API key for more)";
    throw problem(429, `The ${what} of ${exceeded.limit} requests is used up; retry in ${Math.max(1, exceeded.resetSeconds)} s.`, {}, { ...headers, "Retry-After": String(Math.max(1, exceeded.resetSeconds)) });
  }
  await next();
  // A WebSocket upgrade's response cannot take headers.
  if (c.res.status !== 101) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
});
