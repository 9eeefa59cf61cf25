// What a job unit gets and returns (shared by the job bodies in this folder).
import type { Database } from "../../db/client";
import type { AppEnv, Config } from "../../env";
import type { RateBudget } from "../../domain/canonical";
import type { StoreResult } from "../store";

export interface JobOutcome {
  results: StoreResult[];
  discarded: string[];
  budget: RateBudget | null;
  /** Paged jobs: the next page to enqueue. */
  nextPage?: number;
  /** Jobs that had nothing to do, with why (recorded as status "skipped"). */
  skippedBecause?: string;
  /** Provider requests made, when not exactly one (the rate gate is charged the difference). */
  requests?: number;
}

export interface JobDeps {
  db: Database;
  config: Config;
  env: AppEnv;
  now: Date;
}

