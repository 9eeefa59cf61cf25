// /v1/admin/*: operator routes behind `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN configured,
// every admin request is refused.
import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { generateApiKey, hashApiKey, rememberApiKey } from "../auth/api-keys";
import { upstash } from "../cache/redis";
import { jobMetrics, listDisagreements } from "../db/queries/admin";
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from "../db/queries/api-keys";
import { ENTITY_KINDS } from "../domain/vocabulary";
import { JOB_NAMES } from "../db/schema";
import { readConfig } from "../env";
import { type AppBindings } from "./context";
import { listJobRuns } from "../ingest/job-runs";
import { enqueueJob, planJob } from "../ingest/producer";
import { metricsRecorder, requestWindows } from "../observability/metrics";
import { competitionParam, idParam, limitParam } from "./params";
import { createRouter, errorResponses, jsonBody } from "./openapi";
import { problem, validationProblem } from "./problem";
import { ApiKeySchema, MetricsSchema, dataOf } from "./schemas";

const requireAdmin = createMiddleware<AppBindings>(async (c, next) => {
  const expected = readConfig(c.env).adminToken;
  const challenge = { "WWW-Authenticate": 'Bearer realm="matchday-edge admin"' };
  if (!expected) throw problem(403, "Admin routes are disabled: ADMIN_TOKEN is not configured.");
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw problem(401, "Missing bearer token.", {}, challenge);
  if (!(await sameSecret(match[1]!, expected))) throw problem(401, "Invalid bearer token.", {}, challenge);
  await next();
});

/** Constant-time comparison of two secrets (compares their SHA-256 digests). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/** The request's JSON body checked against `schema`, whatever its Content-Type; an empty body counts as `{}`. */
async function parseBody<T extends z.ZodType>(req: { text(): Promise<string> }, schema: T): Promise<z.output<T>> {
  const text = await req.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw problem(400, "The body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationProblem(parsed.error, "body");
  return parsed.data;
}

const apiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    ratePerMinute: z.number().int().min(1).max(100_000).default(600),
    dailyQuota: z.number().int().min(1).max(100_000_000).default(100_000),
  })
  .strict();

const toApiKey = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.keyPrefix,
  ratePerMinute: row.ratePerMinute,
  dailyQuota: row.dailyQuota,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

const jobBody = z
  .object({
    competition: z.string().pipe(competitionParam).optional(),
    season: z.number().int().min(1900).max(2100).optional(),
    matchday: z.number().int().min(1).max(99).optional(),
  })
  .strict()
  .refine((b) => !b.matchday || b.competition, { message: "matchday needs a competition", path: ["matchday"] });

const adminRoute = <R extends Parameters<typeof createRoute>[0]>(r: R) =>
  createRoute({ ...r, tags: ["Admin"], security: [{ AdminToken: [] }], responses: { ...r.responses, ...errorResponses(401, 403) } });
const rows = z.array(z.record(z.string(), z.unknown()));

const jobRoute = adminRoute({
  method: "post",
  path: "/jobs/{job}",
  summary: "Enqueue the same work the job's cron would",
  description: "Optionally narrowed to one competition, season or matchday. Each unit is one queue message (job × provider × competition × season).",
  request: { params: z.object({ job: z.enum(JOB_NAMES) }), body: { content: { "application/json": { schema: jobBody } }, required: false } },
  responses: {
    202: jsonBody(z.object({ runId: z.string(), jobRunIds: z.array(z.number().int()), units: rows, skipped: z.array(z.string()) }), "Queued."),
    ...errorResponses(400, 422),
  },
});

const createKeyRoute = adminRoute({
  method: "post",
  path: "/api-keys",
  summary: "Create an API key (shown once; stored as a SHA-256 digest)",
  request: { body: { content: { "application/json": { schema: apiKeyBody } }, required: true } },
  responses: { 201: jsonBody(dataOf(ApiKeySchema.extend({ key: z.string() })), "The key, with its secret — the only time it is shown."), ...errorResponses(400) },
});

const listKeysRoute = adminRoute({
  method: "get",
  path: "/api-keys",
  summary: "API keys (never their secrets)",
  request: { query: z.object({ limit: limitParam.optional() }).strict() },
  responses: { 200: jsonBody(dataOf(z.array(ApiKeySchema)), "Keys, newest first."), ...errorResponses(400) },
});

