// Worker entry: HTTP (Hono app), Cron Triggers (→ queue producer) and the ingest queue consumer.
// Exports only handlers and the Durable Object class.
import { createApp } from "./app";
import { openDb } from "./db/client";
import { readConfig, type AppEnv } from "./env";
import { consumeBatch } from "./ingest/consumer";
import { enqueueJob, planJob } from "./ingest/producer";
import { filterDueDetailUnits } from "./ingest/jobs/detail";
import { jobsForCron } from "./ingest/schedule";
import { startLivePoller } from "./ingest/live-poller";

export { MatchRoom } from "./live/match-room";
export { LivePoller } from "./ingest/live-poller";

const app = createApp();

export default {
  fetch: app.fetch,

  async scheduled(controller, env, ctx) {
    const jobs = jobsForCron(controller.cron);
    if (!jobs.length) {
      console.error(JSON.stringify({ msg: "unknown cron", cron: controller.cron }));
      return;
    }
    // The live cron is the safety net that (re)starts the fast live poller (src/ingest/live-poller.ts).
    if (jobs.includes("update_live_matches")) await startLivePoller(env);
    const config = readConfig(env);
    const now = new Date(controller.scheduledTime);
    const { db, close } = openDb(config);
    try {
      for (const job of jobs) {
        const plan = planJob({ job }, config, now);
        for (const reason of plan.skipped) console.log(JSON.stringify({ msg: "job unit skipped", job, reason }));
        // Match details run every 5 minutes: only units with a match near kickoff or in play are sent.
        const units = job === "update_match_details" ? await filterDueDetailUnits(db, config, plan.units, now) : plan.units;
        if (!units.length) continue;
        const { runId, jobRunIds } = await enqueueJob(db, env.INGEST_QUEUE, units, "cron", config);
        console.log(JSON.stringify({ msg: "job dispatched", job, trigger: "cron", runId, units: jobRunIds.length }));
      }
    } finally {
      ctx.waitUntil(close());
    }
  },

  async queue(batch, env, _ctx) {
    await consumeBatch(batch, env);
  },
} satisfies ExportedHandler<AppEnv>;
