#!/usr/bin/env node
// `npm start`: the whole stack on loopback — nats-server, FerretDB, auth, message and GATEWAYS
// gateway processes on PORT, PORT+1, … — supervised until Ctrl-C / SIGTERM stops them all.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const provision = require('./lib/provision.cjs');
const prepare = require('./lib/prepare.cjs');

function intEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`[stack] ${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

const GATEWAYS = intEnv('GATEWAYS', 1, 1, 64);
const PORT = intEnv('PORT', 3000, 1, 65535 - GATEWAYS);
const NATS_PORT = intEnv('NATS_PORT', 4222, 1, 65535);
const MONGO_PORT = intEnv('MONGO_PORT', 27017, 1, 65535);
// The services' own ports (/metrics, /healthz, /readyz): auth, message, search on OPS_PORT, +1, +2.
const OPS_PORT = intEnv('OPS_PORT', 9464, 1, 65533);
const DATA_DIR = process.env.DATA_DIR || join(provision.ROOT, '.data');
const HOST = process.env.HOST || '127.0.0.1';

const children = new Set();
let stopping = false;

function prefixed(name, stream, target) {
  let buf = '';
  stream.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      target.write(`[${name}] ${buf.slice(0, i)}\n`);
      buf = buf.slice(i + 1);
    }
  });
}

/**
 * The wait before restart number `n` (0-based) of a process that had run `ranMs`: none after a run
 * longer than 10 s (a crash, not a process that cannot start), else 0.5 s doubling up to 10 s.
 */
function restartDelay(n, ranMs) {
  if (ranMs > 10_000) return 0;
  return Math.min(500 * 2 ** n, 10_000);
}

/**
 * Starts a process with `launch` (resolving to its ChildProcess) and starts it again whenever it
 * dies while the stack is up, after `restartDelay`.
 */
async function supervise(name, role, launch) {
  let failures = 0;
  const run = async () => {
    const startedAt = Date.now();
    const child = await launch();
    child.role = role;
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (stopping) return;
      const ran = Date.now() - startedAt;
      if (ran > 10_000) failures = 0;
      const delay = restartDelay(failures, ran);
      failures += 1;
      console.error(`[stack] ${name} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => {
        run().catch((err) => console.error(`[stack] ${name} did not restart: ${err.message}`));
      }, delay);
    });
  };
  await run();
}

/** A built app under the supervisor, its output prefixed with its name. */
function superviseApp(name, role, entry, env) {
  return supervise(name, role, () => {
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefixed(name, child.stdout, process.stdout);
    prefixed(name, child.stderr, process.stderr);
    return Promise.resolve(child);
  });
}

async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.error('[stack] stopping…');
  const byRole = (role) => [...children].filter((c) => c.role === role);
  // Edge first, so no client is left talking to a half-stopped stack; data stores last.
  for (const role of ['gateway', 'service', 'infra']) {
    await Promise.all(byRole(role).map((c) => provision.stopProcess(c, 15_000)));
  }
  await Promise.all([...children].map((c) => provision.stopProcess(c, 5_000)));
  console.error('[stack] stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  prepare.ensureDependencies();
  prepare.build();
  mkdirSync(DATA_DIR, { recursive: true });

  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    if (await provision.portInUse(NATS_PORT)) {
      throw new Error(
        `port ${NATS_PORT} is taken: stop what uses it, set NATS_PORT, or set NATS_URL to use that server`,
      );
    }
    await supervise('nats-server', 'infra', () =>
      provision.startNats({
        port: NATS_PORT,
        logFile: join(DATA_DIR, 'nats.log'),
        jetstreamDir: join(DATA_DIR, 'jetstream'),
      }),
    );
    natsUrl = `nats://127.0.0.1:${NATS_PORT}`;
  }
  let mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) {
    if (await provision.portInUse(MONGO_PORT)) {
      throw new Error(
        `port ${MONGO_PORT} is taken: stop what uses it, set MONGO_PORT, or set MONGO_URL to use that server`,
      );
    }
    await supervise('ferretdb', 'infra', () =>
      provision.startFerretdb({
        port: MONGO_PORT,
        dataDir: join(DATA_DIR, 'ferretdb'),
        logFile: join(DATA_DIR, 'ferretdb.log'),
      }),
    );
    mongoUrl = `mongodb://127.0.0.1:${MONGO_PORT}/chat`;
  }

  const dist = join(provision.ROOT, 'dist', 'apps');
  const common = { NATS_URL: natsUrl };
  const data = { ...common, MONGO_URL: mongoUrl };
  const ops = { auth: OPS_PORT, message: OPS_PORT + 1, search: OPS_PORT + 2 };
  for (const port of Object.values(ops)) {
    if (await provision.portInUse(port))
      throw new Error(`port ${port} is taken: set OPS_PORT to move the services' ports`);
  }
  await superviseApp('auth', 'service', join(dist, 'auth', 'src', 'main.js'), {
    ...data,
    INSTANCE_NAME: 'auth-1',
    OPS_PORT: String(ops.auth),
  });
  await superviseApp('message', 'service', join(dist, 'message', 'src', 'main.js'), {
    ...data,
    INSTANCE_NAME: 'message-1',
    OPS_PORT: String(ops.message),
  });
  await superviseApp('search', 'service', join(dist, 'search', 'src', 'main.js'), {
    ...common,
    INSTANCE_NAME: 'search-1',
    SEARCH_DATA_DIR: join(DATA_DIR, 'search'),
    OPS_PORT: String(ops.search),
  });
  const urls = [];
  for (let i = 0; i < GATEWAYS; i++) {
    const port = PORT + i;
    if (await provision.portInUse(port, HOST)) throw new Error(`port ${port} is taken: set PORT to move the gateways`);
    await superviseApp(`gateway-${port}`, 'gateway', join(dist, 'gateway', 'src', 'main.js'), {
      ...common,
      PORT: String(port),
      HOST,
      INSTANCE_NAME: `gateway-${port}`,
    });
    urls.push(`http://${HOST === '0.0.0.0' ? '127.0.0.1' : HOST}:${port}`);
  }

  await Promise.all(urls.map((u) => waitReady(u)));
  console.log('');
  console.log(`[stack] ready — NATS ${natsUrl}, MongoDB ${mongoUrl}`);
  for (const u of urls) console.log(`[stack] gateway  ${u}   (web client, HTTP API, Socket.IO)`);
  for (const [name, port] of Object.entries(ops)) {
    console.log(`[stack] ${name.padEnd(8)} http://127.0.0.1:${port}   (/metrics, /healthz, /readyz)`);
  }
  console.log('[stack] Ctrl-C stops everything.');
}

main().catch((err) => {
  console.error(`[stack] ${err.message}`);
  void stopAll(1);
});
