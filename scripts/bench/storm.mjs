// The reconnect storm of `npm run bench -- --storm`: C clients, each in 2 of R public rooms, spread
// over 2 gateways; sends go through the second gateway at a steady rate; the first is killed with
// SIGKILL. Each of its clients then connects to the second (as behind a proxy) and re-joins its
// rooms with `afterSeq`, the last seq it saw. Prints how long until all of them were back, how long
// each join took, the sends' acks on the surviving gateway meanwhile, and whether every client ends
// up with every message of its rooms (live or in `missed`), none twice on one socket.
import { randomUUID } from 'node:crypto';
import { PASSWORD, ack, connect, http, pool } from './load.mjs';
import { percentile, round } from './stack-runner.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (v) => round(v, 1);

/** One client: its sockets over time, what it has seen per room. */
class Client {
  constructor(user, roomIds) {
    this.user = user;
    this.roomIds = roomIds;
    this.seen = new Map(roomIds.map((id) => [id, new Set()]));
    this.last = new Map(roomIds.map((id) => [id, 0]));
    this.from = new Map(); // roomId → the room's lastSeq when first joined
    this.duplicates = 0;
  }

  attach(socket) {
    this.socket = socket;
    const live = new Set(); // one socket never gets a seq twice (across sockets, `missed` may repeat one)
    socket.on('message:new', (m) => {
      if (!this.seen.has(m.roomId)) return;
      const key = `${m.roomId}:${m.seq}`;
      if (live.has(key)) this.duplicates++;
      live.add(key);
      this.saw(m);
    });
  }

  saw(m) {
    this.seen.get(m.roomId).add(m.seq);
    if (m.seq > this.last.get(m.roomId)) this.last.set(m.roomId, m.seq);
  }
}

export async function storm({ stack, clients, rooms, rate, durationS, log }) {
  const survivorUrl = stack.gatewayUrls[1]; // clients on gateway 0 are the victims
  const run = Date.now().toString(36);
  const users = Array.from({ length: clients + 1 }, (_, i) => ({ username: `s${run}_${i}` }));
  await pool(users, 16, async (u) => {
    await http(survivorUrl, 'POST', '/api/auth/register', { username: u.username, password: PASSWORD });
    u.token = (await http(survivorUrl, 'POST', '/api/auth/login', { username: u.username, password: PASSWORD })).token;
  });
  const creator = users.pop();
  const roomIds = [];
  for (let r = 0; r < rooms; r++) {
    roomIds.push(
      (await http(survivorUrl, 'POST', '/api/rooms', { name: `storm ${r}`, kind: 'public' }, creator.token)).room.id,
    );
  }
  log(`  ${clients} users, ${rooms} rooms`);

  const all = users.map((u, i) => new Client(u, [roomIds[i % rooms], roomIds[(i + 1) % rooms]]));
  await pool(all, 16, async (c, i) => {
    c.gateway = i % 2;
    c.attach(await connect(stack.gatewayUrls[c.gateway], c.user.token));
    for (const roomId of c.roomIds) {
      const res = await ack(c.socket, 'room:join', { roomId });
      if (!res.ok) throw new Error(`room:join: ${JSON.stringify(res.error)}`);
      c.from.set(roomId, res.room.lastSeq);
      c.last.set(roomId, res.room.lastSeq);
    }
  });
  const victims = all.filter((c) => c.gateway === 0);
  const senders = all.filter((c) => c.gateway === 1);
  log(`  ${clients} clients connected: ${victims.length} on the gateway to be killed`);

  // Sends through the survivor at `rate`, all along.
  const acked = new Map(roomIds.map((id) => [id, new Set()]));
  const acks = []; // [sentAt, ackMs]
  let failedSends = 0;
  let sending = true;
  const inflight = [];
  const sender = (async () => {
    const started = performance.now();
    for (let n = 0; sending; n++) {
      const wait = started + (n * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const c = senders[n % senders.length];
      const roomId = c.roomIds[0];
      const at = performance.now();
      inflight.push(
        ack(c.socket, 'message:send', { roomId, clientMsgId: randomUUID(), body: `storm ${n}` }).then((res) => {
          if (res.ok) {
            acks.push([at, performance.now() - at]);
            acked.get(roomId).add(res.message.seq);
          } else failedSends++;
        }),
      );
    }
  })();

  await sleep(3000);
  const killedAt = performance.now();
  log(`  SIGKILL to the gateway holding ${victims.length} clients`);
  const joins = [];
  let joinFailures = 0;
  let connectRetries = 0;
  const rejoined = victims.map(
    (c) =>
      new Promise((resolve) => {
        const back = async () => {
          // The last seq seen before the drop: the new socket hears the rooms' events at once,
          // so what it hears before its joins answer says nothing of what was missed.
          const afterSeq = new Map(c.last);
          for (;;) {
            try {
              c.attach(await connect(survivorUrl, c.user.token));
              break;
            } catch {
              connectRetries++;
              await sleep(100);
            }
          }
          for (const roomId of c.roomIds) {
            const t0 = performance.now();
            const res = await ack(c.socket, 'room:join', { roomId, afterSeq: afterSeq.get(roomId) }, 10_000);
            joins.push(performance.now() - t0);
            if (!res.ok) {
              joinFailures++;
              continue;
            }
            for (const m of res.missed) c.saw(m);
          }
          resolve(performance.now() - killedAt);
        };
        c.socket.once('disconnect', () => void back());
      }),
  );
  stack.gatewayProcesses[0].kill('SIGKILL');
  const backAfter = await Promise.all(rejoined);
  const allBackS = Math.max(...backAfter) / 1000;
  await sleep(durationS * 1000);
  sending = false;
  await sender;
  await Promise.all(inflight);
  await sleep(2000); // the last deliveries

  // During the storm: from the kill until every victim was back, and one second more.
  const stormEnd = killedAt + allBackS * 1000 + 1000;
  const during = acks.filter(([at]) => at >= killedAt && at <= stormEnd).map(([, t]) => t);
  let missing = 0;
  let duplicates = 0;
  for (const c of all) {
    duplicates += c.duplicates;
    for (const roomId of c.roomIds) {
      for (const seq of acked.get(roomId)) if (seq > c.from.get(roomId) && !c.seen.get(roomId).has(seq)) missing++;
    }
  }
  for (const c of all) c.socket.disconnect();
  return {
    clients,
    rooms,
    victims: victims.length,
    all_rejoined_s: round(allBackS, 2),
    rejoin_p50_s: round(percentile(backAfter, 50) / 1000, 2),
    joins: joins.length,
    join_failures: joinFailures,
    join_p50_ms: ms(percentile(joins, 50)),
    join_p99_ms: ms(percentile(joins, 99)),
    join_max_ms: ms(Math.max(...joins)),
    connect_retries: connectRetries,
    sends_during_storm: during.length,
    storm_ack_p50_ms: ms(percentile(during, 50)),
    storm_ack_p99_ms: ms(percentile(during, 99)),
    storm_ack_max_ms: ms(Math.max(...during)),
    sends: acks.length,
    failed_sends: failedSends,
    missing,
    duplicates,
  };
}
