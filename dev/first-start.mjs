// Data on first start (used by dev/launch.mjs): when `npm run dev` finds no match in the database, it runs
// update_matches once for the tracked competitions and seasons (COMPETITIONS / SEASONS: the current season unless
// set) as soon as the Worker answers, and follows the units in job_runs, printing one line per outcome: the rows a
// unit wrote, or why it failed — a provider that cannot be reached gets a line pointing at `npm run dev -- --demo`.
// The work is enqueued the way an operator would: POST /v1/admin/jobs/update_matches through the typed client when
// ADMIN_TOKEN is set, else the daily cron through wrangler's /__scheduled (it is the cron that runs update_matches;
// the odds job riding on it skips itself without API_FOOTBALL_KEY).
import pg from 'pg';
import { createClient } from 'matchday-edge/client';

const TERMINAL = new Set(['succeeded', 'skipped', 'failed']);
const UNREACHABLE = /network|fetch failed|no answer within|timed? ?out|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|connect|DNS|internal error/i;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function query(databaseUrl, text, params = []) {
  // One short connection per query: the embedded PGlite serves every connection from one backend.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Whether the database has no match at all (a first start). */
export async function hasNoMatches(databaseUrl) {
  const [row] = await query(databaseUrl, 'select not exists (select 1 from matches) as empty');
  return row.empty;
}

/**
 * Waits for the Worker at `base`, enqueues update_matches and follows it. Resolves to
 * { units: [{ provider, competition, season, status, rowsWritten, error }], matches } once every unit finished or
 * was reported failing (retries go on in the background), or after `timeoutMs`.
 */
export async function runFirstStart({ base, databaseUrl, adminToken, log = console.log, gone = () => false, timeoutMs = 180_000 }) {
  const until = Date.now() + timeoutMs;
  while (!(await fetch(`${base}/health`).then((r) => r.status === 200, () => false))) {
    if (gone() || Date.now() > until) return null;
    await sleep(500);
  }
  const since = new Date(Date.now() - 1000);
  let ids = null;
  if (adminToken) {
    const api = createClient({ baseUrl: base, adminToken });
    const { data, error } = await api.POST('/v1/admin/jobs/{job}', { params: { path: { job: 'update_matches' } }, body: {} });
    if (error) {
      log(`first start: update_matches was not queued: ${error.detail ?? error.title}`);
      return { units: [], matches: 0 };
    }
    ids = data.jobRunIds;
  } else {
    const r = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('0 0 * * *')}`);
    if (r.status !== 200) {
      log(`first start: the daily cron did not run (${r.status})`);
      return { units: [], matches: 0 };
    }
  }
  log(`first start: the database has no matches — update_matches runs once for the tracked competitions and seasons`);

  const reported = new Map();
  let hinted = false;
  let units = [];
  const emptyUntil = Date.now() + 15_000;
  while (!gone() && Date.now() < until) {
    await sleep(1000);
    units = (
      await query(
        databaseUrl,
        `select id, provider, competition, season, status, rows_written as "rowsWritten", error from job_runs
          where job = 'update_matches' and ${ids ? 'id = any($1)' : 'queued_at >= $1'} order by id`,
        [ids ?? since],
      ).catch(() => [])
    ).map((u) => ({ ...u, provider: u.provider ?? 'no provider' }));
    if (!units.length) {
      if (Date.now() > emptyUntil) {
        log('first start: no update_matches unit was queued (no provider covers the tracked competitions: see "job unit skipped" in the log)');
        break;
      }
      continue;
    }
    for (const u of units) {
      const what = `${u.competition} ${u.season} from ${u.provider}`;
      if (reported.has(u.id)) continue;
      if (u.status === 'succeeded' || u.status === 'skipped') {
        reported.set(u.id, u.status);
        log(`first start: ${what}: ${u.status === 'skipped' ? `skipped (${u.error})` : `${u.rowsWritten ?? 0} rows written`}`);
      } else if ((u.status === 'retrying' || u.status === 'failed') && u.error && !/rate budget/.test(u.error)) {
        reported.set(u.id, u.status);
        const unreachable = UNREACHABLE.test(u.error);
        log(`first start: ${what} ${unreachable ? 'could not reach the provider' : 'failed'}: ${u.error.slice(0, 300)}` +
          (u.status === 'retrying' ? ' (the queue retries it in the background)' : ''));
        if (unreachable && !hinted) {
          hinted = true;
          log('first start: no internet here? `npm run dev -- --demo` serves recorded OpenLigaDB matches (BL1 2023/24) from test/fixtures instead.');
        }
      }
    }
    if (units.every((u) => reported.has(u.id) || TERMINAL.has(u.status))) break;
  }
  const [{ n }] = await query(databaseUrl, 'select count(*)::int as n from matches').catch(() => [{ n: null }]);
  if (units.length && [...reported.values()].some((s) => s === 'succeeded')) log(`first start: ${n} matches stored`);
  return { units, matches: n };
}
