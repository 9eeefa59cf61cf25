// Types of matchday-edge/client (see index.mjs). `paths` and `components` are generated: ./openapi.d.ts.
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "./openapi";

export type { components, operations, paths };
type Schemas = components["schemas"];
/** RFC 9457 problem details: every error answer of the API. */
export type Problem = Schemas["Problem"];
export type Match = Schemas["Match"];
export type MatchDetail = Schemas["MatchDetail"];
export type JobRun = Schemas["JobRun"];

export type MatchdayClient = Client<paths>;

export interface ClientOptions {
  /** The deployment, without a trailing path. Default http://127.0.0.1:8787 (`npm run dev`). */
  baseUrl?: string;
  /** Sent as X-API-Key: the key's rate limit and quota instead of the anonymous per-IP limit. */
  apiKey?: string;
  /** ADMIN_TOKEN, sent as the bearer token (only /v1/admin/* looks at it). */
  adminToken?: string;
  headers?: Record<string, string>;
  fetch?: (input: Request) => Promise<Response>;
}

export declare const DEFAULT_BASE_URL: string;
export declare function createClient(options?: ClientOptions): MatchdayClient;

export declare class ProblemError extends Error {
  readonly problem: Problem;
  readonly status: number;
  readonly response: Response;
  constructor(problem: Problem, response: Response);
}

export declare function toProblem(error: unknown, response: Response): Problem;

/** The `data` of an openapi-fetch call, or a thrown ProblemError. */
export declare function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(call: Promise<R> | R): Promise<NonNullable<R["data"]>>;
