// Read-through for GET routes, three layers: the colo's edge cache (Workers Cache API, keyed by the tags'
// versions), Upstash Redis, then Postgres. A Postgres load is answered at once and stored in both caches in the
// background. Adds ETag (If-None-Match → 304), Cache-Control, X-Cache (HIT | MISS | BYPASS | STALE) and, on a hit,
// X-Cache-Layer (edge | redis). When Postgres is down, the last known good copy answers, marked STALE; with
// none, the error becomes a 503 problem (the API's error handler).
import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import { isDependencyDown } from "../lib/dependency-errors";
import { createEdgeCache, edgeKey } from "./edge-cache";
import { responseKey, type CachedEntry, type ResponseCache } from "./response-cache";

/** What a read needs from the request context (src/api/context.ts provides more). */
export type ReadThroughBindings = { Bindings: object; Variables: { requestId: string; cache: ResponseCache | null } };

export interface Loaded {
  body: unknown;
  /** Seconds this body may be served from cache (finished data long, live data seconds). */
  ttl: number;
  /** Tags only known from the data (e.g. a match's teams); listed for invalidation, not version-checked. */
  extraTags?: string[];
}

/** Cache-Control max-age for clients: short, because ingestion invalidates the server copy, not theirs. */
const clientMaxAge = (ttl: number) => Math.min(ttl, 60);

type CacheState = "HIT" | "MISS" | "BYPASS" | "STALE";

/** `tags`: what the response depends on (see cache/tags.ts); ingestion that writes any of them retires it. */
export async function readThrough<E extends ReadThroughBindings>(ctx: Context<E>, tags: string[], load: () => Promise<Loaded>): Promise<Response> {
  // Routes pass their own richer context; only the members named in ReadThroughBindings are used here.
  const c = ctx as unknown as Context<ReadThroughBindings>;
  const cache = c.get("cache");
  const url = new URL(c.req.url);
  const path = canonicalPath(c.req.url);
  const edge = createEdgeCache(url.origin);
  startTime(c, "cache", "edge + Upstash lookup");
  // Tag versions first: they key the edge copy, and if ingestion invalidates while we read Postgres, `put` will
  // not keep our copy. Without them (no Redis) the edge layer is skipped: it could not tell fresh from stale.
  const seen = cache ? await cache.versions(tags) : null;
  const versioned = edge && seen ? await edgeKey(url.origin, path, seen) : null;
  const atEdge = versioned ? await edge!.get(versioned) : null;
  if (atEdge) {
    endTime(c, "cache");
    return respond(c, atEdge, "HIT", "edge");
  }
  const key = responseKey(path);
  const inRedis = cache && seen ? await cache.get(key) : null;
  endTime(c, "cache");
  if (inRedis) {
    if (versioned) c.executionCtx.waitUntil(edge!.put(versioned, path, inRedis));
    return respond(c, inRedis, "HIT", "redis");
  }
  startTime(c, "db", "Postgres");
  let loaded: Loaded;
  try {
    loaded = await load();
  } catch (err) {
    endTime(c, "db");
    const stale = edge && isDependencyDown(err) ? await edge.getStale(path) : null;
    if (!stale) throw err;
    console.warn(JSON.stringify({ msg: "serving stale", requestId: c.get("requestId"), path, error: String(err) }));
    return respond(c, stale, "STALE");
  }
  endTime(c, "db");
  const body = JSON.stringify(loaded.body);
  const entry: CachedEntry = { etag: await etagOf(body), body, ttl: loaded.ttl };
  if (cache && seen) c.executionCtx.waitUntil(cache.put(key, entry, [...tags, ...(loaded.extraTags ?? [])], seen));
  if (versioned) c.executionCtx.waitUntil(edge!.put(versioned, path, entry));
  return respond(c, entry, cache && seen ? "MISS" : "BYPASS");
}

function respond(c: Context<ReadThroughBindings>, entry: CachedEntry, state: CacheState, layer?: "edge" | "redis"): Response {
  const headers: Record<string, string> = {
    ETag: entry.etag,
    // A stale answer is for this moment only: clients must not keep it.
    "Cache-Control": state === "STALE" ? "no-store" : `public, max-age=${clientMaxAge(entry.ttl)}`,
    "X-Cache": state,
    ...(layer ? { "X-Cache-Layer": layer } : {}),
    ...(state === "STALE" ? { Warning: '110 - "Response is Stale"' } : {}),
  };
  if (state !== "STALE" && etagMatches(c.req.header("if-none-match"), entry.etag)) return c.body(null, 304, headers);
  return c.body(entry.body, 200, { ...headers, "Content-Type": "application/json; charset=utf-8" });
}

/** Path plus sorted query: `?b=1&a=2` and `?a=2&b=1` share one cache entry. */
export function canonicalPath(url: string): string {
  const u = new URL(url);
  const params = [...u.searchParams.entries()].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return query ? `${u.pathname}?${query}` : u.pathname;
}

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const b64 = btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 16)));
  return `"${b64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}
