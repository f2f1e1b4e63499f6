#!/usr/bin/env node
// npm run chaos -- [--faults gateway,message,auth,nats,store] [--clients 100] [--rooms 5] [--rate 100]
//                  [--duration 30] [--down 0] [--message-instances 1] [--mongo-url …] [--json] [--no-build]
//
// Recovery from any single fault, measured from outside. One private stack (NATS with JetStream,
// FerretDB or the MONGO_URL given, auth, message, search, 2 gateways); for each fault in turn, fresh
// clients in fresh rooms (each client in 2 of the rooms, spread over both gateways) send at a
// steady rate; a third of the way in, the fault's process is killed with SIGKILL and started again
// in place `--down` seconds later (as `npm start`'s supervisor does). The clients do what the contract asks
// of them: a dropped socket reconnects (to the other gateway first) and re-joins its rooms with
// `afterSeq`, the last seq it saw without a gap; an unacked send is retried with the same
// `clientMsgId` until acked.
//
// Per fault, one JSON line: sends, acks, ack p50/p99/max (from the first attempt to the ack),
// joins and failed joins, and what the store and the clients hold at the end: lost (acked, not
// stored), duplicates (one clientMsgId stored twice), seq gaps in the store, gaps in what a client
// saw, copies of one message delivered twice to one socket. `--json` prints one array instead.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { PASSWORD, http, pool } from './load.mjs';
import { BenchStack, log, percentile, prepare, round } from './stack-runner.mjs';

const FAULTS = ['gateway', 'message', 'auth', 'nats', 'store'];
const PROCESS_OF = { gateway: 'gateway-0', message: 'message', auth: 'auth', nats: 'nats', store: 'store' };

const { values } = parseArgs({
  options: {
    faults: { type: 'string', default: FAULTS.join(',') },
    clients: { type: 'string', default: '100' },
    rooms: { type: 'string', default: '5' },
    rate: { type: 'string', default: '100' },
    duration: { type: 'string', default: '30' },
    /** Seconds until the killed process is started again: `npm start`'s supervisor restarts a process that had run 10 s at once. */
    down: { type: 'string', default: '0' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
    json: { type: 'boolean', default: false },
    /** The services are built already (`npm test` built them). */
    'no-build': { type: 'boolean', default: false },
    /** Message-service instances: with 2, killing one leaves the other serving (as deployed with replicas). */
    'message-instances': { type: 'string', default: '1' },
  },
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ACK_TIMEOUT_MS = 2000;

/** One user's socket over its life: reconnects, re-joins, what it saw per room. */
class Client {
  constructor(user, roomIds, gatewayUrls, first, stats) {
    Object.assign(this, { user, roomIds, gatewayUrls, gateway: first, stats });
    this.rooms = new Map(roomIds.map((id) => [id, { from: null, upTo: 0, seen: new Set() }]));
    this.closed = false;
  }

  /** Connects (trying the gateways in turn) and joins every room; again after each drop. */
  async start() {
    for (let attempt = 0; !this.closed; attempt++) {
      const url = this.gatewayUrls[(this.gateway + attempt) % this.gatewayUrls.length];
      try {
        this.socket = await this.connect(url);
        this.gateway = this.gatewayUrls.indexOf(url);
        await this.joinAll();
        return;
      } catch {
        await sleep(Math.min(1000, 100 * (attempt + 1)));
      }
    }
  }

  connect(url) {
    return new Promise((resolve, reject) => {
      const s = io(url, { auth: { token: this.user.token }, transports: ['websocket'], reconnection: false });
      const live = new Set();
      s.on('message:new', (m) => {
        if (live.has(m.id)) this.stats.socketDuplicates++;
        live.add(m.id);
        this.saw(m);
      });
      s.once('connect', () => {
        s.once('disconnect', () => {
          if (this.closed) return;
          this.stats.reconnects++;
          void this.start();
        });
        resolve(s);
      });
      s.once('connect_error', (err) => {
        s.close();
        reject(err);
      });
    });
  }

  async joinAll() {
    for (const [roomId, room] of this.rooms) {
      for (;;) {
        const payload = room.from === null ? { roomId } : { roomId, afterSeq: room.upTo };
        const res = await emit(this.socket, 'room:join', payload, 5000);
        this.stats.joins++;
        if (res?.ok) {
          if (room.from === null) room.from = room.upTo = res.room.lastSeq;
          for (const m of res.missed) this.saw(m);
          break;
        }
        this.stats.joinFailures++;
        if (!this.socket.connected) throw new Error('dropped while joining');
        await sleep(300);
      }
    }
  }

  saw(m) {
    const room = this.rooms.get(m.roomId);
    if (!room || room.from === null) return;
    room.seen.add(m.seq);
    while (room.seen.has(room.upTo + 1)) room.upTo++;
  }

  /** Sends until acked, retrying with the same clientMsgId; the ack time counts from the first try. */
  async send(roomId, body) {
    const clientMsgId = randomUUID();
    const started = performance.now();
    this.stats.sent++;
    for (let attempt = 0; performance.now() - started < 60_000; attempt++) {
      if (this.socket?.connected) {
        const res = await emit(this.socket, 'message:send', { roomId, clientMsgId, body }, ACK_TIMEOUT_MS);
        if (res?.ok) {
          this.stats.acks.push(performance.now() - started);
          if (attempt > 0) this.stats.retried++;
          return { clientMsgId, message: res.message };
        }
      }
      await sleep(200);
    }
    this.stats.unacked++;
    return { clientMsgId };
  }

  close() {
    this.closed = true;
    this.socket?.close();
  }
}

function emit(socket, event, payload, timeoutMs) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (err, res) => resolve(err ? null : res));
  });
}

