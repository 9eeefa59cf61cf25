// API keys and rate limits on the real Redis (@upstash/ratelimit through the REST bridge) and Postgres: keys are
// shown once and stored hashed, per-minute rates and daily quotas answer 429 with Retry-After and the IETF
// RateLimit headers, revoked and unknown keys are refused, anonymous callers get a per-IP limit.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../src/auth/api-keys";
import { ADMIN_TOKEN, api, apiWithEnv, json, resetAll, withDb } from "./helpers";

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

async function createKey(body: Record<string, unknown>) {
  const res = await api("/v1/admin/api-keys", { method: "POST", headers: admin, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await json(res)).data as { id: number; key: string; prefix: string; ratePerMinute: number; dailyQuota: number };
}

const withKey = (key: string) => ({ headers: { "X-API-Key": key } });

describe("API keys", () => {
  beforeAll(resetAll);

  it("creates a key shown once and stores only its SHA-256 hash", async () => {
    const created = await createKey({ name: "fan app", ratePerMinute: 100, dailyQuota: 1000 });
    expect(created.key).toMatch(/^mde_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const stored = await withDb(async (db) => (await db.execute<Record<string, string>>(sql`select * from api_keys where id = ${created.id}`)).rows[0]!);
    expect(stored.key_hash).toBe(await hashApiKey(created.key));
    expect(JSON.stringify(stored)).not.toContain(created.key);
    // Listing never shows the key again.
    const list = await json(await api("/v1/admin/api-keys", { headers: admin }));
    expect(list.data.find((k: { id: number }) => k.id === created.id)).toMatchObject({ name: "fan app", prefix: created.prefix, revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it("answers a body that is not labelled JSON with a 415 that names the type to send, and writes nothing", async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const body = JSON.stringify({ name: "form" });
    const before = (await json(await api("/v1/admin/api-keys", { headers: auth }))).data.length;
    // What `curl -d` sends without -H 'Content-Type: application/json'.
    const form = await api("/v1/admin/api-keys", { method: "POST", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" }, body });
    expect(form.status).toBe(415);
    expect(form.headers.get("content-type")).toContain("application/problem+json");
    expect(form.headers.get("accept")).toBe("application/json");
    const problem = await json(form);
    expect(problem).toMatchObject({ status: 415, title: "Unsupported media type" });
    expect(problem.detail).toContain("Content-Type: application/json");
    expect(problem.detail).toContain('"application/x-www-form-urlencoded"');
    expect(problem.detail).toContain("-H 'Content-Type: application/json'");
    const text = await api("/v1/admin/jobs/update_matches", { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(415);
    expect((await json(text)).detail).toMatch(/send it with Content-Type: application\/json; it was sent as "text\/plain"\.$/);
    // A body without any Content-Type is not guessed at either.
    const unlabelled = await api("/v1/admin/api-keys", { method: "POST", headers: auth, body: new TextEncoder().encode(body) });
    expect(unlabelled.status).toBe(415);
    expect((await json(unlabelled)).detail).toContain("it was sent without a Content-Type");
    expect((await json(await api("/v1/admin/api-keys", { headers: auth }))).data.length).toBe(before);
    // The same request labelled as JSON works.
    expect((await api("/v1/admin/api-keys", { method: "POST", headers: { ...auth, "content-type": "application/json; charset=utf-8" }, body })).status).toBe(201);
  });

  it("refuses bad key requests with 400 and anonymous callers with 401", async () => {
    const bad = await api("/v1/admin/api-keys", { method: "POST", headers: admin, body: JSON.stringify({ name: "", ratePerMinute: 0 }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["body.name", "body.ratePerMinute"]));
    expect((await api("/v1/admin/api-keys", { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("applies the key's per-minute rate with RateLimit headers, then 429 + Retry-After", async () => {
    const { key } = await createKey({ name: "small", ratePerMinute: 3, dailyQuota: 1000 });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api("/v1/competitions", withKey(key));
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Limit")).toBe("3");
      expect(res.headers.get("RateLimit-Policy")).toBe("3;w=60, 1000;w=86400");
      expect(Number(res.headers.get("RateLimit-Reset"))).toBeLessThanOrEqual(60);
      remaining.push(res.headers.get("RateLimit-Remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await api("/v1/competitions", withKey(key));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect((await json(limited)).detail).toMatch(/per-minute rate of 3/);
  });

  it("applies the daily quota", async () => {
    const { key } = await createKey({ name: "quota", ratePerMinute: 100, dailyQuota: 2 });
    expect((await api("/v1/competitions", withKey(key))).status).toBe(200);
    const last = await api("/v1/competitions", withKey(key));
    expect(last.status).toBe(200);
    // The quota is closer to running out than the rate: it decides the headers.
    expect([last.headers.get("RateLimit-Limit"), last.headers.get("RateLimit-Remaining")]).toEqual(["2", "0"]);
    const limited = await api("/v1/competitions", withKey(key));
    expect(limited.status).toBe(429);
    expect((await json(limited)).detail).toMatch(/daily quota of 2/);
    // The day window ends at 00:00 UTC.
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(Math.abs(Number(limited.headers.get("Retry-After")) - (midnight - Date.now()) / 1000)).toBeLessThan(5);
  });

  it("refuses a revoked key at once, and an unknown one", async () => {
    const { id, key } = await createKey({ name: "to revoke" });
    expect((await api("/v1/competitions", withKey(key))).status).toBe(200); // now cached as valid
    const revoked = await api(`/v1/admin/api-keys/${id}`, { method: "DELETE", headers: admin });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).data.revokedAt).not.toBeNull();
    const refused = await api("/v1/competitions", withKey(key));
    expect(refused.status).toBe(401);
    expect((await json(refused)).detail).toMatch(/revoked/);
    expect((await api("/v1/admin/api-keys/999999", { method: "DELETE", headers: admin })).status).toBe(404);
    const unknown = await api("/v1/competitions", withKey(`mde_${"A".repeat(43)}`));
    expect(unknown.status).toBe(401);
    expect((await api("/v1/competitions", withKey("not a key"))).status).toBe(401);
  });

  it("gives anonymous callers a per-IP limit", async () => {
    const low = { ANON_REQUESTS_PER_MINUTE: "2" };
    const from = (ip: string) => ({ headers: { "CF-Connecting-IP": ip } });
    expect((await apiWithEnv(low, "/v1/competitions", from("198.51.100.7"))).status).toBe(200);
    const second = await apiWithEnv(low, "/v1/competitions", from("198.51.100.7"));
    expect(second.headers.get("RateLimit-Policy")).toBe("2;w=60");
    expect(second.headers.get("RateLimit-Remaining")).toBe("0");
    const limited = await apiWithEnv(low, "/v1/competitions", from("198.51.100.7"));
    expect(limited.status).toBe(429);
    expect((await json(limited)).detail).toMatch(/anonymous/);
    // Another IP has its own budget; a key lifts the anonymous limit.
    expect((await apiWithEnv(low, "/v1/competitions", from("198.51.100.8"))).status).toBe(200);
    const { key } = await createKey({ name: "lifts" });
    expect((await apiWithEnv(low, "/v1/competitions", { headers: { "CF-Connecting-IP": "198.51.100.7", "X-API-Key": key } })).status).toBe(200);
  });

  it("lets requests through when Redis is down (no limits, no 5xx)", async () => {
    const res = await apiWithEnv({ ANON_REQUESTS_PER_MINUTE: "1", UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" }, "/v1/competitions");
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Limit")).toBeNull();
  });
});
