// Env bindings (vars and bindings from `wrangler types`, secrets declared here) and config parsing with zod.
// Everything a module needs from the environment goes through `readConfig`, so a bad value fails loudly once.
import { z } from "zod";
import { COMPETITION_CODES } from "./domain/competitions";

export interface Secrets {
  DATABASE_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  ADMIN_TOKEN?: string;
  API_FOOTBALL_KEY?: string;
  FOOTBALL_DATA_TOKEN?: string;
  /** Per-provider request budgets (per minute); defaults are the free plans'. */
  OPENLIGADB_REQUESTS_PER_MINUTE?: string;
  API_FOOTBALL_REQUESTS_PER_MINUTE?: string;
  FOOTBALL_DATA_REQUESTS_PER_MINUTE?: string;
  ANON_REQUESTS_PER_MINUTE?: string;
  METRICS_FLUSH_MS?: string;
  /** Match detail fetching (README "Match and team detail"). */
  DETAIL_LIVE_MINUTES?: string;
  PREDICTIONS_PER_RUN?: string;
  /** Local only: host:port/path of a WebSocket→TCP pipe (dev/pg-pipe.mjs) for the Neon driver. */
  NEON_WS_PROXY?: string;
}

export type AppEnv = Env & Secrets;
const csv = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Requests per minute we allow ourselves against a provider (its plan's limit). */
const perMinute = z.coerce.number().int().min(1).max(10_000);

const configSchema = z.object({
  databaseUrl: z.string().min(1, "DATABASE_URL is not set"),
  neonWsProxy: z.string().optional(),
  redis: z.object({ url: z.string().url(), token: z.string().min(1) }).optional(),
  adminToken: z.string().min(1).optional(),
  competitions: z.array(z.enum(COMPETITION_CODES)),
  seasons: z.array(z.coerce.number().int().min(1900).max(2100)),
  providerTimeoutMs: z.coerce.number().int().positive(),
  openligadb: z.object({ baseUrl: z.string().url(), requestsPerMinute: perMinute }),
  apiFootball: z.object({ baseUrl: z.string().url(), key: z.string().optional(), requestsPerMinute: perMinute }),
  footballData: z.object({ baseUrl: z.string().url(), token: z.string().optional(), requestsPerMinute: perMinute }),
  /** Seconds between live polls while a tracked match is in play (src/ingest/live-poller.ts). */
  livePollIntervalSeconds: z.coerce.number().int().min(5).max(3600),
  /** Requests per minute per client IP without an API key. */
  anonRequestsPerMinute: z.coerce.number().int().min(1).max(1_000_000),
  /** How often an isolate writes its request metrics to Redis (src/observability/metrics.ts). */
  metricsFlushMs: z.coerce.number().int().min(0).max(3_600_000),
  /** Minutes of play between in-play statistics fetches (0: only at kickoff and full time). */
  detailLiveMinutes: z.coerce.number().int().min(0).max(120),
  /** Provider predictions fetched per competition per daily odds run (one request each; 0 = none). */
  predictionsPerRun: z.coerce.number().int().min(0).max(100),
});
export type Config = z.infer<typeof configSchema>;

const cache = new WeakMap<object, Config>();

export function readConfig(env: AppEnv): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const redisUrl = env.UPSTASH_REDIS_REST_URL?.trim();
  const config = configSchema.parse({
    databaseUrl: env.DATABASE_URL?.trim() ?? "",
    neonWsProxy: env.NEON_WS_PROXY?.trim() || undefined,
    redis: redisUrl ? { url: redisUrl, token: env.UPSTASH_REDIS_REST_TOKEN?.trim() ?? "" } : undefined,
    adminToken: env.ADMIN_TOKEN?.trim() || undefined,
    competitions: csv(env.COMPETITIONS).map((c) => c.toUpperCase()),
    seasons: csv(env.SEASONS),
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS || "10000",
    // Defaults: OpenLigaDB publishes no limit (we stay polite); the others' free plans allow 10 a minute.
    openligadb: {
      baseUrl: stripSlash(env.OPENLIGADB_BASE_URL || "https://api.openligadb.de"),
      requestsPerMinute: env.OPENLIGADB_REQUESTS_PER_MINUTE || "30",
    },
    apiFootball: {
      baseUrl: stripSlash(env.API_FOOTBALL_BASE_URL || "https://v3.football.api-sports.io"),
      key: env.API_FOOTBALL_KEY?.trim() || undefined,
      requestsPerMinute: env.API_FOOTBALL_REQUESTS_PER_MINUTE || "10",
    },
    footballData: {
      baseUrl: stripSlash(env.FOOTBALL_DATA_BASE_URL || "https://api.football-data.org/v4"),
      token: env.FOOTBALL_DATA_TOKEN?.trim() || undefined,
      requestsPerMinute: env.FOOTBALL_DATA_REQUESTS_PER_MINUTE || "10",
    },
    livePollIntervalSeconds: env.LIVE_POLL_INTERVAL_SECONDS || "30",
    anonRequestsPerMinute: env.ANON_REQUESTS_PER_MINUTE || "60",
    metricsFlushMs: env.METRICS_FLUSH_MS || "10000",
    detailLiveMinutes: env.DETAIL_LIVE_MINUTES || "15",
    predictionsPerRun: env.PREDICTIONS_PER_RUN || "4",
  });
  cache.set(env, config);
  return config;
}

/** The seasons tracked now: configured ones, or the one running at `now` (European calendar: starts in July). */
export function trackedSeasons(config: Config, now: Date): number[] {
  if (config.seasons.length) return config.seasons;
  const year = now.getUTCFullYear();
  return [now.getUTCMonth() >= 6 ? year : year - 1];
}

const stripSlash = (url: string) => url.trim().replace(/\/+$/, "");
