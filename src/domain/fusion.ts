// One true match from several providers (README "Observations and fusion"). Each provider's latest observation of
// a match is kept as it was seen; the canonical match row and its events are *derived* from all of them by
// `fuseMatch`, a pure function re-run in the store transaction whenever an observation changes. Nothing here
// depends on the order observations arrived in: the result is a function of the set of latest observations (plus
// the previous canonical events, which only lend their ids so live clients see `changed`, never removed + added).
//
// Imports only the domain's vocabulary: the store maps rows to these shapes, the providers' precedence comes in as an
// option.

import { isInPlay as inPlayStatus, type EventType, type MatchStatus } from "./vocabulary";

export type FusionStatus = MatchStatus;
export type FusionEventType = EventType;

export type Side = "home" | "away";

/** One event as one provider reported it, with canonical player ids; the team as the match side it is credited to. */
export interface ObservedEvent {
  /** The provider's own key of the event within the match. */
  ref: string;
  type: FusionEventType;
  minute: number | null;
  extraMinute: number | null;
  side: Side | null;
  playerId: number | null;
  playerName: string | null;
  assistId: number | null;
  assistName: string | null;
  detail: string | null;
  scoreHome: number | null;
  scoreAway: number | null;
}

/** What one provider last said about one match. */
export interface Observation {
  provider: string;
  /** Our clock, taken before the request, of the fetch that brought this content. */
  fetchedAt: Date;
  /** Our clock: the latest fetch that still reported this content (kept current only while the match is in play). */
  seenAt: Date;
  /** The provider's own last-modified time, when it sends one. */
  sourceUpdatedAt: Date | null;
  status: FusionStatus;
  minute: number | null;
  homeScore: number | null;
  awayScore: number | null;
  halftimeHome: number | null;
  halftimeAway: number | null;
  /** Goals of the extra-time periods only, when the provider breaks them out. */
  extraTimeHome: number | null;
  extraTimeAway: number | null;
  /** Shoot-out score, when there was one. */
  penaltiesHome: number | null;
  penaltiesAway: number | null;
  kickoff: Date;
  kickoffProvisional: boolean;
  matchday: number | null;
  stage: string | null;
  group: string | null;
  venue: string | null;
  attendance: number | null;
  homeTeamId: number;
  awayTeamId: number;
  /** The provider's complete event list as last reported; null when it never sent one for this match. */
  events: ObservedEvent[] | null;
}

/** A canonical event as stored before this fusion: its id and the provider events it was built from. */
export interface PreviousEvent {
  id: number;
  /** `provider:ref` of every provider event it was built from. */
  sources: string[];
  type: FusionEventType;
  minute: number | null;
  extraMinute: number | null;
  side: Side | null;
}

export interface FusedEvent extends Omit<ObservedEvent, "ref"> {
  /** The previous canonical event this one continues, or null for a new event. */
  id: number | null;
  sources: string[];
  /** The provider whose values the event shows, and its ref. */
  provider: string;
  ref: string;
}

export interface Disagreement {
  field: "score" | "status" | "kickoff";
  /** provider → its value */
  values: Record<string, string>;
}

export interface FusedMatch {
  status: FusionStatus;
  minute: number | null;
  homeScore: number | null;
  awayScore: number | null;
  halftimeHome: number | null;
  halftimeAway: number | null;
  extraTimeHome: number | null;
  extraTimeAway: number | null;
  penaltiesHome: number | null;
  penaltiesAway: number | null;
  kickoff: Date;
  kickoffTentative: boolean;
  matchday: number | null;
  stage: string | null;
  groupName: string | null;
  venue: string | null;
  attendance: number | null;
  homeTeamId: number;
  awayTeamId: number;
  /** The provider holding the status and score. */
  sourceProvider: string;
  sourceUpdatedAt: Date | null;
  events: FusedEvent[];
  /** Facts settled by precedence between providers that disagreed within the window (recorded for operators). */
  disagreements: Disagreement[];
}

export interface FusionOptions {
  /** Provider names, highest precedence first. */
  precedence: readonly string[];
  /** The live poll interval: an in-play observation not seen for two of them, while another is, no longer holds. */
  pollIntervalMs: number;
  /** Observations whose change times are this close count as simultaneous: precedence decides. */
  windowMs?: number;
}

