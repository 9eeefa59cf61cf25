// Provider replay server: answers football-data provider requests from recorded JSON files under
// test/fixtures/<provider>/<path>.json, with a control API (/__replay/*) to inject faults, override
// responses and inspect the requests the Worker made. Tests and `npm run dev` point the providers'
// base URLs here (e.g. OPENLIGADB_BASE_URL=http://127.0.0.1:PORT/openligadb).
// It can also play a live match minute by minute (dev/replay-live.mjs; control routes /__replay/live/*).
import http from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLiveSim } from './replay-live.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROVIDERS = new Set(['openligadb', 'api-football', 'football-data']);
const MODES = new Set(['429', '500', '503', 'slow', 'malformed', 'timeout', 'empty']);
const JSON_TYPE = 'application/json; charset=utf-8';

export async function startReplay({ port = 0, fixturesDir = path.join(REPO, 'test', 'fixtures') } = {}) {
  const root = path.resolve(fixturesDir);
  let faults = []; // { path, mode, times, delayMs, retryAfter }, matched by path prefix, first come first served
  let overrides = new Map(); // exact path -> { status, body, headers }
  let requests = [];
  const held = new Set(); // responses held open by the `timeout` fault
  const live = createLiveSim({ fixturesDir: root }); // the live match simulation (answers while it runs)

  const send = (res, status, body, headers = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const readJson = async (req) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : {};
  };
  function reset() {
    faults = [];
    overrides = new Map();
    requests = [];
    live.stop();
  }

  // The recorded (or overridden) answer for a provider path: { status, text, headers }.
  // With a query string, `<path>@<sorted query>.json` (e.g. api-football/fixtures@league=78&season=2023.json)
  // is preferred, then `<path>.json`; overrides may likewise name a path with or without its query.
  async function recorded(p, segments, url) {
    const query = sortedQuery(url);
    const o = (query && overrides.get(`${p}?${query}`)) || overrides.get(p);
    if (o) return { status: o.status, text: JSON.stringify(o.body), headers: o.headers };
    const simulated = await live.answer(p, url);
    if (simulated) return simulated;
    const base = path.join(root, ...segments);
    if (segments.length < 2 || !base.startsWith(path.join(root, segments[0]) + path.sep)) {
      return { status: 404, text: JSON.stringify({ error: `no recording for ${p}` }), headers: {} };
    }
    for (const file of query ? [`${base}@${query}.json`, `${base}.json`] : [`${base}.json`]) {
      try {
        return { status: 200, text: await readFile(file, 'utf8'), headers: {} };
      } catch {}
    }
    return { status: 404, text: JSON.stringify({ error: `no recording for ${p}${query ? `?${query}` : ''}` }), headers: {} };
  }

  // Query parameters sorted by name, values URI-encoded (so no `/` can reach a file name).
  function sortedQuery(url) {
    return [...url.searchParams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
  }

  async function control(req, res, p, url) {
    const route = `${req.method} ${p}`;
    if (route === 'POST /__replay/faults') {
      const f = await readJson(req);
      if (typeof f.path !== 'string' || !f.path.startsWith('/') || !MODES.has(String(f.mode))) {
        return send(res, 400, { error: `need path (starting with /) and mode (${[...MODES].join('|')})` });
      }
      if (f.times === 0) return send(res, 200, { ok: true });
      faults.push({ path: f.path, mode: String(f.mode), times: f.times ?? 1, delayMs: f.delayMs ?? 3000,
        retryAfter: f.retryAfter ?? 1 });
      return send(res, 200, { ok: true });
    }
    if (route === 'PUT /__replay/override') {
      const o = await readJson(req);
      if (typeof o.path !== 'string' || !o.path.startsWith('/')) return send(res, 400, { error: 'need path' });
      const [op, oq] = o.path.split('?');
      const key = oq ? `${op}?${sortedQuery(new URL(`http://replay/?${oq}`))}` : op;
      overrides.set(key, { status: o.status ?? 200, body: o.body ?? null, headers: o.headers ?? {} });
      return send(res, 200, { ok: true });
    }
    if (route === 'DELETE /__replay/override') {
      return send(res, 200, { ok: true, removed: overrides.delete(url.searchParams.get('path') ?? '') });
    }
    if (route === 'GET /__replay/requests') return send(res, 200, { requests });
    if (p.startsWith('/__replay/live/')) {
      const r = live.control(route, req.method === 'POST' ? await readJson(req) : {});
      if (r) return send(res, r.status, r.body);
    }
    if (route === 'POST /__replay/reset') {
      reset();
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { error: `unknown control route ${route}` });
  }

  async function provider(req, res, p, url, segments) {
    requests.push({ method: req.method, path: p, query: Object.fromEntries(url.searchParams), headers: req.headers,
      at: Date.now() });
    const i = faults.findIndex((f) => p.startsWith(f.path));
    const fault = i >= 0 ? faults[i] : undefined;
    if (fault && fault.times > 0 && --fault.times === 0) faults.splice(i, 1); // times -1: until reset

    // A slow answer carries the data as it was when asked (the provider produced it then; it arrives late).
    const early = fault?.mode === 'slow' ? await recorded(p, segments, url) : null;
    switch (fault?.mode) {
      case '429':
        return send(res, 429, { error: 'rate limited (replay fault)' }, { 'retry-after': String(fault.retryAfter) });
      case '500':
      case '503':
        return send(res, Number(fault.mode), { error: `replay fault ${fault.mode}` });
      case 'empty':
        return send(res, 200, '');
      case 'timeout':
        // Never answer; the client gives up. close() destroys what is still held.
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      case 'slow':
        held.add(res); // so close() does not wait for the delay
        await new Promise((r) => setTimeout(r, fault.delayMs).unref());
        held.delete(res);
        if (res.destroyed) return;
        break;
    }
    const r = early ?? (await recorded(p, segments, url));
    if (fault?.mode === 'malformed') {
      const text = r.status === 200 ? r.text.slice(0, 100) : '{"truncated": [1, 2,';
      return send(res, 200, text);
    }
    return send(res, r.status, r.text, r.headers);
  }

  const server = http.createServer(async (req, res) => {
    try {
      const raw = req.url.split('?')[0];
      const url = new URL(req.url, 'http://replay');
      // Check the raw, decoded segments: URL parsing would silently fold `..` away.
      const segments = raw.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
      if (segments.some((s) => s === '..' || s === '.' || /[\\/\0]/.test(s))) {
        return send(res, 400, { error: `bad path ${raw}` });
      }
      const p = '/' + segments.join('/');
      if (segments[0] === '__replay') return await control(req, res, p, url);
      if (PROVIDERS.has(segments[0])) return await provider(req, res, p, url, segments);
      return send(res, 404, { error: `no recording for ${p}` });
    } catch (e) {
      if (!res.headersSent) send(res, e instanceof SyntaxError || e instanceof URIError ? 400 : 500, { error: e.message });
    }
  });
  server.keepAliveTimeout = 65_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    reset,
    /** The live simulation, for in-process callers (the same as the /__replay/live/* routes). */
    live,
    async close() {
      live.close();
      for (const res of held) res.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// CLI: node dev/replay.mjs [--port 9000] [--fixtures dir]
if (process.argv[1] && import.meta.url === pathToFileURL(await realpath(process.argv[1]).catch(() => '')).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const replay = await startReplay({
    port: Number(arg('--port') ?? 0),
    ...(arg('--fixtures') ? { fixturesDir: arg('--fixtures') } : {}),
  });
  console.log(`replay server listening on ${replay.url}`);
  const stop = () => replay.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
