// Checkpoints in Redis (e.g. OpenLigaDB's last-change stamp per matchday), so polling skips unchanged data.
// Without Redis every poll fetches; a lost checkpoint only costs one extra fetch.
import { Redis } from "@upstash/redis";
import type { Config } from "../env";

const key = (k: string) => `md:v1:checkpoint:${k}`;
const TTL_SECONDS = 14 * 24 * 3600;

export function createCheckpoints(config: Config) {
  const redis = config.redis
    ? new Redis({ url: config.redis.url, token: config.redis.token, automaticDeserialization: false, enableTelemetry: false })
    : null;
  return {
    get: async (k: string): Promise<string | null> => (redis ? await redis.get<string>(key(k)).catch(() => null) : null),
    save: async (values: Record<string, string>): Promise<void> => {
      if (!redis || !Object.keys(values).length) return;
      const p = redis.pipeline();
      for (const [k, v] of Object.entries(values)) p.set(key(k), v, { ex: TTL_SECONDS });
      await p.exec().catch((err) => console.warn(JSON.stringify({ msg: "checkpoint save failed", error: String(err) })));
    },
  };
}
