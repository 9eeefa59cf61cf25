// zod schemas of API-Football v3's real payloads (shared/provider-samples/api_football_*.json). Lenient where the
// live data varies — nulls almost everywhere, ids and counters as numbers or numeric strings, `errors` as `[]`
// or an object, extra keys we ignore (lineups, statistics, players embedded in `/fixtures?ids=`) — and strict
// only where our logic depends on a value: fixture, team and player ids, the status object, the league id.
//
// Response arrays are checked item by item (`parseItems`): one malformed fixture or player is reported and
// dropped instead of failing the whole page (a page that always fails would be retried forever).
import { z } from "zod";

/** An id: a non-negative integer, sent as a number or a numeric string. */
export const afId = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/).transform(Number)]);

/** An id that may be missing (players without an id in lower leagues, teams of some events). */
export const afOptionalId = z.union([afId, z.null(), z.literal("")]).optional().transform((v) => (v === "" || v == null ? null : v));

/** A counter or decimal: number, numeric string ("7.3", "16", "85%"), or null/absent/empty/garbage → null. */
export const afNumber = z.unknown().optional().transform((v): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
    return m ? Number(m[1]) : null;
  }
  return null;
});

export const afText = z.unknown().optional().transform((v): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null));

const afPerson = z
  .object({ id: afOptionalId, name: afText })
  .nullish()
  .transform((v) => v ?? { id: null, name: null });

const afTeamRef = z.object({ id: afId, name: afText, logo: afText });

const homeAway = z
  .object({ home: afNumber, away: afNumber })
  .nullish()
  .transform((v) => v ?? { home: null, away: null });

/** `errors`: `[]` when fine; an object `{ token: "...", requests: "...", ... }` (sometimes a non-empty array) when not. */
export const afErrors = z
  .union([z.array(z.unknown()), z.record(z.string(), z.unknown()), z.null()])
  .optional()
  .transform((v): Record<string, string> => {
    if (v == null) return {};
    if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), typeof x === "string" ? x : JSON.stringify(x)]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : JSON.stringify(x)]));
  });

/** The envelope every endpoint answers with. `response` is checked afterwards, per endpoint (and per item). */
export const afEnvelope = z.object({
  get: afText,
  parameters: z.unknown(),
  errors: afErrors,
  results: afNumber,
  paging: z
    .object({ current: afNumber, total: afNumber })
    .nullish()
    .transform((v) => v ?? { current: null, total: null }),
  response: z.unknown(),
});
export type AfEnvelope = z.infer<typeof afEnvelope>;

// --- /fixtures/events and fixtures[].events -------------------------------------------------------------
export const afEvent = z.object({
  time: z
    .object({ elapsed: afNumber, extra: afNumber })
    .nullish()
    .transform((v) => v ?? { elapsed: null, extra: null }),
  team: z
    .object({ id: afOptionalId, name: afText, logo: afText })
    .nullish()
    .transform((v) => v ?? { id: null, name: null, logo: null }),
  player: afPerson,
  assist: afPerson,
  type: afText,
  detail: afText,
  comments: afText,
});
export type AfEvent = z.infer<typeof afEvent>;

// --- /fixtures ---------------------------------------------------------------------------------------------
export const afFixture = z.object({
  fixture: z.object({
    id: afId,
    referee: afText,
    timezone: afText,
    date: afText,
    timestamp: afNumber,
    venue: z
      .object({ id: afOptionalId, name: afText, city: afText })
      .nullish()
      .transform((v) => v ?? null),
    status: z.object({
      long: afText,
      short: afText,
      elapsed: afNumber,
      /** Newer payloads: stoppage minutes on top of `elapsed`. */
      extra: afNumber,
    }),
  }),
  league: z.object({ id: afId, name: afText, country: afText, season: afNumber, round: afText }),
  teams: z.object({ home: afTeamRef, away: afTeamRef }),
  goals: homeAway,
  score: z
    .object({ halftime: homeAway, fulltime: homeAway, extratime: homeAway, penalty: homeAway })
    .nullish()
    .transform((v) => v ?? null),
  /** Present only on `?id=`, `?ids=` and `?live=` requests; `/fixtures?league&season` never embeds events. */
  events: z.array(z.unknown()).nullish(),
});
export type AfFixture = z.infer<typeof afFixture>;

