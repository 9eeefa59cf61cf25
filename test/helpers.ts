// Shared test helpers: the real Worker's handlers, the replay server's control API, and direct looks into
// Postgres and Redis through the same Neon and Upstash clients the Worker uses.
import { Redis } from "@upstash/redis";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { openDb } from "../src/db/client";
import { readConfig } from "../src/env";
import type { IngestMessage } from "../src/ingest/messages";
import worker from "../src";

export const ADMIN_TOKEN = "test-admin-token";
const CANONICAL_TABLES = [
  "competitions", "seasons", "teams", "players", "matches", "match_events", "external_refs",
  "match_observations", "provider_disagreements", "standings", "player_season_stats",
  "lineups", "match_team_stats", "match_player_stats", "match_odds", "match_predictions", "team_details",
] as const;

export const config = () => readConfig(env);

export async function withDb<T>(fn: (db: ReturnType<typeof openDb>["db"]) => Promise<T>): Promise<T> {
  const handle = openDb(config());
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

export const redis = () => new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, automaticDeserialization: false });

/** Empties every table and the cache, and resets the replay server: each test file starts clean. */
export async function resetAll(): Promise<void> {
  await withDb((db) =>
    db.execute(
      sql.raw(
        `truncate ${[...CANONICAL_TABLES, "job_runs", "api_keys"].join(", ")} restart identity cascade`,
      ),
    ),
  );
  await redis().flushdb();
  await replay("POST", "/__replay/reset");
}

/** Forgets every provider's rate budget (a test's 429 closes the gate for what the provider asked). */
export async function openRateGates(): Promise<void> {
  const r = redis();
  const keys = await r.keys("md:v1:budget:*");
  if (keys.length) await r.del(...keys);
}

export async function replay(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(env.TEST_REPLAY_URL + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`replay ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const fault = (path: string, mode: string, extra: Record<string, unknown> = {}) => replay("POST", "/__replay/faults", { path, mode, ...extra });
export const override = (path: string, body: unknown) => replay("PUT", "/__replay/override", { path, status: 200, body });

/** Every row's physical version (ctid, xmin) in the canonical tables: equal snapshots mean nothing was written. */
export async function rowVersions(): Promise<Record<string, string[]>> {
  return withDb(async (db) => {
    const out: Record<string, string[]> = {};
    for (const t of CANONICAL_TABLES) {
      const r = await db.execute<{ v: string }>(sql.raw(`select ctid::text || '/' || xmin::text as v from ${t} order by 1`));
      out[t] = r.rows.map((x) => x.v);
    }
    return out;
  });
}

export async function countRows(table: (typeof CANONICAL_TABLES)[number] | "job_runs"): Promise<number> {
  return withDb(async (db) => Number((await db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`))).rows[0]!.n));
}

let jobRunSeq = 0;

/** Runs one ingest message through the Worker's real queue handler; returns ack/retry outcome. */
export async function runIngest(
  unit: Partial<IngestMessage> & Pick<IngestMessage, "competition" | "season">,
  attempts = 1,
  envOverrides: Record<string, string> = {},
) {
  const jobRunId = await withDb(async (db) => {
    const r = await db.execute<{ id: number }>(
      sql`insert into job_runs (run_id, job, trigger, provider, competition, season) values (${crypto.randomUUID()}, ${unit.job ?? "update_matches"}, 'manual', ${unit.provider ?? "openligadb"}, ${unit.competition}, ${unit.season}) returning id`,
    );
    return r.rows[0]!.id;
  });
  const body = JSON.parse(JSON.stringify({ v: 1, jobRunId, runId: crypto.randomUUID(), job: "update_matches", trigger: "manual", provider: "openligadb", ...unit })) as IngestMessage;
  const batch = createMessageBatch<IngestMessage>("ingest", [{ id: `m${++jobRunSeq}`, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue!(batch as MessageBatch<unknown>, { ...env, ...envOverrides } as never, ctx);
  const result = await getQueueResult(batch, ctx);
  const run = await withDb(async (db) => (await db.execute<Record<string, unknown>>(sql`select * from job_runs where id = ${jobRunId}`)).rows[0]!);
  return { result, run, jobRunId };
}

/** A request through the Worker's real fetch entrypoint (routing, middleware, bindings). */
export const api = (path: string, init?: RequestInit) =>
  (exports as unknown as { default: Fetcher }).default.fetch(new Request(`http://api.test${path}`, init));

/** A request through the Worker's fetch handler with some bindings replaced (e.g. a lower limit, a dead Postgres). */
export async function apiWithEnv(overrides: Record<string, string>, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch!(new Request(`http://api.test${path}`, init) as never, envWith(overrides) as never, ctx);
  await waitOnExecutionContext(ctx);
  return res as unknown as Response;
}

// One env object per set of overrides: config, clients and limiters are cached per env, as in production.
const envs = new Map<string, object>();
function envWith(overrides: Record<string, string>): object {
  const id = JSON.stringify(overrides);
  if (!envs.has(id)) envs.set(id, { ...env, ...overrides });
  return envs.get(id)!;
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
