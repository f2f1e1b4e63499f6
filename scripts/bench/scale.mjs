#!/usr/bin/env node
// npm run bench:scale -- [--size small|large] [--iterations N] [--mongo-url mongodb://…/db]
//
// Measures p50/p99 of each request the contract offers, through the real stack (gateway HTTP and
// Socket.IO, NATS, auth and message services, the store), once on an empty store (only the
// fixture the operations need) and once after seeding it to --size, and prints their ratio. Every
// request's cost should not depend on how much is stored: `worst_ratio` ≤ 1.5 is the target.
// Progress goes to stderr; one JSON line, last, to stdout.
import { io } from 'socket.io-client';
import { MongoClient } from 'mongodb';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { BenchStack, log, percentile, prepare, round } from './stack-runner.mjs';

const round2 = (n) => round(n, 2);

const SIZES = {
  small: { users: 1_000, sessions: 1_000, rooms: 100, membersPerRoom: 50, messagesPerRoom: 100 },
  large: { users: 100_000, sessions: 100_000, rooms: 10_000, membersPerRoom: 50, messagesPerRoom: 100 },
};

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    iterations: { type: 'string' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
  },
});
const size = SIZES[values.size];
if (!size) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const N = Number(values.iterations ?? (values.size === 'large' ? 300 : 200));
const SLOW_N = Math.max(10, Math.round(N / 2)); // login and register: each costs an argon2id hash
/** Samples of each operation are taken in this many rounds, interleaved, so a passing load spike hits all alike. */
const ROUNDS = 5;
const WARMUP = 10;
const PASSWORD = 'bench password 1';

/** Loaded once the build is done: the seeder takes the services' id functions from dist/. */
let Seeder;

async function main() {
  prepare.build();
  const seed = await import('./seed.mjs');
  Seeder = seed.Seeder;
  const storeHasTtl = seed.storeHasTtl;
  const stack = new BenchStack({ mongoUrl: values['mongo-url'], database: `scale_${Date.now().toString(36)}` });
  await stack.startInfra();
  const client = await MongoClient.connect(stack.mongoUrl);
  const db = client.db();
  try {
    const ttl = await storeHasTtl(db);
    const store = await storeName(db);
    log(`store: ${store}; fixture…`);
    const fixture = await seedFixture(db, ttl);
    await stack.startServices();
    const empty = await measureAll(stack.gatewayUrls[0], fixture, 0);
    await stack.stopServices();

    log(`seeding ${values.size}: ${JSON.stringify(size)}…`);
    const started = Date.now();
    const written = await seedBulk(db, ttl);
    const seedSeconds = round((Date.now() - started) / 1000);
    log(`seeded in ${seedSeconds} s: ${JSON.stringify(written)}`);
    await stack.startServices();
    const seeded = await measureAll(stack.gatewayUrls[0], fixture, 1);
    await stack.stopServices();

    const ops = {};
    let worst = { op: '', ratio: 0 };
    for (const op of Object.keys(empty)) {
      const ratio = round(seeded[op].p99 / empty[op].p99, 2);
      ops[op] = {
        empty_p50_ms: empty[op].p50,
        empty_p99_ms: empty[op].p99,
        seeded_p50_ms: seeded[op].p50,
        seeded_p99_ms: seeded[op].p99,
        ratio,
      };
      if (ratio > worst.ratio) worst = { op, ratio };
    }
    const result = {
      size: { name: values.size, ...sizeTotals(), seed_seconds: seedSeconds },
      store,
      iterations: N,
      ops,
      worst_ratio: worst.ratio,
      worst_op: worst.op,
    };
    console.log(JSON.stringify(result));
  } finally {
    await client.close();
    await stack.stop();
  }
}

function sizeTotals() {
  return {
    users: size.users,
    sessions: size.sessions,
    rooms: size.rooms,
    memberships: size.rooms * size.membersPerRoom,
    messages: size.rooms * size.messagesPerRoom,
  };
}

async function storeName(db) {
  const info = await db.command({ buildInfo: 1 });
  return info.ferretdbVersion || /ferret/i.test(JSON.stringify(info))
    ? `ferretdb-sqlite (mongodb wire ${info.version})`
    : `mongod ${info.version}`;
}

/**
 * What the operations need, in both phases: a user in 50 rooms, the first with 1,000 members and
 * 150 messages; users to log in, to add and to open DMs with; sessions to spend one per request.
 */
async function seedFixture(db, ttl) {
  const seeder = new Seeder(db, { ttl, password: PASSWORD });
  await seeder.init();
  await seeder.markMigrated();
  const per = 2 * (N + WARMUP); // each phase uses fresh ones
  const me = await seeder.user('bench_owner');
  const crowd = [];
  for (let i = 0; i < 999; i++) crowd.push(await seeder.user(`bench_crowd_${i}`));
  const big = await seeder.room('big', [me, ...crowd], 150);
  const rooms = [big];
  for (let i = 1; i < 50; i++) rooms.push(await seeder.room(`mine_${i}`, [me, crowd[i]], 3));
  const pool = async (prefix, n) => {
    const users = [];
    for (let i = 0; i < n; i++) users.push(await seeder.user(`${prefix}_${i}`));
    return users;
  };
  // Member adds and DM opens are other users' (one per phase, in rooms of their own): U's list stays
  // at 50 rooms, and both phases start from the same state.
  const others = [await seeder.user('bench_other_0'), await seeder.user('bench_other_1')];
  const addRooms = [await seeder.room('add_0', [others[0]], 0), await seeder.room('add_1', [others[1]], 0)];
  const logins = await pool('bench_login', 20);
  const toAdd = await pool('bench_add', per);
  const toDm = await pool('bench_dm', per);
  const tokens = [];
  for (let i = 0; i < 3 * per; i++) tokens.push(await seeder.session(me));
  const otherTokens = [await seeder.session(others[0]), await seeder.session(others[1])];
  await seeder.finish();
  return { me, big, sendRoom: rooms[1], addRooms, logins, toAdd, toDm, tokens, ownerToken: tokens.pop(), otherTokens };
}

