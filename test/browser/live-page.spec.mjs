// The live page in real headless Chromium against a real `wrangler dev --demo` (started by test/browser/run.mjs).
//
// Every change travels the production path: the replay server's OpenLigaDB matchday is overridden (PUT
// /__replay/override) with the next state of 1. FC Köln – FC Bayern München, the live job runs through the admin API
// (POST /v1/admin/jobs/update_live_matches → queue → consumer → OpenLigaDB fetch → Postgres → publish RPC →
// MatchRoom → WebSocket), and the page must show it. Steps:
//   1. ingest the recorded matchday 12; GET /live/abc is a 400 problem, GET /live/{id} the page with a strict CSP
//   2. the match goes live (kick-off 50 minutes ago, 0:1 Kane) — then the page opens: teams, 0 : 1, "Live"
//   3. Köln equalise (1:1): the page shows the new score and the goal, within a few seconds   → screenshot
//   4. the page's socket is dropped and held down while the goal is cancelled by VAR (0:1): on reconnect with
//      ?since=<last seq> the page gets what it missed — score back to 0 : 1, the goal struck through
//   5. full time: "Full-time"                                                                     → screenshot
// Also: the scorer's name carries markup, which must show as text; no console errors, no CSP violations.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJob, waitFor } from '../../dev/harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MATCHDAY_PATH = '/openligadb/getmatchdata/bl1/2023/12';
const LASTCHANGE_PATH = '/openligadb/getlastchangedate/bl1/2023/12';
/** Markup in a provider's text must reach the page as text. */
const SCORER = 'D. Selke <img src=x onerror="window.__xss=1">';
/** How long a change may take from the job's trigger to the page (the queue's batch window alone is 1 s). */
const UPDATE_WITHIN_MS = 8_000;

/** Berlin wall-clock time as OpenLigaDB writes it ("2023-11-25T21:07:45.673"). */
function berlin(date, ms = true) {
  const s = date.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin', hour12: false }).replace(' ', 'T');
  return ms ? `${s}.${String(date.getMilliseconds()).padStart(3, '0')}` : s;
}

/**
 * The recorded matchday 12 with Köln – Bayern (matchID 66734) rewritten: kicked off 50 minutes before `kickoffBase`,
 * running score `score`, goals Kane 19' plus `extraGoals`, finished or not. Everything else as recorded.
 */
export function matchdayWith({ kickoffBase, score, extraGoals = [], finished = false }) {
  const recorded = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/openligadb/getmatchdata/bl1/2023/12.json'), 'utf8'));
  const m = recorded.find((x) => x.matchID === 66734);
  const kickoff = new Date(Math.floor((kickoffBase - 50 * 60_000) / 1000) * 1000);
  m.matchDateTimeUTC = kickoff.toISOString().replace('.000Z', 'Z');
  m.matchDateTime = berlin(kickoff, false);
  m.matchIsFinished = finished;
  m.lastUpdateDateTime = berlin(new Date());
  m.matchResults = [
    { ...m.matchResults.find((r) => r.resultTypeID === 1), pointsTeam1: 0, pointsTeam2: 1 },
    { ...m.matchResults.find((r) => r.resultTypeID === 2), pointsTeam1: score[0], pointsTeam2: score[1] },
  ];
  m.goals = [m.goals[0], ...extraGoals];
  return recorded;
}

const equaliser = {
  goalID: 990001, scoreTeam1: 1, scoreTeam2: 1, matchMinute: 78, goalGetterID: 990101, goalGetterName: SCORER,
  isPenalty: false, isOwnGoal: false, isOvertime: false, comment: null,
};

/**
 * @param {object} t
 * @param {string} t.base          the Worker (wrangler dev)
 * @param {string} t.replayUrl     the provider replay server
 * @param {import('playwright-core').Browser} t.browser
 * @param {(ok: boolean, what: string) => boolean} t.check
 * @param {(...a: unknown[]) => void} t.log
 * @param {string} t.screenshotDir
 */
