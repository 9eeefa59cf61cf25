// Test-only bindings set in vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    NEON_WS_PROXY: string;
    UPSTASH_REDIS_REST_URL: string;
    UPSTASH_REDIS_REST_TOKEN: string;
    ADMIN_TOKEN: string;
    TEST_REPLAY_URL: string;
    TEST_PG_MODE: string;
    TEST_REDIS_MODE: string;
    TEST_OPENAPI_VALIDATOR_URL: string;
    FUZZ_SEED: string;
    FUZZ_RUNS: string;
  }
}
