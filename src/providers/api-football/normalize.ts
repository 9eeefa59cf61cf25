// API-Football v3 → canonical records. Every API-Football quirk is handled here and nowhere else (the real
// samples in shared/provider-samples show each one):
// - status `short` codes → canonical statuses (table below); an unknown code is noted in `discarded` and read
//   as `scheduled` when nothing has happened yet (no elapsed minute, no goals), else `live`;
// - `score.halftime` is filled with the RUNNING score during the first half (live sample: 1H 35', halftime
//   2:0): it is a half-time score only once the first half is over (HT/2H/ET/BT/P/FT/AET/PEN, or elapsed > 45);
// - minute: `status.elapsed` (+ `status.extra`, newer payloads) only while in play (live, halftime, extra time,
//   penalties); null otherwise;
// - `league.round`: "Regular Season - 22" → matchday 22; group rounds ("Group A - 3", "Group 1 - 15",
//   "Group Stage - 3", "League Stage - 5") → stage "Group A" etc. + matchday from the trailing number, and `group`
//   when the round names one group ("Group A", "Group 1"); any other round ("Round of 16", "1st Round",
//   "Apertura - 4", "Semi-finals") → stage = the round text, matchday null (the number of "Apertura - 4" counts
//   within a phase, not a group's matchday: not read);
// - status TBD ("Time To Be Defined"): scheduled, with `kickoffProvisional` (the time shown is a placeholder);
// - kickoff from `fixture.timestamp` (epoch seconds), else `fixture.date` (ISO with offset); no last-modified
//   time exists (`sourceUpdatedAt` null); venue name may be null (reserve leagues);
// - events carry no id: the ref is built from their content (type, minute, extra, team, acting player id or
//   name, detail) plus an occurrence counter for exact duplicates (live sample: two identical 45+6' yellow
//   cards of Njardvik, no player) — so re-ingesting the same list gives the same refs, in any order;
// - event `type`/`detail` words vary in case ("subst", "Second Yellow card"): matched case-insensitively;
// - players and assists with `id: null` but a name (lower leagues): the name is kept, no ref; both may be null;
// - substitutions: `player` is the player going OFF and `assist` the one coming ON in most data (CL sample:
//   Griezmann scores at 35', is `player` of the 105' substitution; Saúl, its `assist`, takes a shoot-out kick),
//   but API-Football is known to swap them for some fixtures (api-sports/public-roadmap #170, #283, #371; live
//   sample: Man City U18 — "L. Fletcher", who scored at 21' and 42', is the `assist` of a 73' substitution). Per
//   match we count evidence from the other events (a player acting before the substitution was on the pitch,
//   one acting after it came on) and swap when the evidence says so; no evidence → the usual orientation.
//   Ours: playerRef = ON, assistRef = OFF;
// - own goals: the event's `team` is the team CREDITED with the goal and `player` plays for the other team
//   (real live payload: Sheffield United U21 v Watford U21, Norrington-Davies scores for Sheffield at 19' and an
//   own goal listed under Watford at 21'; goals 3:1 only add up that way). That is our teamRef convention too.
//   Should a payload list an own goal under the scorer's team (events then disagree with `goals`), flipping the
//   own goals is kept only if it makes the events add up to `goals`;
// - penalty shoot-out kicks arrive as Goal/"Penalty" and Goal/"Missed Penalty" events at 120' with
//   `comments: "Penalty Shootout"` (CL sample): they are not match goals — left out (noted), never counted;
// - goals out of time order (live sample: 45+6' before 45+2'): the running score walks them by elapsed, extra;
// - a goal still listed after a VAR "Goal cancelled"/"Goal Disallowed" event of the same team and minute is
//   dropped when that makes the events add up to `goals`; any other disagreement is noted, events kept as sent;
// - a second booking may come as "Yellow Card" + "Red Card" in the same minute instead of "Second Yellow card"
//   (docs sample 215662: Burbano, booked at 85', both at 90'): kept as sent (yellow_card + red_card);
// - the same player under different name forms ("F. Andrada" / "Federico Andrada"): the longer form is kept;
// - team logos come from varying CDN shards (players sample: media-1 and media-2.api-sports.io for the same
//   team): normalized to media.api-sports.io so a crest does not "change" with every payload;
// - standings: `response[0].league.standings` is one array per group; a single table gets group null; `form`
//   is most recent FIRST ("LDWWW" for Man City's final 2022/23 run W W W D L) and is reversed to oldest first;
// - players: statistics counters are numbers, numeric strings or null (`rating: "6.828571"`), `appearences`
//   (sic), `commited`/`committed`; the statistics entry of the competition's league is used (a player who moved
//   between two clubs of the same league has two: summed, rating weighted by minutes, team = most minutes);
//   red cards = `cards.red` (`yellowred` is not added: "yellowred 1, red 1" in the players sample suggests `red`
//   already counts that sending-off);
//   `paging.current` can be 0 (top scorers): the next page is computed from the page we asked for.
import type { MatchStatus } from "../../domain/vocabulary";
import type { EventRecord, MatchBatch, MatchRecord, PlayerRecord, PlayerSeasonRecord, PlayerStatsBatch, StandingRecord, StandingsBatch, TeamRecord } from "../../domain/canonical";
import type { CompetitionCode } from "../../domain/competitions";
import { cleanPersonName, cleanText, parseUtc } from "../text";
import { nameKey } from "../../domain/names";
import { afEvent, afFixture, afPlayerItem, afPlayerStatistics, afStandingRow, afStandings, parseItems, type AfEvent, type AfFixture, type AfPlayerStatistics } from "./schema";

