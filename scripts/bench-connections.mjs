#!/usr/bin/env node
// Connection-capacity benchmark against a running gateway (`npm start` in another terminal):
//   node scripts/bench-connections.mjs [--url http://127.0.0.1:3000] [--sockets 2000] [--users 20]
// Opens --sockets Socket.IO connections (spread over --users accounts, each a member of `general`),
// then reads the gateway's own /metrics before and after: resident memory per connection, and
// the time a message takes to reach every socket. Prints numbers; sizes per 10k connections.
import { io } from 'socket.io-client';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    sockets: { type: 'string', default: '2000' },
    users: { type: 'string', default: '20' },
  },
});
const url = values.url.replace(/\/+$/, '');
const SOCKETS = Number(values.sockets);
const USERS = Number(values.users);
const run = Date.now().toString(36);

async function http(method, path, body, token) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function metric(name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

function connect(token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const ack = (s, ev, payload) =>
  new Promise((resolve, reject) =>
    s.timeout(30_000).emit(ev, payload, (err, res) => (err ? reject(err) : resolve(res))),
  );

async function settle() {
  if (global.gc) global.gc();
  await new Promise((r) => setTimeout(r, 3000));
}

async function main() {
  const tokens = [];
  for (let i = 0; i < USERS; i++) {
    const username = `c${run}_${i}`;
    await http('POST', '/api/auth/register', { username, password: 'bench-password-1' });
    tokens.push((await http('POST', '/api/auth/login', { username, password: 'bench-password-1' })).token);
  }
  const { rooms } = await http('GET', '/api/rooms', undefined, tokens[0]);
  const general = rooms.find((r) => r.name === 'general');
  const first = await connect(tokens[0]);
  for (const t of tokens) {
    const s = t === tokens[0] ? first : await connect(t);
    await ack(s, 'room:join', { roomId: general.id });
    if (s !== first) s.close();
  }

  await settle();
  const rssBefore = await metric('process_resident_memory_bytes');
  const heapBefore = await metric('nodejs_heap_size_used_bytes');
  const sockets = [first];
  const t0 = performance.now();
  while (sockets.length < SOCKETS) {
    const batch = [];
    for (let i = 0; i < 50 && sockets.length + batch.length < SOCKETS; i++) {
      batch.push(connect(tokens[(sockets.length + i) % tokens.length]));
    }
    sockets.push(...(await Promise.all(batch)));
  }
  const connectSecs = (performance.now() - t0) / 1000;
  await settle();
  const rssAfter = await metric('process_resident_memory_bytes');
  const heapAfter = await metric('nodejs_heap_size_used_bytes');
  const connected = await metric('chat_sockets_connected');

  // One message to every socket: how long until the last one has it.
  let got = 0;
  let allGot;
  const done = new Promise((r) => (allGot = r));
  const clientMsgId = randomUUID();
  for (const s of sockets) {
    s.on('message:new', (m) => {
      if (m.clientMsgId === clientMsgId && ++got === sockets.length) allGot();
    });
  }
  const f0 = performance.now();
  await ack(first, 'message:send', { roomId: general.id, clientMsgId, body: 'fan-out probe' });
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  const fanoutMs = performance.now() - f0;

  const n = sockets.length - 1;
  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  const perConn = (rssAfter - rssBefore) / n;
  console.log(`gateway               ${url}`);
  console.log(
    `sockets opened        ${n} in ${connectSecs.toFixed(1)} s (${(n / connectSecs).toFixed(0)}/s); gateway reports ${connected}`,
  );
  console.log(
    `gateway RSS           ${mb(rssBefore)} MiB → ${mb(rssAfter)} MiB  (${(perConn / 1024).toFixed(1)} KiB per connection)`,
  );
  console.log(`gateway heap used     ${mb(heapBefore)} MiB → ${mb(heapAfter)} MiB`);
  console.log(`fan-out of 1 message  ${got}/${sockets.length} sockets in ${fanoutMs.toFixed(0)} ms`);
  console.log(`per 10k connections   ≈ ${mb(perConn * 10_000)} MiB of gateway memory on top of its base`);
  for (const s of sockets) s.close();
  if (got !== sockets.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
