// /docs in real headless Chromium with the network closed (started by test/browser/run.mjs): every request that
// is not to the Worker on 127.0.0.1 is aborted and recorded. The page must render the API reference from the
// Worker's own static assets (the renderer bundle, wrangler.toml [assets]) and list the routes of /openapi.json:
// every tag and the summaries of the documented operations. No request may have tried to leave the machine.
import path from 'node:path';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const RENDER_WITHIN_MS = 30_000;

export async function docsOffline({ base, browser, check, log, screenshotDir }) {
  const doc = await (await fetch(`${base}/openapi.json`)).json();
  const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path: p, summary: op.summary, tags: op.tags ?? [] })));
  const tags = [...new Set(operations.flatMap((o) => o.tags))];

  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const blocked = [];
  const served = [];
  // The network is closed: only the Worker answers.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && !LOCAL_HOSTS.has(url.hostname)) {
      blocked.push(url.href);
      return route.abort('internetdisconnected');
    }
    served.push(url.pathname);
    return route.continue();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));

  const t0 = Date.now();
  const res = await page.goto(`${base}/docs`, { waitUntil: 'load' });
  check(res?.status() === 200, `GET /docs → ${res?.status()}`);
  const first = operations.find((o) => o.path === '/v1/matches' && o.method === 'get');
  const rendered = await page
    .waitForFunction((s) => document.body.innerText.includes(s), first.summary, { timeout: RENDER_WITHIN_MS })
    .then(() => true, () => false);
  check(rendered, `the reference rendered "${first.summary}" ${Date.now() - t0} ms after navigation, offline`);
  // Let lazy parts settle before counting what is shown and what was attempted.
  await page.waitForLoadState('networkidle').catch(() => {});
  const text = await page.evaluate(() => document.body.innerText);
  const missingTags = tags.filter((t) => !text.includes(t));
  check(missingTags.length === 0, `every tag of /openapi.json is listed (${tags.length}: ${tags.join(', ')})${missingTags.length ? `; missing: ${missingTags.join(', ')}` : ''}`);
  const shownSummaries = operations.filter((o) => text.includes(o.summary));
  check(shownSummaries.length === operations.length, `every operation's summary is on the page: ${shownSummaries.length}/${operations.length}` +
    `${shownSummaries.length < operations.length ? `; missing: ${operations.filter((o) => !text.includes(o.summary)).map((o) => `${o.method.toUpperCase()} ${o.path}`).join(', ')}` : ''}`);
  check(served.includes('/docs/scalar-api-reference.js') && served.includes('/openapi.json'), `the renderer and the document came from the Worker (${[...new Set(served)].join(', ')})`);
  check(blocked.length === 0, `no request tried to leave the machine${blocked.length ? `: ${[...new Set(blocked)].slice(0, 10).join(', ')}` : ''}`);
  check(errors.length === 0, `no page or console errors${errors.length ? `: ${errors.slice(0, 5).join(' | ')}` : ''}`);
  const shot = path.join(screenshotDir, 'docs-offline.png');
  await page.screenshot({ path: shot });
  log(`  screenshot ${shot}`);
  await context.close();
}
