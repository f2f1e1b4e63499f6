#!/usr/bin/env node
// Connections: handshakes per second and memory per idle socket on one gateway.
//   node scripts/bench-connections.mjs [--sockets 10000] [--users 1000] [--rooms-per-user 5]
//        [--concurrency 200] [--url http://127.0.0.1:3000] [--profile DIR]
// Without --url it starts a private stack (NATS, FerretDB, auth, message, search, one gateway).
// Users are each in --rooms-per-user private rooms; every handshake is authenticated (a token of
// its own user, so the gateway's session cache helps only within a user) and has its user's rooms
// loaded and subscribed before the client hears "connected". Then, with every socket idle, the
// gateway's memory (its /metrics: RSS and V8 heap after a GC settles) against before the sockets,
// per socket; and how long one message takes to reach every socket of a room.
// One JSON line on stdout; progress on stderr.
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { PASSWORD, ack, http, pool } from './bench/load.mjs';
import { BenchStack, cpuPercent, cpuSeconds, log, percentile, prepare, round } from './bench/stack-runner.mjs';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    sockets: { type: 'string', default: '10000' },
    users: { type: 'string', default: '1000' },
    'rooms-per-user': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    /** Writes each service's CPU profile (node --cpu-prof) into this directory when the run ends. */
    profile: { type: 'string' },
  },
});
const SOCKETS = Number(values.sockets);
const USERS = Math.min(Number(values.users), SOCKETS);
const ROOMS_PER_USER = Number(values['rooms-per-user']);
const CONCURRENCY = Number(values.concurrency);

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

/** Resolves once connected (its rooms loaded: the gateway does that before it answers). */
function connect(url, token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Users, each in ROOMS_PER_USER private rooms of 10 users (groups of consecutive users). */
async function seed(url) {
  const run = Date.now().toString(36);
  const users = Array.from({ length: USERS }, (_, i) => ({ username: `c${run}_${i}` }));
  await pool(users, 16, async (u) => {
    await http(url, 'POST', '/api/auth/register', { username: u.username, password: PASSWORD });
    u.token = (await http(url, 'POST', '/api/auth/login', { username: u.username, password: PASSWORD })).token;
  });
  log(`${USERS} users registered`);
  const groups = [];
  for (let g = 0; g * 10 < USERS; g++) groups.push(users.slice(g * 10, g * 10 + 10));
  let firstRoom;
  await pool(groups, 8, async (group) => {
    for (let r = 0; r < ROOMS_PER_USER; r++) {
      const members = group.slice(1).map((u) => u.username);
      const { room } = await http(
        url,
        'POST',
        '/api/rooms',
        { name: `g${r}`, kind: 'private', members },
        group[0].token,
      );
      if (group === groups[0] && r === 0) firstRoom = room;
    }
  });
  log(`${groups.length * ROOMS_PER_USER} rooms of up to 10 users, ${ROOMS_PER_USER} per user`);
  return { users, firstRoom, firstGroup: groups[0] };
}

async function settle() {
  await new Promise((r) => setTimeout(r, 3000));
}

async function measure(url, stack) {
  const { users, firstRoom, firstGroup } = await seed(url);
  await settle();
  const rssBefore = await metric(url, 'process_resident_memory_bytes');
  const heapBefore = await metric(url, 'nodejs_heap_size_used_bytes');

  const sockets = [];
  const handshakes = [];
  let failed = 0;
  const t0 = performance.now();
  const cpuBefore = stack && cpuSeconds(stack.pids());
  const ownBefore = process.cpuUsage();
  await pool(
    Array.from({ length: SOCKETS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const started = performance.now();
      try {
        sockets.push({ socket: await connect(url, users[i % USERS].token), user: users[i % USERS] });
        handshakes.push(performance.now() - started);
      } catch {
        failed++;
      }
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  // Each process's CPU while the sockets opened, in % of one core; the generator's own too.
  const cpu = stack && cpuPercent(cpuBefore, cpuSeconds(stack.pids()), seconds);
  const own = process.cpuUsage(ownBefore);
  const generatorCpu = round(((own.user + own.system) / 1e6 / seconds) * 100, 0);
  log(`${sockets.length} sockets in ${seconds.toFixed(1)} s`);
  await settle();
  const rssAfter = await metric(url, 'process_resident_memory_bytes');
  const heapAfter = await metric(url, 'nodejs_heap_size_used_bytes');
  const connected = await metric(url, 'chat_sockets_connected');

  // One message to a room of 10 users: every socket of theirs has it.
  const inRoom = sockets.filter((s) => firstGroup.includes(s.user));
  let got = 0;
  const clientMsgId = randomUUID();
  const all = new Promise((resolve) => {
    for (const { socket } of inRoom) {
      socket.on('message:new', (m) => {
        if (m.clientMsgId === clientMsgId && ++got === inRoom.length) resolve();
      });
    }
  });
  const f0 = performance.now();
  await ack(inRoom[0].socket, 'message:send', { roomId: firstRoom.id, clientMsgId, body: 'fan-out probe' }, 30_000);
  await Promise.race([all, new Promise((r) => setTimeout(r, 30_000))]);
  const fanoutMs = performance.now() - f0;
  for (const { socket } of sockets) socket.close();

  const n = sockets.length;
  return {
    sockets: n,
    failed_handshakes: failed,
    gateway_reports: connected,
    users: USERS,
    rooms_per_user: ROOMS_PER_USER,
    concurrency: CONCURRENCY,
    handshakes_per_s: round(n / seconds, 0),
    handshake_p50_ms: round(percentile(handshakes, 50), 1),
    handshake_p99_ms: round(percentile(handshakes, 99), 1),
    rss_before_mb: round(rssBefore / 2 ** 20, 1),
    rss_after_mb: round(rssAfter / 2 ** 20, 1),
    rss_per_socket_kb: round((rssAfter - rssBefore) / n / 1024, 2),
    heap_per_socket_kb: round((heapAfter - heapBefore) / n / 1024, 2),
    fanout_sockets: inRoom.length,
    fanout_received: got,
    fanout_ms: round(fanoutMs, 1),
    generator_cpu_pct: generatorCpu,
    ...(cpu ? { process_cpu_pct: cpu } : {}),
  };
}

async function main() {
  let stack;
  let url = values.url?.replace(/\/+$/, '');
  if (!url) {
    prepare.build();
    const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    stack = new BenchStack({ gateways: 1, nodeArgs });
    await stack.startInfra();
    await stack.startServices();
    url = stack.gatewayUrls[0];
  }
  try {
    console.log(JSON.stringify(await measure(url, stack)));
  } finally {
    await stack?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
