// The benchmark's plain-Node reference server: Hono on @hono/node-server with `pg` (one long-lived Pool) and
// `ioredis`, serving `/`, `/v1/matches` and `/v1/competitions/{code}/standings` with the project's own code —
// the same zod query schema, the same Drizzle queries (src/db/queries, here through drizzle-orm/node-postgres),
// the same standings computation and response shapes, and the same cache entries (the Worker's key scheme and
// JSON entry format, so it reads what the Worker stored). What it leaves out is what the Worker pays for on the
// edge: per-request Postgres connections through the Neon WebSocket driver, the Upstash REST hop, tag versions,
// the edge cache and rate limits. The routes call the Worker routes' own loaders (loadMatchList, loadStandings).
// Bundled with esbuild at run time by bench/lib/node-baseline.mjs.
//
//   BASELINE_DATABASE_URL, BASELINE_REDIS_URL, BASELINE_PORT (0 = any); prints "listening <port>" when ready.
import { createHash } from "node:crypto";
import { serve } from "@hono/node-server";
import { drizzle } from "drizzle-orm/node-postgres";
import { Hono, type Context } from "hono";
import Redis from "ioredis";
import pg from "pg";
import { HTTPException } from "hono/http-exception";
import { loadStandings, standingsQuery } from "../../src/api/competitions";
import { loadMatchList, matchesQuery } from "../../src/api/matches";
import { competitionParam } from "../../src/api/params";
import { canonicalPath } from "../../src/cache/read-through";
import { responseKey, type CachedEntry } from "../../src/cache/response-cache";
import type { Queryable } from "../../src/db/client";
import * as schema from "../../src/db/schema";

const pool = new pg.Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: 10 });
pool.on("error", () => undefined);
// The query builders are typed for the Neon driver; node-postgres's Drizzle database has the same builder API.
const db = drizzle(pool, { schema }) as unknown as Queryable;
const redis = new Redis(process.env.BASELINE_REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });

interface Loaded {
  body: unknown;
  ttl: number;
}

/** Redis GET, else load from Postgres and SET the Worker's entry format (fire and forget, as the Worker's waitUntil). */
async function readThrough(c: Context, load: () => Promise<Loaded>): Promise<Response> {
  const key = responseKey(canonicalPath(c.req.url));
  const raw = await redis.get(key).catch(() => null);
  if (raw) {
    const entry = JSON.parse(raw) as CachedEntry;
    return respond(c, entry, "HIT");
  }
  let loaded: Loaded;
  try {
    loaded = await load();
  } catch (e) {
    if (e instanceof HTTPException) return e.getResponse();
    throw e;
  }
  const body = JSON.stringify(loaded.body);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  const entry: CachedEntry = { etag, body, ttl: loaded.ttl };
  redis.set(key, JSON.stringify(entry), "EX", loaded.ttl).catch(() => undefined);
  return respond(c, entry, "MISS");
}

function respond(c: Context, entry: CachedEntry, state: "HIT" | "MISS"): Response {
  return c.body(entry.body, 200, {
    ETag: entry.etag,
    "Cache-Control": `public, max-age=${Math.min(entry.ttl, 60)}`,
    "X-Cache": state,
    "Content-Type": "application/json; charset=utf-8",
  });
}

const app = new Hono();
app.get("/", (c) => c.json({ name: "Matchday Edge (Node reference)", links: { matches: "/v1/matches" } }, 200, { "Cache-Control": "public, max-age=300" }));

app.get("/v1/matches", (c) => {
  const parsed = matchesQuery.safeParse(c.req.query());
  if (!parsed.success) return c.json({ status: 400, detail: parsed.error.message }, 400);
  return readThrough(c, () => loadMatchList(db, parsed.data));
});

app.get("/v1/competitions/:code/standings", (c) => {
  const code = competitionParam.safeParse(c.req.param("code"));
  const query = standingsQuery.safeParse(c.req.query());
  if (!code.success || !query.success) return c.json({ status: 400, detail: "bad code or query" }, 400);
  return readThrough(c, () => loadStandings(db, code.data, query.data));
});

app.onError((err, c) => c.json({ status: 500, detail: String(err) }, 500));

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.BASELINE_PORT ?? 0) }, (info) => {
  console.log(`listening ${info.port}`);
});
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.once(sig, () => {
    server.close();
    redis.disconnect();
    void pool.end().finally(() => process.exit(0));
  });
}
