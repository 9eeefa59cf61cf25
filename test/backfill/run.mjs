// Exit codes and progress of `npm run backfill` (dev/backfill.mjs) against a real `wrangler dev --demo` whose
// OpenLigaDB is the replay server (dev/launch.mjs in-process, embedded stand-ins, fresh database; used by CI):
//   1. bad arguments, no server at --url, a refused admin token      → exit 2, nothing queued
//   2. BL1 2023 (recorded)                                             → exit 0, progress to 1/1 units, rows written
//   3. BL1 2021-2023 with the replay answering 2022 with 429 forever   → exit 1: 2022 dead-lettered after its retries
//      (its last error kept), 2021 rejected (no recording: 404, not retried), 2023 done; both failures listed
//   npm run test:backfill [-- --verbose]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, freePort, launchWorker, onInterrupt, stopWorker, waitForHealth } from '../../dev/harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const verbose = process.argv.includes('--verbose');
// wrangler's `#!/usr/bin/env node` must find the project's pinned Node 22 (as under `npm run`).
process.env.PATH = `${path.join(REPO, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`;
const { check, exit } = createChecks();

/** Runs the backfill CLI as a user would; resolves { code, out }. */
function backfill(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'dev', 'backfill.mjs'), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      if (verbose) console.log(out.replace(/^/gm, '     | '));
      resolve({ code, out });
    });
  });
}

for (const k of ['DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'REDIS_URL', 'ADMIN_TOKEN', 'COMPETITIONS', 'SEASONS']) delete process.env[k];
const dir = mkdtempSync(path.join(os.tmpdir(), 'matchday-backfill-'));
process.env.PGLITE_DIR = dir;
let running;
const cleanup = async () => {
  if (running) await stopWorker(running);
  rmSync(dir, { recursive: true, force: true });
};
onInterrupt(cleanup);

try {
  // 1. Refusals before any work.
  let r = await backfill(['--competition', 'BL1', '--seasons', '2024-2019']);
  check(r.code === 2 && /runs backwards/.test(r.out), `--seasons 2024-2019 → exit ${r.code}: ${r.out.trim()}`);
  r = await backfill(['--seasons', '2023']);
  check(r.code === 2 && /--competition CODE is required/.test(r.out), `no --competition → exit ${r.code}`);
  const closed = await freePort();
  r = await backfill(['--competition', 'BL1', '--seasons', '2023', '--url', `http://127.0.0.1:${closed}`]);
  check(r.code === 2 && /no Matchday Edge answers at/.test(r.out) && /npm run dev/.test(r.out), `no server at --url → exit ${r.code}: ${r.out.trim().split('\n').at(-1)}`);

  running = await launchWorker(['--demo', '--port', String(await freePort()), '--persist-to', path.join(dir, 'state')], { echo: verbose });
  const { base } = running;
  await waitForHealth(running.api);
  const replay = (p, body) => fetch(running.standins.replayUrl + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((x) => x.json());

  r = await backfill(['--competition', 'BL1', '--seasons', '2023', '--url', base, '--token', 'not-the-token']);
  check(r.code === 2 && /admin token was refused \(401\)/.test(r.out), `a wrong admin token → exit ${r.code}`);

  // 2. One recorded season.
  const t2 = Date.now();
  r = await backfill(['--competition', 'BL1', '--seasons', '2023', '--url', base, '--poll-ms', '250']);
  const rows = Number(/backfill: 1\/1 units succeeded, ([\d,]+) rows written/.exec(r.out)?.[1]?.replace(/,/g, ''));
  check(r.code === 0 && rows > 2000, `BL1 2023 → exit ${r.code} in ${Date.now() - t2} ms, ${rows} rows written`);
  check(/\[#{24}\] 1\/1 units · 1 done · 0 failed · [\d,]+ rows written · [\d:]+ elapsed · done/.test(r.out) && /\[\.{24}\] 0\/1 units/.test(r.out),
    'progress went from 0/1 to 1/1 units with rows written and elapsed time');

  // 3. A season the provider keeps refusing with 429 (→ dead-letter queue), one it has no data for (404), one fine.
  await replay('/__replay/faults', { path: '/openligadb/getmatchdata/bl1/2022', mode: '429', retryAfter: 1, times: -1 });
  const t3 = Date.now();
  r = await backfill(['--competition', 'BL1', '--seasons', '2021-2023', '--url', base, '--poll-ms', '500', '--timeout-min', '4']);
  const listed = r.out.split('\n').filter((l) => /^ {2}BL1 20\d\d openligadb \[job run \d+\]/.test(l));
  check(r.code === 1, `BL1 2021-2023 with 2022 refused (429) and 2021 unrecorded → exit ${r.code} after ${((Date.now() - t3) / 1000).toFixed(0)} s`);
  check(/backfill: 1\/3 units succeeded/.test(r.out) && /backfill: 2 failures:/.test(r.out), 'summary: 1/3 units succeeded, 2 failures');
  check(listed.some((l) => /^ {2}BL1 2022 openligadb \[job run \d+\]: dead-lettered \(retries used up\): dead-lettered after 6 attempts — last error: openligadb: 429 from /.test(l)),
    `2022 listed as dead-lettered with its last error: ${listed.find((l) => l.includes('2022'))}`);
  check(listed.some((l) => /^ {2}BL1 2021 openligadb \[job run \d+\]: failed \(not retried\): openligadb: 404 from /.test(l)), `2021 listed as rejected: ${listed.find((l) => l.includes('2021'))}`);
  check(/ · 1 retrying · /.test(r.out), 'the progress line showed the unit being retried');
} catch (e) {
  check(false, String(e?.stack ?? e));
} finally {
  await cleanup();
}
exit('backfill test', () => console.log(`--- wrangler dev output (tail) ---\n${(running?.output() ?? '').slice(-4000)}`));
