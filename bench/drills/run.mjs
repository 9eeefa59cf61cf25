// `npm run drills`: every fault drill, one after the other, with PASS/FAIL per drill and one table (printed, and
// written to bench/results/drills.{md,json}). Exit 1 when a drill failed. See BENCHMARKS.md ("Fault drills").
//
//   redis-down      bench/drills/services-down.mjs --service redis      private redis-server killed mid-load, restarted
//   postgres-down   bench/drills/services-down.mjs --service postgres   private PostgreSQL killed mid-load, restarted
//   provider-storm  bench/drills/provider-storm.mjs                     429/5xx/timeouts/malformed on all providers
//   room-restart    bench/drills/room-restart.mjs                       MatchRoom restart mid-match, reconnect with since
//   queue           test/drills-queue.test.ts (vitest, workerd)         duplicate and reordered queue deliveries
//
//   npm run drills [-- --only redis-down,queue] [--db-prefix P (matchday_drill)] [--redis-db N (14)]
// Databases P_redis, P_postgres, P_storm, P_room, P_queue on the shared server are dropped and created; the
// shared Redis db N is flushed. The shared servers are never stopped: the stop/start drills run private ones.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from '../../dev/harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DRILLS = ['redis-down', 'postgres-down', 'provider-storm', 'room-restart', 'queue'];

const args = (() => {
  const a = { only: DRILLS, dbPrefix: 'matchday_drill', redisDb: 14 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--only') a.only = val().split(',').map((s) => s.trim());
    else if (flag === '--db-prefix') a.dbPrefix = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/drills/run.mjs)`);
  }
  for (const d of a.only) if (!DRILLS.includes(d)) throw new Error(`--only: unknown drill ${d} (${DRILLS.join(', ')})`);
  if (!/^[a-z_][a-z0-9_]*$/.test(a.dbPrefix)) throw new Error('--db-prefix: lower-case letters, digits and _ only');
  return a;
})();

function commandFor(drill) {
  const db = (suffix) => ['--database', `${args.dbPrefix}_${suffix}`, '--redis-db', String(args.redisDb)];
  const node = (script, argv) => ({ cmd: process.execPath, argv: [path.join(REPO, script), ...argv] });
  switch (drill) {
    case 'redis-down': return node('bench/drills/services-down.mjs', ['--service', 'redis', ...db('redis')]);
    case 'postgres-down': return node('bench/drills/services-down.mjs', ['--service', 'postgres', ...db('postgres')]);
    case 'provider-storm': return node('bench/drills/provider-storm.mjs', db('storm'));
    case 'room-restart': return node('bench/drills/room-restart.mjs', db('room'));
    case 'queue': return {
      cmd: path.join(REPO, 'node_modules', '.bin', 'vitest'),
      argv: ['run', 'test/drills-queue.test.ts'],
      env: { TEST_DB_NAME: `${args.dbPrefix}_queue`, TEST_REDIS_URL: `redis://127.0.0.1:6379/${args.redisDb}`, MATCHDAY_REQUIRE_SERVICES: '1' },
    };
  }
}

function run(drill) {
  const { cmd, argv, env } = commandFor(drill);
  const shown = [cmd === process.execPath ? 'node' : path.basename(cmd), ...argv.map((a) => (path.isAbsolute(a) ? path.relative(REPO, a) : a))];
  console.log(`\n=== drill ${drill}: ${shown.join(' ')}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('DRILL '));
      let result = line ? JSON.parse(line.slice(6)) : { drill };
      if (drill === 'queue') {
        // vitest: the test file's own assertions are the checks (duplicates, reorder, 0 rows on redelivery).
        const tests = /Tests\s+(?:\u001b\[[0-9;]*m)*\s*(\d+) passed/.exec(out.replace(/\u001b\[[0-9;]*m/g, ''));
        result = { drill, tests: tests ? Number(tests[1]) : 0, rowsLost: code === 0 ? 0 : null, rowsDuplicated: code === 0 ? 0 : null, errorsByStatus: {} };
      }
      resolve({ ...result, drill, passed: code === 0, exitCode: code, seconds: Math.round((Date.now() - t0) / 100) / 10 });
    });
  });
}

const results = [];
for (const drill of args.only) results.push(await run(drill));

const cell = (x) => (x == null ? '—' : typeof x === 'object' ? (Object.keys(x).length ? Object.entries(x).map(([k, v]) => `${k}: ${v}`).join(', ') : 'none') : String(x));
const lines = [
  `# Fault drills — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  '| drill | result | requests served | errors by status | rows lost | rows duplicated | events missed | s |',
  '|---|---|---:|---|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.drill} | ${r.passed ? 'PASS' : '**FAIL**'} | ${cell(r.served ?? r.requests ?? (r.tests != null ? `${r.tests} tests` : null))} | ${cell(r.errorsByStatus)} | ` +
    `${cell(r.rowsLost)} | ${cell(r.rowsDuplicated)} | ${cell(r.eventsMissed)} | ${r.seconds} |`),
  '',
];
for (const r of results.filter((x) => !x.passed)) lines.push(`- ${r.drill} failed: ${(r.failures ?? [r.error ?? `exit ${r.exitCode}`]).join('; ')}`);
const table = lines.join('\n') + '\n';
console.log('\n' + table);
writeResults('drills', { date: new Date().toISOString(), results }, table);
const failed = results.filter((r) => !r.passed);
console.log(failed.length ? `drills: ${failed.length} FAILED (${failed.map((r) => r.drill).join(', ')})` : `drills: all ${results.length} passed`);
process.exit(failed.length ? 1 : 0);
