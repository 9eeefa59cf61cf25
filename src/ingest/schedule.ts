// Cron expression → job. The expressions are the ones in wrangler.toml's [triggers]; keep both in step.
import type { JobName } from "../db/schema";

export const CRON_JOBS: Record<string, JobName> = {
  "0 0 * * *": "update_matches",
  "*/5 * * * *": "update_live_matches",
  "0 */6 * * *": "update_team_stats",
  "0 */12 * * *": "update_player_stats",
  "0 0 * * 1": "update_market_values",
};

/**
 * Jobs that ride on a cron of another job (Cloudflare limits a Worker's Cron Triggers): match details check
 * every 5 minutes for matches near kickoff or in play, odds and predictions daily, club details weekly.
 */
export const CRON_EXTRA_JOBS: Record<string, JobName[]> = {
  "*/5 * * * *": ["update_match_details"],
  "0 0 * * *": ["update_odds"],
  "0 0 * * 1": ["update_team_details"],
};

const normalize = (cron: string) => cron.trim().replace(/\s+/g, " ");

export function jobForCron(cron: string): JobName | undefined {
  return CRON_JOBS[normalize(cron)];
}

/** Every job a cron firing starts: its own, then the ones riding on it. */
export function jobsForCron(cron: string): JobName[] {
  const main = jobForCron(cron);
  return main ? [main, ...(CRON_EXTRA_JOBS[normalize(cron)] ?? [])] : [];
}
