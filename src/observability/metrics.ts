// Request metrics for /v1/admin/metrics: counts by status class and cache state, and a latency histogram, per
// minute and per hour in Redis. Each isolate aggregates in memory and flushes at most every METRICS_FLUSH_MS in
// one pipeline after a response (waitUntil), so metrics cost no request any latency and ~one Redis call per
// isolate per interval. An isolate evicted between flushes loses its last interval: these are operational
// figures, not billing.
import type { Redis } from "@upstash/redis";
import { timeBoxed } from "../cache/redis";

/** Upper bounds (ms) of the latency buckets; the last bucket is everything slower. */
export const LATENCY_BOUNDS_MS = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000];
const MINUTE_TTL_SECONDS = 2 * 3600;
const HOUR_TTL_SECONDS = 26 * 3600;
const PREFIX = "md:v1:m:";

export interface RequestSample {
  status: number;
  ms: number;
  /** X-Cache of the response, if it went through the read-through cache. */
  cache?: string | null;
  layer?: string | null;
}

const bucketOf = (ms: number) => {
  const i = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
};

export const minuteKey = (epochMinute: number) => `${PREFIX}min:${epochMinute}`;
export const hourKey = (epochHour: number) => `${PREFIX}hour:${epochHour}`;

/** Field → count for one sample. */
function fieldsOf(s: RequestSample): string[] {
  const out = ["n", `s${Math.floor(s.status / 100)}xx`, `b${bucketOf(s.ms)}`];
  if (s.cache) out.push(`c:${s.cache}`);
  if (s.layer) out.push(`l:${s.layer}`);
  return out;
}

export function createMetricsRecorder(flushEveryMs: number) {
  // minute → field → count, not yet in Redis.
  let pending = new Map<number, Map<string, number>>();
  let lastFlush = 0;

  function record(sample: RequestSample, now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    let counts = pending.get(minute);
    if (!counts) pending.set(minute, (counts = new Map()));
    for (const f of fieldsOf(sample)) counts.set(f, (counts.get(f) ?? 0) + 1);
  }

  const due = (now = Date.now()) => pending.size > 0 && now - lastFlush >= flushEveryMs;

  async function flush(redis: Redis, now = Date.now()): Promise<void> {
    if (!pending.size) return;
    const batch = pending;
    pending = new Map();
    lastFlush = now;
    const p = redis.pipeline();
    for (const [minute, counts] of batch) {
      const hour = Math.floor(minute / 60);
      for (const [field, n] of counts) {
        p.hincrby(minuteKey(minute), field, n);
        p.hincrby(hourKey(hour), field, n);
      }
      p.expire(minuteKey(minute), MINUTE_TTL_SECONDS);
      p.expire(hourKey(hour), HOUR_TTL_SECONDS);
    }
    await timeBoxed(redis, () => p.exec(), null, "metrics flush");
  }

  return { record, due, flush };
}

/** One isolate-wide recorder per flush interval (tests use 0: every response flushes). */
const recorders = new Map<number, ReturnType<typeof createMetricsRecorder>>();
export function metricsRecorder(flushEveryMs: number) {
  let r = recorders.get(flushEveryMs);
  if (!r) recorders.set(flushEveryMs, (r = createMetricsRecorder(flushEveryMs)));
  return r;
}

export interface WindowSummary {
  requests: number;
  perSecond: number;
  status: Record<"2xx" | "3xx" | "4xx" | "5xx", number>;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  cache: { hit: number; miss: number; bypass: number; stale: number; hitRatio: number | null; edgeHits: number; redisHits: number };
}

/** Sums hashes (HGETALL results) into a window summary; percentiles are the bucket's upper bound. */
export function summarize(hashes: (Record<string, unknown> | null)[], seconds: number): WindowSummary {
  const sum = new Map<string, number>();
  for (const h of hashes) for (const [k, v] of Object.entries(h ?? {})) sum.set(k, (sum.get(k) ?? 0) + Number(v));
  const get = (k: string) => sum.get(k) ?? 0;
  const n = get("n");
  const buckets = [...LATENCY_BOUNDS_MS, Infinity].map((_, i) => get(`b${i}`));
  const pct = (p: number) => {
    if (!n) return null;
    let acc = 0;
    for (let i = 0; i < buckets.length; i++) {
      acc += buckets[i]!;
      if (acc >= p * n) return LATENCY_BOUNDS_MS[i] ?? LATENCY_BOUNDS_MS.at(-1)! * 2;
    }
    return null;
  };
  const [hit, miss, bypass, stale] = [get("c:HIT"), get("c:MISS"), get("c:BYPASS"), get("c:STALE")];
  const cacheable = hit + miss + bypass + stale;
  return {
    requests: n,
    perSecond: Math.round((n / seconds) * 100) / 100,
    status: { "2xx": get("s2xx"), "3xx": get("s3xx"), "4xx": get("s4xx"), "5xx": get("s5xx") },
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    cache: { hit, miss, bypass, stale, hitRatio: cacheable ? Math.round((hit / cacheable) * 1000) / 1000 : null, edgeHits: get("l:edge"), redisHits: get("l:redis") },
  };
}

function asHash(reply: unknown): Record<string, unknown> | null {
  if (!Array.isArray(reply)) return (reply as Record<string, unknown> | null) ?? null;
  const hash: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) hash[String(reply[i])] = reply[i + 1];
  return hash;
}

/** Request figures over the last 5 minutes, hour (minute buckets) and 24 hours (hour buckets). */
export async function requestWindows(redis: Redis, now = Date.now()) {
  const minute = Math.floor(now / 60_000);
  const hour = Math.floor(minute / 60);
  const p = redis.pipeline();
  for (let i = 0; i < 60; i++) p.hgetall(minuteKey(minute - i));
  for (let i = 0; i < 24; i++) p.hgetall(hourKey(hour - i));
  // Without automatic deserialization the client hands HGETALL back as Redis sends it: [field, value, …].
  const out = ((await p.exec()) as unknown[]).map(asHash);
  const minutes = out.slice(0, 60);
  return {
    last5m: summarize(minutes.slice(0, 5), 300),
    last1h: summarize(minutes, 3600),
    last24h: summarize(out.slice(60), 86_400),
  };
}
