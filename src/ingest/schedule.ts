// Cron expression → job. The expressions are the ones in wrangler.toml's [triggers]; keep both in step.
import type { JobName } from "../db/schema";

export const CRON_JOBS: Record<string, JobName> = {
  "0 0 * * *": "update_matches",
  "*/5 * * * *": "update_live_matches",
  "0 */6 * * *": "update_team_stats",
  "0 */12 * * *": "update_player_stats",
  "0 0 * * 1": "update_market_values",
};

export function jobForCron(cron: string): JobName | undefined {
  return CRON_JOBS[cron.trim().replace(/\s+/g, " ")];
}
