// Fault drill (queue): duplicate and reordered deliveries of ingest messages, through the Worker's real queue
// handler, replay server and Postgres. Queues deliver at least once and in no guaranteed order; the stored data must
// not depend on either. The scenario: matchday 12 carries a late correction (one more Köln goal, stamped newer than
// anything else), the season feed still has the old result. Whatever order the two messages come in, and however
// often, the correction must win, nothing may be stored twice, and repeats must write 0 rows.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { IngestMessage } from "../src/ingest/messages";
import worker from "../src";
import { override, replay, resetAll, withDb } from "./helpers";

const MATCHDAY_PATH = "/openligadb/getmatchdata/bl1/2023/12";
const UNITS = {
  matchday: { competition: "BL1", season: 2023, matchday: 12 },
  season: { competition: "BL1", season: 2023 },
} as const;

/** The stored data by natural keys (ids differ between runs): every match's score and status, every event once. */
async function fingerprint() {
  return withDb(async (db) => {
    const matches = await db.execute<{ k: string }>(sql`
      select h.name || ' - ' || a.name || ' ' || m.kickoff::text || ' ' || m.status || ' ' || coalesce(m.home_score::text, '-') || ':' || coalesce(m.away_score::text, '-') as k
      from matches m join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by 1`);
    const events = await db.execute<{ k: string }>(sql`
      select h.name || ' - ' || a.name || ' ' || e.provider || ' ' || e.provider_event_id || ' ' || coalesce(e.score_home::text, '-') || ':' || coalesce(e.score_away::text, '-') as k
      from match_events e join matches m on m.id = e.match_id join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by 1`);
    const dups = await db.execute<{ n: number }>(sql`
      select ((select count(*) - count(distinct (season_id, home_team_id, away_team_id)) from matches)
            + (select count(*) - count(distinct (match_id, provider, provider_event_id)) from match_events)
            + (select count(*) - count(distinct lower(name)) from teams)
            + (select count(*) - count(distinct (kind, provider, external_id)) from external_refs))::int as n`);
    return { matches: matches.rows.map((r) => r.k), events: events.rows.map((r) => r.k), duplicates: dups.rows[0]!.n };
  });
}

/** One batch of messages, in the given order, through the real queue handler; returns the acks and each run's row. */
async function deliver(units: (keyof typeof UNITS)[]) {
  const messages: { id: string; timestamp: Date; attempts: number; body: IngestMessage }[] = [];
  for (const [i, u] of units.entries()) {
    const unit = UNITS[u];
    const jobRunId = await withDb(async (db) => {
      const r = await db.execute<{ id: number }>(
        sql`insert into job_runs (run_id, job, trigger, provider, competition, season) values (${crypto.randomUUID()}, 'update_matches', 'manual', 'openligadb', ${unit.competition}, ${unit.season}) returning id`,
      );
      return r.rows[0]!.id;
    });
    const body = { v: 1, jobRunId, runId: crypto.randomUUID(), job: "update_matches", trigger: "manual", provider: "openligadb", ...unit } as IngestMessage;
    messages.push({ id: `drill-${i}-${u}-${jobRunId}`, timestamp: new Date(), attempts: 1, body });
  }
  const batch = createMessageBatch<IngestMessage>("ingest", messages);
  const ctx = createExecutionContext();
  await worker.queue!(batch as MessageBatch<unknown>, env as never, ctx);
  const result = await getQueueResult(batch, ctx);
  const runs = await withDb(async (db) =>
    (await db.execute<{ status: string; rows_written: number }>(sql`select status, rows_written from job_runs where id in (${sql.join(messages.map((m) => sql`${m.body.jobRunId}`), sql`, `)}) order by id`)).rows,
  );
  return { result, runs };
}

async function freshStart(correction: unknown) {
  await resetAll();
  await override(MATCHDAY_PATH, correction);
}

describe("drill: duplicate and reordered queue deliveries", () => {
  let correction: unknown;
  let reference: Awaited<ReturnType<typeof fingerprint>>;

  beforeAll(async () => {
    // Köln – Bayern 0:1 becomes 1:1: a goal added, results and the update stamp moved past the season feed's.
    const recorded = (await (await fetch(env.TEST_REPLAY_URL + MATCHDAY_PATH)).json()) as Record<string, any>[];
    const m = recorded.find((x) => x.matchID === 66734)!;
    m.goals.push({ goalID: 999001, scoreTeam1: 1, scoreTeam2: 1, matchMinute: 77, goalGetterID: 17452, goalGetterName: "D. Selke", isPenalty: false, isOwnGoal: false, isOvertime: false, comment: null });
    m.matchResults.find((r: { resultTypeID: number }) => r.resultTypeID === 2).pointsTeam1 = 1;
    m.lastUpdateDateTime = "2025-01-01T12:00:00.5";
    correction = recorded;
    // In order, once each: the season, then the correction.
    await freshStart(correction);
    await deliver(["season"]);
    await deliver(["matchday"]);
    reference = await fingerprint();
    expect(reference.matches.some((k) => k.startsWith("1. FC Köln - FC Bayern München") && k.endsWith("finished 1:1"))).toBe(true);
    expect(reference.duplicates).toBe(0);
  });

  it("reordered: the correction first, the older season feed after it — same data, the correction kept", async () => {
    await freshStart(correction);
    const { result, runs } = await deliver(["matchday", "season"]);
    expect(result.retryMessages).toHaveLength(0);
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    expect(await fingerprint()).toEqual(reference);
  });

  it("duplicated in one batch and reordered: every copy acked, same data, nothing twice", async () => {
    await freshStart(correction);
    const { result, runs } = await deliver(["season", "matchday", "season", "matchday", "matchday"]);
    expect(result.retryMessages).toHaveLength(0);
    expect(result.explicitAcks).toHaveLength(5);
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    expect(await fingerprint()).toEqual(reference);
  });

  it("redelivered later (a retry after a lost ack): 0 rows written, data unchanged", async () => {
    const { runs } = await deliver(["matchday", "season"]);
    expect(runs.map((r) => r.rows_written)).toEqual([0, 0]);
    expect(await fingerprint()).toEqual(reference);
    await replay("POST", "/__replay/reset");
  });
});
