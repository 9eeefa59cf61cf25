// LivePoller: one Durable Object (name "poller", SQLite-backed) that polls the providers' live endpoints on
// alarms while a tracked match is in play, so rooms get changes every LIVE_POLL_INTERVAL_SECONDS instead of every
// 5 minutes.
//
//   cron */5 (safety net) ── start() ──> alarm ──> poll: each configured provider with a live endpoint, within its
//   rate budget ──> store (one transaction per batch) ──> invalidate cache tags ──> publish to MatchRooms
//   ──> still a match in play (or about to kick off)? next alarm after the interval : stop (no alarm) and record it.
//
// - start() is idempotent: it sets an alarm only when none is set. The first poll comes one interval after it:
//   the cron that calls start() has just enqueued the same live job, so polling at once would fetch twice.
// - A provider whose rate gate says wait is skipped this round (the next poll tries again); a provider error
//   is recorded and never stops the other providers. A 429 closes that provider's gate for what it asked.
// - Each poll is one job_runs row (job update_live_matches, trigger "poller") with per-provider counts, the
//   number of rooms published to, the matches in play and whether it rescheduled or stopped.
// - "In play": status live/halftime/extra_time/penalties with a kickoff in the last 6 hours (data stuck in
//   "live" must not keep the poller running forever), or scheduled with a kickoff from 30 minutes ago to 5
//   minutes ahead (about to start: the poller keeps going until the kickoff is reported).
// - If Postgres cannot be asked, the poller keeps polling up to MAX_FAILED_POLLS polls in a row, then stops; the
//   next cron starts it again.
import { DurableObject } from "cloudflare:workers";
import { and, between, eq, gt, inArray, or } from "drizzle-orm";
import { createResponseCache } from "../cache/response-cache";
import { tagsForStoreResult } from "./invalidation";
import { openDb, type Database } from "../db/client";
import { competitions, jobRuns, matches } from "../db/schema";
import { type MatchStatus } from "../domain/vocabulary";
import { readConfig, trackedSeasons, type AppEnv, type Config } from "../env";
import { retryDelaySeconds } from "./consumer";
import { runLiveMatches } from "./jobs";
import { createRateGate } from "./rate-budget";
import { ADAPTERS } from "../providers";
import { ProviderError } from "../providers/http";

export const POLLER_NAME = "poller";
export const POLLER_TRIGGER = "poller";
const IN_PLAY: MatchStatus[] = ["live", "halftime", "extra_time", "penalties"];
const STUCK_AFTER_MS = 6 * 3600_000;
const SOON_BEFORE_MS = 5 * 60_000;
const LATE_AFTER_MS = 30 * 60_000;
const MAX_FAILED_POLLS = 10;
const STATE_KEY = "state";

export interface ProviderPoll {
  competitions: string[];
  status: "succeeded" | "deferred" | "failed" | "skipped";
  rowsWritten?: number;
  changedMatches?: number;
  published?: number;
  deferredSeconds?: number;
  error?: string;
}

export interface PollResult {
  at: string;
  season: number;
  providers: Record<string, ProviderPoll>;
  /** Matches in play (or about to kick off) after the poll; null when Postgres could not be asked. */
  inPlay: number[] | null;
  /** When the next poll is due, or null when the poller stopped. */
  nextPollAt: string | null;
  jobRunId: number | null;
}

export interface PollerStatus {
  running: boolean;
  nextPollAt: string | null;
  polls: number;
  consecutiveFailures: number;
  lastPoll: PollResult | null;
  startedAt: string | null;
  stoppedAt: string | null;
  stopReason: string | null;
}

interface StoredState {
  polls: number;
  consecutiveFailures: number;
  lastPoll: PollResult | null;
  startedAt: string | null;
  stoppedAt: string | null;
  stopReason: string | null;
}

const EMPTY: StoredState = { polls: 0, consecutiveFailures: 0, lastPoll: null, startedAt: null, stoppedAt: null, stopReason: null };

