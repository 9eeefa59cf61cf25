// OpenLigaDB → canonical records. Every OpenLigaDB quirk is handled here and nowhere else:
// - results: resultTypeID 1 is the half-time score, 2 the final (during a match, 2 is the running score);
// - `matchIsFinished` can be true before the final result exists, and false long after it exists;
// - goals arrive out of minute order: their true order is the running score (scoreTeam1 + scoreTeam2);
// - stoppage time: `isOvertime` with either the real minute (94 → 90+4, 48 → 45+3) or 90/45 plus a "+7" comment;
// - names with stray whitespace/CRLF, "Last, First" forms, or empty;
// - `matchDateTime` is local wall-clock time (timeZoneID), `matchDateTimeUTC` the UTC one.
import type { MatchStatus } from "../../domain/vocabulary";
import type { EventRecord, MatchBatch, MatchRecord, PlayerRecord, TeamRecord } from "../../domain/canonical";
import type { CompetitionCode } from "../../domain/competitions";
import { cleanPersonName, cleanText, parseUtc, zonedTimeToUtc } from "../text";
import type { OldbGoal, OldbMatch } from "./schema";

const HALFTIME = 1;
const FINAL = 2;
/** A match is in play from kickoff for at most this long; after it the data is treated as settled. */
export const SETTLE_WINDOW_MS = 3 * 60 * 60 * 1000;

/** Windows zone ids OpenLigaDB uses, mapped to IANA. */
const WINDOWS_ZONES: Record<string, string> = {
  "W. Europe Standard Time": "Europe/Berlin",
  "Central Europe Standard Time": "Europe/Budapest",
  "Romance Standard Time": "Europe/Paris",
  "GMT Standard Time": "Europe/London",
  UTC: "UTC",
};

export function normalizeMatches(
  raw: OldbMatch[],
  ctx: { competition: CompetitionCode; season: number; now: Date },
): MatchBatch {
  const teams = new Map<string, TeamRecord>();
  const players = new Map<string, PlayerRecord>();
  const matches: MatchRecord[] = [];
  const discarded: string[] = [];

  for (const m of latestPerMatch(raw, discarded)) {
    const kickoff = kickoffOf(m);
    if (!kickoff) {
      discarded.push(`match ${m.matchID}: no usable kickoff time`);
      continue;
    }
    const home = teamOf(m.team1);
    const away = teamOf(m.team2);
    if (!home || !away) {
      discarded.push(`match ${m.matchID}: team without a name`);
      continue;
    }
    teams.set(home.ref, home);
    teams.set(away.ref, away);

    // Negative points are placeholders some feeds use for "no result yet".
    const usable = m.matchResults.filter((r) => r.pointsTeam1 != null && r.pointsTeam2 != null && r.pointsTeam1 >= 0 && r.pointsTeam2 >= 0);
    const final = usable.find((r) => r.resultTypeID === FINAL);
    const half = usable.find((r) => r.resultTypeID === HALFTIME);
    const { events, lastScore, dropped } = goalsOf(m, home.ref, away.ref, final ? [final.pointsTeam1!, final.pointsTeam2!] : null, players);
    discarded.push(...dropped);

    const status = statusOf(m, kickoff, Boolean(final), events.length > 0 || Boolean(half), ctx.now);
    let score: [number, number] | null = final ? [final.pointsTeam1!, final.pointsTeam2!] : lastScore;
    if (!score && half) score = [half.pointsTeam1!, half.pointsTeam2!];
    if (!score && status === "live") score = [0, 0];
    if (status === "scheduled") score = null;

    matches.push({
      ref: String(m.matchID),
      matchday: m.group?.groupOrderID ?? null,
      stage: null,
      kickoff,
      status,
      minute: null, // OpenLigaDB does not report the minute.
      homeRef: home.ref,
      awayRef: away.ref,
      homeScore: score?.[0] ?? null,
      awayScore: score?.[1] ?? null,
      halftimeHome: half && score ? half.pointsTeam1 : null,
      halftimeAway: half && score ? half.pointsTeam2 : null,
      venue: cleanText(m.location?.locationStadium) ?? cleanText(m.location?.locationCity),
      attendance: m.numberOfViewers,
      sourceUpdatedAt: m.lastUpdateDateTime ? zonedTimeToUtc(m.lastUpdateDateTime, zoneOf(m)) : null,
      events: status === "scheduled" ? [] : events,
    });
  }
  return {
    provider: "openligadb",
    competition: ctx.competition,
    season: ctx.season,
    teams: [...teams.values()],
    players: [...players.values()],
    matches,
    discarded,
  };
}

/** A match listed twice (seen in hand-maintained feeds) keeps its most recently updated copy. */
function latestPerMatch(raw: OldbMatch[], discarded: string[]): OldbMatch[] {
  const byId = new Map<number, OldbMatch>();
  for (const m of raw) {
    const seen = byId.get(m.matchID);
    if (seen) discarded.push(`match ${m.matchID}: listed twice, kept the later update`);
    if (!seen || (m.lastUpdateDateTime ?? "") >= (seen.lastUpdateDateTime ?? "")) byId.set(m.matchID, m);
  }
  return [...byId.values()];
}

function zoneOf(m: OldbMatch): string {
  return (m.timeZoneID && WINDOWS_ZONES[m.timeZoneID]) || "Europe/Berlin";
}

function kickoffOf(m: OldbMatch): Date | null {
  return parseUtc(m.matchDateTimeUTC) ?? (m.matchDateTime ? zonedTimeToUtc(m.matchDateTime, zoneOf(m)) : null);
}

function teamOf(t: OldbMatch["team1"]): TeamRecord | null {
  const name = cleanText(t.teamName);
  if (!name) return null;
  return { ref: String(t.teamId), name, shortName: cleanText(t.shortName), tla: null, crestUrl: cleanText(t.teamIconUrl) };
}

