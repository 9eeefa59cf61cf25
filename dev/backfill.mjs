// `npm run backfill -- --competition BL1 --seasons 2019-2024`: enqueues update_matches for each season through the
// admin API of a running Matchday Edge (POST /v1/admin/jobs/update_matches, one request per season, through the
// typed client), then follows the units in job_runs (GET /v1/admin/jobs/runs?runId=…) with a progress line — units
// done / failed / in progress, rows written, ETA — until every unit has finished. The work itself runs in the Worker's
// queue consumer; stopping this script (Ctrl-C) stops only the following.
//
//   --competition CODE     canonical code (BL1, PL, …)                                   required
//   --seasons A-B | A,B,…  start years, e.g. 2019-2024 or 2021,2023                       required
//   --job NAME             update_matches (default), or another job taking competition + season
//   --url URL              the Worker (default http://127.0.0.1:8787, `npm run dev`)
//   --token T              ADMIN_TOKEN (default: $ADMIN_TOKEN, else .dev.vars, else the demo's dev-admin-token)
//   --poll-ms N            how often job_runs is read (default 1000)
//   --timeout-min N        give up following after N minutes (default 60)
//
// Exit codes: 0 every unit succeeded (or was skipped by the job); 1 some unit failed — dead-lettered after its
// retries, or rejected by the provider — or a season could not be queued, all listed; 2 bad arguments, no server
// at --url, or the admin token refused; 3 still unfinished at --timeout-min (listed).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'matchday-edge/client';
import { readDevVars } from './launch.mjs';

const DEMO_TOKEN = 'dev-admin-token';
/** A unit failed on its last attempt is on its way to the dead-letter queue, whose consumer marks it; wait that long. */
const DLQ_GRACE_MS = 30_000;

export function parseArgs(argv) {
  const a = { competition: null, seasons: null, job: 'update_matches', url: 'http://127.0.0.1:8787', token: null, pollMs: 1000, timeoutMin: 60 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const val = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--competition') a.competition = val().toUpperCase();
    else if (flag === '--seasons' || flag === '--season') a.seasons = parseSeasons(val());
    else if (flag === '--job') a.job = val();
    else if (flag === '--url') a.url = val().replace(/\/+$/, '');
    else if (flag === '--token') a.token = val();
    else if (flag === '--poll-ms') a.pollMs = Number(val());
    else if (flag === '--timeout-min') a.timeoutMin = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of dev/backfill.mjs)`);
  }
  if (!a.competition || !/^[A-Z0-9]{2,5}$/.test(a.competition)) throw new Error('--competition CODE is required (e.g. BL1)');
  if (!a.seasons) throw new Error('--seasons is required (e.g. 2019-2024)');
  if (!(a.pollMs >= 100)) throw new Error('--poll-ms must be at least 100');
  if (!(a.timeoutMin > 0)) throw new Error('--timeout-min must be positive');
  return a;
}

export function parseSeasons(text) {
  const seasons = new Set();
  for (const part of text.split(',').map((s) => s.trim())) {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    if (!m) throw new Error(`--seasons: "${part}" is not a year or a range of years (2019-2024)`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (from > to) throw new Error(`--seasons: ${part} runs backwards`);
    if (from < 1900 || to > 2100) throw new Error(`--seasons: ${part} is outside 1900-2100`);
    for (let y = from; y <= to; y++) seasons.add(y);
  }
  if (seasons.size > 50) throw new Error('--seasons: at most 50 seasons at once');
  return [...seasons].sort((x, y) => x - y);
}

const fmtInt = (n) => n.toLocaleString('en-US');
const fmtDuration = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const unitName = (u) => `${u.competition} ${u.season}${u.params?.matchday ? ` md ${u.params.matchday}` : ''} ${u.provider ?? ''}`.trim();
const isFinal = (u, now) => u.status === 'succeeded' || u.status === 'skipped' || (u.status === 'failed' && (!u.counts?.toDeadLetterQueue || now - Date.parse(u.finishedAt ?? 0) > DLQ_GRACE_MS));

/** The progress line: bar, units done / failed / in progress, rows written, ETA from the finished units' pace. */
export function progressLine(units, startedAt, now = Date.now()) {
  const total = units.length;
  const done = units.filter((u) => u.status === 'succeeded' || u.status === 'skipped').length;
  const failed = units.filter((u) => u.status === 'failed').length;
  const retrying = units.filter((u) => u.status === 'retrying').length;
  const finished = done + failed;
  const rows = units.reduce((n, u) => n + (u.rowsWritten ?? 0), 0);
  const width = 24;
  const filled = total ? Math.round((finished / total) * width) : 0;
  const elapsed = now - startedAt;
  const eta = finished === total ? 'done' : finished ? `ETA ${fmtDuration((elapsed / finished) * (total - finished))}` : 'ETA …';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total} units · ${done} done · ${failed} failed` +
    `${retrying ? ` · ${retrying} retrying` : ''} · ${fmtInt(rows)} rows written · ${fmtDuration(elapsed)} elapsed · ${eta}`;
}