const PROVIDER = "api_football" as const;

export interface BatchContext {
  competition: CompetitionCode;
  season: number;
}

// --- statuses ---------------------------------------------------------------------------------------------
export const STATUS_CODES: Record<string, MatchStatus> = {
  TBD: "scheduled",
  NS: "scheduled",
  "1H": "live",
  "2H": "live",
  LIVE: "live",
  HT: "halftime",
  ET: "extra_time",
  BT: "extra_time",
  P: "penalties",
  FT: "finished",
  AET: "finished",
  PEN: "finished",
  SUSP: "suspended",
  INT: "suspended",
  PST: "postponed",
  CANC: "cancelled",
  ABD: "abandoned",
  AWD: "awarded",
  WO: "awarded",
};
const IN_PLAY = new Set<MatchStatus>(["live", "halftime", "extra_time", "penalties"]);
/** Codes after which the first half is over (so `score.halftime` is a half-time score). */
const FIRST_HALF_OVER = new Set(["HT", "2H", "ET", "BT", "P", "FT", "AET", "PEN"]);

export function statusOf(f: AfFixture, notes: string[]): MatchStatus {
  const code = (f.fixture.status.short ?? "").trim().toUpperCase();
  const known = STATUS_CODES[code];
  if (known) return known;
  const started = f.fixture.status.elapsed != null || f.goals.home != null || f.goals.away != null;
  const status: MatchStatus = started ? "live" : "scheduled";
  notes.push(`match ${f.fixture.id}: unknown status code ${JSON.stringify(f.fixture.status.short)} (${f.fixture.status.long ?? "no description"}) read as ${status}`);
  return status;
}

/**
 * "Regular Season - 22" → matchday 22; "Group A - 3" → stage and group "Group A", matchday 3; "Group Stage - 3"
 * and "League Stage - 5" → that stage, matchday, no group; any other round → stage = the round, nothing else.
 */
export function roundOf(round: string | null): { matchday: number | null; stage: string | null; group: string | null } {
  const r = cleanText(round);
  if (!r) return { matchday: null, stage: null, group: null };
  const regular = /^regular season\s*-\s*(\d+)$/i.exec(r);
  if (regular) return { matchday: Number(regular[1]), stage: null, group: null };
  const grouped = /^(group\b.*?|league stage)\s*-\s*(\d+)$/i.exec(r);
  if (grouped) {
    const stage = grouped[1]!.trim();
    return { matchday: Number(grouped[2]), stage, group: /^group (stage|phase)$/i.test(stage) || !/^group\s+\S/i.test(stage) ? null : stage };
  }
  return { matchday: null, stage: r, group: null };
}

// --- fixtures ---------------------------------------------------------------------------------------------
export function parseFixtures(response: unknown) {
  return parseItems(afFixture, response, "fixture");
}

