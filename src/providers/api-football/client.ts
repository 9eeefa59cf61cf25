// API-Football v3 HTTP client: `x-apisports-key` header, base URL from config (tests and `npm run dev -- --demo`
// point it at the replay server). What it handles beyond src/providers/http.ts:
// - errors come as HTTP 200 with a non-empty `errors` object (`[]` when fine). Seen keys and what they become:
//   `rateLimit` (per-minute limit) → rate_limited, retry in 60 s; `requests` (daily quota spent) → rate_limited,
//   retry at the next 00:00 UTC (the quota resets then); `bug` ("This is on our side") → server_error (retryable);
//   `token`, `plan`, `access` and anything else (e.g. `date` validation) → rejected, with the provider's words;
// - HTTP 499 "Something went wrong … Try again later" is a provider-side failure, retried like a 5xx (http.ts
//   would call any 4xx `rejected`);
// - budget headers: `x-ratelimit-requests-remaining` = daily requests left, `X-RateLimit-Remaining` = this
//   minute's requests left (header names are case-insensitive). The tighter window becomes the RateBudget.
import type { z } from "zod";
import type { Config } from "../../env";
import type { RateBudget } from "../../domain/canonical";
import { fetchJson, ProviderError } from "../http";
import { afEnvelope, describeIssue, type AfEnvelope } from "./schema";

export const PROVIDER = "api_football";

export type Query = Record<string, string | number>;

export interface AfPage<T> {
  data: T;
  paging: AfEnvelope["paging"];
  results: number | null;
  budget: RateBudget;
}

export function createApiFootballClient(config: Config, clock: () => Date = () => new Date()) {
  const { baseUrl, key } = config.apiFootball;
  const timeoutMs = config.providerTimeoutMs;

  /** GET `path?query`: the envelope checked, `errors` turned into ProviderError, `response` parsed by `parse`. */
  async function get<T>(path: string, query: Query, parse: (response: unknown) => T): Promise<AfPage<T>> {
    if (!key) throw new ProviderError(PROVIDER, "rejected", "API_FOOTBALL_KEY is not set");
    const url = `${baseUrl}/${path.replace(/^\/+/, "")}?${toQuery(query)}`;
    let fetched: { data: AfEnvelope; response: Response };
    try {
      fetched = await fetchJson({ provider: PROVIDER, url, headers: { "x-apisports-key": key }, timeoutMs, schema: afEnvelope });
    } catch (err) {
      // 499 is API-Football's "Something went wrong while fetching details. Try again later.": retry it.
      if (err instanceof ProviderError && err.kind === "rejected" && /^\S+: 499 from /.test(err.message)) {
        throw new ProviderError(PROVIDER, "server_error", err.message.replace(/^\S+: /, ""));
      }
      throw err;
    }
    const { data, response } = fetched;
    const budget = readBudget(response.headers, clock());
    throwOnErrors(data.errors, path, clock());
    return { data: parse(data.response), paging: data.paging, results: data.results, budget };
  }

  return { get };
}

/** Query string in the order given ("live=39-2", "round=Regular%20Season%20-%2027"). */
function toQuery(query: Query): string {
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
}

/** API-Football's HTTP-200 error objects → ProviderError. Empty (`[]` / `{}`) → nothing. */
export function throwOnErrors(errors: Record<string, string>, path: string, now: Date): void {
  const keys = Object.keys(errors);
  if (!keys.length) return;
  const text = keys.map((k) => `${k}: ${errors[k]}`).join("; ");
  const has = (k: string) => keys.some((x) => x.toLowerCase() === k.toLowerCase());
  if (has("rateLimit")) throw new ProviderError(PROVIDER, "rate_limited", `/${path}: ${text}`, 60);
  if (has("requests")) throw new ProviderError(PROVIDER, "rate_limited", `/${path}: ${text}`, secondsToUtcMidnight(now));
  if (has("bug")) throw new ProviderError(PROVIDER, "server_error", `/${path}: ${text}`);
  throw new ProviderError(PROVIDER, "rejected", `/${path}: ${text}`);
}

/**
 * The budget the response headers report. Daily: `x-ratelimit-requests-remaining`, resets at 00:00 UTC.
 * Per minute: `X-RateLimit-Remaining`, resets at the next full minute. The window with fewer requests left is
 * the tighter one (on a tie, the one that resets later); with only one header, that one.
 */
export function readBudget(headers: Headers, now: Date): RateBudget {
  const daily = intHeader(headers, "x-ratelimit-requests-remaining");
  const minute = intHeader(headers, "x-ratelimit-remaining");
  const windows: { remaining: number; resetSeconds: number }[] = [];
  if (daily != null) windows.push({ remaining: daily, resetSeconds: secondsToUtcMidnight(now) });
  if (minute != null) windows.push({ remaining: minute, resetSeconds: secondsToNextMinute(now) });
  if (!windows.length) return { remaining: null, resetSeconds: null };
  windows.sort((a, b) => a.remaining - b.remaining || b.resetSeconds - a.resetSeconds);
  return windows[0]!;
}

function intHeader(headers: Headers, name: string): number | null {
  const v = headers.get(name); // Headers.get is case-insensitive
  if (v == null || !/^\s*-?\d+\s*$/.test(v)) return null;
  return Math.max(0, Number(v));
}

export function secondsToUtcMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

export function secondsToNextMinute(now: Date): number {
  return Math.max(1, 60 - now.getUTCSeconds());
}

/** Parses with `schema` or throws `malformed` (retryable: a half-written payload is usually transient). */
export function parseOrThrow<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ProviderError(PROVIDER, "malformed", `unexpected ${what} payload: ${describeIssue(r.error)}`);
  return r.data;
}
