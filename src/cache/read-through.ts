// Read-through for GET routes: answer from Upstash when possible, else load from Postgres, respond, and store
// the body in the background. Adds ETag (If-None-Match → 304), Cache-Control, and X-Cache: HIT | MISS | BYPASS.
import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import type { AppBindings } from "../env";
import { responseKey, type CachedEntry } from "./response-cache";

export interface Loaded {
  body: unknown;
  /** Seconds this body may be served from cache (finished data long, live data seconds). */
  ttl: number;
  /** Tags only known from the data (e.g. a match's teams); listed for invalidation, not version-checked. */
  extraTags?: string[];
}

/** Cache-Control max-age for clients: short, because ingestion invalidates the server copy, not theirs. */
const clientMaxAge = (ttl: number) => Math.min(ttl, 60);

/** `tags`: what the response depends on (see cache/tags.ts); ingestion that writes any of them retires it. */
export async function readThrough(c: Context<AppBindings>, tags: string[], load: () => Promise<Loaded>): Promise<Response> {
  const cache = c.get("cache");
  const key = responseKey(canonicalPath(c.req.url));
  startTime(c, "cache", "Upstash lookup");
  const hit = cache ? await cache.get(key) : null;
  if (hit) {
    endTime(c, "cache");
    return respond(c, hit, "HIT");
  }
  // Tag versions before reading Postgres: if ingestion invalidates meanwhile, `put` will not keep our copy.
  const seen = cache ? await cache.versions(tags) : null;
  endTime(c, "cache");
  startTime(c, "db", "Postgres");
  const loaded = await load();
  endTime(c, "db");
  const body = JSON.stringify(loaded.body);
  const entry: CachedEntry = { etag: await etagOf(body), body, ttl: loaded.ttl };
  if (cache && seen) c.executionCtx.waitUntil(cache.put(key, entry, [...tags, ...(loaded.extraTags ?? [])], seen));
  return respond(c, entry, cache && seen ? "MISS" : "BYPASS");
}

function respond(c: Context<AppBindings>, entry: CachedEntry, state: "HIT" | "MISS" | "BYPASS"): Response {
  const headers = {
    ETag: entry.etag,
    "Cache-Control": `public, max-age=${clientMaxAge(entry.ttl)}`,
    "X-Cache": state,
  };
  if (etagMatches(c.req.header("if-none-match"), entry.etag)) return c.body(null, 304, headers);
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
