// /openapi.json is a valid OpenAPI 3.1 document (checked by the official JSON schemas, Node-side), documents every
// route the app serves, and real responses match the documented schemas exactly (no undocumented fields); /docs
// serves the interactive page.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { createApp } from "../src/app";
import { JobRunSchema } from "../src/api/admin";
import { StandingsResponseSchema } from "../src/api/competitions";
import * as A from "../src/api/analytics-shapes";
import * as S from "../src/api/schemas";
import { ADMIN_TOKEN, api, json, resetAll, runIngest } from "./helpers";

/** Paths not in the document on purpose: the document itself and its page. */
const UNDOCUMENTED = new Set(["GET /openapi.json", "GET /docs"]);

describe("OpenAPI", () => {
  let doc: any;
  beforeAll(async () => {
    await resetAll();
    expect((await runIngest({ competition: "BL1", season: 2023, matchday: 12 })).run.status).toBe("succeeded");
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    doc = await res.json();
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const verdict = (await (await fetch(`${env.TEST_OPENAPI_VALIDATOR_URL}/validate`, { method: "POST", body: JSON.stringify(doc) })).json()) as {
      valid: boolean;
      version: string;
      errors: unknown;
    };
    expect(verdict.errors).toBeNull();
    expect([verdict.valid, verdict.version]).toEqual([true, "3.1"]);
    // The validator is not a rubber stamp.
    const broken = structuredClone(doc);
    broken.paths["/v1/matches"].get.parameters[0].in = "nowhere";
    const refused = (await (await fetch(`${env.TEST_OPENAPI_VALIDATOR_URL}/validate`, { method: "POST", body: JSON.stringify(broken) })).json()) as { valid: boolean };
    expect(refused.valid).toBe(false);
  });

  it("documents every route the app serves, with its parameters and error responses", () => {
    const served = createApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const missing = [...new Set(served)].filter((r) => !UNDOCUMENTED.has(r) && !documented.includes(r));
    expect(missing).toEqual([]);
    expect(served.length).toBeGreaterThan(15);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toBeTruthy();
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          expect(op.parameters?.some((p: any) => p.in === "path" && `{${p.name}}` === name), `${where} documents ${name}`).toBe(true);
        }
        if (op.parameters?.length || op.requestBody) {
          expect(op.responses["400"]?.content?.["application/problem+json"], `${where} documents its 400`).toBeTruthy();
        }
      }
    }
  });

  it("describes real responses exactly", async () => {
    const list = await json(await api("/v1/matches?competition=BL1&season=2023&matchday=12"));
    const matchId = list.data[0].id;
    const teamId = list.data[0].home.id;
    const otherId = list.data[0].away.id;
    const checks: [string, z.ZodType][] = [
      ["/v1/competitions", S.dataOf(S.CompetitionSchema.array())],
      ["/v1/matches?competition=BL1&season=2023&matchday=12", S.MatchSchema.array()],
      [`/v1/matches/${matchId}`, S.dataOf(S.MatchDetailSchema)],
      // With a zone: kickoffLocal is documented too.
      ["/v1/matches?competition=BL1&season=2023&matchday=12&tz=Europe/Berlin", S.MatchSchema.array()],
      [`/v1/matches/${matchId}?tz=America/New_York`, S.dataOf(S.MatchDetailSchema)],
      ["/v1/matches/live", S.dataOf(S.MatchSchema.array())],
      ["/v1/competitions/BL1/standings?season=2023", StandingsResponseSchema],
      ["/v1/competitions/BL1/top-scorers?season=2023", S.ScorerSchema.array()],
      ["/v1/teams?competition=BL1", S.dataOf(S.TeamSchema.array())],
      [`/v1/teams/${teamId}`, S.dataOf(S.TeamDetailSchema)],
      [`/v1/teams/${teamId}/stats`, S.dataOf(S.TeamSeasonStatsSchema)],
      ["/v1/players", S.dataOf(S.PlayerSchema.array())],
      ["/health", S.HealthSchema],
      ["/v1/competitions/BL1/ratings?season=2023", A.CompetitionRatingsSchema],
      [`/v1/teams/${teamId}/rating?season=2023`, A.TeamRatingSchema],
      [`/v1/teams/${teamId}/head-to-head/${otherId}`, A.HeadToHeadSchema],
      [`/v1/matches/${matchId}/prediction`, A.PredictionSchema],
    ];
    for (const [path, schema] of checks) {
      const res = await api(path);
      expect(res.status, path).toBe(200);
      const body = await json(res);
      // Lists with extra envelope fields (page, meta) are checked on their data.
      const subject = schema instanceof Object && "element" in schema ? body.data : body;
      const parsed = schema.safeParse(subject);
      expect(parsed.error?.issues ?? [], path).toEqual([]);
      // zod drops unknown keys: equality means nothing in the response is undocumented.
      expect(parsed.data, path).toEqual(subject);
      if (path.includes("tz=")) expect(JSON.stringify(subject), path).toMatch(/"kickoffLocal":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"/);
    }
  });

  it("describes job runs exactly, filtered by run id", async () => {
    const auth = { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
    const all = await json(await api("/v1/admin/jobs/runs", auth));
    expect(all.data.length).toBeGreaterThan(0);
    const parsed = S.dataOf(JobRunSchema.array()).safeParse(all);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(all);
    const runId = all.data[0].runId;
    const mine = await json(await api(`/v1/admin/jobs/runs?runId=${runId},${crypto.randomUUID()}`, auth));
    expect(mine.data.map((r: { runId: string }) => r.runId)).toEqual([runId]);
    const bad = await api("/v1/admin/jobs/runs?runId=12", auth);
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors[0].path).toBe("query.runId.0");
  });

  it("serves the interactive docs page", async () => {
    const res = await api("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    // The renderer comes from this Worker's static assets, not a CDN (test/browser/docs-offline.spec.mjs opens the
    // page with the network closed); no web fonts either.
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(["/docs/scalar-api-reference.js"]);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"'\s]*\.(js|css|woff2?)/);
    expect(html).toContain('"withDefaultFonts": false');
  });

  it("documents admin routes as bearer-protected", () => {
    expect(doc.paths["/v1/admin/api-keys"].post.security).toEqual([{ AdminToken: [] }]);
    expect(doc.components.securitySchemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(ADMIN_TOKEN).toBeTruthy();
  });
});