export const DEFAULT_WINDOW_MS = 15 * 60_000;
/** Events of one real event may differ by this many minutes between providers. */
export const EVENT_MINUTE_TOLERANCE = 2;

const IN_PLAY = new Set<FusionStatus>(["live", "halftime", "extra_time", "penalties"]);
const FINAL = new Set<FusionStatus>(["finished", "awarded"]);
const DISRUPTED = new Set<FusionStatus>(["postponed", "suspended", "cancelled", "abandoned"]);

/** How far a match has got along scheduled → in play → extra time → penalties → final; null for a disruption. */
export function progressOf(status: FusionStatus): number | null {
  if (status === "scheduled") return 0;
  if (status === "live" || status === "halftime") return 1;
  if (status === "extra_time") return 2;
  if (status === "penalties") return 3;
  if (FINAL.has(status)) return 4;
  return null;
}

export const isInPlay = inPlayStatus;

/** When the provider changed what it says: its own time where it sends one, else when we first fetched it. */
const changedAt = (o: Observation) => (o.sourceUpdatedAt ?? o.fetchedAt).getTime();

// --- one provider's successive observations -----------------------------------------------------------------

/**
 * Whether `incoming` supersedes the `stored` observation of the same provider: "older" (a slow earlier fetch, or a
 * payload the provider itself marks older) changes nothing; "same" is the same content (only `seenAt` may move);
 * "newer" replaces it. The provider's own update times decide when both have one and they differ; else our fetch
 * times (taken before each request) do.
 */
export function compareObservations(stored: Observation, incoming: Observation): "older" | "same" | "newer" {
  const s = stored.sourceUpdatedAt?.getTime();
  const i = incoming.sourceUpdatedAt?.getTime();
  if (s != null && i != null && s !== i) return i < s ? "older" : "newer";
  if (incoming.fetchedAt.getTime() < stored.seenAt.getTime()) return "older";
  return sameContent(stored, incoming) ? "same" : "newer";
}

/**
 * The observation to keep after `incoming` arrives (null: keep `stored` unchanged, nothing to write). An incoming
 * payload without events keeps the provider's last event list (its season feed may carry none). Re-fetching the
 * same content writes nothing unless the match is in play and `touchAfterMs` (half the poll interval) passed since
 * the last: then `seenAt` moves, which is how a provider that still reports a quiet match is told from one that
 * stopped.
 */
export function mergeObservation(stored: Observation | null, incoming: Observation, opts: { touchAfterMs?: number } = {}): Observation | null {
  const next = { ...incoming, events: incoming.events ?? stored?.events ?? null, seenAt: incoming.fetchedAt };
  if (!stored) return next;
  const verdict = compareObservations(stored, next);
  if (verdict === "older") {
    // The same content fetched earlier than we knew (a slow fetch committed late): it has been true since then.
    return sameContent(stored, next) && incoming.fetchedAt.getTime() < stored.fetchedAt.getTime() ? { ...stored, fetchedAt: incoming.fetchedAt } : null;
  }
  if (verdict === "newer") return next;
  // Half a poll interval between touches is enough for a rule that counts two intervals (and a job re-run at once
  // on the same payload still writes nothing).
  if (IN_PLAY.has(stored.status) && incoming.fetchedAt.getTime() - stored.seenAt.getTime() >= (opts.touchAfterMs ?? 0)) {
    return incoming.fetchedAt.getTime() > stored.seenAt.getTime() ? { ...stored, seenAt: incoming.fetchedAt } : null;
  }
  return null;
}

/** Everything an observation says, times of fetching aside. */
export function sameContent(a: Observation, b: Observation): boolean {
  const { fetchedAt: _a1, seenAt: _a2, ...ra } = a;
  const { fetchedAt: _b1, seenAt: _b2, ...rb } = b;
  return stableJson(ra) === stableJson(rb);
}

// --- the fusion rule ------------------------------------------------------------------------------------------

