// football-data.org v4 HTTP client: `X-Auth-Token` header, base URL from config (tests and `npm run dev` point it at
// the replay server). It does its own fetch instead of http.ts's fetchJson because it needs the response headers
// of every answer, errors included:
// - budget: `X-Requests-Available-Minute` (requests left this minute) and `X-RequestCounter-Reset` (seconds until
//   the minute counter resets) → RateBudget, on every successful answer;
// - errors come as non-2xx with `{ message, errorCode }` (errorCode missing from some 403s):
//   429 → rate_limited, retry after `X-RequestCounter-Reset`, else `Retry-After`, else the "Wait N seconds" of the
//   message; 400/403/404 (and any other 4xx) → rejected with the provider's message; 5xx → server_error.
// Failures are ProviderErrors (the consumer's retry logic keys on them), as FootballDataError with the HTTP status,
// errorCode and the provider's own message kept for logs and tests.
import type { z } from "zod";
import type { Config } from "../../env";
import type { Fetched } from "../adapter";
import type { RateBudget } from "../../domain/canonical";
import { ProviderError, parseRetryAfter, type ProviderErrorKind } from "../http";
import { cleanText } from "../text";
import { fdClub, fdCompetitionTeams, fdErrorBody, fdMatchList, fdScorers, fdStandings, type FdClub, type FdCompetitionTeams, type FdMatchList, type FdScorers, type FdStandings } from "./schema";

export const PROVIDER = "football_data";

export class FootballDataError extends ProviderError {
  constructor(
    kind: ProviderErrorKind,
    message: string,
    retryAfterSeconds: number | undefined,
    /** HTTP status, when the provider answered. */
    readonly status: number | null = null,
    /** The body's `errorCode`, when it had one. */
    readonly errorCode: number | null = null,
    /** The body's `message`, verbatim. */
    readonly providerMessage: string | null = null,
  ) {
    super(PROVIDER, kind, message, retryAfterSeconds);
    this.name = "FootballDataError";
  }
}

type Query = Record<string, string | number | readonly string[] | undefined>;

export function createFootballDataClient(config: Config) {
  const { baseUrl, token } = config.footballData;
  const timeoutMs = config.providerTimeoutMs;

  async function get<T>(path: string, query: Query, schema: z.ZodType<T>): Promise<Fetched<T>> {
    const url = baseUrl + path + queryString(query);
    const where = path + queryString(query);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { accept: "application/json", ...(token ? { "X-Auth-Token": token } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === "TimeoutError" || name === "AbortError") throw new FootballDataError("timeout", `no answer within ${timeoutMs} ms from ${where}`, undefined);
      throw new FootballDataError("network", `${where}: ${String(err)}`, undefined);
    }
    if (!response.ok) throw errorFor(response, text, where);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FootballDataError("malformed", `invalid JSON (${text.length} bytes) from ${where}`, undefined, response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FootballDataError("malformed", `unexpected payload from ${where}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`, undefined, response.status);
    }
    return { data: parsed.data, budget: readBudget(response.headers) };
  }

  return {
    /** GET /competitions/{code}/matches?season=[&matchday=][&status=] */
    competitionMatches(code: string, opts: { season: number; matchday?: number; status?: readonly string[] }): Promise<Fetched<FdMatchList>> {
      return get(`/competitions/${encodeURIComponent(code)}/matches`, { season: opts.season, matchday: opts.matchday, status: opts.status }, fdMatchList);
    },
    /** GET /matches?competitions=PL,BL1&status=IN_PLAY,PAUSED (the live list across competitions). */
    matches(opts: { competitions?: readonly string[]; ids?: readonly string[]; status?: readonly string[]; dateFrom?: string; dateTo?: string }): Promise<Fetched<FdMatchList>> {
      return get("/matches", { competitions: opts.competitions, ids: opts.ids, status: opts.status, dateFrom: opts.dateFrom, dateTo: opts.dateTo }, fdMatchList);
    },
    /** GET /teams/{id}/matches[?competitions=][&season=][&status=] */
    teamMatches(teamId: number, opts: { competitions?: readonly string[]; season?: number; status?: readonly string[] } = {}): Promise<Fetched<FdMatchList>> {
      return get(`/teams/${teamId}/matches`, { competitions: opts.competitions, season: opts.season, status: opts.status }, fdMatchList);
    },
    /** GET /competitions/{code}/standings?season= */
    standings(code: string, opts: { season: number }): Promise<Fetched<FdStandings>> {
      return get(`/competitions/${encodeURIComponent(code)}/standings`, { season: opts.season }, fdStandings);
    },
    /** GET /competitions/{code}/teams?season= (every club with its details: one request per competition). */
    competitionTeams(code: string, opts: { season: number }): Promise<Fetched<FdCompetitionTeams>> {
      return get(`/competitions/${encodeURIComponent(code)}/teams`, { season: opts.season }, fdCompetitionTeams);
    },
    /** GET /teams/{id}: one club. */
    team(id: number): Promise<Fetched<FdClub>> {
      return get(`/teams/${id}`, {}, fdClub);
    },
    /** GET /competitions/{code}/scorers?season=&limit= */
    scorers(code: string, opts: { season: number; limit: number }): Promise<Fetched<FdScorers>> {
      return get(`/competitions/${encodeURIComponent(code)}/scorers`, { season: opts.season, limit: opts.limit }, fdScorers);
    },
  };
}

/** `?a=1&b=X,Y` (lists joined by commas, as the API's filters take them); undefined values left out. */
function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const value = typeof v === "string" || typeof v === "number" ? String(v) : v.join(",");
    if (value !== "") params.set(k, value);
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** The budget the provider reports in every answer's headers (names are case-insensitive). */
export function readBudget(headers: Headers): RateBudget {
  return {
    remaining: headerInt(headers, "X-Requests-Available-Minute"),
    resetSeconds: headerInt(headers, "X-RequestCounter-Reset"),
  };
}

function headerInt(headers: Headers, name: string): number | null {
  const raw = headers.get(name)?.trim();
  if (!raw || !/^-?\d+(\.\d+)?$/.test(raw)) return null;
  return Math.max(0, Math.ceil(Number(raw)));
}

/** A non-2xx answer as a FootballDataError of the right kind, with the provider's message. */
export function errorFor(response: Response, text: string, where: string): FootballDataError {
  let body: { message: string | null; errorCode: number | null } = { message: null, errorCode: null };
  try {
    const parsed = fdErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the raw text is the message.
  }
  const providerMessage = cleanText(body.message);
  const said = providerMessage ?? cleanText(text.slice(0, 200)) ?? response.statusText;
  const status = response.status;
  if (status === 429) {
    const retryAfter =
      headerInt(response.headers, "X-RequestCounter-Reset") ??
      parseRetryAfter(response.headers.get("retry-after")) ??
      secondsFromMessage(providerMessage);
    return new FootballDataError("rate_limited", `429 from ${where}: ${said}`, retryAfter ?? undefined, status, body.errorCode, providerMessage);
  }
  const kind: ProviderErrorKind = status >= 500 ? "server_error" : "rejected";
  return new FootballDataError(kind, `${status} from ${where}: ${said}`, undefined, status, body.errorCode, providerMessage);
}

/** "You reached your request limit. Wait 28 seconds." → 28 */
function secondsFromMessage(message: string | null): number | null {
  const m = message ? /wait\s+(\d+)\s+sec/i.exec(message) : null;
  return m ? Number(m[1]) : null;
}