export class LivePoller extends DurableObject<AppEnv> {
  /** Sets the first alarm (one interval from now) unless one is set already. */
  async start(): Promise<{ started: boolean; nextPollAt: string }> {
    const pending = await this.ctx.storage.getAlarm();
    if (pending != null) return { started: false, nextPollAt: new Date(pending).toISOString() };
    const at = Date.now() + readConfig(this.env).livePollIntervalSeconds * 1000;
    await this.ctx.storage.setAlarm(at);
    const state = await this.state();
    await this.ctx.storage.put(STATE_KEY, { ...state, startedAt: new Date().toISOString(), stoppedAt: null, stopReason: null });
    log({ msg: "live poller started", nextPollAt: new Date(at).toISOString() });
    return { started: true, nextPollAt: new Date(at).toISOString() };
  }

  async status(): Promise<PollerStatus> {
    const pending = await this.ctx.storage.getAlarm();
    return { ...(await this.state()), running: pending != null, nextPollAt: pending != null ? new Date(pending).toISOString() : null };
  }

  override async alarm(): Promise<void> {
    const startedAt = Date.now();
    const config = readConfig(this.env);
    const state = await this.state();
    const { db, close } = openDb(config);
    let result: PollResult;
    try {
      result = await pollOnce(this.env, config, db, new Date(startedAt), (inPlay) => {
        const failures = inPlay == null ? state.consecutiveFailures + 1 : 0;
        const keepGoing = inPlay == null ? failures < MAX_FAILED_POLLS : inPlay.length > 0;
        // The interval counts from this poll's start, so a slow poll does not stretch it.
        return keepGoing ? new Date(Math.max(startedAt + config.livePollIntervalSeconds * 1000, Date.now() + 1000)) : null;
      });
    } finally {
      await close();
    }
    const failures = result.inPlay == null ? state.consecutiveFailures + 1 : 0;
    const next: StoredState = { ...state, polls: state.polls + 1, consecutiveFailures: failures, lastPoll: result };
    if (result.nextPollAt) {
      await this.ctx.storage.setAlarm(Date.parse(result.nextPollAt));
    } else if ((await this.ctx.storage.getAlarm()) == null) {
      // (A start() that came in during the poll has set a new alarm already: then the poller is not stopped.)
      next.stoppedAt = new Date().toISOString();
      next.stopReason = result.inPlay == null ? `Postgres unavailable for ${failures} polls in a row` : "no tracked match in play";
      log({ msg: "live poller stopped", reason: next.stopReason, polls: next.polls });
    }
    await this.ctx.storage.put(STATE_KEY, next);
  }

  private async state(): Promise<StoredState> {
    return { ...EMPTY, ...((await this.ctx.storage.get<StoredState>(STATE_KEY)) ?? {}) };
  }
}

/**
 * One live poll: every configured provider with a live endpoint, for every tracked competition it covers
 * (one call per provider: API-Football asks all leagues in one request), the current season. `decide` is told
 * which matches are in play afterwards and returns when to poll next (null: stop); both go into job_runs.
 */
