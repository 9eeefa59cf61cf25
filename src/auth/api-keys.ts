// API keys: `mde_` + 32 random bytes (base64url). Only a SHA-256 digest is stored — the key is shown once, at
// creation. A slow password hash is not needed: the key has 256 bits of entropy, so its digest cannot be
// brute-forced, and lookups must be fast. Lookups are cached in Redis for a few minutes; revoking deletes the
// cached entry, so a revoked key is refused at once.
import { z } from "zod";
import { timeBoxed, upstash } from "../cache/redis";
import type { Database } from "../db/client";
import { touchApiKeyByHash, type ApiKeyRow } from "../db/queries/api-keys";
import type { Config } from "../env";

export const API_KEY_PATTERN = /^mde_[A-Za-z0-9_-]{43}$/;
const LOOKUP_TTL_SECONDS = 300;

/** What a request needs to know about its key. */
export const keyInfoSchema = z.object({
  id: z.number().int(),
  ratePerMinute: z.number().int().positive(),
  dailyQuota: z.number().int().positive(),
  revoked: z.boolean(),
});
export type KeyInfo = z.infer<typeof keyInfoSchema>;

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function generateApiKey(): { key: string; prefix: string } {
  const key = `mde_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { key, prefix: key.slice(0, 10) };
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const lookupKey = (hash: string) => `md:v1:k:${hash}`;

export const toKeyInfo = (row: ApiKeyRow): KeyInfo => ({
  id: row.id,
  ratePerMinute: row.ratePerMinute,
  dailyQuota: row.dailyQuota,
  revoked: row.revokedAt != null,
});

/**
 * The key's limits, or null for an unknown key. Redis first (a cache hit never opens Postgres); on a miss,
 * Postgres — which also records `lastUsedAt` — and the answer (unknown keys too) is cached for a few minutes.
 */
export async function lookupApiKey(config: Config, db: () => Database, key: string): Promise<KeyInfo | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const hash = await hashApiKey(key);
  const redis = upstash(config);
  if (redis) {
    const raw = await timeBoxed(redis, () => redis.get<string>(lookupKey(hash)), null, "api-key get");
    if (typeof raw === "string") {
      if (raw === "unknown") return null;
      const parsed = keyInfoSchema.safeParse(safeJson(raw));
      if (parsed.success) return parsed.data;
    }
  }
  const row = await touchApiKeyByHash(db(), hash);
  const info = row ? toKeyInfo(row) : null;
  if (redis) await timeBoxed(redis, () => redis.set(lookupKey(hash), info ? JSON.stringify(info) : "unknown", { ex: LOOKUP_TTL_SECONDS }), null, "api-key set");
  return info;
}

/** After revoking a key: overwrite its cached lookup so the next request is refused, not in five minutes. */
export async function rememberApiKey(config: Config, row: ApiKeyRow): Promise<void> {
  const redis = upstash(config);
  if (redis) await timeBoxed(redis, () => redis.set(lookupKey(row.keyHash), JSON.stringify(toKeyInfo(row)), { ex: LOOKUP_TTL_SECONDS }), null, "api-key set");
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