/**
 * Status from the finished flag, the final result and the clock. Within the settle window after kickoff the
 * match is live unless it is flagged finished AND has its final result; after the window a final result (or
 * the finished flag, or goals) settles it even if the provider forgot the other half. A match with no data at
 * all stays "scheduled": we never invent a postponement.
 */
function statusOf(m: OldbMatch, kickoff: Date, hasFinal: boolean, hasPlayData: boolean, now: Date): MatchStatus {
  if (m.matchIsFinished && hasFinal) return "finished";
  const sinceKickoff = now.getTime() - kickoff.getTime();
  if (sinceKickoff < 0) return hasPlayData ? "live" : "scheduled";
  if (sinceKickoff < SETTLE_WINDOW_MS) return "live";
  if (hasFinal || m.matchIsFinished || hasPlayData) return "finished";
  // Nothing reported since kickoff: the provider has not caught up (or the match moved). Say only what we know.
  return "scheduled";
}

interface GoalsResult {
  events: EventRecord[];
  /** The running score after the last kept goal. */
  lastScore: [number, number] | null;
  dropped: string[];
}

function goalsOf(
  m: OldbMatch,
  homeRef: string,
  awayRef: string,
  final: [number, number] | null,
  players: Map<string, PlayerRecord>,
): GoalsResult {
  const dropped: string[] = [];
  // The running score is the true order; minute and goalID break ties (and order goals without a score).
  const unique = new Map<number, OldbGoal>();
  for (const g of m.goals) {
    if (unique.has(g.goalID)) dropped.push(`match ${m.matchID}: goal ${g.goalID} listed twice`);
    unique.set(g.goalID, g);
  }
  const goals = [...unique.values()].sort(
    (a, b) => total(a) - total(b) || (a.matchMinute ?? 999) - (b.matchMinute ?? 999) || a.goalID - b.goalID,
  );
  const events: EventRecord[] = [];
  let prev: [number, number] = [0, 0];
  for (const g of goals) {
    const score: [number, number] | null = g.scoreTeam1 != null && g.scoreTeam2 != null ? [g.scoreTeam1, g.scoreTeam2] : null;
    if (score && final && (score[0] > final[0] || score[1] > final[1])) {
      // A goal beyond the official final result (seen: a goal without minute after the final 1:3) is a
      // stale or annulled entry; the final result is authoritative.
      dropped.push(`match ${m.matchID}: goal ${g.goalID} at ${score.join(":")} exceeds final result ${final.join(":")}`);
      continue;
    }
    let teamRef: string | null = null;
    if (score) {
      const dh = score[0] - prev[0];
      const da = score[1] - prev[1];
      if (dh === 1 && da === 0) teamRef = homeRef;
      else if (dh === 0 && da === 1) teamRef = awayRef;
      prev = score;
    }
    const { minute, extraMinute, comment } = minuteOf(g);
    let playerRef: string | null = null;
    if (g.goalGetterID != null && g.goalGetterID > 0) {
      playerRef = String(g.goalGetterID);
      const name = cleanPersonName(g.goalGetterName);
      const known = players.get(playerRef);
      // Own goals are credited to the benefiting team; the scorer plays for the other one.
      const playerTeam = g.isOwnGoal ? (teamRef === homeRef ? awayRef : teamRef === awayRef ? homeRef : null) : teamRef;
      players.set(playerRef, { ref: playerRef, name: name ?? known?.name ?? null, teamRef: playerTeam ?? known?.teamRef ?? null });
    }
    events.push({
      ref: String(g.goalID),
      type: g.isOwnGoal ? "own_goal" : g.isPenalty ? "penalty_goal" : "goal",
      minute,
      extraMinute,
      teamRef,
      playerRef,
      playerName: cleanPersonName(g.goalGetterName),
      assistRef: null,
      assistName: null,
      detail: comment,
      scoreHome: score?.[0] ?? null,
      scoreAway: score?.[1] ?? null,
    });
  }
  const last = events.at(-1);
  const lastScore: [number, number] | null = last && last.scoreHome != null && last.scoreAway != null ? [last.scoreHome, last.scoreAway] : null;
  return { events, lastScore, dropped };
}

const total = (g: OldbGoal) => (g.scoreTeam1 ?? 99) + (g.scoreTeam2 ?? 99);

/** Minute and stoppage minute of a goal; a "+N" comment is a stoppage marker, anything else is kept as detail. */
export function minuteOf(g: Pick<OldbGoal, "matchMinute" | "isOvertime" | "comment">): {
  minute: number | null;
  extraMinute: number | null;
  comment: string | null;
} {
  const comment = cleanText(g.comment);
  // "+7", "+7'" or "+3 Kopfball": the marker is the stoppage amount, any rest stays as detail.
  const plus = comment ? /^\+\s*(\d{1,2})'?(?:\s+(.*))?$/.exec(comment) : null;
  const m = g.matchMinute;
  if (m == null || m < 0) return { minute: null, extraMinute: null, comment };
  if (plus) {
    const extra = Number(plus[1]);
    const rest = cleanText(plus[2]);
    // Either "90" + "+7" or the real minute "97" + "+7".
    if (m === 45 || m === 90 || m === 105 || m === 120) return { minute: m, extraMinute: extra, comment: rest };
    if (m - extra === 45 || m - extra === 90) return { minute: m - extra, extraMinute: extra, comment: rest };
    return { minute: m, extraMinute: extra, comment: rest };
  }
  if (m > 90) return { minute: 90, extraMinute: m - 90, comment };
  if (g.isOvertime && m > 45 && m < 60) return { minute: 45, extraMinute: m - 45, comment };
  return { minute: m, extraMinute: null, comment };
}
