// The Upstash response cache on the real Redis (through the REST bridge): tags, invalidation, and the race
// between a slow cache fill and an invalidation.
import { beforeAll, describe, expect, it } from "vitest";
import { createResponseCache, responseKey } from "../src/cache/response-cache";
import { config, redis } from "./helpers";

const entry = (body: string) => ({ etag: `"${body}"`, body, ttl: 60 });

describe("response cache", () => {
  beforeAll(async () => {
    await redis().flushdb();
  });

  it("stores under tags and invalidation deletes exactly the tagged keys", async () => {
    const cache = createResponseCache(config())!;
    const [a, b] = [responseKey("/a"), responseKey("/b")];
    await cache.put(a, entry("a"), ["match:1", "matches:any"], (await cache.versions(["match:1", "matches:any"]))!);
    await cache.put(b, entry("b"), ["match:2"], (await cache.versions(["match:2"]))!);
    expect((await cache.get(a))?.body).toBe("a");
    expect(await cache.invalidate(["match:1"])).toBeGreaterThan(0);
    expect(await cache.get(a)).toBeNull();
    expect((await cache.get(b))?.body).toBe("b");
  });

  it("does not keep a body loaded before an invalidation that landed before it was stored", async () => {
    const cache = createResponseCache(config())!;
    const key = responseKey("/slow");
    const seen = (await cache.versions(["match:3"]))!; // read starts (versions), then loads from Postgres…
    await cache.invalidate(["match:3"]); // …ingestion commits and invalidates meanwhile…
    await cache.put(key, entry("old"), ["match:3"], seen); // …then the slow read stores its stale body.
    expect(await cache.get(key)).toBeNull();
    // A fill that saw the current versions is kept.
    await cache.put(key, entry("new"), ["match:3"], (await cache.versions(["match:3"]))!);
    expect((await cache.get(key))?.body).toBe("new");
  });

  it("degrades to misses, never errors, when Redis cannot be reached", async () => {
    const cache = createResponseCache({ ...config(), redis: { url: "http://127.0.0.1:9", token: "x" } })!;
    expect(await cache.get(responseKey("/x"))).toBeNull();
    expect(await cache.versions(["match:1"])).toBeNull();
    expect(await cache.ping()).toBe(false);
  });
});
