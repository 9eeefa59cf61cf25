// Tests run inside workerd (@cloudflare/vitest-plugin) with the Worker's real wrangler.toml. test/global-setup.ts
// starts the stand-ins on the Node side; their URLs become the Worker's bindings here.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export const TEST_ADMIN_TOKEN = "test-admin-token";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // queue()/scheduled() on `exports.default` in tests.
        compatibilityFlags: ["nodejs_compat", "service_binding_extra_handlers"],
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          NEON_WS_PROXY: inject("neonWsProxy"),
          UPSTASH_REDIS_REST_URL: inject("upstashUrl"),
          UPSTASH_REDIS_REST_TOKEN: inject("upstashToken"),
          OPENLIGADB_BASE_URL: `${inject("replayUrl")}/openligadb`,
          API_FOOTBALL_BASE_URL: `${inject("replayUrl")}/api-football`,
          FOOTBALL_DATA_BASE_URL: `${inject("replayUrl")}/football-data`,
          ADMIN_TOKEN: TEST_ADMIN_TOKEN,
          COMPETITIONS: "BL1,PL",
          SEASONS: "2023",
          PROVIDER_TIMEOUT_MS: "2000",
          // The fuzz and API tests send thousands of anonymous requests; test/api-keys.test.ts lowers it per request.
          ANON_REQUESTS_PER_MINUTE: "1000000",
          // Every response writes its metrics at once, so /v1/admin/metrics can be checked right after.
          METRICS_FLUSH_MS: "0",
          // The fuzz test's seed and size, from the shell (FUZZ_SEED=… FUZZ_RUNS=… npm test).
          FUZZ_SEED: process.env.FUZZ_SEED ?? "",
          FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
          // Test-only: lets tests drive the replay server and know which stand-ins they run against.
          TEST_REPLAY_URL: inject("replayUrl"),
          TEST_PG_MODE: inject("pgMode"),
          TEST_REDIS_MODE: inject("redisMode"),
          TEST_OPENAPI_VALIDATOR_URL: inject("openapiValidatorUrl"),
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // test/browser runs in Node against a real `npm run dev` (node test/browser/run.mjs), not in workerd.
    exclude: ["test/browser/**", "node_modules/**"],
    // One Postgres database is shared by all files: run them one after another.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
