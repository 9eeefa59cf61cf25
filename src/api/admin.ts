// /v1/admin/*: operator routes behind `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN configured,
// every admin request is refused.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { generateApiKey, hashApiKey, rememberApiKey } from "../auth/api-keys";
import { upstash } from "../cache/redis";
import { jobMetrics, listDisagreements } from "../db/queries/admin";
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from "../db/queries/api-keys";
import { ENTITY_KINDS, JOB_NAMES } from "../db/schema";
import { readConfig, type AppBindings } from "../env";
import { listJobRuns } from "../ingest/job-runs";
import { enqueueJob, planJob } from "../ingest/producer";
import { requestWindows } from "../observability/metrics";
import { competitionParam, idParam, limitParam } from "./params";
import { problem, validationProblem } from "./problem";
import { validate } from "./validate";

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

/** The request's JSON body checked against `schema`; an empty body counts as `{}`. */
async function jsonBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.output<T>> {
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

export const adminRoutes = new Hono<AppBindings>()
  .use(requireAdmin)
  .post("/jobs/:job", validate("param", z.object({ job: z.enum(JOB_NAMES) })), async (c) => {
    const { job } = c.req.valid("param");
    const body = await jsonBody(c.req.raw, jobBody);
    const config = readConfig(c.env);
    const plan = planJob({ job, ...body }, config, new Date());
    if (!plan.units.length) throw problem(422, plan.skipped.join("; ") || "Nothing to do.");
    const { runId, jobRunIds } = await enqueueJob(c.var.db(), c.env.INGEST_QUEUE, plan.units, "manual", config);
    return c.json({ runId, jobRunIds, units: plan.units, skipped: plan.skipped }, 202);
  })
  .post("/api-keys", async (c) => {
    const body = await jsonBody(c.req.raw, apiKeyBody);
    const { key, prefix } = generateApiKey();
    const row = await insertApiKey(c.var.db(), { ...body, keyPrefix: prefix, keyHash: await hashApiKey(key) });
    // The only time the key is ever shown: only its hash is stored.
    return c.json({ data: { ...toApiKey(row), key } }, 201, { "Cache-Control": "no-store" });
  })
  .get("/api-keys", validate("query", z.object({ limit: limitParam.optional() }).strict()), async (c) => {
    const rows = await listApiKeys(c.var.db(), c.req.valid("query").limit ?? 100);
    return c.json({ data: rows.map(toApiKey) });
  })
  .delete("/api-keys/:id", validate("param", z.object({ id: idParam })), async (c) => {
    const { id } = c.req.valid("param");
    const row = await revokeApiKey(c.var.db(), id);
    if (!row) throw problem(404, `No API key with id ${id}.`);
    await rememberApiKey(c.var.config, row);
    return c.json({ data: toApiKey(row) });
  })
  .get("/metrics", validate("query", z.object({}).strict()), async (c) => {
    const redis = upstash(c.var.config);
    const [requests, jobs] = await Promise.all([redis ? requestWindows(redis) : Promise.resolve(null), jobMetrics(c.var.db())]);
    return c.json({ data: { generatedAt: new Date().toISOString(), requests, jobs } }, 200, { "Cache-Control": "no-store" });
  })
  .get(
    "/disagreements",
    validate("query", z.object({ kind: z.enum(ENTITY_KINDS).optional(), open: z.enum(["true", "false"]).optional(), limit: limitParam.optional() }).strict()),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await listDisagreements(c.var.db(), { kind: q.kind, openOnly: q.open !== "false", limit: q.limit ?? 100 });
      return c.json({ data: rows });
    },
  )
  .get("/jobs/runs", validate("query", z.object({ job: z.enum(JOB_NAMES).optional(), limit: limitParam.optional() }).strict()), async (c) => {
    const q = c.req.valid("query");
    const rows = await listJobRuns(c.var.db(), q.job, q.limit ?? 50);
    return c.json({ data: rows });
  });

