#!/usr/bin/env node
// Throughput benchmark against a running stack (`npm start` in another terminal):
//   node scripts/bench-throughput.mjs [--url http://127.0.0.1:3000] [--senders 10] [--receivers 10]
//                                     [--messages 3000] [--window 8]
// Senders pipeline message:send (at most --window unacked each) into one public room; receivers
// count message:new. Prints acked messages/s, delivered events/s and latency percentiles.
import { io } from 'socket.io-client';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    senders: { type: 'string', default: '10' },
    receivers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '3000' },
    window: { type: 'string', default: '8' },
  },
});
const url = values.url.replace(/\/+$/, '');
const SENDERS = Number(values.senders);
const RECEIVERS = Number(values.receivers);
const TOTAL = Number(values.messages);
const WINDOW = Number(values.window);
const PASSWORD = 'bench-password-1';
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

async function user(i) {
  const username = `b${run}_${i}`;
  await http('POST', '/api/auth/register', { username, password: PASSWORD });
  const { token } = await http('POST', '/api/auth/login', { username, password: PASSWORD });
  return { username, token };
}

function connect(token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const ack = (s, ev, payload) =>
  new Promise((resolve, reject) => {
    s.timeout(30_000).emit(ev, payload, (err, res) => (err ? reject(err) : resolve(res)));
  });

function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  const users = [];
  for (let i = 0; i < SENDERS + RECEIVERS; i++) users.push(await user(i));
  const { room } = await http('POST', '/api/rooms', { name: `bench ${run}`, kind: 'public' }, users[0].token);
  const sockets = await Promise.all(users.map((u) => connect(u.token)));
  for (const s of sockets) {
    const r = await ack(s, 'room:join', { roomId: room.id });
    if (!r.ok) throw new Error(`join failed: ${JSON.stringify(r)}`);
  }
  const senders = sockets.slice(0, SENDERS);
  const receivers = sockets.slice(SENDERS);

  const sentAt = new Map();
  const deliveryLatency = [];
  let delivered = 0;
  const expected = TOTAL * RECEIVERS;
  let allDelivered;
  const done = new Promise((r) => (allDelivered = r));
  for (const s of receivers) {
    s.on('message:new', (m) => {
      if (m.roomId !== room.id) return;
      const t0 = sentAt.get(m.clientMsgId);
      if (t0 !== undefined) deliveryLatency.push(performance.now() - t0);
      if (++delivered === expected) allDelivered();
    });
  }
  if (expected === 0) allDelivered();

  const ackLatency = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    senders.map(async (s) => {
      const lanes = Array.from({ length: WINDOW }, async () => {
        while (next < TOTAL) {
          next++;
          const clientMsgId = randomUUID();
          const t0 = performance.now();
          sentAt.set(clientMsgId, t0);
          const r = await ack(s, 'message:send', { roomId: room.id, clientMsgId, body: `bench ${clientMsgId}` });
          if (!r.ok) throw new Error(`send failed: ${JSON.stringify(r.error)}`);
          ackLatency.push(performance.now() - t0);
        }
      });
      await Promise.all(lanes);
    }),
  );
  const ackedIn = (performance.now() - start) / 1000;
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  const deliveredIn = (performance.now() - start) / 1000;

  ackLatency.sort((a, b) => a - b);
  deliveryLatency.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  console.log(`gateway            ${url}`);
  console.log(`senders/receivers  ${SENDERS}/${RECEIVERS}, window ${WINDOW} per sender`);
  console.log(`messages acked     ${TOTAL} in ${f(ackedIn)} s  → ${f(TOTAL / ackedIn)} msg/s`);
  console.log(
    `events delivered   ${delivered}/${expected} in ${f(deliveredIn)} s → ${f(delivered / deliveredIn)} events/s`,
  );
  console.log(
    `ack latency ms     p50 ${f(pct(ackLatency, 50))}  p95 ${f(pct(ackLatency, 95))}  p99 ${f(pct(ackLatency, 99))}`,
  );
  console.log(
    `delivery latency   p50 ${f(pct(deliveryLatency, 50))}  p95 ${f(pct(deliveryLatency, 95))}  p99 ${f(pct(deliveryLatency, 99))} ms`,
  );
  for (const s of sockets) s.close();
  if (delivered !== expected) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
