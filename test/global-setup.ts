// Node-side test setup: starts the local stand-ins (Neon-style WebSocket pipe, Upstash REST bridge, provider
// replay server) in front of the machine's real PostgreSQL and Redis when they run — or embedded PGlite and an
// in-memory Redis on a machine with neither — creates a fresh test database, applies the migrations, and hands
// the URLs to the Worker under test (vitest.config.ts → miniflare bindings).
// MATCHDAY_REQUIRE_SERVICES=1 (set by .ci/run) forbids the embedded fallback, so CI always tests the real servers.
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM module without types
import { probeTcp, startStandins } from "../dev/standins.mjs";
// @ts-expect-error plain ESM module without types
import { migrate } from "../dev/migrate.mjs";
// @ts-expect-error plain ESM module without types
import { startOpenApiValidator } from "./openapi-validator.mjs";
import { createRequire } from "node:module";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    neonWsProxy: string;
    upstashUrl: string;
    upstashToken: string;
    replayUrl: string;
    pgMode: string;
    redisMode: string;
    openapiValidatorUrl: string;
  }
}

const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TEST_DB = process.env.TEST_DB_NAME ?? "matchday_test";
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";

export default async function setup(project: TestProject) {
  const require = createRequire(import.meta.url);
  const required = process.env.MATCHDAY_REQUIRE_SERVICES === "1";
  const pgUp = await probeTcp("127.0.0.1", Number(new URL(PG_ADMIN_URL).port || 5432), 1000);
  const redisUp = await probeTcp("127.0.0.1", Number(new URL(REDIS_URL).port || 6379), 1000);
  if (required && (!pgUp || !redisUp)) {
    throw new Error(`MATCHDAY_REQUIRE_SERVICES=1 but ${!pgUp ? "PostgreSQL (5432)" : ""}${!pgUp && !redisUp ? " and " : ""}${!redisUp ? "Redis (6379)" : ""} is not reachable`);
  }

  let databaseUrl: string | undefined;
  if (pgUp) {
    // A fresh database per run: tests start from the migrations, never from leftovers.
    const pg = require("pg");
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${TEST_DB} with (force)`);
    await admin.query(`create database ${TEST_DB}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${TEST_DB}`;
    databaseUrl = u.toString();
  }
  const standins = await startStandins({ databaseUrl, redisUrl: redisUp ? REDIS_URL : undefined, replay: true });
  await migrate(standins.databaseUrl);

  project.provide("databaseUrl", standins.databaseUrl);
  project.provide("neonWsProxy", standins.neonWsProxy);
  project.provide("upstashUrl", standins.upstashUrl);
  project.provide("upstashToken", standins.upstashToken);
  project.provide("replayUrl", standins.replayUrl);
  project.provide("pgMode", standins.pgMode);
  project.provide("redisMode", standins.redisMode);
  const validator = await startOpenApiValidator();
  project.provide("openapiValidatorUrl", validator.url);
  return async () => {
    await validator.stop();
    await standins.stop();
  };
}
