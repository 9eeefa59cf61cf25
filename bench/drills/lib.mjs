// Shared pieces of the fault drills (bench/drills/*.mjs; `npm run drills` runs them all through bench/drills/run.mjs):
//
//   startReadLoad     concurrent fetch loops against the Worker, every response recorded (time, path kind, status,
//                     X-Cache, content type, Retry-After) — fetch rather than autocannon because each drill checks
//                     every failed response's headers, which autocannon does not expose
//   canonicalState    the stored data as natural keys (no ids, which differ between runs), with duplicate counts
//   compareStates     rows lost, changed and duplicated between a reference state and the state after a drill
//   drillReport       the standard report every drill prints: requests served, errors by status, rows lost or
//                     duplicated, events missed, checks; the last line is `DRILL {json}` for the runner
import { createChecks } from '../../dev/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `routes`: [{ kind, path: string | (i) => string }]; `connections` loops, each taking the routes in turn.
 * Returns { stop(): Promise<responses>, responses } where a response is { t, kind, status, xcache, type, retryAfter, ms }
 * (status 0 = the fetch itself failed).
 */
export function startReadLoad(base, routes, { connections = 4, timeoutMs = 10_000 } = {}) {
  const responses = [];
  let running = true;
  let i = 0;
  const loop = async (c) => {
    for (let k = c; running; k++) {
      const route = routes[k % routes.length];
      const p = typeof route.path === 'function' ? route.path(i++) : route.path;
      const t = Date.now();
      try {
        const r = await fetch(base + p, { signal: AbortSignal.timeout(timeoutMs) });
        const body = await r.text();
        responses.push({ t, kind: route.kind, status: r.status, xcache: r.headers.get('x-cache'), type: r.headers.get('content-type'),
          retryAfter: r.headers.get('retry-after'), ms: Date.now() - t, problem: r.status >= 400 ? safeJson(body) : undefined });
      } catch (e) {
        responses.push({ t, kind: route.kind, status: 0, error: String(e?.cause?.code ?? e?.name ?? e), ms: Date.now() - t });
        await sleep(50);
      }
    }
  };
  const loops = Array.from({ length: connections }, (_, c) => loop(c));
  return {
    responses,
    async stop() {
      running = false;
      await Promise.all(loops);
      return responses;
    },
  };
}

const safeJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
};

/** { status: count } of responses (optionally only those matching `filter`). */
export function byStatus(responses, filter = () => true) {
  const out = {};
  for (const r of responses) if (filter(r)) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

/**
 * The stored data as natural keys: matches by competition, season, kick-off and the two clubs' names (→ status and
 * score), events by match key + provider + the provider's event id, teams by name, external refs by their key.
 * `dup*`: rows beyond the first with the same natural key (must be 0).
 */
export async function canonicalState(db) {
  const q = async (text) => (await db.query(text)).rows;
  const matches = await q(`select c.code || ' ' || s.year || ' ' || to_char(m.kickoff at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') || ' ' || h.name || ' - ' || a.name as key,
      m.status || ' ' || coalesce(m.home_score::text, '-') || ':' || coalesce(m.away_score::text, '-') as value
    from matches m join competitions c on c.id = m.competition_id join seasons s on s.id = m.season_id
    join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id`);
  const events = await q(`select c.code || ' ' || s.year || ' ' || h.name || ' - ' || a.name || ' ' || e.provider || ' ' || e.provider_event_id as key
    from match_events e join matches m on m.id = e.match_id join competitions c on c.id = m.competition_id
    join seasons s on s.id = m.season_id join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id`);
  const [dups] = await q(`select
      (select count(*) - count(distinct (season_id, home_team_id, away_team_id)) from matches)::int as matches,
      (select count(*) - count(distinct (match_id, provider, provider_event_id)) from match_events)::int as events,
      (select count(*) - count(distinct lower(name)) from teams)::int as teams,
      (select count(*) - count(distinct (kind, provider, external_id)) from external_refs)::int as refs`);
  const matchMap = new Map(matches.map((r) => [r.key, r.value]));
  return {
    counts: { matches: matches.length, events: events.length },
    matches: matchMap,
    events: new Set(events.map((r) => r.key)),
    // Same natural key twice in the query results (e.g. two match rows for one fixture) also counts as a duplicate.
    duplicates: { ...dups, matchKeys: matches.length - matchMap.size },
  };
}

/**
 * Rows of `ref` missing from `cur` (lost), with another value (changed), rows in `cur` that `ref` lacks (extra), and
 * rows sharing a natural key in `cur` (duplicated).
 */
export function compareStates(ref, cur) {
  let lost = 0;
  let changed = 0;
  for (const [k, v] of ref.matches) {
    if (!cur.matches.has(k)) lost++;
    else if (cur.matches.get(k) !== v) changed++;
  }
  for (const k of ref.events) if (!cur.events.has(k)) lost++;
  const extra = [...cur.matches.keys()].filter((k) => !ref.matches.has(k)).length + [...cur.events].filter((k) => !ref.events.has(k)).length;
  const d = cur.duplicates;
  return { lost, changed, extra, duplicated: d.matches + d.events + d.teams + d.refs + d.matchKeys };
}

/**
 * The drill's checks and report. report(fields) prints the summary table lines and `DRILL {json}`, then exits
 * (1 when a check failed). fields: { requests, errorsByStatus, rowsLost, rowsDuplicated, eventsMissed, notes }.
 */
export function drillReport(name) {
  const checks = createChecks();
  const started = Date.now();
  return {
    ...checks,
    report(fields) {
      const result = { drill: name, passed: checks.failures.length === 0, seconds: Math.round((Date.now() - started) / 100) / 10, ...fields, failures: checks.failures };
      console.log(`${name}: ${result.passed ? 'PASSED' : 'FAILED'} — requests served ${fields.requests ?? '—'}, errors by status ${JSON.stringify(fields.errorsByStatus ?? {})}, ` +
        `rows lost ${fields.rowsLost ?? '—'}, rows duplicated ${fields.rowsDuplicated ?? '—'}, events missed ${fields.eventsMissed ?? '—'}`);
      console.log(`DRILL ${JSON.stringify(result)}`);
      return result;
    },
  };
}

/** Non-2xx responses grouped by status, with the path kind: { "503 uncached": n, … } (status 0: fetch failed). */
export function errorsByStatus(responses) {
  const out = {};
  for (const r of responses) if (r.status < 200 || r.status >= 300) out[`${r.status} ${r.kind}`] = (out[`${r.status} ${r.kind}`] ?? 0) + 1;
  return out;
}