/** Every stored message of a room, paged over HTTP. */
async function history(url, token, roomId) {
  const all = [];
  for (let after = 0; ;) {
    const { messages, hasMore } = await http(
      url,
      'GET',
      `/api/rooms/${roomId}/messages?after=${after}&limit=100`,
      undefined,
      token,
    );
    all.push(...messages);
    if (!hasMore || messages.length === 0) return all;
    after = messages[messages.length - 1].seq;
  }
}

async function runFault(stack, fault, n) {
  const clients = Number(values.clients);
  const rooms = Number(values.rooms);
  const rate = Number(values.rate);
  const durationS = Number(values.duration);
  const url = stack.gatewayUrls[1];
  const stats = {
    sent: 0,
    acks: [],
    retried: 0,
    unacked: 0,
    joins: 0,
    joinFailures: 0,
    reconnects: 0,
    socketDuplicates: 0,
  };

  const run = `${fault}${n}${Date.now().toString(36)}`;
  const users = Array.from({ length: clients + 1 }, (_, i) => ({ username: `k${run}_${i}` }));
  await pool(users, 8, async (u) => {
    await http(url, 'POST', '/api/auth/register', { username: u.username, password: PASSWORD });
    u.token = (await http(url, 'POST', '/api/auth/login', { username: u.username, password: PASSWORD })).token;
  });
  const owner = users.pop();
  const roomIds = [];
  for (let r = 0; r < rooms; r++) {
    roomIds.push((await http(url, 'POST', '/api/rooms', { name: `chaos ${r}`, kind: 'public' }, owner.token)).room.id);
  }
  const all = users.map(
    (u, i) => new Client(u, [roomIds[i % rooms], roomIds[(i + 1) % rooms]], stack.gatewayUrls, i % 2, stats),
  );
  await pool(all, 16, (c) => c.start());
  log(
    `${fault}: ${clients} clients in ${rooms} rooms; ${rate} msg/s for ${durationS} s, SIGKILL at ${round(durationS / 3, 1)} s`,
  );

  const acked = []; // { roomId, clientMsgId, message }
  const sends = [];
  const started = performance.now();
  const fault$ = (async () => {
    await sleep((durationS / 3) * 1000);
    await stack.kill(PROCESS_OF[fault]);
    await sleep(Number(values.down) * 1000);
    await stack.restart(PROCESS_OF[fault]);
  })();
  for (let k = 0; performance.now() - started < durationS * 1000; k++) {
    const wait = started + (k * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const c = all[k % all.length];
    const roomId = c.roomIds[k % 2];
    sends.push(c.send(roomId, `chaos ${k}`).then((r) => r.message && acked.push({ roomId, ...r })));
  }
  await fault$;
  await Promise.all(sends);
  await stack.ready(60_000);
  await sleep(3000); // the last deliveries and re-joins

  // What the store holds, against what was acked.
  let lost = 0;
  let duplicates = 0;
  let storeGaps = 0;
  const stored = new Map();
  for (const roomId of roomIds) {
    const messages = await history(url, owner.token, roomId);
    messages.forEach((m, i) => {
      if (m.seq !== i + 1) storeGaps++;
    });
    const byClientMsgId = new Map();
    for (const m of messages) byClientMsgId.set(m.clientMsgId, (byClientMsgId.get(m.clientMsgId) ?? 0) + 1);
    for (const count of byClientMsgId.values()) if (count > 1) duplicates += count - 1;
    stored.set(roomId, { lastSeq: messages.length ? messages[messages.length - 1].seq : 0, ids: byClientMsgId });
  }
  for (const a of acked) if (!stored.get(a.roomId).ids.has(a.clientMsgId)) lost++;
  // What each client saw, against the store: every seq after its first join, live or caught up.
  let clientGaps = 0;
  for (const c of all) {
    for (const [roomId, room] of c.rooms) {
      for (let seq = room.from + 1; seq <= stored.get(roomId).lastSeq; seq++) if (!room.seen.has(seq)) clientGaps++;
    }
  }
  for (const c of all) c.close();
  const ms = (v) => round(v, 1);
  return {
    fault,
    message_instances: Number(values['message-instances']),
    clients,
    rooms,
    rate,
    duration_s: durationS,
    down_s: Number(values.down),
    sent: stats.sent,
    acked: stats.acks.length,
    unacked: stats.unacked,
    retried: stats.retried,
    ack_p50_ms: ms(percentile(stats.acks, 50)),
    ack_p99_ms: ms(percentile(stats.acks, 99)),
    ack_max_ms: ms(Math.max(...stats.acks)),
    reconnects: stats.reconnects,
    joins: stats.joins,
    join_failures: stats.joinFailures,
    lost,
    duplicates,
    store_gaps: storeGaps,
    client_gaps: clientGaps,
    socket_duplicates: stats.socketDuplicates,
  };
}

async function main() {
  const faults = values.faults.split(',').map((f) => f.trim());
  for (const f of faults)
    if (!FAULTS.includes(f)) throw new Error(`--faults: unknown fault ${f} (${FAULTS.join(', ')})`);
  if (values['mongo-url'] && faults.includes('store')) throw new Error('--faults store needs the embedded store');
  if (!values['no-build']) prepare.build();
  const messages = Number(values['message-instances']);
  const stack = new BenchStack({ gateways: 2, messages, mongoUrl: values['mongo-url'] });
  const results = [];
  try {
    await stack.startInfra();
    await stack.startServices();
    for (const [n, fault] of faults.entries()) {
      const result = await runFault(stack, fault, n);
      if (!values.json) console.log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await stack.stop();
  }
  if (values.json) console.log(JSON.stringify(results));
}

main().catch((err) => {
  console.error(`[chaos] ${err.stack || err.message}`);
  process.exit(1);
});
