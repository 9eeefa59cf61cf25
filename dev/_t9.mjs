import net from 'node:net';
import { createRequire } from 'node:module';
import { startPgPipe } from './pg-pipe.mjs';
const WebSocket = createRequire(import.meta.url)('ws');
const msg = (type, payload) => { const b = Buffer.alloc(5 + payload.length); b.write(type, 0, 'latin1'); b.writeInt32BE(4 + payload.length, 1); payload.copy(b, 5); return b; };
const ssl = Buffer.alloc(8); ssl.writeInt32BE(8); ssl.writeInt32BE(80877103, 4);
const startupPayload = Buffer.from('user\0postgres\0\0'); const startup = Buffer.alloc(8 + startupPayload.length); startup.writeInt32BE(startup.length); startup.writeInt32BE(196608, 4); startupPayload.copy(startup, 8);
const trick = msg('Q', Buffer.from('select \'X\0\0\0\x04\'\0', 'latin1')); // contains X 00 00 00 04 inside
const term = msg('X', Buffer.alloc(0));
async function run(name, chunks, expectEnd) {
  let got = 0; let ended = false;
  const srv = net.createServer((s) => { s.on('data', (d) => got += d.length); s.on('end', () => { ended = true; s.end(); }); s.on('error', () => {}); });
  await new Promise(r => srv.listen(0, '127.0.0.1', r));
  const pipe = await startPgPipe();
  const ws = new WebSocket(`${pipe.url}?address=127.0.0.1:${srv.address().port}`);
  let closeInfo = null; ws.on('close', (code) => closeInfo = code); ws.on('error', () => {});
  await new Promise(r => ws.on('open', r));
  for (const c of chunks) { ws.send(c); await new Promise(r => setTimeout(r, 2)); }
  await new Promise(r => setTimeout(r, 100));
  const total = chunks.reduce((a, c) => a + c.length, 0);
  console.log(ended === expectEnd && got === total ? 'ok  ' : 'BAD ', name, { got, total, ended, wsClose: closeInfo });
  ws.terminate(); await pipe.close(); srv.close();
}
const all = Buffer.concat([ssl, startup, trick, msg('P', Buffer.alloc(70000, 1)), term]);
await run('coalesced', [all], true);
await run('byte-by-byte', [...all].map(b => Buffer.from([b])), true);
await run('odd splits', [all.subarray(0, 3), all.subarray(3, 20), all.subarray(20, 70010), all.subarray(70010)], true);
await run('no terminate (trick only)', [Buffer.concat([startup, trick])], false);
await run('X with len!=4 is not terminate', [Buffer.concat([startup, msg('X', Buffer.from('ab'))])], false);
// target refused -> ws dropped
const pipe = await startPgPipe();
const ws = new WebSocket(`${pipe.url}?address=127.0.0.1:1`); ws.on('error', () => {});
console.log('refused ->', await new Promise(r => ws.on('close', (c) => r(c))));
for (const [q, p] of [['address=8.8.8.8:5432', '/v1'], ['', '/v1'], ['address=localhost:5432', '/v9']]) {
  const w = new WebSocket(`ws://127.0.0.1:${pipe.port}${p}?${q}`); w.on('error', () => {});
  console.log(q || '(none)', p, await new Promise(r => w.on('unexpected-response', (_q, res) => r(res.statusCode))));
}
console.log('http', (await fetch(`http://127.0.0.1:${pipe.port}/sql`)).status);
await pipe.close();
