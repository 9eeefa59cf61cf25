// API keys: created and revoked by operators, looked up (by hash) when a client presents one.
import { desc, eq, isNull, and } from "drizzle-orm";
import type { Queryable } from "../client";
import { apiKeys } from "../schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Queryable, row: { name: string; keyPrefix: string; keyHash: string; ratePerMinute: number; dailyQuota: number }) {
  const [created] = await db.insert(apiKeys).values(row).returning();
  return created!;
}

/** The key with this hash, marking it used (callers cache the answer, so this runs once per key every few minutes). */
export async function touchApiKeyByHash(db: Queryable, keyHash: string): Promise<ApiKeyRow | null> {
  const [row] = await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.keyHash, keyHash)).returning();
  return row ?? null;
}

export function listApiKeys(db: Queryable, limit: number) {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.id)).limit(limit);
}

/** Revokes an active key; null when there is no such key, the row unchanged when it was already revoked. */
export async function revokeApiKey(db: Queryable, id: number): Promise<ApiKeyRow | null> {
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (revoked) return revoked;
  const [existing] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return existing ?? null;
}
