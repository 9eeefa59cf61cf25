// The `ingest` queue's message: one small unit of work (job × provider × competition × season[, matchday]).
// Validated with zod on the way in; a message that does not parse is dropped with a log line, never retried.
import { z } from "zod";
import { JOB_NAMES } from "../db/schema";
import { PROVIDERS } from "../domain/vocabulary";
import { COMPETITION_CODES } from "../domain/competitions";

export const ingestMessage = z.object({
  v: z.literal(1),
  jobRunId: z.number().int().positive(),
  runId: z.string().uuid(),
  job: z.enum(JOB_NAMES),
  trigger: z.enum(["cron", "manual"]),
  /** Null for jobs that compute from stored data (update_market_values). */
  provider: z.enum(PROVIDERS).nullable(),
  competition: z.enum(COMPETITION_CODES),
  season: z.number().int().min(1900).max(2100),
  matchday: z.number().int().min(1).max(99).optional(),
  /** Paged endpoints (players): the page this unit fetches. */
  page: z.number().int().min(1).max(500).optional(),
});
export type IngestMessage = z.infer<typeof ingestMessage>;
export type IngestUnit = Omit<IngestMessage, "v" | "jobRunId" | "runId" | "trigger">;