/** `/fixtures` items (parsed) → one MatchBatch. Grouping by competition/season is the caller's job. */
export function normalizeFixtures(items: AfFixture[], ctx: BatchContext, invalid: string[] = []): MatchBatch {
  const teams = new Map<string, TeamRecord>();
  const players = new Map<string, PlayerRecord>();
  const matches: MatchRecord[] = [];
  const discarded: string[] = [...invalid];
  const seen = new Set<number>();

  for (const f of items) {
    const ref = String(f.fixture.id);
    if (seen.has(f.fixture.id)) {
      discarded.push(`match ${ref}: listed twice, kept the first`);
      continue;
    }
    seen.add(f.fixture.id);
    const kickoff = f.fixture.timestamp != null ? new Date(f.fixture.timestamp * 1000) : parseUtc(f.fixture.date);
    if (!kickoff || !Number.isFinite(kickoff.getTime())) {
      discarded.push(`match ${ref}: no usable kickoff time`);
      continue;
    }
    const home = teamOf(f.teams.home);
    const away = teamOf(f.teams.away);
    if (!home || !away) {
      discarded.push(`match ${ref}: team without a name`);
      continue;
    }
    teams.set(home.ref, home);
    teams.set(away.ref, away);

    const status = statusOf(f, discarded);
    const code = (f.fixture.status.short ?? "").trim().toUpperCase();
    const { elapsed, extra } = f.fixture.status;
    const minute = IN_PLAY.has(status) && elapsed != null ? elapsed + (extra ?? 0) : null;
    const hasScore = status !== "scheduled" && f.goals.home != null && f.goals.away != null;
    const ht = f.score?.halftime;
    const firstHalfOver = FIRST_HALF_OVER.has(code) || (elapsed ?? 0) > 45;
    const hasHalftime = hasScore && firstHalfOver && ht?.home != null && ht?.away != null;
    const { matchday, stage, group } = roundOf(f.league.round);

    const events =
      f.events == null
        ? null
        : normalizeEvents(f.events, {
            matchRef: ref,
            homeRef: home.ref,
            awayRef: away.ref,
            goals: hasScore ? { home: f.goals.home!, away: f.goals.away! } : null,
            penalties: f.score?.penalty ?? null,
            players,
            notes: discarded,
          });

    matches.push({
      ref,
      matchday,
      stage,
      group,
      kickoff,
      // "TBD" is "Time To Be Defined": the date/time shown is a placeholder.
      kickoffProvisional: code === "TBD",
      status,
      minute,
      homeRef: home.ref,
      awayRef: away.ref,
      homeScore: hasScore ? f.goals.home : null,
      awayScore: hasScore ? f.goals.away : null,
      halftimeHome: hasHalftime ? ht!.home : null,
      halftimeAway: hasHalftime ? ht!.away : null,
      extraTimeHome: hasScore ? (f.score?.extratime?.home ?? null) : null,
      extraTimeAway: hasScore ? (f.score?.extratime?.away ?? null) : null,
      penaltiesHome: hasScore ? (f.score?.penalty?.home ?? null) : null,
      penaltiesAway: hasScore ? (f.score?.penalty?.away ?? null) : null,
      venue: cleanText(f.fixture.venue?.name),
      attendance: null, // not in API-Football's fixture payload
      sourceUpdatedAt: null, // API-Football gives no last-modified time
      events,
    });
  }
  return { provider: PROVIDER, competition: ctx.competition, season: ctx.season, teams: [...teams.values()], players: [...players.values()], matches, discarded };
}

export function teamOf(t: { id: number | null; name: string | null; logo: string | null }): TeamRecord | null {
  const name = cleanText(t.name);
  if (t.id == null || !name) return null;
  return { ref: String(t.id), name, shortName: null, tla: null, crestUrl: crestOf(t.logo) };
}

