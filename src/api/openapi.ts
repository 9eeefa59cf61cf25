// OpenAPI plumbing: routers are OpenAPIHono instances whose routes are declared with zod request and response
// schemas (@hono/zod-openapi), so the document at /openapi.json is generated from the same schemas that
// validate requests. Validation failures become our 400 problem (not the library's default shape).
import { OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppBindings } from "./context";
import { validationProblem } from "./problem";
import { ProblemSchema } from "./schemas";

export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error as unknown as z.ZodError, result.target);
    },
  });
}

const ERROR_DESCRIPTIONS = {
  400: "Invalid input; `errors` lists each field's issue.",
  401: "Missing, unknown or revoked credentials (API key or admin token).",
  403: "Not allowed (e.g. admin routes while ADMIN_TOKEN is not configured).",
  404: "No such resource.",
  422: "Understood but nothing to do.",
  426: "Upgrade required: connect with `Upgrade: websocket`.",
  429: "Rate limit or daily quota used up; see `Retry-After` and the RateLimit headers.",
  503: "A backing service is down and no cached copy can answer; retry after `Retry-After`.",
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const header = (description: string, type: "string" | "integer" = "string") => ({ description, schema: { type } });

const RATE_LIMIT_RESPONSE_HEADERS = {
  "RateLimit-Limit": header("Requests allowed in the window of the limit closest to running out.", "integer"),
  "RateLimit-Remaining": header("Requests left in that window.", "integer"),
  "RateLimit-Reset": header("Seconds until that window frees capacity.", "integer"),
  "RateLimit-Policy": header("Every limit that applies: `<limit>;w=<seconds>`, comma-separated."),
};

export function errorResponses(...statuses: ErrorStatus[]): RouteConfig["responses"] {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: ERROR_DESCRIPTIONS[s],
        content: { "application/problem+json": { schema: ProblemSchema } },
        ...(s === 429 || s === 503 ? { headers: { "Retry-After": header("Seconds to wait.", "integer") } } : {}),
      },
    ]),
  );
}

export const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** Responses of a cached public read: 200 with cache headers, 304, and the errors every read can give. */
export function readResponses<T extends z.ZodType>(schema: T, description: string, ...more: ErrorStatus[]): RouteConfig["responses"] {
  return {
    200: {
      ...jsonBody(schema, description),
      headers: {
        ETag: header("Strong validator of the body; send it back in If-None-Match."),
        "Cache-Control": header("How long a client may keep the body."),
        "X-Cache": header("HIT, MISS, BYPASS (no Redis) or STALE (Postgres down: last known good copy, not to be kept)."),
        "X-Cache-Layer": header("On a HIT: edge (this colo's cache) or redis."),
        ...RATE_LIMIT_RESPONSE_HEADERS,
      },
    },
    304: { description: "Not modified: If-None-Match matched the current ETag." },
    ...errorResponses(400, 401, 429, 503, ...more),
  };
}

/** Adds the document, its security schemes and the interactive docs page to the app. */
export function registerDocs(app: OpenAPIHono<AppBindings>, docsPage: MiddlewareHandler<AppBindings>) {
  // Anonymous access or an API key.
  const security: Record<string, string[]>[] = [{}, { ApiKey: [] }];
  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "Optional: lifts the anonymous per-IP limit to the key's rate and daily quota.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", { type: "http", scheme: "bearer", description: "ADMIN_TOKEN" });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Matchday Edge API",
      version: "1.0.0",
      description:
        "Football fixtures, results, live scores, standings and stats from API-Football, football-data.org and OpenLigaDB, " +
        "merged into one canonical copy. JSON, camelCase, times in ISO 8601 UTC. Errors are application/problem+json (RFC 9457).",
    },
    servers: [{ url: new URL(c.req.url).origin }],
    security,
  }));
  app.get("/docs", docsPage);
}