// --- /standings ---------------------------------------------------------------------------------------------
const afCounts = z
  .object({
    played: afNumber,
    win: afNumber,
    draw: afNumber,
    lose: afNumber,
    goals: z
      .object({ for: afNumber, against: afNumber })
      .nullish()
      .transform((v) => v ?? { for: null, against: null }),
  })
  .nullish()
  .transform((v) => v ?? null);

export const afStandingRow = z.object({
  rank: afNumber,
  team: afTeamRef,
  points: afNumber,
  goalsDiff: afNumber,
  group: afText,
  form: afText,
  status: afText,
  description: afText,
  all: afCounts,
  update: afText,
});
export type AfStandingRow = z.infer<typeof afStandingRow>;

export const afStandings = z.object({
  league: z.object({
    id: afId,
    season: afNumber,
    /** One array of rows per group; a single table is one group. Rows are checked one by one. */
    standings: z.array(z.array(z.unknown())).nullish().transform((v) => v ?? []),
  }),
});

// --- /players and /players/topscorers -------------------------------------------------------------------
export const afPlayerStatistics = z.object({
  team: z
    .object({ id: afOptionalId, name: afText, logo: afText })
    .nullish()
    .transform((v) => v ?? { id: null, name: null, logo: null }),
  league: z
    .object({ id: afOptionalId, season: afNumber })
    .nullish()
    .transform((v) => v ?? { id: null, season: null }),
  games: z
    // API-Football spells it `appearences`; accept the correct spelling too.
    .object({ appearences: afNumber, appearances: afNumber, minutes: afNumber, position: afText, rating: afNumber })
    .nullish()
    .transform((v) => ({ appearances: v?.appearences ?? v?.appearances ?? null, minutes: v?.minutes ?? null, position: v?.position ?? null, rating: v?.rating ?? null })),
  goals: z
    .object({ total: afNumber, assists: afNumber, conceded: afNumber, saves: afNumber })
    .nullish()
    .transform((v) => v ?? { total: null, assists: null, conceded: null, saves: null }),
  cards: z
    .object({ yellow: afNumber, yellowred: afNumber, red: afNumber })
    .nullish()
    .transform((v) => v ?? { yellow: null, yellowred: null, red: null }),
  fouls: z
    // `committed` in most payloads, `commited` in some.
    .object({ drawn: afNumber, committed: afNumber, commited: afNumber })
    .nullish()
    .transform((v) => ({ drawn: v?.drawn ?? null, committed: v?.committed ?? v?.commited ?? null })),
  penalty: z
    // `commited` (sic) here in every sample.
    .object({ won: afNumber, commited: afNumber, committed: afNumber, scored: afNumber, missed: afNumber, saved: afNumber })
    .nullish()
    .transform((v) => ({ won: v?.won ?? null, committed: v?.commited ?? v?.committed ?? null, scored: v?.scored ?? null, missed: v?.missed ?? null, saved: v?.saved ?? null })),
});
export type AfPlayerStatistics = z.infer<typeof afPlayerStatistics>;

export const afPlayerItem = z.object({
  player: z.object({
    id: afId,
    name: afText,
    firstname: afText,
    lastname: afText,
    birth: z
      .object({ date: afText, place: afText, country: afText })
      .nullish()
      .transform((v) => v ?? { date: null, place: null, country: null }),
    nationality: afText,
  }),
  statistics: z.array(z.unknown()).nullish().transform((v) => v ?? []),
});
export type AfPlayerItem = z.infer<typeof afPlayerItem>;

// --- helpers ------------------------------------------------------------------------------------------------
export interface ParsedItems<T> {
  items: T[];
  /** Items that did not match, with the first issue: "#3 teams.home.id: Invalid input". */
  invalid: string[];
}

/** Parses an array item by item; `raw` that is not an array is reported as one invalid entry. */
export function parseItems<T>(schema: z.ZodType<T>, raw: unknown, what: string): ParsedItems<T> {
  if (!Array.isArray(raw)) return { items: [], invalid: [`${what}: expected an array, got ${raw === null ? "null" : typeof raw}`] };
  const items: T[] = [];
  const invalid: string[] = [];
  raw.forEach((x, i) => {
    const r = schema.safeParse(x);
    if (r.success) items.push(r.data);
    else invalid.push(`${what} #${i}: ${describeIssue(r.error)}`);
  });
  return { items, invalid };
}

export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid";
}
