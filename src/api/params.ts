// Strict parsers for query and path parameters shared by routes: ids, years, dates, limits, cursors.
// Strings are checked with anchored regexes before any conversion, so "1e3", " 7", "0x10" or "∞" are refused.
import { z } from "zod";
import { MATCH_STATUSES } from "../domain/vocabulary";
import { COMPETITION_CODES, type CompetitionCode } from "../domain/competitions";

export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const idParam = intParam(1, 2_147_483_647);
export const seasonParam = intParam(1900, 2100);
export const limitParam = intParam(1, 200);

export const competitionParam = z
  .string()
  .regex(/^[A-Za-z0-9]{2,5}$/, "must be a competition code such as BL1")
  .transform((s) => s.toUpperCase())
  .refine((s): s is CompetitionCode => (COMPETITION_CODES as readonly string[]).includes(s), {
    message: `must be one of ${COMPETITION_CODES.join(", ")}`,
  })
  .transform((s) => s as CompetitionCode);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && +m[1]! >= 1900 && +m[1]! <= 2100;
}

/** YYYY-MM-DD (a UTC day). */
export const dateParam = z.string().refine(validDate, "must be a date YYYY-MM-DD");

/** A UTC day (YYYY-MM-DD) or an ISO 8601 time with offset; days are expanded to [start, end) by the caller. */
export const timeBoundParam = z
  .string()
  .refine((s) => validDate(s) || (DATETIME.test(s) && Number.isFinite(Date.parse(s)) && validDate(s.slice(0, 10))), "must be YYYY-MM-DD or an ISO 8601 time with offset");

export const statusParam = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim().toLowerCase()))
  .pipe(z.array(z.enum(MATCH_STATUSES, { message: `must be one or more of ${MATCH_STATUSES.join(", ")}` })).min(1).max(MATCH_STATUSES.length));

export const searchParam = z
  .string()
  .transform((s) => s.normalize("NFC").trim())
  .pipe(z.string().min(1, "must not be empty").max(100, "must be at most 100 characters"));

// Keyset cursor: the (kickoff, id) of the last item of the previous page, base64url-encoded.
const cursorBody = z.object({ k: z.string().datetime(), i: z.number().int().positive() }).strict();

export const cursorParam = z
  .string()
  .max(200, "is not a valid cursor")
  .transform((s, ctx) => {
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new Error();
      const json = JSON.parse(atob(s.replace(/-/g, "+").replace(/_/g, "/")));
      const parsed = cursorBody.parse(json);
      return { kickoff: new Date(parsed.k), id: parsed.i };
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a valid cursor (use page.nextCursor from a previous response)" });
      return z.NEVER;
    }
  });

export function encodeCursor(kickoff: Date, id: number): string {
  return btoa(JSON.stringify({ k: kickoff.toISOString(), i: id })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Start of a bound: a day means its 00:00 UTC. */
export const boundStart = (s: string) => new Date(DATE.test(s) ? `${s}T00:00:00Z` : s);
/** Exclusive end of a bound: a day means the next day's 00:00 UTC; a time means just after it. */
export const boundEnd = (s: string) => (DATE.test(s) ? new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000) : new Date(Date.parse(s) + 1));