export async function liveMatchPage({ base, replayUrl, browser, check, log, screenshotDir }) {
  const api = async (p, init) => {
    const r = await fetch(base + p, init);
    const text = await r.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: r.status, headers: r.headers, body };
  };
  const replay = async (p, body) => {
    const r = await fetch(replayUrl + p, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`replay ${p} → ${r.status} ${await r.text()}`);
  };
  /** Runs a job through the admin API and waits until its runs succeeded; returns the job's wall time. */
  const job = async (name, body) => {
    const t0 = Date.now();
    await runJob(base, name, body, { timeoutMs: 30_000 });
    return Date.now() - t0;
  };
  /** Publishes the next state of the match the production way: provider answer changes, the live job runs. */
  const kickoffBase = Date.now();
  let changeNo = 0;
  const publish = async (state) => {
    changeNo++;
    await replay('/__replay/override', { path: MATCHDAY_PATH, body: matchdayWith({ kickoffBase, ...state }) });
    // A new "last change" time, or the live job skips the unchanged-looking matchday.
    await replay('/__replay/override', { path: LASTCHANGE_PATH, body: berlin(new Date(Date.now() + changeNo * 1000)) });
    return job('update_live_matches', { competition: 'BL1', season: 2023 });
  };

  // 1. The recorded matchday, and the page's HTTP answers.
  await job('update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
  const list = await api('/v1/matches?competition=BL1&season=2023&matchday=12');
  const match = list.body.data?.find((m) => m.home.name === '1. FC Köln' && m.away.name === 'FC Bayern München');
  if (!check(Boolean(match), `Köln – Bayern is among the ${list.body.data?.length} matches of matchday 12`)) return;
  const id = match.id;

  const bad = await api('/live/abc');
  check(bad.status === 400 && bad.headers.get('content-type')?.startsWith('application/problem+json') && bad.body.status === 400,
    `GET /live/abc → ${bad.status} ${bad.headers.get('content-type')}`);
  const html = await fetch(`${base}/live/${id}`);
  const csp = html.headers.get('content-security-policy') ?? '';
  check(html.status === 200 && html.headers.get('content-type') === 'text/html; charset=utf-8',
    `GET /live/${id} → ${html.status} ${html.headers.get('content-type')}`);
  check(/default-src 'none'/.test(csp) && /script-src 'sha256-[^']+'(;|$)/.test(csp) && /connect-src 'self'/.test(csp) && !/unsafe-inline|\*/.test(csp),
    `strict CSP: ${csp}`);
  await html.arrayBuffer();

  // 2. Kick-off (50 minutes ago), Kane 19'. Then the page opens.
  await publish({ score: [0, 1] });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Every socket the page opens goes through this route, so the test can see its URL and drop it.
  const sockets = [];
  let holdReconnect = null; // a promise: while set, a new socket reaches the server only when it settles
  await page.routeWebSocket(/\/v1\/matches\/\d+\/live/, async (ws) => {
    const entry = { url: ws.url(), route: ws, server: null };
    sockets.push(entry);
    if (holdReconnect) await holdReconnect;
    entry.server = ws.connectToServer();
  });

  const text = (sel) => page.locator(sel).innerText();
  const scoreIs = async (h, a) => (await text('#score-home')) === String(h) && (await text('#score-away')) === String(a);
  const pageWait = (fn, what, timeout = UPDATE_WITHIN_MS) => waitFor(fn, timeout, what).then(() => true, (e) => (log(`  ${e.message}`), false));

  await page.goto(`${base}/live/${id}`);
  const opened = await pageWait(async () => (await page.evaluate(() => document.body.dataset.connection)) === 'open' && (await scoreIs(0, 1)), 'page connected with 0 : 1');
  check(opened, `page /live/${id} connected and shows ${await text('#home-name')} ${await text('#score')} ${await text('#away-name')}`);
  check((await text('#home-name')) === 'Köln' && (await text('#away-name')) === 'Bayern', 'team names Köln and Bayern');
  check(/^Live/.test(await text('#status')), `status shows "${await text('#status')}"`);
  check((await page.locator('#events li').count()) === 1 && /Kane/.test(await text('#events')), `one event: ${(await text('#events')).replace(/\s+/g, ' ')}`);
  check(sockets.length === 1 && !/since=/.test(sockets[0].url), `first socket without since: ${sockets[0]?.url}`);
  check((await page.getAttribute('#score', 'aria-live')) === 'polite', 'score is an aria-live region');

  // 3. Köln equalise.
  let t0 = Date.now();
  const jobMs = await publish({ score: [1, 1], extraGoals: [equaliser] });
  const equalised = await pageWait(() => scoreIs(1, 1), 'page shows 1 : 1');
  check(equalised, `score changed to 1 : 1 on the page ${Date.now() - t0} ms after the trigger (live job ${jobMs} ms end to end)`);
  const goalRow = page.locator('#events li', { hasText: 'Selke' });
  check((await goalRow.count()) === 1 && (await goalRow.innerText()).includes(SCORER), `the goal is listed, its scorer as text: ${(await goalRow.innerText().catch(() => '')).replace(/\s+/g, ' ')}`);
  check((await page.locator('#events img').count()) === 0 && (await page.evaluate(() => window.__xss)) === undefined, 'markup in data is not interpreted');
  await page.waitForTimeout(1600); // let the score flash fade for the picture
  const shot1 = path.join(screenshotDir, 'live-page-goal.png');
  await page.screenshot({ path: shot1, fullPage: true });
  log(`  screenshot ${shot1}`);

  // 4. Drop the socket and hold the reconnect until the VAR decision is published: the page must catch up by ?since=.
  const seqBefore = Number(await page.evaluate(() => document.body.dataset.seq));
  let release;
  holdReconnect = new Promise((r) => (release = r));
  const current = sockets.at(-1);
  await current.route.close({ code: 4000, reason: 'test drops the connection' }); // the page's side
  await current.server.close({ code: 1000, reason: 'test drops the connection' }); // the room's side
  const dropped = await pageWait(async () => (await page.evaluate(() => document.body.dataset.connection)) !== 'open', 'page notices the drop', 3000);
  check(dropped, `page noticed the drop: "${await text('#conn-text')}"`);
  t0 = Date.now();
  await publish({ score: [0, 1] }); // the goal is gone: VAR
  await waitFor(async () => sockets.length >= 2, 35_000, 'page reconnects').catch((e) => log(`  ${e.message}`));
  release();
  holdReconnect = null;
  const caughtUp = await pageWait(async () => (await scoreIs(0, 1)) && (await page.locator('#events li.removed').count()) === 1, 'page shows the VAR removal');
  const again = sockets.at(-1);
  check(sockets.length === 2 && again.url.endsWith(`?since=${seqBefore}`), `reconnected with ?since=${seqBefore}: ${again?.url}`);
  check(caughtUp, `after reconnecting: ${await text('#score')}, cancelled goal struck through (${Date.now() - t0} ms after the trigger)`);
  check(Number(await page.evaluate(() => document.body.dataset.seq)) > seqBefore, `seq advanced past ${seqBefore}`);

  // 5. Full time.
  t0 = Date.now();
  await publish({ score: [0, 1], finished: true });
  const fullTime = await pageWait(async () => (await text('#status')) === 'Full-time', 'page shows Full-time');
  check(fullTime, `status "${await text('#status')}" ${Date.now() - t0} ms after the trigger`);
  const shot2 = path.join(screenshotDir, 'live-page-final.png');
  await page.screenshot({ path: shot2, fullPage: true });
  log(`  screenshot ${shot2}`);

  check(problems.length === 0, `no console errors or CSP violations${problems.length ? `: ${problems.join(' | ')}` : ''}`);
  await context.close();
}
