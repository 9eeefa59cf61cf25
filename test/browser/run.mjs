// Browser tests (`node test/browser/run.mjs`, used by CI): starts the Worker like `npm run dev -- --demo`
// (dev/launch.mjs in-process, so the replay server's URL is at hand) on the embedded stand-ins with a fresh
// database, then in headless Debian Chromium through playwright-core: /docs with the network closed
// (test/browser/docs-offline.spec.mjs) and /live/{id} (test/browser/live-page.spec.mjs).
// Installs nothing: needs /usr/bin/chromium (`apt-get install -y chromium`) and `npm install` (playwright-core).
//
//   node test/browser/run.mjs [--only docs|live] [--screenshots DIR] [--verbose]
//     --only docs|live   one of the two specs
//     --screenshots DIR  where the PNGs go (default: $TMPDIR/matchday-live-page)
//     --verbose          wrangler's own output as it comes (else only its tail, on failure)
// Exit code 0 when every check passed, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, freePort, launchWorker, onInterrupt, stopWorker, waitForHealth } from '../../dev/harness.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// As root in a sandbox with no network (docs: the environment's machine notes). Playwright adds a fresh
// --user-data-dir (a new temporary profile per launch) and --headless itself.
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const TIME_LIMIT_MS = 240_000;

// wrangler needs Node ≥ 22.12: under an older `node`, run again with the project's pinned Node 22.
const bin = path.join(REPO, 'node_modules', '.bin');
if (Number(process.versions.node.split('.')[0]) < 22) {
  const node22 = path.join(bin, 'node');
  if (!existsSync(node22) || process.env.MATCHDAY_BROWSER_REEXEC) {
    console.error(`test/browser: Node ${process.version} is too old for wrangler and ${node22} is missing: run \`npm install\` first.`);
    process.exit(1);
  }
  const r = spawnSync(node22, [SELF, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, MATCHDAY_BROWSER_REEXEC: '1' } });
  process.exit(r.status ?? 1);
}
// wrangler's `#!/usr/bin/env node` must find Node 22 too.
process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;

const args = { screenshots: path.join(os.tmpdir(), 'matchday-live-page'), verbose: false, only: null };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, inline] = process.argv[i].split('=');
  if (flag === '--screenshots') args.screenshots = path.resolve(inline ?? process.argv[++i]);
  else if (flag === '--verbose') args.verbose = true;
  else if (flag === '--only' && ['docs', 'live'].includes(inline ?? process.argv[i + 1])) args.only = inline ?? process.argv[++i];
  else {
    console.error(`unknown option ${process.argv[i]} (see the header of test/browser/run.mjs)`);
    process.exit(1);
  }
}

if (!existsSync(CHROMIUM)) {
  console.error(`test/browser: Chromium not found at ${CHROMIUM}. Install Debian's package first: apt-get install -y chromium` +
    ' (or set CHROMIUM_PATH). Nothing was run.');
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = createRequire(import.meta.url)('playwright-core'));
} catch {
  console.error('test/browser: playwright-core is not installed: run `npm install`. Nothing was run.');
  process.exit(1);
}

const { check, exit } = createChecks();
const log = (...a) => console.log(...a);

// A clean environment: the embedded stand-ins with a fresh database, whatever the caller's shell has set.
for (const k of ['DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'REDIS_URL', 'ADMIN_TOKEN', 'COMPETITIONS', 'SEASONS']) {
  delete process.env[k];
}
const pgliteDir = mkdtempSync(path.join(os.tmpdir(), 'matchday-browser-'));
process.env.PGLITE_DIR = pgliteDir;
// Durable Object storage too: wrangler dev keeps it in .wrangler/state, where a room of an earlier run would still
// hold its match (ids restart at 1 with a fresh database).
const persistDir = path.join(pgliteDir, 'wrangler-state');
mkdirSync(args.screenshots, { recursive: true });

let running;
let browser;
let cleaned;
const cleanup = () =>
  (cleaned ??= (async () => {
    await browser?.close().catch(() => {});
    if (running) await stopWorker(running);
    rmSync(pgliteDir, { recursive: true, force: true });
  })());
onInterrupt(cleanup);
const watchdog = setTimeout(async () => {
  check(false, `the browser test did not finish within ${TIME_LIMIT_MS / 1000} s`);
  await finish();
}, TIME_LIMIT_MS);

async function main() {
  const port = await freePort();
  running = await launchWorker(['--demo', '--port', String(port), '--persist-to', persistDir], { keep: 40_000, echo: args.verbose });
  const { base } = running;
  const replayUrl = running.standins.replayUrl;
  const { liveMatchPage } = await import('./live-page.spec.mjs');
  const { ms } = await waitForHealth(running.get);
  log(`worker up on ${base} after ${ms} ms (replay ${replayUrl})`);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  log(`chromium ${browser.version()} (${CHROMIUM})`);
  if (args.only !== 'live') {
    log('/docs with the network closed:');
    const { docsOffline } = await import('./docs-offline.spec.mjs');
    await docsOffline({ base, browser, check, log, screenshotDir: args.screenshots });
  }
  if (args.only !== 'docs') await liveMatchPage({ base, replayUrl, browser, check, log, screenshotDir: args.screenshots });
}

async function finish() {
  clearTimeout(watchdog);
  await cleanup();
  exit('browser test', (failures) => {
    console.log(`--- wrangler dev output (tail) ---\n${(running?.output() ?? '').slice(-6000)}`);
    console.log(`browser test: ${failures.length} check(s) FAILED`);
  });
}

try {
  await main();
} catch (e) {
  check(false, String(e?.stack ?? e));
}
await finish();
