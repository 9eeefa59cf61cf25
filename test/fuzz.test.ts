// Hostile input against every route (fast-check): odd unicode, huge numbers, injection strings, malformed
// cursors and JSON, oversized bodies, wrong methods. Whatever comes in, the answer is never a 5xx, and every
// error is application/problem+json. The seed is printed so a failure can be replayed (FUZZ_SEED=… npm test).
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { ADMIN_TOKEN, api, resetAll, runIngest } from "./helpers";

const RUNS = Number(env.FUZZ_RUNS || 5000);
const SEED = Number(env.FUZZ_SEED || Date.now() % 2_147_483_647);

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "'; drop table matches; --", "1 OR 1=1", "%00", "\u0000", "../../etc/passwd", "<script>alert(1)</script>", "NaN",
    "Infinity", "-0", "1e309", "0x1F", "９", "٣", "𝟗", "2023-02-30", "2023-13-01", "99999999999999999999", "-1",
    "2147483648", " 12", "12 ", "null", "undefined", "[]", "{}", "true", "BL1", "bl1", "2023", "12", "live", "ZZZZZ",
    "eyJrIjoiMjAyMy0xMS0yNFQwMDowMDowMFoiLCJpIjoxfQ", "eyJrIjoiIiwiaSI6LTF9", "%", "%%", "%E0%A4%A", "\uD800", "🏟️⚽", "a".repeat(5000),
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "Invalid" : d.toISOString())),
);

const PATHS = [
  (v: string) => `/v1/matches/${v}`,
  (v: string) => `/v1/matches/${v}/live`,
  (v: string) => `/v1/teams/${v}`,
  (v: string) => `/v1/teams/${v}/stats`,
  (v: string) => `/v1/players/${v}`,
  (v: string) => `/v1/players/${v}/stats`,
  (v: string) => `/v1/competitions/${v}/standings`,
  (v: string) => `/v1/competitions/${v}/top-scorers`,
  (v: string) => `/live/${v}`,
  (v: string) => `/v1/admin/jobs/${v}`,
  (v: string) => `/v1/admin/api-keys/${v}`,
  (v: string) => `/v1/competitions/${v}/ratings`,
  (v: string) => `/v1/competitions/${v}/top-assists`,
  (v: string) => `/v1/teams/${v}/rating`,
  (v: string) => `/v1/teams/1/head-to-head/${v}`,
  (v: string) => `/v1/teams/${v}/head-to-head/1`,
  (v: string) => `/v1/matches/${v}/prediction`,
  (v: string) => `/v1/players/${v}/market-values`,
];
const ROUTES = ["/v1/matches", "/v1/matches/live", "/v1/teams", "/v1/players", "/v1/competitions", "/v1/competitions/BL1/standings", "/v1/competitions/BL1/top-scorers", "/v1/matches/1", "/v1/teams/1/stats", "/v1/players/1/stats", "/v1/admin/jobs/runs", "/v1/admin/disagreements", "/v1/admin/api-keys", "/v1/admin/metrics", "/v1/competitions/BL1/ratings", "/v1/teams/1/rating", "/v1/matches/1/prediction", "/health", "/openapi.json", "/docs", "/"];
const PARAMS = ["competition", "season", "matchday", "date", "from", "to", "team", "status", "limit", "cursor", "q", "since", "job", "kind", "open", "type", "x"];

const request = fc.oneof(
  // A hostile path segment.
  fc.record({ kind: fc.constant("path" as const), make: fc.constantFrom(...PATHS), value: hostile }),
  // Known routes with hostile query parameters.
  fc.record({
    kind: fc.constant("query" as const),
    route: fc.constantFrom(...ROUTES),
    params: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), hostile), hostile), { maxLength: 4 }),
    // A hostile API key (percent-encoded: header values must be bytes), or none.
    apiKey: fc.option(fc.oneof(hostile, fc.constant("mde_" + "A".repeat(43))), { nil: undefined }),
  }),
  // Wrong methods and hostile bodies, with and without the admin token.
  fc.record({
    kind: fc.constant("body" as const),
    route: fc.constantFrom(...ROUTES, "/v1/admin/jobs/update_matches", "/v1/admin/jobs/update_live_matches", "/v1/admin/api-keys/1"),
    method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "GET", "OPTIONS"),
    body: fc.oneof(hostile, fc.json(), fc.constant("{".repeat(1000)), fc.constant("x".repeat(20_000))),
    auth: fc.boolean(),
  }),
);

type HostileRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function toRequest(r: HostileRequest): [string, RequestInit] {
  if (r.kind === "path") return [encodePath(r.make(r.value)), {}];
  if (r.kind === "query") {
    const qs = r.params.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");
    return [`${r.route}${qs ? `?${qs}` : ""}`, r.apiKey === undefined ? {} : { headers: { "X-API-Key": pct(r.apiKey) } }];
  }
  const init: RequestInit = { method: r.method, headers: { "content-type": "application/json", ...(r.auth ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : {}) } };
  if (r.method !== "GET" && r.method !== "OPTIONS") init.body = r.body;
  return [r.route, init];
}

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates become U+FFFD), as a client library would. */
const pct = (s: string) =>
  Array.from(new TextEncoder().encode(s), (b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

/** Keeps the hostile segment as one path segment (encoded); raw malformed escapes are sent as they are. */
const encodePath = (p: string) =>
  p
    .split("/")
    .map((seg, i) => (i < 3 || /^%[0-9A-F]?$|^%E0%A4%A$/.test(seg) ? seg : pct(seg)))
    .join("/");

describe(`fuzz: ${RUNS} hostile requests, seed ${SEED}`, () => {
  beforeAll(async () => {
    await resetAll();
    await runIngest({ competition: "BL1", season: 2023, matchday: 12 });
  });

  it("never answers 5xx; every error is problem+json", async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [path, init] = toRequest(r);
        const res = await api(path, init);
        const type = res.headers.get("content-type") ?? "";
        await res.arrayBuffer();
        if (res.status >= 500) throw new Error(`${init.method ?? "GET"} ${path.slice(0, 200)} → ${res.status}`);
        // 304 and 426 (WebSocket upgrade required) have their own forms; every other error is problem+json.
        if (res.status >= 400 && res.status !== 426 && !type.includes("application/problem+json")) {
          throw new Error(`${init.method ?? "GET"} ${path.slice(0, 200)} → ${res.status} with ${type}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
