// Postgres access through the Neon serverless driver (WebSocket) and Drizzle. A Pool lives for one request or
// one queue batch: workerd cannot share sockets between requests. Locally, NEON_WS_PROXY points the unchanged
// driver at dev/pg-pipe.mjs, a WebSocket→TCP pipe to a real Postgres (or embedded PGlite).
import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import type { Config } from "../env";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Queryable = Database | Transaction;

let localProxyApplied: string | undefined;

function configureDriver(config: Config): void {
  const proxy = config.neonWsProxy;
  if (!proxy || localProxyApplied === proxy) return;
  // Settings for a plain local Postgres behind the pipe (see TOOLCHAIN.md): no TLS, no pipelined auth
  // (it fails on SCRAM and hangs PGlite), and no write coalescing (saves ~1 ms per round trip).
  neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
  neonConfig.pipelineTLS = false;
  neonConfig.forceDisablePgSSL = true;
  neonConfig.coalesceWrites = false;
  localProxyApplied = proxy;
}

export interface DbHandle {
  db: Database;
  /** Ends the pool; pass to ctx.waitUntil. */
  close(): Promise<void>;
}

export function openDb(config: Config): DbHandle {
  configureDriver(config);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  // An unlistened Pool turns a dropped connection into an unhandled error that kills the request.
  pool.on("error", (err: unknown) => console.warn(JSON.stringify({ msg: "pg pool error", error: String(err) })));
  return { db: drizzle(pool, { schema }), close: () => pool.end().catch(() => undefined) };
}