/**
 * The canonical match from every provider's latest observation (README, the fusion table):
 * - status and score: the observation that got furthest (scheduled → in play → extra time → penalties → final);
 *   an in-play observation not seen for two poll intervals while another provider's was no longer holds the match;
 *   among the rest, precedence. Two different final scores: precedence, recorded. A disruption (postponed,
 *   suspended, cancelled, abandoned) replaces a scheduled match, and a started or finished one only when it changed
 *   later than that (within the window: precedence, recorded).
 * - kick-off: a confirmed one beats a provisional one; among those, the latest change, within the window precedence.
 * - descriptive fields: the first provider by precedence that has a value.
 * - events: matched across providers (`clusterEvents`), each shown with its best provider's values, ids carried over
 *   from `previous`; a goal goes only when every provider that reported it withdrew it, or the score rules it out.
 */
export function fuseMatch(observations: readonly Observation[], previous: readonly PreviousEvent[], opts: FusionOptions): FusedMatch {
  if (!observations.length) throw new Error("fuseMatch needs at least one observation");
  const window = opts.windowMs ?? DEFAULT_WINDOW_MS;
  const rank = (p: string) => {
    const i = opts.precedence.indexOf(p);
    return i < 0 ? opts.precedence.length : i;
  };
  const byPrecedence = [...observations].sort((a, b) => rank(a.provider) - rank(b.provider) || a.provider.localeCompare(b.provider));
  const disagreements: Disagreement[] = [];

  const stalled = stalledProviders(byPrecedence, opts.pollIntervalMs);
  const holder = statusHolder(byPrecedence, stalled, window, disagreements);
  const kick = kickoffHolder(byPrecedence, window, disagreements);
  const first = <K extends keyof Observation>(key: K): Observation[K] | null => {
    for (const o of byPrecedence) if (o[key] != null) return o[key];
    return null;
  };
  const top = byPrecedence[0]!;
  // Half-time and extra-time figures: the holder's, else (same stage reached) the best provider's.
  const sameStage = byPrecedence.filter((o) => o.status === holder.status || (FINAL.has(o.status) && FINAL.has(holder.status)));
  const pair = (h: "halftimeHome" | "extraTimeHome" | "penaltiesHome", a: "halftimeAway" | "extraTimeAway" | "penaltiesAway") => {
    const from = [holder, ...sameStage].find((o) => o[h] != null && o[a] != null);
    return from ? ([from[h], from[a]] as const) : ([null, null] as const);
  };
  const [halftimeHome, halftimeAway] = pair("halftimeHome", "halftimeAway");
  const [extraTimeHome, extraTimeAway] = pair("extraTimeHome", "extraTimeAway");
  const [penaltiesHome, penaltiesAway] = pair("penaltiesHome", "penaltiesAway");

  const events = fuseEvents(byPrecedence, holder, stalled, previous, rank);
  return {
    status: holder.status,
    minute: IN_PLAY.has(holder.status) ? holder.minute : null,
    homeScore: holder.homeScore,
    awayScore: holder.awayScore,
    halftimeHome,
    halftimeAway,
    extraTimeHome,
    extraTimeAway,
    penaltiesHome,
    penaltiesAway,
    kickoff: kick.kickoff,
    kickoffTentative: kick.kickoffProvisional,
    matchday: first("matchday"),
    stage: first("stage"),
    groupName: first("group"),
    venue: first("venue"),
    attendance: first("attendance"),
    homeTeamId: top.homeTeamId,
    awayTeamId: top.awayTeamId,
    sourceProvider: holder.provider,
    sourceUpdatedAt: holder.sourceUpdatedAt,
    events,
    disagreements,
  };
}

/** Providers whose in-play observation was not seen for two poll intervals while another provider's was. */
function stalledProviders(obs: readonly Observation[], pollIntervalMs: number): Set<string> {
  const newest = Math.max(...obs.map((o) => o.seenAt.getTime()));
  return new Set(obs.filter((o) => IN_PLAY.has(o.status) && newest - o.seenAt.getTime() > 2 * pollIntervalMs).map((o) => o.provider));
}

