// The Worker's static assets (wrangler.toml [assets], directory build/assets): the API reference's renderer, copied
// from the installed @scalar/api-reference package (its single-file browser bundle), so /docs works with no CDN and
// no internet. Run by wrangler's [build] step before every `wrangler dev` / `wrangler deploy`, and by the tests'
// global setup. Copies only when the installed bundle differs from the copy.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ASSETS_DIR = path.join(REPO, 'build', 'assets');
/** Where /docs loads the renderer from (src/app.ts names the same path). */
export const RENDERER_PATH = '/docs/scalar-api-reference.js';

export function buildDocsAssets() {
  // The package's "exports" do not list its browser bundle, so it is found on disk (npm's flat node_modules).
  const pkgJson = path.join(REPO, 'node_modules', '@scalar', 'api-reference', 'package.json');
  const source = path.join(path.dirname(pkgJson), 'dist', 'browser', 'standalone.js');
  if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm install\` (the @scalar/api-reference package ships it)`);
  const target = path.join(ASSETS_DIR, ...RENDERER_PATH.split('/').filter(Boolean));
  mkdirSync(path.dirname(target), { recursive: true });
  const same = existsSync(target) && statSync(target).size === statSync(source).size && readFileSync(target).equals(readFileSync(source));
  if (!same) copyFileSync(source, target);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  return { source, target, version, copied: !same };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = buildDocsAssets();
  console.log(`docs assets: @scalar/api-reference ${r.version} ${r.copied ? 'copied to' : 'up to date in'} ${path.relative(REPO, r.target)}`);
}