/** Logos come from CDN shards (media-1/-2/-3.api-sports.io) that vary per payload: one stable URL per logo. */
export function crestOf(logo: string | null): string | null {
  const url = cleanText(logo);
  return url ? url.replace(/^https?:\/\/media-\d+\.api-sports\.io\//i, "https://media.api-sports.io/") : null;
}

// --- events -------------------------------------------------------------------------------------------------
export interface EventContext {
  matchRef: string;
  homeRef: string;
  awayRef: string;
  /** The fixture's own score (`goals`), when known: the events are reconciled with it. */
  goals?: { home: number; away: number } | null;
  /** `score.penalty`, for the note about left-out shoot-out kicks. */
  penalties?: { home: number | null; away: number | null } | null;
  /** Players named by the events (with an id) are added here. */
  players: Map<string, PlayerRecord>;
  /** Dropped or doubtful data, with why. */
  notes: string[];
}

interface Classified {
  e: AfEvent;
  index: number;
  type: EventRecord["type"];
}

const GOAL_TYPES = new Set<EventRecord["type"]>(["goal", "own_goal", "penalty_goal"]);

/** API-Football `type`/`detail` → canonical type; null = not a match event we keep. */
export function eventTypeOf(type: string | null, detail: string | null): EventRecord["type"] | null {
  const t = (type ?? "").trim().toLowerCase();
  const d = (detail ?? "").trim().toLowerCase();
  if (t === "goal") {
    if (d.includes("own")) return "own_goal";
    if (d.includes("missed")) return "missed_penalty";
    if (d.includes("penalty")) return "penalty_goal";
    return "goal";
  }
  if (t === "card") {
    if (d.includes("second")) return "second_yellow";
    if (d.includes("red")) return "red_card";
    if (d.includes("yellow")) return "yellow_card";
    return null;
  }
  if (t === "subst" || t === "substitution") return "substitution";
  if (t === "var") return "var";
  return null;
}

const isShootout = (e: AfEvent) => /shoot-?\s?out/i.test(`${e.comments ?? ""} ${e.detail ?? ""}`);

/** A person's identity within one match: the id, else the name key; null when neither is known. */
function personKey(p: { id: number | null; name: string | null }): string | null {
  if (p.id != null) return `p${p.id}`;
  const name = cleanPersonName(p.name);
  return name ? `n:${nameKey(name)}` : null;
}

const timeOf = (e: AfEvent) => (e.time.elapsed ?? 999) * 100 + (e.time.extra ?? 0);

/** Raw event list (fixture `events` or `/fixtures/events` response) → canonical events, in time order. */
export function normalizeEvents(raw: unknown[], ctx: EventContext): EventRecord[] {
  const parsed = parseItems(afEvent, raw, `match ${ctx.matchRef}: event`);
  ctx.notes.push(...parsed.invalid);

  const kept: Classified[] = [];
  /** Everything understood, shoot-out kicks included: who was on the pitch when (substitution evidence). */
  const evidence: Classified[] = [];
  let shootout = 0;
  parsed.items.forEach((e, index) => {
    const type = eventTypeOf(e.type, e.detail);
    if (!type) {
      ctx.notes.push(`match ${ctx.matchRef}: event ${JSON.stringify(e.type)}/${JSON.stringify(e.detail)} at ${e.time.elapsed ?? "?"}' not understood`);
      return;
    }
    evidence.push({ e, index, type });
    if ((type === "penalty_goal" || type === "missed_penalty") && isShootout(e)) {
      shootout++;
      return;
    }
    kept.push({ e, index, type });
  });
  if (shootout) {
    const p = ctx.penalties;
    const score = p && p.home != null && p.away != null ? ` (shoot-out ${p.home}:${p.away})` : "";
    ctx.notes.push(`match ${ctx.matchRef}: ${shootout} penalty shoot-out kicks left out of the events${score}`);
  }
  // Time order (stable for equal times); the running score follows it.
  kept.sort((a, b) => timeOf(a.e) - timeOf(b.e) || a.index - b.index);

  const swapSubs = substitutionsSwapped(evidence);

  const teamRefOf = (c: Classified): string | null => {
    const id = c.e.team.id;
    if (id == null) return null;
    const ref = String(id);
    if (ref === ctx.homeRef || ref === ctx.awayRef) return ref;
    ctx.notes.push(`match ${ctx.matchRef}: event at ${c.e.time.elapsed ?? "?"}' names team ${ref}, neither home nor away`);
    return null;
  };
  const other = (ref: string | null) => (ref === ctx.homeRef ? ctx.awayRef : ref === ctx.awayRef ? ctx.homeRef : null);

  const records = kept.map((c) => {
    const teamRef = teamRefOf(c);
    let actor = c.e.player;
    let second = c.e.assist;
    if (c.type === "substitution" && !swapSubs) [actor, second] = [c.e.assist, c.e.player]; // usual: assist = ON
    const actorName = cleanPersonName(actor.name);
    const secondName = cleanPersonName(second.name);
    // Own goals: the scorer plays for the other team than the one credited.
    addPlayer(ctx.players, actor.id, actorName, c.type === "own_goal" ? other(teamRef) : teamRef);
    addPlayer(ctx.players, second.id, secondName, teamRef);
    const record: EventRecord = {
      ref: "",
      type: c.type,
      minute: c.e.time.elapsed,
      extraMinute: c.e.time.extra,
      teamRef,
      playerRef: actor.id != null ? String(actor.id) : null,
      playerName: actorName,
      assistRef: second.id != null ? String(second.id) : null,
      assistName: secondName,
      detail: c.type === "var" ? cleanText(c.e.detail) : cleanText(c.e.comments),
      scoreHome: null,
      scoreAway: null,
    };
    return { c, record, refBase: [c.type, c.e.time.elapsed ?? "", c.e.time.extra ?? "", c.e.team.id ?? "", personKey(actor) ?? "-", (c.e.detail ?? "").trim().toLowerCase()].join(":") };
  });

  let events = records.map((r) => r.record);
  events = reconcile(events, records.map((r) => r.c), ctx);

  // Refs: content + occurrence counter (an exact duplicate gets ~2, ~3 …).
  const occurrences = new Map<string, number>();
  const refBase = new Map(records.map((r) => [r.record, r.refBase]));
  for (const e of events) {
    const base = refBase.get(e)!;
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    e.ref = n === 1 ? base : `${base}~${n}`;
  }
  return events;
}

/** Walks the goals in time order and writes the running score on each; returns the final score. */
function runScore(events: EventRecord[], homeRef: string, awayRef: string): { home: number; away: number } {
  let home = 0;
  let away = 0;
  for (const e of events) {
    if (!GOAL_TYPES.has(e.type)) {
      e.scoreHome = null;
      e.scoreAway = null;
      continue;
    }
    if (e.teamRef === homeRef) home++;
    else if (e.teamRef === awayRef) away++;
    e.scoreHome = e.teamRef ? home : null;
    e.scoreAway = e.teamRef ? away : null;
  }
  return { home, away };
}

/**
 * Running score, checked against the fixture's `goals`. When they disagree, two known causes are tried, each
 * kept only if it makes the events add up: own goals listed under the scorer's team, and goals still listed
 * after VAR cancelled them. Otherwise the events stay as sent and the disagreement is noted.
 */
function reconcile(events: EventRecord[], sources: Classified[], ctx: EventContext): EventRecord[] {
  const final = runScore(events, ctx.homeRef, ctx.awayRef);
  const goals = ctx.goals;
  const same = (s: { home: number; away: number }) => goals != null && s.home === goals.home && s.away === goals.away;
  if (!goals || same(final)) return events;

  const ownGoals = events.filter((e) => e.type === "own_goal" && e.teamRef);
  if (ownGoals.length) {
    const flip = (e: EventRecord) => (e.teamRef = e.teamRef === ctx.homeRef ? ctx.awayRef : ctx.homeRef);
    ownGoals.forEach(flip);
    if (same(runScore(events, ctx.homeRef, ctx.awayRef))) {
      ctx.notes.push(`match ${ctx.matchRef}: own goals were listed under the scorer's team; credited to the opponent`);
      for (const e of ownGoals) {
        const scorer = e.playerRef ? ctx.players.get(e.playerRef) : undefined;
        if (scorer) scorer.teamRef = e.teamRef === ctx.homeRef ? ctx.awayRef : ctx.homeRef;
      }
      return events;
    }
    ownGoals.forEach(flip);
    runScore(events, ctx.homeRef, ctx.awayRef);
  }

  const cancelled = new Set<EventRecord>();
  events.forEach((v, i) => {
    if (v.type !== "var" || !/goal (cancel|disallow)/i.test(sources[i]!.e.detail ?? "")) return;
    const goal = [...events.slice(0, i + 1)]
      .reverse()
      .find((g) => GOAL_TYPES.has(g.type) && !cancelled.has(g) && g.teamRef === v.teamRef && v.minute != null && g.minute != null && v.minute - g.minute <= 3);
    if (goal) cancelled.add(goal);
  });
  if (cancelled.size) {
    const rest = events.filter((e) => !cancelled.has(e));
    if (same(runScore(rest, ctx.homeRef, ctx.awayRef))) {
      ctx.notes.push(`match ${ctx.matchRef}: ${cancelled.size} goal(s) cancelled by VAR but still listed, left out`);
      return rest;
    }
    runScore(events, ctx.homeRef, ctx.awayRef);
  }
  ctx.notes.push(`match ${ctx.matchRef}: events add up to ${final.home}:${final.away}, the fixture says ${goals.home}:${goals.away}`);
  return events;
}

/**
 * Whether this match's substitutions list the player coming ON as `player` (API-Football's usual is `assist`).
 * Evidence from the other events: someone acting (goal, card, assist, shoot-out kick …) before a substitution
 * was on the pitch then, someone acting after it was on the pitch then. Majority over the match; ties → usual.
 */
function substitutionsSwapped(events: Classified[]): boolean {
  const actedAt = new Map<string, number[]>();
  const note = (p: { id: number | null; name: string | null }, t: number) => {
    const k = personKey(p);
    if (k) actedAt.set(k, [...(actedAt.get(k) ?? []), t]);
  };
  for (const c of events) {
    if (c.type === "substitution") continue;
    note(c.e.player, timeOf(c.e));
    if (GOAL_TYPES.has(c.type)) note(c.e.assist, timeOf(c.e));
  }
  let usual = 0;
  let swapped = 0;
  const before = (p: AfEvent["player"], t: number) => (actedAt.get(personKey(p) ?? "") ?? []).some((x) => x < t);
  const after = (p: AfEvent["player"], t: number) => (actedAt.get(personKey(p) ?? "") ?? []).some((x) => x > t);
  for (const c of events) {
    if (c.type !== "substitution") continue;
    const t = timeOf(c.e);
    if (before(c.e.player, t)) usual++; // `player` was on the pitch: going off
    if (after(c.e.assist, t)) usual++; // `assist` played after: came on
    if (before(c.e.assist, t)) swapped++;
    if (after(c.e.player, t)) swapped++;
  }
  return swapped > usual;
}

function addPlayer(players: Map<string, PlayerRecord>, id: number | null, name: string | null, teamRef: string | null): void {
  if (id == null) return;
  const ref = String(id);
  const known = players.get(ref);
  const longer = known?.name && (!name || known.name.length >= name.length) ? known.name : name;
  players.set(ref, { ref, name: longer ?? null, teamRef: known?.teamRef ?? teamRef });
}

// --- standings ------------------------------------------------------------------------------------------------
export interface StandingsResult extends StandingsBatch {
  discarded: string[];
}

/** `/standings` response → the provider's table. `leagueId` picks the right league if several are listed. */
export function normalizeStandings(response: unknown, ctx: BatchContext & { leagueId?: number }): StandingsResult {
  const { items, invalid } = parseItems(afStandings, response, "standings");
  const discarded = [...invalid];
  const teams = new Map<string, TeamRecord>();
  const rows: StandingRecord[] = [];
  const league = items.find((x) => ctx.leagueId == null || x.league.id === ctx.leagueId)?.league;
  if (items.length && !league) discarded.push(`standings: no table of league ${ctx.leagueId}`);
  const groups = league?.standings ?? [];
  groups.forEach((group, g) => {
    const parsed = parseItems(afStandingRow, group, `standings group ${g + 1} row`);
    discarded.push(...parsed.invalid);
    for (const r of parsed.items) {
      const team = teamOf(r.team);
      if (!team) {
        discarded.push(`standings: team ${r.team.id} without a name`);
        continue;
      }
      teams.set(team.ref, team);
      rows.push({
        teamRef: team.ref,
        group: groups.length > 1 ? (cleanText(r.group) ?? `Group ${g + 1}`) : null,
        position: r.rank ?? rows.length + 1,
        played: r.all?.played ?? 0,
        won: r.all?.win ?? 0,
        drawn: r.all?.draw ?? 0,
        lost: r.all?.lose ?? 0,
        goalsFor: r.all?.goals.for ?? 0,
        goalsAgainst: r.all?.goals.against ?? 0,
        points: r.points ?? 0,
        form: formOf(r.form),
      });
    }
  });
  return { provider: PROVIDER, competition: ctx.competition, season: ctx.season, teams: [...teams.values()], rows, discarded };
}

/** API-Football's form is most recent first ("LDWWW"); ours is oldest first ("WWWDL"). */
export function formOf(form: string | null): string | null {
  const letters = (form ?? "").toUpperCase().replace(/[^WDL]/g, "");
  return letters ? [...letters].reverse().join("") : null;
}

// --- players ---------------------------------------------------------------------------------------------------
export interface PlayerStatsResult extends PlayerStatsBatch {
  discarded: string[];
}

export interface PlayerPageContext extends BatchContext {
  /** The competition's API-Football league id: picks the statistics entry. */
  leagueId: number;
  /** The page we asked for (1-based). */
  page: number;
  paging: { current: number | null; total: number | null };
}

const POSITIONS: Record<string, string> = {
  goalkeeper: "Goalkeeper",
  g: "Goalkeeper",
  defender: "Defender",
  d: "Defender",
  midfielder: "Midfielder",
  m: "Midfielder",
  attacker: "Attacker",
  forward: "Attacker",
  f: "Attacker",
};

export function positionOf(value: string | null): string | null {
  return POSITIONS[(value ?? "").trim().toLowerCase()] ?? null;
}

/** `/players` or `/players/topscorers` response (same item shape) → players and their season stats. */
export function normalizePlayers(response: unknown, ctx: PlayerPageContext): PlayerStatsResult {
  const { items, invalid } = parseItems(afPlayerItem, response, "player");
  const discarded = [...invalid];
  const teams = new Map<string, TeamRecord>();
  const players = new Map<string, PlayerRecord>();
  const stats = new Map<string, PlayerSeasonRecord>();

  for (const item of items) {
    const ref = String(item.player.id);
    const entries = parseItems(afPlayerStatistics, item.statistics, `player ${ref} statistics`);
    discarded.push(...entries.invalid);
    let mine = entries.items.filter((s) => s.league.id === ctx.leagueId);
    const thisSeason = mine.filter((s) => s.league.season === ctx.season);
    if (thisSeason.length) mine = thisSeason;
    if (!mine.length) {
      discarded.push(`player ${ref}: no statistics for league ${ctx.leagueId}`);
      continue;
    }
    const main = [...mine].sort((a, b) => (b.games.minutes ?? 0) - (a.games.minutes ?? 0) || (b.games.appearances ?? 0) - (a.games.appearances ?? 0))[0]!;
    for (const s of mine) {
      const team = s.team.id != null ? teamOf(s.team) : null;
      if (team) teams.set(team.ref, team);
    }
    const teamRef = main.team.id != null && teams.has(String(main.team.id)) ? String(main.team.id) : null;
    const birth = cleanText(item.player.birth.date);
    players.set(ref, {
      ref,
      name: cleanPersonName(item.player.name),
      teamRef,
      nationality: cleanText(item.player.nationality),
      birthDate: birth && /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth : null,
      position: positionOf(main.games.position),
    });
    stats.set(ref, { playerRef: ref, teamRef, ...sumStatistics(mine) });
  }
  const current = Math.max(ctx.page, ctx.paging.current ?? 0);
  const total = ctx.paging.total ?? current;
  return {
    provider: PROVIDER,
    competition: ctx.competition,
    season: ctx.season,
    teams: [...teams.values()],
    players: [...players.values()],
    stats: [...stats.values()],
    nextPage: current < total ? current + 1 : null,
    discarded,
  };
}

/** One statistics entry, or several of the same league (a transfer within it) added up. */
function sumStatistics(entries: AfPlayerStatistics[]): Omit<PlayerSeasonRecord, "playerRef" | "teamRef"> {
  const sum = (pick: (s: AfPlayerStatistics) => number | null) =>
    entries.reduce<number | null>((acc, s) => {
      const v = pick(s);
      return v == null ? acc : (acc ?? 0) + v;
    }, null);
  const rated = entries.filter((s) => s.games.rating != null);
  const weight = (s: AfPlayerStatistics) => (rated.length > 1 ? (s.games.minutes ?? 0) : 1);
  const totalWeight = rated.reduce((a, s) => a + weight(s), 0);
  const rating = !rated.length
    ? null
    : totalWeight > 0
      ? rated.reduce((a, s) => a + s.games.rating! * weight(s), 0) / totalWeight
      : rated.reduce((a, s) => a + s.games.rating!, 0) / rated.length;
  return {
    appearances: sum((s) => s.games.appearances),
    minutes: sum((s) => s.games.minutes),
    goals: sum((s) => s.goals.total),
    assists: sum((s) => s.goals.assists),
    penalties: sum((s) => s.penalty.scored),
    yellowCards: sum((s) => s.cards.yellow),
    redCards: sum((s) => s.cards.red),
    rating,
  };
}