/** Among observations (in precedence order), the latest change; those within the window of it: the first. */
function latest(obs: readonly Observation[], window: number): { chosen: Observation; rivals: Observation[] } {
  const newest = Math.max(...obs.map(changedAt));
  const rivals = obs.filter((o) => newest - changedAt(o) <= window);
  return { chosen: rivals[0]!, rivals };
}

function statusHolder(obs: readonly Observation[], stalled: ReadonlySet<string>, window: number, out: Disagreement[]): Observation {
  const live = obs.filter((o) => !stalled.has(o.provider));
  const chain = live.filter((o) => progressOf(o.status) != null);
  const disrupted = live.filter((o) => DISRUPTED.has(o.status));

  let best: Observation | null = null;
  if (chain.length) {
    const furthest = Math.max(...chain.map((o) => progressOf(o.status)!));
    const level = chain.filter((o) => progressOf(o.status) === furthest);
    best = level[0]!;
    if (furthest === 4) {
      const scored = level.filter((o) => o.homeScore != null && o.awayScore != null);
      if (new Set(scored.map(scoreText)).size > 1) out.push({ field: "score", values: Object.fromEntries(scored.map((o) => [o.provider, scoreText(o)])) });
    }
  }
  if (!disrupted.length) return best!;
  const d = latest(disrupted, window).chosen;
  if (!best || progressOf(best.status) === 0) return d;
  const gap = changedAt(d) - changedAt(best);
  if (gap > window) return d;
  if (gap < -window) return best;
  out.push({ field: "status", values: { [best.provider]: best.status, [d.provider]: d.status } });
  return obs.indexOf(d) < obs.indexOf(best) ? d : best;
}

function kickoffHolder(obs: readonly Observation[], window: number, out: Disagreement[]): Observation {
  const confirmed = obs.filter((o) => !o.kickoffProvisional);
  const { chosen, rivals } = latest(confirmed.length ? confirmed : obs, window);
  if (confirmed.length && new Set(rivals.map((o) => o.kickoff.getTime())).size > 1) {
    out.push({ field: "kickoff", values: Object.fromEntries(rivals.map((o) => [o.provider, o.kickoff.toISOString()])) });
  }
  return chosen;
}

const scoreText = (o: { homeScore: number | null; awayScore: number | null }) => `${o.homeScore}:${o.awayScore}`;

// --- events ---------------------------------------------------------------------------------------------------

type Family = "goal" | "card" | "substitution" | "missed_penalty" | "var";

export function familyOf(type: FusionEventType): Family {
  if (type === "goal" || type === "own_goal" || type === "penalty_goal") return "goal";
  if (type === "yellow_card" || type === "second_yellow" || type === "red_card") return "card";
  return type;
}

const timeOf = (e: { minute: number | null; extraMinute: number | null }) => (e.minute == null ? null : e.minute + (e.extraMinute ?? 0));

interface Member {
  provider: string;
  event: ObservedEvent;
}

/**
 * Groups the providers' events into real events: providers in precedence order, each event joining the best
 * group that has no event of its provider yet and is the same side and kind (goals of any sort, cards of any
 * colour, …) within ±2 minutes — with a compatible player (the same one, or one side unknown), or for goals the
 * same running score (a scorer the providers disagree on). Otherwise it starts a group of its own.
 */
export function clusterEvents(obs: readonly Observation[]): Member[][] {
  const clusters: Member[][] = [];
  for (const o of obs) {
    if (!o.events) continue;
    const own = [...o.events].sort((a, b) => (timeOf(a) ?? 1e6) - (timeOf(b) ?? 1e6) || a.ref.localeCompare(b.ref));
    const taken = new Set<Member[]>();
    for (const e of own) {
      let best: Member[] | null = null;
      let bestScore = -Infinity;
      for (const c of clusters) {
        if (taken.has(c) || c.some((m) => m.provider === o.provider)) continue;
        const s = affinity(c[0]!.event, e);
        if (s != null && s > bestScore) {
          best = c;
          bestScore = s;
        }
      }
      const member = { provider: o.provider, event: e };
      if (best) {
        best.push(member);
        taken.add(best);
      } else {
        const c = [member];
        clusters.push(c);
        taken.add(c);
      }
    }
  }
  return clusters;
}

