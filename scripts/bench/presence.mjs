#!/usr/bin/env node
// Presence traffic a gateway hears when it has interest in few of the online users.
//   node scripts/bench/presence.mjs [--users 1000] [--window 30]
// A private stack with 2 gateways. Gateway 0 holds one socket of each of --users users (private
// rooms of 10 consecutive users); gateway 1 holds one socket of an observer who is a member of the
// first room only. nats-server's /connz counts what is delivered to gateway 1's NATS connections:
// while the users connect, while they sit idle for --window seconds, and while they disconnect.
// The observer's socket checks the contract: online and offline of its 10 room-mates, nobody else.
// One JSON line on stdout; progress on stderr.
import { parseArgs } from 'node:util';
import { PASSWORD, connect, http, pool } from './load.mjs';
import { BenchStack, log, provision } from './stack-runner.mjs';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    window: { type: 'string', default: '30' },
  },
});
const USERS = Number(values.users);
const WINDOW_S = Number(values.window);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class PresenceStack extends BenchStack {
  async startInfra() {
    await super.startInfra();
    // Again with a monitoring port: /connz tells what each connection received.
    await provision.stopProcess(this.process('nats'), 5_000);
    const port = Number(new URL(this.natsUrl).port);
    this.monitorPort = await provision.freePort();
    await this.add('nats', () =>
      provision.startNats({ port, monitorPort: this.monitorPort, jetstreamDir: `${this.dir}/jetstream` }),
    );
  }

  /** Messages and bytes delivered so far to the connections of one process (by INSTANCE_NAME). */
  async received(name) {
    const res = await fetch(`http://127.0.0.1:${this.monitorPort}/connz?limit=10000`);
    const { connections } = await res.json();
    const mine = connections.filter((c) => c.name?.startsWith(`${name}-`));
    return {
      msgs: mine.reduce((n, c) => n + c.out_msgs, 0),
      bytes: mine.reduce((n, c) => n + c.out_bytes, 0),
    };
  }
}

async function main() {
  const stack = new PresenceStack({ gateways: 2 });
  await stack.startInfra();
  await stack.startServices();
  const [urlA, urlB] = stack.gatewayUrls;
  log(`stack up: ${stack.gatewayUrls.join(', ')}`);
  try {
    const run = Date.now().toString(36);
    const users = Array.from({ length: USERS + 1 }, (_, i) => ({ username: `p${run}_${i}` }));
    await pool(users, 16, async (u) => {
      await http(urlA, 'POST', '/api/auth/register', { username: u.username, password: PASSWORD });
      const login = await http(urlA, 'POST', '/api/auth/login', { username: u.username, password: PASSWORD });
      u.token = login.token;
      u.id = login.user.id;
    });
    const observer = users.pop();
    const groups = [];
    for (let g = 0; g * 10 < USERS; g++) groups.push(users.slice(g * 10, g * 10 + 10));
    await pool(groups, 8, async (group, i) => {
      const members = group.slice(1).map((u) => u.username);
      if (i === 0) members.push(observer.username);
      await http(urlA, 'POST', '/api/rooms', { name: `p${i}`, kind: 'private', members }, group[0].token);
    });
    log(`${USERS} users in ${groups.length} rooms; the observer is in the first`);

    const watcher = await connect(urlB, observer.token);
    const heard = [];
    watcher.on('presence', (e) => heard.push(e));
    await sleep(2000);
    const phases = {};
    const measure = async (name, fn) => {
      const before = await stack.received('gateway-gateway-1');
      const t0 = Date.now();
      await fn();
      const after = await stack.received('gateway-gateway-1');
      const s = (Date.now() - t0) / 1000;
      phases[name] = {
        seconds: Math.round(s * 10) / 10,
        msgs: after.msgs - before.msgs,
        bytes: after.bytes - before.bytes,
        msgsPerS: Math.round(((after.msgs - before.msgs) / s) * 10) / 10,
        bytesPerS: Math.round((after.bytes - before.bytes) / s),
      };
      log(`${name}: ${JSON.stringify(phases[name])}`);
    };
    const sockets = [];
    await measure('connect', async () => {
      await pool(users, 50, async (u) => sockets.push(await connect(urlA, u.token)));
      await sleep(3000);
    });
    const mates = new Set(groups[0].map((u) => u.id));
    const onlineHeard = heard.filter((e) => e.status === 'online');
    await measure('idle', () => sleep(WINDOW_S * 1000));
    await measure('disconnect', async () => {
      for (const s of sockets) s.close();
      await sleep(3000);
    });
    const offlineHeard = heard.filter((e) => e.status === 'offline');
    const correct =
      onlineHeard.length === mates.size &&
      offlineHeard.length === mates.size &&
      heard.every((e) => mates.has(e.user.id));
    watcher.close();
    process.stdout.write(
      `${JSON.stringify({ users: USERS, windowS: WINDOW_S, gateway1Receives: phases, observerHeard: { online: onlineHeard.length, offline: offlineHeard.length, correct } })}\n`,
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
