// Private PostgreSQL and Redis servers for the fault drills, so a drill can stop and restart them without touching
// the machine's shared servers (127.0.0.1:5432 and :6379, which tests and other people use). Each lives in its own
// temporary directory on a free port and is removed by destroy().
//
//   startPrivateRedis()     redis-server (no persistence, like the shared one): { url, port, stop(), start(), destroy() }
//   startPrivatePostgres()  initdb + pg_ctl from /usr/lib/postgresql/<version>/bin, run as the `postgres` OS user
//                           when this process is root (Postgres refuses to run as root): { url, port, stop(), start(),
//                           destroy() }; stop() is `pg_ctl stop -m immediate` (a crash, not a polite shutdown)
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '../../dev/harness.mjs';
import { probeTcp } from '../../dev/standins.mjs';

export async function startPrivateRedis() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'matchday-drill-redis-'));
  let child = null;
  const start = async () => {
    child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitFor(() => probeTcp('127.0.0.1', port, 300), 10_000, `private redis-server on :${port}`);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL'); // abrupt, as a crash or a lost host would be
    await gone;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin (initdb, pg_ctl)');
  return path.join(root, versions[0], 'bin');
}

export async function startPrivatePostgres() {
  const bin = pgBin();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'matchday-drill-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (pw.status !== 0) throw new Error('running as root and there is no `postgres` OS user to run the private server as');
    chownSync(dir, Number(pw.stdout), Number(gid.stdout));
  }
  const run = (tool, argv) => {
    const cmd = asRoot ? ['runuser', '-u', 'postgres', '--', path.join(bin, tool), ...argv] : [path.join(bin, tool), ...argv];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${tool} ${argv.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    await waitFor(() => probeTcp('127.0.0.1', port, 300), 10_000, `private PostgreSQL on :${port}`);
  };
  const stop = async (mode = 'immediate') => {
    try {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    } catch (e) {
      if (!/Is server running\?|no server running/i.test(e.message)) throw e;
    }
  };
  await start();
  // The app's database, as the shared server's drills would have it.
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE matchday');
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/matchday`,
    port,
    start,
    stop,
    async destroy() {
      await stop('fast').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