/** How well two providers' events fit as one real event (higher is better); null when they cannot be one. */
function affinity(a: ObservedEvent, b: ObservedEvent): number | null {
  if (familyOf(a.type) !== familyOf(b.type)) return null;
  if (a.side && b.side && a.side !== b.side) return null;
  const ta = timeOf(a);
  const tb = timeOf(b);
  const dt = ta != null && tb != null ? Math.abs(ta - tb) : null;
  if (dt != null && dt > EVENT_MINUTE_TOLERANCE) return null;
  const person = samePerson(a, b);
  const sameScore = a.scoreHome != null && a.scoreHome === b.scoreHome && a.scoreAway != null && a.scoreAway === b.scoreAway;
  if (person === false && !(familyOf(a.type) === "goal" && sameScore)) return null;
  if (dt == null && !sameScore && person !== true) return null;
  return (person === true ? 4 : 0) + (sameScore ? 2 : 0) - (dt ?? 1);
}

/** true: the same player; false: two different players; null: cannot tell (a name or id missing). */
export function samePerson(a: Pick<ObservedEvent, "playerId" | "playerName">, b: Pick<ObservedEvent, "playerId" | "playerName">): boolean | null {
  if (a.playerId != null && a.playerId === b.playerId) return true;
  const na = nameParts(a.playerName);
  const nb = nameParts(b.playerName);
  if (!na || !nb) return a.playerId != null && b.playerId != null ? false : null;
  if (na.last !== nb.last) return false;
  return na.initial === nb.initial || !na.initial || !nb.initial;
}

function nameParts(name: string | null): { last: string; initial: string | null } | null {
  if (!name) return null;
  const words = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  if (!words.length) return null;
  return { last: words.at(-1)!, initial: words.length > 1 ? words[0]![0]! : null };
}

function fuseEvents(
  obs: readonly Observation[],
  holder: Observation,
  stalled: ReadonlySet<string>,
  previous: readonly PreviousEvent[],
  rank: (p: string) => number,
): FusedEvent[] {
  let clusters = clusterEvents(obs);
  clusters = dropRuledOutGoals(clusters, holder, stalled, rank);

  const events = clusters.map((members): FusedEvent => {
    const ordered = [...members].sort((a, b) => rank(a.provider) - rank(b.provider));
    const primary = ordered[0]!;
    const e = primary.event;
    const withPlayer = ordered.find((m) => m.event.playerId != null || m.event.playerName != null)?.event;
    const withAssist = ordered.find((m) => m.event.assistId != null || m.event.assistName != null)?.event;
    const nameFor = (id: number | null, own: string | null, key: "player" | "assist") =>
      own ?? (id == null ? null : (ordered.map((m) => m.event).find((x) => (key === "player" ? x.playerId : x.assistId) === id && (key === "player" ? x.playerName : x.assistName))?.[key === "player" ? "playerName" : "assistName"] ?? null));
    return {
      id: null,
      sources: ordered.map((m) => `${m.provider}:${m.event.ref}`).sort(),
      provider: primary.provider,
      ref: e.ref,
      type: e.type,
      minute: e.minute,
      extraMinute: e.extraMinute,
      side: e.side ?? ordered.find((m) => m.event.side)?.event.side ?? null,
      playerId: withPlayer?.playerId ?? null,
      playerName: withPlayer ? nameFor(withPlayer.playerId, withPlayer.playerName, "player") : null,
      assistId: withAssist?.assistId ?? null,
      assistName: withAssist ? nameFor(withAssist.assistId, withAssist.assistName, "assist") : null,
      detail: e.detail ?? ordered.find((m) => m.event.detail != null)?.event.detail ?? null,
      scoreHome: e.scoreHome,
      scoreAway: e.scoreAway,
    };
  });
  events.sort(eventOrder);
  runningScore(events);
  assignIds(events, previous);
  return events;
}

