// The Hono app: request id + JSON access log, per-request Postgres pool (opened lazily, closed after the
// response) and Upstash cache, routes mounted per resource, and one problem+json error format.
import { createRoute, z } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import { adminRoutes } from "./api/admin";
import { analyticsRoutes } from "./api/analytics";
import { competitionsRoutes } from "./api/competitions";
import { healthRoutes } from "./api/health";
import { liveRoutes } from "./api/live";
import { livePageRoutes } from "./api/live-page";
import { matchesRoutes } from "./api/matches";
import { createRouter, jsonBody, registerDocs } from "./api/openapi";
import { problem, problemResponse } from "./api/problem";
import { RATE_LIMIT_HEADERS, rateLimits } from "./api/rate-limit";
import { playersRoutes } from "./api/players";
import { teamsRoutes } from "./api/teams";
import { createResponseCache } from "./cache/response-cache";
import { openDb, type DbHandle } from "./db/client";
import { upstash } from "./cache/redis";
import { readConfig } from "./env";
import { metricsRecorder } from "./observability/metrics";

/** The renderer of /docs, a static asset (wrangler.toml [assets]; dev/docs-assets.mjs RENDERER_PATH). */
const DOCS_RENDERER_PATH = "/docs/scalar-api-reference.js";

const SERVICE_INDEX = {
  name: "Matchday Edge",
  description: "Football fixtures, results, live scores, standings and stats from three providers, merged.",
  links: {
    health: "/health",
    competitions: "/v1/competitions",
    matches: "/v1/matches",
    live: "/v1/matches/live",
    liveSocket: "/v1/matches/{id}/live",
    livePage: "/live/{id}",
    teams: "/v1/teams",
    players: "/v1/players",
    openapi: "/openapi.json",
    docs: "/docs",
  },
} as const;

const indexRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Service"],
  summary: "Where things are",
  security: [],
  responses: { 200: jsonBody(z.object({ name: z.string(), description: z.string(), links: z.record(z.string(), z.string()) }), "Links to the API's parts.") },
});

export function createApp() {
  const app = createRouter();

  app.use(async (c, next) => {
    const started = Date.now();
    const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
    c.set("requestId", requestId);
    const config = readConfig(c.env);
    let handle: DbHandle | undefined;
    c.set("db", () => (handle ??= openDb(config)).db);
    c.set("config", config);
    c.set("cache", createResponseCache(config));
    try {
      await next();
    } finally {
      if (handle) c.executionCtx.waitUntil(handle.close());
    }
    c.header("X-Request-Id", requestId);
    const ms = Date.now() - started;
    const cache = c.res.headers.get("x-cache");
    const layer = c.res.headers.get("x-cache-layer");
    console.log(
      JSON.stringify({
        msg: "request",
        requestId,
        method: c.req.method,
        path: c.req.path,
        route: c.req.routePath,
        status: c.res.status,
        ms,
        cache: cache ?? undefined,
        cacheLayer: layer ?? undefined,
        keyId: c.var.apiKeyId,
      }),
    );
    const metrics = metricsRecorder(config.metricsFlushMs);
    metrics.record({ status: c.res.status, ms, cache, layer });
    const redis = upstash(config);
    if (redis && metrics.due()) c.executionCtx.waitUntil(metrics.flush(redis));
  });

  // A constant document: where things are. Also the baseline the read benchmark compares cached routes with.
  app.openapi(indexRoute, (c) => c.json(SERVICE_INDEX, 200, { "Cache-Control": "public, max-age=300" }));
  // Every route: security headers, Server-Timing (cache and db phases are added by read-through), a small body
  // limit (no route takes more than a job request), and 405 + Allow for a known path with the wrong method.
  app.use(secureHeaders({ crossOriginResourcePolicy: "cross-origin", crossOriginEmbedderPolicy: false }));
  app.use(timing({ crossOrigin: true }));
  app.use(
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => problemResponse(c, problem(413, "The request body is larger than 16 KiB.")),
    }),
  );
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(c, problem(405, `${c.req.method} is not supported here; use ${methods.join(", ")}.`, {}, { Allow: methods.join(", ") })),
    }),
  );
  // Browser clients may read the public API from any origin. Admin routes stay same-origin in effect: preflights
  // allow neither POST nor the Authorization header.
  app.use(
    "/v1/*",
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "OPTIONS"],
      allowHeaders: ["If-None-Match", "X-API-Key", "Content-Type"],
      exposeHeaders: ["ETag", "X-Cache", "X-Cache-Layer", "X-Request-Id", "Server-Timing", ...RATE_LIMIT_HEADERS],
      maxAge: 86_400,
    }),
  );
  // Admin routes have their own auth and no public limits.
  app.use("/v1/*", (c, next) => (c.req.path.startsWith("/v1/admin/") ? next() : rateLimits(c, next)));
  app.use("/health", cors({ origin: "*", allowMethods: ["GET", "HEAD"] }));
  app.use("/openapi.json", cors({ origin: "*", allowMethods: ["GET", "HEAD"] }));

  app.route("/health", healthRoutes);
  app.route("/v1/competitions", competitionsRoutes);
  // The WebSocket route first: /v1/matches/{id}/live must not fall into the plain matches router.
  app.route("/v1/matches", liveRoutes);
  app.route("/v1/matches", matchesRoutes);
  app.route("/live", livePageRoutes);
  app.route("/v1/teams", teamsRoutes);
  app.route("/v1/players", playersRoutes);
  app.route("/v1/admin", adminRoutes);
  // Ratings, predictions, head-to-head, top assists, market values (paths below /v1/competitions, /teams, /matches, /players).
  app.route("/v1", analyticsRoutes);
  // The interactive page loads Scalar's renderer from this Worker's static assets (dev/docs-assets.mjs copies it
  // there), not a CDN, and no web fonts: /docs works offline. The document itself is /openapi.json.
  // Also off: telemetry and the AI agent (both call scalar.com), the developer toolbar; every tag open, so the
  // sidebar lists every route at once.
  registerDocs(
    app,
    Scalar({
      url: "/openapi.json",
      pageTitle: "Matchday Edge API",
      cdn: DOCS_RENDERER_PATH,
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      showDeveloperTools: "never",
      defaultOpenAllTags: true,
    }),
  );

  app.notFound((c) => problemResponse(c, problem(404, `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError((err, c) => problemResponse(c, err));
  return app;
}
