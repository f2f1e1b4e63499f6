// The load generator: C clients in R public rooms (client i in room i mod R), spread round-robin
// over the gateways within every room, sending at a fixed total rate; every socket of a room is a
// receiver. It checks what the contract promises (every message acked, delivered once to every
// socket of its room, in seq order) and times acks and end-to-end delivery.
import { io } from 'socket.io-client';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { percentile, round } from './stack-runner.mjs';

export const PASSWORD = 'load password 1';

export async function http(url, method, path, body, token) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : {};
}

export function connect(url, token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => reject(new Error(`connect: ${err.message}`)));
  });
}

export function ack(socket, event, payload, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (err, res) => resolve(err ? { ok: false, timeout: true } : res));
  });
}

/** Runs `f` over `items`, `width` at a time. */
export async function pool(items, width, f) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await f(items[i], i);
      }
    }),
  );
}

/**
 * Registers and connects the clients, creates the rooms, joins each client to its room. `floor`:
 * the bare fan-out of scripts/bench/floor (no accounts: a token is a name, a room id any string).
 */
export async function setUp({ gatewayUrls, clients, rooms, floor = false, log = () => {} }) {
  const run = Date.now().toString(36);
  const url0 = gatewayUrls[0];
  const users = Array.from({ length: clients + 1 }, (_, i) => ({ username: `l${run}_${i}` }));
  const roomIds = [];
  if (floor) {
    for (const u of users) u.token = u.username;
    users.pop();
    for (let r = 0; r < rooms; r++) roomIds.push(`load-${run}-${r}`);
  } else {
    await pool(users, 8, async (u) => {
      await http(url0, 'POST', '/api/auth/register', { username: u.username, password: PASSWORD });
      u.token = (await http(url0, 'POST', '/api/auth/login', { username: u.username, password: PASSWORD })).token;
    });
    log(`  ${clients} users registered`);
    // The rooms' creator (a member of all of them) is not among the clients.
    const creator = users.pop();
    for (let r = 0; r < rooms; r++) {
      roomIds.push(
        (await http(url0, 'POST', '/api/rooms', { name: `load ${r}`, kind: 'public' }, creator.token)).room.id,
      );
    }
  }
  // Round-robin over the gateways within every room: member k of a room goes to gateway k mod G.
  const members = new Map(roomIds.map((id) => [id, 0]));
  const sockets = [];
  await pool(users, 16, async (u, i) => {
    const roomId = roomIds[i % rooms];
    const k = members.get(roomId);
    members.set(roomId, k + 1);
    const socket = await connect(gatewayUrls[k % gatewayUrls.length], u.token);
    const joined = await ack(socket, 'room:join', { roomId });
    if (!joined.ok) throw new Error(`room:join: ${JSON.stringify(joined.error)}`);
    sockets[i] = { socket, roomId, gateway: k % gatewayUrls.length };
  });
  log(`  ${clients} sockets connected and joined over ${gatewayUrls.length} gateway(s)`);
  return { sockets, roomIds };
}

/**
 * Sends at `rate` messages/s in total for `durationS` seconds (after `warmupS` not counted), then
 * waits up to `drainS` for what is still under way. `onWindow(stats)` is called every `windowS`
 * with the e2e latencies of that window (for soaks).
 */