/** Time order; goals without a minute by their running score; then by source for a total order. */
function eventOrder(a: FusedEvent, b: FusedEvent): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta != null && tb != null && ta !== tb) return ta - tb;
  const sa = a.scoreHome != null && a.scoreAway != null ? a.scoreHome + a.scoreAway : null;
  const sb = b.scoreHome != null && b.scoreAway != null ? b.scoreHome + b.scoreAway : null;
  if (sa != null && sb != null && sa !== sb) return sa - sb;
  if (ta != null && tb == null) return -1;
  if (ta == null && tb != null) return 1;
  return a.sources[0]!.localeCompare(b.sources[0]!);
}

/** The running score after each goal, counted over the fused goals (so goals from several providers add up). */
function runningScore(events: FusedEvent[]): void {
  let home = 0;
  let away = 0;
  for (const e of events) {
    if (familyOf(e.type) !== "goal" || !e.side) continue;
    if (e.side === "home") home++;
    else away++;
    e.scoreHome = home;
    e.scoreAway = away;
  }
}

/**
 * Goals the score rules out: once the match is final (not awarded), a side's goals beyond its final score — those
 * the holder of the result did not report go first, then those fewer providers reported; in play, only goals that
 * no provider still holding the match reports, beyond the holder's score.
 */
function dropRuledOutGoals(clusters: Member[][], holder: Observation, stalled: ReadonlySet<string>, rank: (p: string) => number): Member[][] {
  if (holder.homeScore == null || holder.awayScore == null || holder.status === "awarded") return clusters;
  const final = holder.status === "finished";
  if (!final && !IN_PLAY.has(holder.status)) return clusters;
  const drop = new Set<Member[]>();
  for (const side of ["home", "away"] as const) {
    const limit = side === "home" ? holder.homeScore : holder.awayScore;
    const goals = clusters.filter((c) => familyOf(c[0]!.event.type) === "goal" && c.some((m) => m.event.side === side));
    if (goals.length <= limit) continue;
    const candidates = final ? goals : goals.filter((c) => c.every((m) => stalled.has(m.provider)));
    const weight = (c: Member[]) => [c.some((m) => m.provider === holder.provider) ? 0 : 1, -c.length, Math.min(...c.map((m) => rank(m.provider)))];
    const worstFirst = [...candidates].sort((a, b) => {
      const wa = weight(a);
      const wb = weight(b);
      return wb[0]! - wa[0]! || wb[1]! - wa[1]! || wb[2]! - wa[2]! || (timeOf(b[0]!.event) ?? 0) - (timeOf(a[0]!.event) ?? 0);
    });
    for (const c of worstFirst.slice(0, goals.length - limit)) drop.add(c);
  }
  return drop.size ? clusters.filter((c) => !drop.has(c)) : clusters;
}

/**
 * Carries the previous canonical ids over: first to the event sharing the most provider events with it, then —
 * for a provider switch or a corrected scorer, whose provider keys changed — to the closest event of the same side
 * and kind within ±2 minutes. What is left is new (id null).
 */
function assignIds(events: FusedEvent[], previous: readonly PreviousEvent[]): void {
  const free = new Set(previous);
  for (const e of events) {
    let best: PreviousEvent | null = null;
    let shared = 0;
    for (const p of free) {
      const n = p.sources.filter((s) => e.sources.includes(s)).length;
      if (n > shared || (n === shared && n > 0 && best && p.id < best.id)) {
        best = p;
        shared = n;
      }
    }
    if (best) {
      e.id = best.id;
      free.delete(best);
    }
  }
  for (const e of events) {
    if (e.id != null) continue;
    let best: PreviousEvent | null = null;
    let bestDt = Infinity;
    for (const p of free) {
      if (familyOf(p.type) !== familyOf(e.type) || (p.side && e.side && p.side !== e.side)) continue;
      const tp = timeOf(p);
      const te = timeOf(e);
      const dt = tp != null && te != null ? Math.abs(tp - te) : tp == null && te == null ? 0 : Infinity;
      if (dt <= EVENT_MINUTE_TOLERANCE && (dt < bestDt || (dt === bestDt && best && p.id < best.id))) {
        best = p;
        bestDt = dt;
      }
    }
    if (best) {
      e.id = best.id;
      free.delete(best);
    }
  }
}

/** JSON with sorted keys and dates as ISO strings: equal content, equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}
