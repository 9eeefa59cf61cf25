// Response cache in Upstash Redis. Each cached read is one key; every key is also listed under the tags it
// depends on (a match, a competition season's match lists, ...), so ingestion can retire exactly what changed.
// Redis trouble never fails a read: every call is time-boxed and errors degrade to a cache miss.
import type { Redis } from "@upstash/redis";
import type { Config } from "../env";
import { timeBoxed, upstash } from "./redis";

export interface CachedEntry {
  etag: string;
  body: string;
  /** Seconds the entry was stored for. */
  ttl: number;
}

export interface ResponseCache {
  get(key: string): Promise<CachedEntry | null>;
  /** The tags' current versions; read before loading from Postgres and handed back to `put`. */
  versions(tags: string[]): Promise<TagVersions | null>;
  /**
   * Stores the entry under `tags`, unless an invalidation of one of the first `seen.length` tags happened since
   * `versions` was read (the body may predate the change): then the entry is removed again instead of serving
   * stale data for a whole TTL.
   */
  put(key: string, entry: CachedEntry, tags: string[], seen: TagVersions): Promise<void>;
  /** Deletes every entry listed under these tags; returns how many keys were deleted. */
  invalidate(tags: string[]): Promise<number>;
  ping(): Promise<boolean>;
}

const PREFIX = "md:v1:";
const TAG_TTL_SECONDS = 7 * 24 * 3600;

export type TagVersions = (string | null)[];

export const responseKey = (path: string) => `${PREFIX}r:${path}`;
const tagKey = (tag: string) => `${PREFIX}t:${tag}`;
const versionKey = (tag: string) => `${PREFIX}v:${tag}`;

// One cache per configuration (see redis.ts), not one per request.
const caches = new WeakMap<Config, ResponseCache | null>();

export function createResponseCache(config: Config): ResponseCache | null {
  if (caches.has(config)) return caches.get(config)!;
  const redis = upstash(config);
  const cache = redis ? buildResponseCache(redis) : null;
  caches.set(config, cache);
  return cache;
}

function buildResponseCache(redis: Redis): ResponseCache {
  async function get(key: string): Promise<CachedEntry | null> {
    const raw = await timeBoxed(redis, () => redis.get<string>(key), null, "get");
    if (typeof raw !== "string") return null;
    try {
      const entry = JSON.parse(raw) as CachedEntry;
      return typeof entry.etag === "string" && typeof entry.body === "string" ? entry : null;
    } catch {
      return null;
    }
  }

  async function versions(tags: string[]): Promise<TagVersions | null> {
    if (!tags.length) return [];
    return timeBoxed(redis, () => redis.mget<(string | null)[]>(...tags.map(versionKey)), null, "versions");
  }

  async function put(key: string, entry: CachedEntry, tags: string[], seen: TagVersions): Promise<void> {
    // Order matters: the key is listed under its tags before the versions are re-read, so an invalidation
    // either bumped a version we now see, or runs later and finds (and deletes) the key itself.
    const p = redis.pipeline();
    p.set(key, JSON.stringify(entry), { ex: entry.ttl });
    for (const tag of tags) {
      p.sadd(tagKey(tag), key);
      p.expire(tagKey(tag), TAG_TTL_SECONDS);
    }
    const versioned = tags.slice(0, seen.length);
    if (versioned.length) p.mget(...versioned.map(versionKey));
    const out = await timeBoxed(redis, () => p.exec(), null, "put");
    if (!out || !versioned.length) return;
    const now = out.at(-1) as (string | number | null)[];
    if (now.some((v, i) => (v == null ? null : String(v)) !== (seen[i] == null ? null : String(seen[i])))) {
      await timeBoxed(redis, () => redis.del(key), null, "put-retract");
    }
  }

  async function invalidate(tags: string[]): Promise<number> {
    if (!tags.length) return 0;
    // Bump versions first (see put), then delete every key listed under the tags.
    const read = redis.pipeline();
    for (const tag of tags) read.incr(versionKey(tag));
    for (const tag of tags) read.smembers(tagKey(tag));
    const members = ((await read.exec()) as unknown[]).slice(tags.length).flat() as string[];
    const keys = [...new Set(members), ...tags.map(tagKey)];
    return redis.del(...keys);
  }

  async function ping(): Promise<boolean> {
    return (await timeBoxed(redis, () => redis.ping(), null, "ping")) === "PONG";
  }

  return { get, versions, put, invalidate, ping };
}
