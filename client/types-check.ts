// Compile-only checks of the client's types (`npm run typecheck`): the README example as written, typed
// parameters, bodies and answers, and problems on errors. A wrong path or field must not compile.
import { createClient, ProblemError, unwrap, type Match, type Problem } from "matchday-edge/client";

export async function readmeExample() {
  const api = createClient({ baseUrl: "http://127.0.0.1:8787" });
  const { data, error } = await api.GET("/v1/matches", { params: { query: { competition: "BL1", season: 2023, matchday: 12, tz: "Europe/Berlin" } } });
  if (error) throw new Error(`${error.status} ${error.detail}`); // a Problem
  for (const m of data.data) console.log(m.kickoffLocal, m.home.name, m.score.home, "-", m.score.away, m.away.name);
}

export async function typedCalls(adminToken: string): Promise<[Match[], number[], Problem | undefined]> {
  const admin = createClient({ adminToken });
  const queued = await unwrap(admin.POST("/v1/admin/jobs/{job}", { params: { path: { job: "update_matches" } }, body: { competition: "BL1", season: 2023 } }));
  const runs = await unwrap(admin.GET("/v1/admin/jobs/runs", { params: { query: { runId: queued.runId } } }));
  const rows: number[] = runs.data.map((r) => r.rowsWritten ?? 0);
  const detail = await admin.GET("/v1/matches/{id}", { params: { path: { id: 1 } } });
  const events: number = detail.data?.data.events.length ?? 0;
  try {
    await unwrap(admin.GET("/v1/competitions/{code}/standings", { params: { path: { code: "XX" } } }));
  } catch (e) {
    if (e instanceof ProblemError) return [[], [...rows, events], e.problem];
  }
  // @ts-expect-error: no such route
  await admin.GET("/v1/nothing");
  // @ts-expect-error: season is a number
  await admin.GET("/v1/matches", { params: { query: { season: "2023" } } });
  // @ts-expect-error: the job names are an enum
  await admin.POST("/v1/admin/jobs/{job}", { params: { path: { job: "update_everything" } } });
  // @ts-expect-error: a match has no `score.total`
  void (await unwrap(admin.GET("/v1/matches"))).data[0]?.score.total;
  return [[], rows, undefined];
}
