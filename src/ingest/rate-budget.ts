// Per-provider request budget, shared by every consumer invocation through Redis:
// - a per-minute counter against the provider's configured requests/minute;
// - a "closed until" time set when the provider says its budget is spent (headers) or answers 429.
// A unit that would exceed the budget is deferred (re-sent with a delay), not failed.
import { Redis } from "@upstash/redis";
import type { Provider } from "../domain/vocabulary";
import type { Config } from "../env";
import type { RateBudget } from "../domain/canonical";

const key = (provider: Provider, part: string) => `md:v1:budget:${provider}:${part}`;

export interface RateGate {
  /** Seconds to wait before calling the provider, or 0 to go ahead (and count the request). */
  acquire(provider: Provider, perMinute: number, now: Date): Promise<number>;
  /** Remember what the provider said about its budget. */
  observe(provider: Provider, budget: RateBudget, now: Date): Promise<void>;
  /** The provider refused us (429): close until it said. */
  closeFor(provider: Provider, seconds: number, now: Date): Promise<void>;
  /** Count requests made beyond the one `acquire` counted (units that make several). */
  charge(provider: Provider, extra: number, now: Date): Promise<void>;
}

/** Without Redis there is no shared budget: every call goes ahead (the provider's 429s still apply). */
export function createRateGate(config: Config): RateGate {
  if (!config.redis) return { acquire: async () => 0, observe: async () => undefined, closeFor: async () => undefined, charge: async () => undefined };
  const redis = new Redis({ url: config.redis.url, token: config.redis.token, automaticDeserialization: false, enableTelemetry: false });

  async function acquire(provider: Provider, perMinute: number, now: Date): Promise<number> {
    try {
      const closedUntil = Number((await redis.get<string>(key(provider, "closed-until"))) ?? 0);
      if (closedUntil > now.getTime()) return Math.ceil((closedUntil - now.getTime()) / 1000);
      const minute = Math.floor(now.getTime() / 60_000);
      const p = redis.pipeline();
      p.incr(key(provider, `m:${minute}`));
      p.expire(key(provider, `m:${minute}`), 120);
      const [count] = (await p.exec()) as [number, number];
      if (count > perMinute) return Math.max(1, 60 - (Math.floor(now.getTime() / 1000) % 60));
      return 0;
    } catch (err) {
      console.warn(JSON.stringify({ msg: "rate gate unavailable; going ahead", provider, error: String(err) }));
      return 0;
    }
  }

  async function closeFor(provider: Provider, seconds: number, now: Date): Promise<void> {
    if (seconds <= 0) return;
    const until = now.getTime() + seconds * 1000;
    await redis.set(key(provider, "closed-until"), String(until), { ex: Math.ceil(seconds) + 5 }).catch(() => undefined);
  }

  async function observe(provider: Provider, budget: RateBudget, now: Date): Promise<void> {
    if (budget.remaining != null && budget.remaining <= 0) await closeFor(provider, budget.resetSeconds ?? 60, now);
  }

  async function charge(provider: Provider, extra: number, now: Date): Promise<void> {
    if (extra <= 0) return;
    const minute = Math.floor(now.getTime() / 60_000);
    const p = redis.pipeline();
    p.incrby(key(provider, `m:${minute}`), extra);
    p.expire(key(provider, `m:${minute}`), 120);
    await p.exec().catch(() => undefined);
  }

  return { acquire, observe, closeFor, charge };
}
