// Starts the plain-Node reference server (bench/lib/node-baseline.ts): bundles it with esbuild (wrangler's
// dependency) into a temporary file — src/ is TypeScript with extensionless imports, which Node cannot load
// directly — and runs it as a child process. Returns { url, port, child, stop() }.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** `databaseUrl`, `redisUrl`: direct to the servers. `core`: pin the server to this CPU (taskset), or null. */
export async function startNodeBaseline({ databaseUrl, redisUrl, core = null }) {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'matchday-node-baseline-'));
  const outfile = path.join(dir, 'server.mjs');
  await build({
    entryPoints: [path.join(HERE, 'node-baseline.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    external: ['pg-native'],
    // Bundled CommonJS (pg, ioredis) needs `require` inside an ES module.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const cmd = [process.execPath, outfile];
  if (core != null) cmd.unshift('taskset', '-c', String(core));
  const child = spawn(cmd[0], cmd.slice(1), {
    env: { ...process.env, BASELINE_DATABASE_URL: databaseUrl, BASELINE_REDIS_URL: redisUrl, BASELINE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`node baseline exited (${code}): ${out.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`node baseline did not start within 15 s: ${out.slice(-2000)}`)), 15_000).unref();
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => (child.kill('SIGKILL'), r()), 5000);
          child.once('exit', () => (clearTimeout(t), r()));
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