const revokeKeyRoute = adminRoute({
  method: "delete",
  path: "/api-keys/{id}",
  summary: "Revoke an API key (refused from the next request on)",
  request: { params: z.object({ id: idParam }) },
  responses: { 200: jsonBody(dataOf(ApiKeySchema), "The revoked key."), ...errorResponses(400, 404) },
});

const metricsRoute = adminRoute({
  method: "get",
  path: "/metrics",
  summary: "Request latency percentiles, cache hit ratio, job load and failures over recent windows",
  request: { query: z.object({}).strict() },
  responses: { 200: jsonBody(dataOf(MetricsSchema), "Figures for the last 5 minutes, hour and 24 hours."), ...errorResponses(400) },
});

const disagreementsRoute = adminRoute({
  method: "get",
  path: "/disagreements",
  summary: "Facts two providers disagree on (scores, statuses, tables)",
  request: { query: z.object({ kind: z.enum(ENTITY_KINDS).optional(), open: z.enum(["true", "false"]).optional(), limit: limitParam.optional() }).strict() },
  responses: { 200: jsonBody(dataOf(rows), "Newest first."), ...errorResponses(400) },
});

const runsRoute = adminRoute({
  method: "get",
  path: "/jobs/runs",
  summary: "Recent job runs: job, trigger, status, times, counts, error",
  request: { query: z.object({ job: z.enum(JOB_NAMES).optional(), limit: limitParam.optional() }).strict() },
  responses: { 200: jsonBody(dataOf(rows), "Newest first."), ...errorResponses(400) },
});

export const adminRoutes = createRouter();
adminRoutes.use(requireAdmin);
adminRoutes
  .openapi(jobRoute, async (c) => {
    const { job } = c.req.valid("param");
    const body = await parseBody(c.req, jobBody);
    const config = readConfig(c.env);
    const plan = planJob({ job, ...body }, config, new Date());
    if (!plan.units.length) throw problem(422, plan.skipped.join("; ") || "Nothing to do.");
    const { runId, jobRunIds } = await enqueueJob(c.var.db(), c.env.INGEST_QUEUE, plan.units, "manual", config);
    return c.json({ runId, jobRunIds, units: plan.units, skipped: plan.skipped }, 202);
  })
  .openapi(createKeyRoute, async (c) => {
    const body = await parseBody(c.req, apiKeyBody);
    const { key, prefix } = generateApiKey();
    const row = await insertApiKey(c.var.db(), { ...body, keyPrefix: prefix, keyHash: await hashApiKey(key) });
    // The only time the key is ever shown: only its hash is stored.
    return c.json({ data: { ...toApiKey(row), key } }, 201, { "Cache-Control": "no-store" });
  })
  .openapi(listKeysRoute, async (c) => {
    const rows = await listApiKeys(c.var.db(), c.req.valid("query").limit ?? 100);
    return c.json({ data: rows.map(toApiKey) }, 200);
  })
  .openapi(revokeKeyRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await revokeApiKey(c.var.db(), id);
    if (!row) throw problem(404, `No API key with id ${id}.`);
    await rememberApiKey(c.var.config, row);
    return c.json({ data: toApiKey(row) }, 200);
  })
  .openapi(metricsRoute, async (c) => {
    const redis = upstash(c.var.config);
    // This isolate's not-yet-flushed requests first, so a quiet deployment's figures are not an interval behind.
    if (redis) await metricsRecorder(c.var.config.metricsFlushMs).flush(redis);
    const [requests, jobs] = await Promise.all([redis ? requestWindows(redis) : Promise.resolve(null), jobMetrics(c.var.db())]);
    return c.json({ data: { generatedAt: new Date().toISOString(), requests, jobs } }, 200, { "Cache-Control": "no-store" });
  })
  .openapi(disagreementsRoute, async (c) => {
    const q = c.req.valid("query");
    const rows = await listDisagreements(c.var.db(), { kind: q.kind, openOnly: q.open !== "false", limit: q.limit ?? 100 });
    return c.json({ data: rows }, 200);
  })
  .openapi(runsRoute, async (c) => {
    const q = c.req.valid("query");
    const rows = await listJobRuns(c.var.db(), q.job, q.limit ?? 50);
    return c.json({ data: rows }, 200);
  });