/** The seeded bulk: users, sessions, private rooms with their members and messages. */
async function seedBulk(db, ttl) {
  const seeder = new Seeder(db, { ttl, password: PASSWORD });
  await seeder.init();
  const users = [];
  for (let i = 0; i < size.users; i++) {
    users.push(await seeder.user(`seed_${i}`));
    if (i % 20_000 === 19_999) log(`  users ${i + 1}`);
  }
  for (let i = 0; i < size.sessions; i++) await seeder.session(users[i % users.length], (i % 10_080) * 60_000);
  let counts = await seeder.finish();
  log(`  users and sessions written: ${JSON.stringify(counts)}`);
  for (let r = 0; r < size.rooms; r++) {
    const members = [];
    for (let m = 0; m < size.membersPerRoom; m++) members.push(users[(r * 7919 + m * 104_729) % users.length]);
    await seeder.room(`seeded_${r}`, [...new Map(members.map((u) => [u.id, u])).values()], size.messagesPerRoom);
    if (r % 1000 === 999) log(`  rooms ${r + 1}`);
  }
  counts = await seeder.finish();
  return counts;
}

class Client {
  constructor(url, token) {
    this.url = url;
    this.token = token;
  }

  async http(method, path, body, token = this.token) {
    const res = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : {};
  }

  connect(token = this.token) {
    return new Promise((resolve, reject) => {
      const s = io(this.url, { auth: { token }, transports: ['websocket'], reconnection: false });
      s.once('connect', () => resolve(s));
      s.once('connect_error', (err) => reject(new Error(`connect: ${err.message}`)));
    });
  }
}

async function ack(socket, event, payload) {
  const res = await socket.timeout(10_000).emitWithAck(event, payload);
  if (!res?.ok) throw new Error(`${event}: ${JSON.stringify(res?.error)}`);
  return res;
}

/** Every operation, WARMUP + n times each, one at a time; p50 and p99 in ms. Phase 0 or 1 picks its own pool items. */
async function measureAll(url, fx, phase) {
  const c = new Client(url, fx.ownerToken);
  const other = new Client(url, fx.otherTokens[phase]);
  const socket = await c.connect();
  const lastSeq = 150;
  const take = (list, i) => list[phase * (N + WARMUP) + i];
  const ops = {
    login: [
      SLOW_N,
      (i) => c.http('POST', '/api/auth/login', { username: fx.logins[i % 20].username, password: PASSWORD }, null),
    ],
    session_uncached: [N, (i) => c.http('GET', '/api/auth/me', undefined, take(fx.tokens, i))],
    handshake_50_rooms: [
      N,
      async (i) => {
        const s = await c.connect(fx.tokens[2 * (N + WARMUP) + phase * (N + WARMUP) + i]);
        s.disconnect();
      },
    ],
    join_0_missed: [N, () => ack(socket, 'room:join', { roomId: fx.big.id, afterSeq: lastSeq })],
    join_100_missed: [N, () => ack(socket, 'room:join', { roomId: fx.big.id, afterSeq: lastSeq - 100 })],
    send: [
      N,
      () => ack(socket, 'message:send', { roomId: fx.sendRoom.id, clientMsgId: randomUUID(), body: 'hello there' }),
    ],
    history_newest: [N, () => c.http('GET', `/api/rooms/${fx.big.id}/messages`)],
    history_before: [N, () => c.http('GET', `/api/rooms/${fx.big.id}/messages?before=${lastSeq - 60}`)],
    history_after: [N, () => c.http('GET', `/api/rooms/${fx.big.id}/messages?after=20`)],
    rooms_list_50: [N, () => c.http('GET', '/api/rooms')],
    room_1000_members: [N, () => c.http('GET', `/api/rooms/${fx.big.id}`)],
    member_add: [
      N,
      (i) =>
        other.http('POST', `/api/rooms/${fx.addRooms[phase].id}/members`, { username: take(fx.toAdd, i).username }),
    ],
    dm_open: [N, (i) => other.http('POST', '/api/dm', { username: take(fx.toDm, i).username })],
    register: [
      SLOW_N,
      () =>
        c.http('POST', '/api/auth/register', { username: `r${randomUUID().slice(0, 20)}`, password: PASSWORD }, null),
    ],
  };
  const times = Object.fromEntries(Object.keys(ops).map((name) => [name, []]));
  const done = Object.fromEntries(Object.keys(ops).map((name) => [name, 0]));
  for (const [, run] of Object.values(ops)) for (let i = 0; i < WARMUP; i++) await run(i);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, [n, run]] of Object.entries(ops)) {
      for (; done[name] < Math.round((n * round) / ROUNDS); done[name]++) {
        const t = performance.now();
        await run(WARMUP + done[name]);
        times[name].push(performance.now() - t);
      }
    }
  }
  const out = {};
  for (const name of Object.keys(ops)) {
    out[name] = { p50: round2(percentile(times[name], 50)), p99: round2(percentile(times[name], 99)) };
    log(`  ${phase ? 'seeded' : 'empty '} ${name.padEnd(20)} p50 ${out[name].p50} ms  p99 ${out[name].p99} ms`);
  }
  socket.disconnect();
  return out;
}

main().catch((err) => {
  console.error(`[bench] ${err.stack || err.message}`);
  process.exit(1);
});
