// Checks the layer rules both ways (issue 13): `npm run lint:deps` passes on src/, and the same config fails on a
// fixture tree with deliberately wrong imports, naming each broken rule. Run by .ci/run (`node test/deps/run.mjs`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG = path.join(REPO, '.dependency-cruiser.cjs');
const BIN = path.join(REPO, 'node_modules/.bin/depcruise');
// The project's own Node (the `node` devDependency, >= 22 as dependency-cruiser needs) first on PATH.
const env = { ...process.env, PATH: `${path.join(REPO, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}` };
const cruise = (cwd) => spawnSync(BIN, ['src', '--config', CONFIG, '--output-type', 'err'], { cwd, env, encoding: 'utf8' });

let failed = 0;
const check = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); if (!ok) failed++; };

const real = cruise(REPO);
check(real.status === 0, `src/ follows the layer rules${real.status === 0 ? '' : `:\n${real.stdout}${real.stderr}`}`);

const wrong = cruise(path.join(REPO, 'test/deps/fixture'));
const out = wrong.stdout + wrong.stderr;
check(wrong.status !== 0, 'a tree with wrong imports fails');
for (const rule of ['providers-domain-only', 'db-domain-only', 'live-not-api-providers-ingest', 'cache-not-up', 'no-circular']) {
  check(out.includes(`error ${rule}:`), `the failure names the rule ${rule}`);
}
if (failed) { console.log(out); process.exit(1); }
console.log('dependency rules: all checks passed');
