// /health: liveness of the Worker and reachability of Postgres and Redis. 200 while Postgres answers
// (Redis down only degrades caching), 503 when it does not.
import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createRouter, jsonBody } from "./openapi";
import { HealthSchema } from "./schemas";

const healthRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Service"],
  summary: "Liveness and reachability of Postgres and Redis",
  security: [],
  responses: { 200: jsonBody(HealthSchema, "Postgres answers (Redis may be down: degraded)."), 503: jsonBody(HealthSchema, "Postgres is down.") },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const cache = c.var.cache;
  const [db, redis] = await Promise.all([
    c.var
      .db()
      .execute(sql`select 1`)
      .then(() => "ok" as const)
      .catch(() => "down" as const),
    cache ? cache.ping().then((ok) => (ok ? ("ok" as const) : ("down" as const))) : Promise.resolve("disabled" as const),
  ]);
  const status = db === "ok" ? (redis === "down" ? "degraded" : "ok") : "down";
  return c.json({ status, db, cache: redis }, db === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
});
