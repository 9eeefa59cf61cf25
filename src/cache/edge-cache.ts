// The Workers Cache API in front of Upstash. An edge copy's key carries the versions of the tags the response
// depends on (read from Redis, see response-cache.ts): ingestion bumps a version, so every edge copy of the old
// data becomes unreachable at once, in every colo, without a purge call. Beside each versioned copy, a
// "last known good" copy (no versions in its key) is kept for a day: it answers only when Postgres is down.
// The Cache API does nothing on *.workers.dev hostnames: the edge layer needs a custom domain (README).
import type { CachedEntry, TagVersions } from "./response-cache";

const STALE_SECONDS = 86_400;

export interface EdgeCache {
  get(versioned: string): Promise<CachedEntry | null>;
  getStale(path: string): Promise<CachedEntry | null>;
  put(versioned: string, path: string, entry: CachedEntry): Promise<void>;
}

/** The versioned key: origin + path + a digest of the tag versions. */
export async function edgeKey(origin: string, path: string, versions: TagVersions): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(JSON.stringify(versions))));
  const v = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${origin}/__edge/${v}${path}`;
}

const staleKey = (origin: string, path: string) => `${origin}/__edge/stale${path}`;

export function createEdgeCache(origin: string): EdgeCache | null {
  const store = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  if (!store) return null;

  async function read(key: string): Promise<CachedEntry | null> {
    try {
      const res = await store!.match(key);
      if (!res) return null;
      return { etag: res.headers.get("etag") ?? "", body: await res.text(), ttl: Number(res.headers.get("x-entry-ttl")) || 60 };
    } catch (err) {
      console.warn(JSON.stringify({ msg: "edge cache error", op: "match", error: String(err) }));
      return null;
    }
  }

  const asResponse = (entry: CachedEntry, seconds: number) =>
    new Response(entry.body, {
      headers: { ETag: entry.etag, "Cache-Control": `public, s-maxage=${seconds}`, "X-Entry-Ttl": String(entry.ttl), "Content-Type": "application/json" },
    });

  return {
    get: read,
    getStale: (path) => read(staleKey(origin, path)),
    async put(versioned, path, entry) {
      try {
        await Promise.all([store.put(versioned, asResponse(entry, entry.ttl)), store.put(staleKey(origin, path), asResponse(entry, STALE_SECONDS))]);
      } catch (err) {
        console.warn(JSON.stringify({ msg: "edge cache error", op: "put", error: String(err) }));
      }
    },
  };
}