export async function runLoad({ sockets, rate, durationS, warmupS = 0, drainS = 10, windowS, onWindow }) {
  const byRoom = new Map();
  for (const s of sockets) byRoom.set(s.roomId, (byRoom.get(s.roomId) ?? 0) + 1);
  const sent = new Map(); // clientMsgId → {at, roomId, counted}
  const lastSeq = new Map(); // socket index → last seq seen (each socket is in one room)
  const recent = new Map(); // socket index → seqs seen lately (a duplicate vs. out of order)
  const stats = { sent: 0, acked: 0, failed: 0, delivered: 0, expected: 0, duplicates: 0, outOfOrder: 0 };
  const ackTimes = [];
  const e2eTimes = [];
  let windowE2e = [];
  let measuring = warmupS === 0;
  const listeners = sockets.map((_, i) => (m) => {
    const info = sent.get(m.clientMsgId);
    if (!info || m.roomId !== sockets[i].roomId) return; // not this run's, or not this socket's room
    const seqs = recent.get(i);
    if (seqs.has(m.seq)) {
      if (info.counted) stats.duplicates++;
      return;
    }
    seqs.add(m.seq);
    if (seqs.size > 4096) for (const old of seqs) if (seqs.size > 2048) seqs.delete(old); // oldest first
    if (m.seq <= lastSeq.get(i)) {
      if (info.counted) stats.outOfOrder++;
    } else lastSeq.set(i, m.seq);
    if (!info.counted) return;
    stats.delivered++;
    const latency = performance.now() - info.at;
    e2eTimes.push(latency);
    windowE2e.push(latency);
  });
  sockets.forEach(({ socket }, i) => {
    recent.set(i, new Set());
    lastSeq.set(i, 0);
    socket.on('message:new', listeners[i]);
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const total = Math.round(rate * (warmupS + durationS));
  const inflight = [];
  let windowTimer;
  if (windowS && onWindow) {
    windowTimer = setInterval(() => {
      const w = windowE2e;
      windowE2e = [];
      onWindow({ e2e: w, elapsedS: (performance.now() - started) / 1000 });
    }, windowS * 1000);
  }
  let measuredFrom = measuring ? started : 0;
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (!measuring && performance.now() - started >= warmupS * 1000) {
      measuring = true;
      measuredFrom = performance.now();
    }
    const client = sockets[n % sockets.length];
    const clientMsgId = randomUUID();
    const counted = measuring;
    const at = performance.now();
    sent.set(clientMsgId, { at, roomId: client.roomId, counted });
    if (counted) {
      stats.sent++;
      stats.expected += byRoom.get(client.roomId);
    }
    inflight.push(
      ack(client.socket, 'message:send', { roomId: client.roomId, clientMsgId, body: `load ${n}` }).then((res) => {
        if (!counted) return;
        if (res.ok) {
          stats.acked++;
          ackTimes.push(performance.now() - at);
        } else stats.failed++;
      }),
    );
  }
  const sendingEnded = performance.now();
  await Promise.all(inflight);
  const deadline = performance.now() + drainS * 1000;
  while (stats.delivered < stats.expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  clearInterval(windowTimer);
  sockets.forEach(({ socket }, i) => socket.off('message:new', listeners[i]));
  loop.disable();
  const cpu = process.cpuUsage(cpuStart);
  const wallS = (performance.now() - started) / 1000;
  const measuredS = (sendingEnded - measuredFrom) / 1000;
  const ms = (v) => round(v, 1);
  return {
    sent: stats.sent,
    acked: stats.acked,
    failed: stats.failed,
    delivered: stats.delivered,
    expected_deliveries: stats.expected,
    missing: stats.expected - stats.delivered,
    duplicates: stats.duplicates,
    out_of_order: stats.outOfOrder,
    ack_p50_ms: ms(percentile(ackTimes, 50)),
    ack_p99_ms: ms(percentile(ackTimes, 99)),
    ack_max_ms: ms(ackTimes.reduce((a, b) => Math.max(a, b), 0)),
    e2e_p50_ms: ms(percentile(e2eTimes, 50)),
    e2e_p99_ms: ms(percentile(e2eTimes, 99)),
    e2e_max_ms: ms(e2eTimes.reduce((a, b) => Math.max(a, b), 0)),
    sent_per_s: round(stats.sent / measuredS, 0),
    delivered_per_s: round(stats.delivered / measuredS, 0),
    generator_cpu_pct: round(((cpu.user + cpu.system) / 1000 / (wallS * 1000)) * 100, 0),
    generator_loop_delay_p99_ms: ms(loop.percentile(99) / 1e6),
  };
}

export function disconnectAll(sockets) {
  for (const { socket } of sockets) socket.disconnect();
}