export async function pollOnce(
  env: AppEnv,
  config: Config,
  db: Database,
  now: Date,
  decide: (inPlay: number[] | null) => Date | null,
): Promise<PollResult> {
  const season = Math.max(...trackedSeasons(config, now));
  const gate = createRateGate(config);
  const cache = createResponseCache(config);
  const providers: Record<string, ProviderPoll> = {};
  const jobRunId = await db
    .insert(jobRuns)
    .values({ runId: crypto.randomUUID(), job: "update_live_matches", trigger: POLLER_TRIGGER, season, status: "running", attempts: 1, startedAt: now })
    .returning({ id: jobRuns.id })
    .then((r) => r[0]!.id)
    .catch((err) => {
      log({ msg: "live poll: job_runs row not created", error: String(err) });
      return null;
    });

  for (const adapter of Object.values(ADAPTERS)) {
    if (!adapter || !adapter.liveMatches || !adapter.isConfigured(config)) continue;
    const covered = config.competitions.filter((c) => adapter.covers(c));
    if (!covered.length) continue;
    const p: ProviderPoll = (providers[adapter.provider] = { competitions: covered, status: "succeeded" });
    try {
      const wait = await gate.acquire(adapter.provider, adapter.requestsPerMinute(config), now);
      if (wait > 0) {
        Object.assign(p, { status: "deferred", deferredSeconds: wait });
        continue;
      }
      const outcome = await runLiveMatches({ db, config, env, now }, adapter, covered, season, {
        // Retire cached reads before the rooms push, so a client refetching after a push reads fresh data.
        beforePublish: async (results) => {
          const tags = [...new Set(results.flatMap(tagsForStoreResult))];
          if (cache && tags.length) await cache.invalidate(tags).catch((err) => log({ msg: "live poll: cache invalidation failed; entries expire by TTL", error: String(err) }));
        },
      });
      if (outcome.budget) await gate.observe(adapter.provider, outcome.budget, now);
      if (outcome.skippedBecause) Object.assign(p, { status: "skipped", error: outcome.skippedBecause });
      p.rowsWritten = outcome.results.reduce((n, r) => n + r.written, 0);
      p.changedMatches = new Set(outcome.results.flatMap((r) => r.changedMatchIds)).size;
      p.published = outcome.published;
      if (outcome.discarded.length) log({ msg: "provider data discarded", provider: adapter.provider, discarded: outcome.discarded.slice(0, 20) });
    } catch (err) {
      Object.assign(p, { status: "failed", error: err instanceof Error ? err.message : String(err) });
      if (err instanceof ProviderError && err.kind === "rate_limited") await gate.closeFor(adapter.provider, retryDelaySeconds(err, 1), now);
    }
  }

  const inPlay = await matchesInPlay(db, config, now).catch((err) => {
    log({ msg: "live poll: in-play query failed", error: String(err) });
    return null;
  });
  const next = decide(inPlay);
  const result: PollResult = { at: now.toISOString(), season, providers, inPlay, nextPollAt: next?.toISOString() ?? null, jobRunId };

  const all = Object.values(providers);
  const failed = all.filter((p) => p.status === "failed");
  const status = !all.length ? "skipped" : failed.length === all.length ? "failed" : "succeeded";
  const rowsWritten = all.reduce((n, p) => n + (p.rowsWritten ?? 0), 0);
  const published = all.reduce((n, p) => n + (p.published ?? 0), 0);
  const error = !all.length ? "no configured provider with a live endpoint covers a tracked competition" : failed.map((p) => p.error).join("; ") || null;
  if (jobRunId != null) {
    await db
      .update(jobRuns)
      .set({
        status,
        rowsWritten,
        error,
        finishedAt: new Date(),
        counts: { providers, published, inPlay: inPlay?.length ?? null, ...(next ? { nextPollSeconds: Math.round((next.getTime() - now.getTime()) / 1000) } : { stopped: true }) },
      })
      .where(eq(jobRuns.id, jobRunId))
      .catch((err) => log({ msg: "live poll: job_runs row not updated", error: String(err) }));
  }
  log({ msg: "live poll", status, providers, rowsWritten, published, inPlay, nextPollAt: result.nextPollAt, ms: Date.now() - now.getTime() });
  return result;
}

/** Tracked matches in play now, or about to kick off (see the header). */
export async function matchesInPlay(db: Database, config: Config, now: Date): Promise<number[]> {
  if (!config.competitions.length) return [];
  const t = now.getTime();
  const rows = await db
    .select({ id: matches.id })
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .where(
      and(
        inArray(competitions.code, config.competitions),
        or(
          and(inArray(matches.status, IN_PLAY), gt(matches.kickoff, new Date(t - STUCK_AFTER_MS))),
          and(eq(matches.status, "scheduled"), between(matches.kickoff, new Date(t - LATE_AFTER_MS), new Date(t + SOON_BEFORE_MS))),
        ),
      ),
    )
    .limit(100);
  return rows.map((r) => r.id);
}

/** The one poller instance. */
export function livePoller(env: AppEnv): DurableObjectStub<LivePoller> {
  const ns = env.LIVE_POLLER as unknown as DurableObjectNamespace<LivePoller>;
  return ns.get(ns.idFromName(POLLER_NAME));
}

/** The cron's safety net: (re)start the poller; a failure is logged, never fails the cron. */
export async function startLivePoller(env: AppEnv): Promise<void> {
  try {
    const r = await livePoller(env).start();
    log({ msg: "live poller kicked", ...r });
  } catch (err) {
    log({ msg: "live poller could not be started", error: err instanceof Error ? err.message : String(err) });
  }
}

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