export async function backfill(args, { out = process.stdout, err = process.stderr, fetch: fetchImpl } = {}) {
  const say = (line) => out.write(line + '\n');
  const token = args.token ?? process.env.ADMIN_TOKEN ?? readDevVars().ADMIN_TOKEN ?? DEMO_TOKEN;
  const api = createClient({ baseUrl: args.url, adminToken: token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const notQueued = [];
  const runIds = [];
  let expected = 0;
  say(`backfill: ${args.job} for ${args.competition} ${args.seasons.length === 1 ? args.seasons[0] : `${args.seasons[0]}–${args.seasons.at(-1)} (${args.seasons.length} seasons)`} on ${args.url}`);
  for (const season of args.seasons) {
    let r;
    try {
      r = await api.POST('/v1/admin/jobs/{job}', { params: { path: { job: args.job } }, body: { competition: args.competition, season } });
    } catch (e) {
      err.write(`backfill: no Matchday Edge answers at ${args.url} (${e.cause?.code ?? e.message}). Start it first: npm run dev (or npm run dev -- --demo)\n`);
      return 2;
    }
    if (r.error) {
      const status = r.response.status;
      const detail = r.error.detail ?? r.error.title ?? JSON.stringify(r.error);
      if (status === 401 || status === 403) {
        err.write(`backfill: the admin token was refused (${status}): ${detail} — pass --token or set ADMIN_TOKEN\n`);
        return 2;
      }
      if (status === 400 && runIds.length === 0) {
        err.write(`backfill: ${detail}\n`);
        return 2;
      }
      notQueued.push(`${args.competition} ${season}: not queued (${status}): ${detail}`);
      say(`  ${args.competition} ${season}: not queued — ${detail}`);
      continue;
    }
    runIds.push(r.data.runId);
    expected += r.data.jobRunIds.length;
    say(`  ${args.competition} ${season}: ${r.data.jobRunIds.length} unit${r.data.jobRunIds.length === 1 ? '' : 's'} queued (${r.data.units.map((u) => u.provider).join(', ')})` +
      `${r.data.skipped.length ? `; skipped: ${r.data.skipped.join('; ')}` : ''}`);
  }

  const startedAt = Date.now();
  const until = startedAt + args.timeoutMin * 60_000;
  const tty = Boolean(out.isTTY);
  let units = [];
  let last = '';
  while (runIds.length) {
    const rows = [];
    for (let i = 0; i < runIds.length; i += 50) {
      const { data, error } = await api.GET('/v1/admin/jobs/runs', { params: { query: { runId: runIds.slice(i, i + 50).join(','), limit: 200 } } }).catch((e) => ({ error: { detail: e.message } }));
      if (error) {
        if (Date.now() > until) break;
        say(`  (job runs unreadable for now: ${error.detail ?? error.title}; trying again)`);
        rows.length = 0;
        break;
      }
      rows.push(...data.data);
    }
    if (rows.length >= expected) units = rows.sort((a, b) => a.id - b.id);
    const line = progressLine(units.length ? units : Array.from({ length: expected }, () => ({ status: 'queued' })), startedAt);
    if (tty) out.write(`\r${line}\x1b[K`);
    else if (line.replace(/ · [\d:]+ elapsed · .*$/, '') !== last.replace(/ · [\d:]+ elapsed · .*$/, '')) say(line);
    last = line;
    const now = Date.now();
    if (units.length >= expected && units.every((u) => isFinal(u, now))) break;
    if (now > until) {
      if (tty) out.write('\n');
      const open = units.filter((u) => !isFinal(u, now));
      say(`backfill: still unfinished after ${args.timeoutMin} min (the queue keeps working on them):`);
      for (const u of open) say(`  ${unitName(u)}: ${u.status}${u.error ? ` — ${u.error}` : ''}`);
      return 3;
    }
    await new Promise((r) => setTimeout(r, args.pollMs));
  }
  if (tty && runIds.length) out.write('\n');

  const failed = units.filter((u) => u.status === 'failed');
  const rowsWritten = units.reduce((n, u) => n + (u.rowsWritten ?? 0), 0);
  say(`backfill: ${units.length - failed.length}/${units.length} units succeeded, ${fmtInt(rowsWritten)} rows written in ${fmtDuration(Date.now() - startedAt)}`);
  if (!failed.length && !notQueued.length) return 0;
  say(`backfill: ${failed.length + notQueued.length} failure${failed.length + notQueued.length === 1 ? '' : 's'}:`);
  for (const u of failed) {
    const how = u.counts?.deadLettered ? 'dead-lettered (retries used up)' : u.counts?.toDeadLetterQueue ? 'failed after its retries' : 'failed (not retried)';
    say(`  ${unitName(u)} [job run ${u.id}]: ${how}: ${u.error ?? 'no error recorded'}`);
  }
  for (const line of notQueued) say(`  ${line}`);
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`backfill: ${e.message}`);
    process.exit(2);
  }
  process.once('SIGINT', () => {
    console.log('\nbackfill: stopped following (the queued units keep running in the Worker)');
    process.exit(130);
  });
  process.exit(await backfill(args));
}
