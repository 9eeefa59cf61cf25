// /v1/admin/metrics: request counts, latency percentiles and cache hit ratio from the requests this file makes
// (flushed to the real Redis after each response in tests), and job load from job_runs.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, api, apiWithEnv, json, resetAll, runIngest } from "./helpers";
import { summarize } from "../src/observability/metrics";

const admin = { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };

describe("admin metrics", () => {
  beforeAll(async () => {
    await resetAll();
    expect((await runIngest({ competition: "BL1", season: 2023, matchday: 12 })).run.status).toBe("succeeded");
  });

  it("summarizes requests: counts by status, latency percentiles, cache hit ratio", async () => {
    const list = "/v1/matches?competition=BL1&season=2023&matchday=12";
    expect((await api(list)).status).toBe(200); // MISS
    for (let i = 0; i < 20 && (await api(list)).headers.get("x-cache") !== "HIT"; i++) await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 5; i++) expect((await api(list)).headers.get("x-cache")).toBe("HIT");
    expect((await api("/v1/matches/999999")).status).toBe(404);
    expect((await api("/v1/matches?season=abc")).status).toBe(400);

    // Each response's metrics are written after it is sent (waitUntil): read until the last one has landed.
    let requests: any;
    for (let i = 0; i < 40; i++) {
      const res = await api("/v1/admin/metrics", admin);
      expect(res.status).toBe(200);
      requests = (await json(res)).data.requests;
      if (requests.last5m.status["4xx"] >= 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const w = requests.last5m;
    // At least what this test sent (the HIT-polling loop and the metrics call itself may add a few).
    expect(w.requests).toBeGreaterThanOrEqual(9);
    expect(w.status["4xx"]).toBe(2);
    expect(w.status["5xx"]).toBe(0);
    expect(w.cache.hit).toBeGreaterThanOrEqual(5);
    expect(w.cache.miss).toBeGreaterThanOrEqual(1);
    expect(w.cache.hitRatio).toBeCloseTo(w.cache.hit / (w.cache.hit + w.cache.miss + w.cache.bypass + w.cache.stale), 3);
    expect(w.cache.edgeHits + w.cache.redisHits).toBe(w.cache.hit);
    expect(w.latencyMs.p50).toBeGreaterThan(0);
    expect(w.latencyMs.p99).toBeGreaterThanOrEqual(w.latencyMs.p95);
    expect(w.latencyMs.p95).toBeGreaterThanOrEqual(w.latencyMs.p50);
    expect(requests.last24h.requests).toBeGreaterThanOrEqual(w.requests);
  });

  it("computes percentiles from the histogram buckets", () => {
    // 90 requests ≤ 1 ms (bucket 0), 9 ≤ 100 ms (bucket 11), 1 slower than 10 s (overflow bucket).
    const s = summarize([{ n: 100, b0: 90, b11: 9, b23: 1, s2xx: 100 }], 60);
    expect(s.latencyMs).toEqual({ p50: 1, p95: 100, p99: 100 });
    expect(summarize([{ n: 100, b0: 98, b23: 2, s2xx: 100 }], 60).latencyMs.p99).toBe(20000);
    expect(summarize([], 60)).toMatchObject({ requests: 0, latencyMs: { p50: null }, cache: { hitRatio: null } });
  });

  it("reports job load, backlog and failures", async () => {
    // The provider unreachable on the last allowed attempt: the unit fails for good.
    const failed = await runIngest({ competition: "BL1", season: 2023, matchday: 13 }, 6, { OPENLIGADB_BASE_URL: "http://127.0.0.1:9" });
    expect(failed.run.status).toBe("failed");
    const { jobs } = (await json(await api("/v1/admin/metrics", admin))).data;
    expect(jobs.last1h.update_matches.succeeded.units).toBeGreaterThanOrEqual(1);
    expect(jobs.last1h.update_matches.succeeded.rowsWritten).toBeGreaterThan(0);
    expect(jobs.last24h.update_matches.succeeded.units).toBeGreaterThanOrEqual(jobs.last1h.update_matches.succeeded.units);
    expect(jobs.last1h.update_matches.failed.units).toBe(1);
    expect(jobs.recentFailures.map((f: { id: number }) => f.id)).toContain(failed.jobRunId);
    expect(typeof jobs.backlog).toBe("object");
  });

  it("includes this isolate's requests not yet flushed (long flush interval)", async () => {
    const slow = { METRICS_FLUSH_MS: "3600000" };
    const before = (await json(await apiWithEnv(slow, "/v1/admin/metrics", admin))).data.requests.last5m.status["4xx"];
    for (let i = 0; i < 3; i++) expect((await apiWithEnv(slow, "/v1/matches/999998")).status).toBe(404);
    const after = (await json(await apiWithEnv(slow, "/v1/admin/metrics", admin))).data.requests.last5m.status["4xx"];
    expect(after - before).toBe(3);
  });

  it("is for operators only", async () => {
    expect((await api("/v1/admin/metrics")).status).toBe(401);
  });
});
