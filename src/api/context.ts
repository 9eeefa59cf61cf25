// The typed Hono context of every route: the Worker's bindings and what the middleware (src/app.ts) puts on the
// request — its id, a lazily opened Postgres handle, the response cache, the parsed config, the API key.
import type { ResponseCache } from "../cache/response-cache";
import type { Database } from "../db/client";
import type { AppEnv, Config } from "../env";

export type AppBindings = {
  Bindings: AppEnv;
  Variables: {
    requestId: string;
    /** The request's Postgres handle, opened on first use (cache hits never open one). */
    db: () => Database;
    /** Null when no Upstash URL is configured. */
    cache: ResponseCache | null;
    config: Config;
    /** The API key the request presented (set by the rate limiter), for logs. */
    apiKeyId?: number;
  };
};
