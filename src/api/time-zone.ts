// `?tz=` on match reads: IANA time zone names validated with Intl, instants written as local ISO 8601 times with
// their offset (`kickoffLocal`), and a calendar day of that zone as an instant range (a `date=` filter in that
// zone). Pure functions over Intl (the runtime's tz database); no state beyond a formatter cache.
import { z } from "zod";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Area/Location names (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+1) and single names (UTC). Raw
// offsets ("+02:00"), which newer Intl versions also accept, are not zone names: they have no daylight-saving rules.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]{0,30}(\/[A-Za-z0-9_+-]{1,30}){0,2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The canonical name of an IANA zone (Intl's spelling, e.g. "europe/berlin" → "Europe/Berlin"), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const timeZoneParam = z.string().transform((s, ctx) => {
  const zone = canonicalTimeZone(s);
  if (zone) return zone;
  ctx.addIssue({ code: "custom", message: `must be an IANA time zone name such as Europe/Berlin or UTC (got "${s.slice(0, 64)}")` });
  return z.NEVER;
}).meta({ description: "An IANA time zone name (case-insensitive); default UTC.", example: "Europe/Berlin" });

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's wall-clock time at `ms`, as milliseconds of a UTC date with the same fields. */
function wallClock(ms: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
}

/** Minutes the zone is ahead of UTC at instant `ms` (+60 for Berlin in winter, +120 in summer). */
export function offsetMinutes(ms: number, zone: string): number {
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((wallClock(whole, zone) - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `date` as the zone's local time with its offset: 2024-03-30T23:30:00Z in Europe/Berlin → "2024-03-31T00:30:00+01:00". */
export function toLocalIso(date: Date, zone: string): string {
  const ms = date.getTime();
  const offset = offsetMinutes(ms, zone);
  const local = new Date(ms + offset * 60_000);
  const abs = Math.abs(offset);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * The first instant of calendar day `day` (YYYY-MM-DD) in the zone. Usually local midnight; where the clocks skip
 * midnight (e.g. America/Santiago in September) the first instant after the gap. Days are 23 or 25 hours long
 * around daylight-saving changes, so the end of a day is the start of the next one, never start + 24 h.
 */
export function startOfLocalDay(day: string, zone: string): Date {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const midnight = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  // Candidates: local midnight read with each offset the zone has around that day; the earliest instant whose
  // local time is on or after midnight of that day wins (the earlier of two midnights on a fall-back at 00:00).
  const offsets = new Set([-1, 0, 1].map((d) => offsetMinutes(midnight + d * 86_400_000, zone)));
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const candidate = midnight - offset * 60_000;
    const local = candidate + offsetMinutes(candidate, zone) * 60_000;
    if (local >= midnight && local < midnight + 86_400_000 && candidate < best) best = candidate;
  }
  return new Date(best);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** [start, end) of calendar day `day` in the zone. */
export function localDayRange(day: string, zone: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(day, zone), end: startOfLocalDay(nextDay(day), zone) };
}

/**
 * Lower bound of a `from`/`date` value: a day means the start of that day in the zone (UTC without one); a time
 * with offset is that instant.
 */
export const zonedBoundStart = (s: string, zone?: string) =>
  DAY.test(s) ? (zone ? startOfLocalDay(s, zone) : new Date(`${s}T00:00:00Z`)) : new Date(s);

/** Exclusive upper bound of a `to`/`date` value: a day means the start of the next day in the zone; a time, just after it. */
export const zonedBoundEnd = (s: string, zone?: string) =>
  DAY.test(s) ? (zone ? startOfLocalDay(nextDay(s), zone) : new Date(`${nextDay(s)}T00:00:00Z`)) : new Date(Date.parse(s) + 1);

/** A match body with `kickoffLocal` in the zone right after `kickoff` (unchanged without a zone). */
export function withKickoffLocal<M extends { kickoff: string }>(match: M, zone: string | undefined): M & { kickoffLocal?: string } {
  if (!zone) return match;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(match)) {
    out[key] = value;
    if (key === "kickoff") out.kickoffLocal = toLocalIso(new Date(match.kickoff), zone);
  }
  return out as M & { kickoffLocal: string };
}
