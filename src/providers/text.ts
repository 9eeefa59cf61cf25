// Text and time clean-up shared by the adapters: providers send names with stray whitespace and CRLF,
// "Last, First" forms, and local wall-clock times.

/** Trims, collapses internal whitespace (including CR/LF and NBSP); empty → null. */
export function cleanText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const cleaned = value.replace(/[\s\u00a0]+/g, " ").trim();
  return cleaned.length ? cleaned : null;
}

/** A person's display name: cleaned, and "Poulsen, Yussuf" turned into "Yussuf Poulsen". */
export function cleanPersonName(value: string | null | undefined): string | null {
  const cleaned = cleanText(value);
  if (!cleaned) return null;
  const parts = cleaned.split(",").map((p) => p.trim());
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[1]} ${parts[0]}`;
  return cleaned;
}

/**
 * Converts a wall-clock time without offset ("2023-11-24T20:30:00") in an IANA zone to UTC.
 * Handles DST by correcting with the zone's offset at the first guess (exact except in the skipped hour).
 */
export function zonedTimeToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const asUtc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0), +(ms ?? "0").padEnd(3, "0"));
  const offset1 = zoneOffsetMs(asUtc, timeZone);
  const offset2 = zoneOffsetMs(asUtc - offset1, timeZone);
  return new Date(asUtc - offset2);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** Parses an ISO time that should be UTC; a missing offset is read as UTC (never as local time). */
export function parseUtc(value: string | null | undefined): Date | null {
  if (!value) return null;
  const v = value.trim();
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`;
  const t = Date.parse(withZone);
  return Number.isFinite(t) ? new Date(t) : null;
}
