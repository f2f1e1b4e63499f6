// Starts a private stack for a benchmark: nats-server and FerretDB (or the MONGO_URL given) in a
// temporary directory on free ports, then auth, message and N gateways from dist/. Services can be
// restarted (fresh caches) without touching the store.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
export const provision = require('../lib/provision.cjs');
export const prepare = require('../lib/prepare.cjs');
const dist = join(provision.ROOT, 'dist', 'apps');

export function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A private stack. Every process has a name (`nats`, `store`, `auth`, `message`, `search`,
 * `gateway-0`, …) by which it can be killed (SIGKILL, as a crash) and started again in place: same
 * port, same data directory, same environment.
 */
export class BenchStack {
  /** `nodeArgs`: extra node options for the services, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  /** `messages`: message-service instances (`message`, then `message-1`, …), one queue group. */
  constructor({ gateways = 1, messages = 1, mongoUrl, env = {}, database = 'chat', nodeArgs = [] } = {}) {
    this.nodeArgs = nodeArgs;
    this.gatewayCount = gateways;
    this.messageCount = messages;
    this.externalMongo = mongoUrl;
    this.database = database;
    this.env = env;
    this.dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
    /** name → { child, start(): child or Promise<child> } */
    this.procs = new Map();
    this.gatewayUrls = [];
  }

  /** The store's data directory (FerretDB) or null (an external server). */
  get dataDir() {
    return this.externalMongo ? null : join(this.dir, 'ferretdb');
  }

  /** The running process of that name. */
  process(name) {
    return this.procs.get(name)?.child;
  }

  /** Each gateway's process, in the order of gatewayUrls. */
  get gatewayProcesses() {
    return this.gatewayUrls.map((_, i) => this.process(`gateway-${i}`));
  }

  get ferretdb() {
    return this.process('store') ?? null;
  }

  async add(name, start) {
    const entry = { start, child: await start() };
    this.procs.set(name, entry);
    return entry.child;
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async kill(name) {
    const child = this.process(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** Starts a killed (or stopped) process again in place. */
  async restart(name) {
    const entry = this.procs.get(name);
    entry.child = await entry.start();
    return entry.child;
  }

  async startInfra() {
    prepare.ensureDependencies();
    const natsPort = await provision.freePort();
    await this.add('nats', () =>
      provision.startNats({
        port: natsPort,
        logFile: join(this.dir, 'nats.log'),
        jetstreamDir: join(this.dir, 'jetstream'),
        monitorPort: process.env.BENCH_NATS_MONITOR_PORT,
      }),
    );
    this.natsUrl = `nats://127.0.0.1:${natsPort}`;
    if (this.externalMongo) {
      this.mongoUrl = this.externalMongo;
    } else {
      const port = await provision.freePort();
      await this.add('store', () =>
        provision.startFerretdb({ port, dataDir: this.dataDir, logFile: join(this.dir, 'ferretdb.log') }),
      );
      this.mongoUrl = `mongodb://127.0.0.1:${port}/${this.database}`;
    }
  }

  spawnApp(name, env) {
    const child = spawn(process.execPath, [...this.nodeArgs, join(dist, name, 'src', 'main.js')], {
      // The benchmarks' load comes from loopback: exempt from the rate limits (RATE_LIMIT_EXEMPT).
      // Services on any free ops port (/metrics, /readyz): several of them share the host.
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_EXEMPT: '127.0.0.0/8,::1',
        ...(name === 'gateway' ? {} : { OPS_PORT: '0' }),
        ...this.env,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (b) => {
      const text = b.toString();
      if (/ERROR|FATAL/.test(text)) process.stderr.write(`[${name}] ${text}`);
    });
    child.benchName = name;
    return child;
  }

  async startServices() {
    const data = { NATS_URL: this.natsUrl, MONGO_URL: this.mongoUrl };
    // Each service's own HTTP port (/metrics, /healthz, /readyz), free ones: several share this host.
    const ops = async () => ({ OPS_PORT: String(await provision.freePort()) });
    const authEnv = { ...data, INSTANCE_NAME: 'auth-1', ...(await ops()) };
    await this.add('auth', () => this.spawnApp('auth', authEnv));
    for (let i = 0; i < this.messageCount; i++) {
      const env = { ...data, INSTANCE_NAME: `message-${i + 1}`, ...(await ops()) };
      await this.add(i === 0 ? 'message' : `message-${i}`, () => this.spawnApp('message', env));
    }
    const searchEnv = {
      NATS_URL: this.natsUrl,
      INSTANCE_NAME: 'search-1',
      SEARCH_DATA_DIR: join(this.dir, 'search'),
      ...(await ops()),
    };
    await this.add('search', () => this.spawnApp('search', searchEnv));
    this.gatewayUrls = [];
    for (let i = 0; i < this.gatewayCount; i++) {
      const port = await provision.freePort();
      const env = { NATS_URL: this.natsUrl, PORT: String(port), INSTANCE_NAME: `gateway-${i}` };
      await this.add(`gateway-${i}`, () => this.spawnApp('gateway', env));
      this.gatewayUrls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(this.gatewayUrls.map((u) => waitReady(u)));
  }

  /** Resolves once every gateway answers /readyz with 200. */
  ready(timeoutMs) {
    return Promise.all(this.gatewayUrls.map((u) => waitReady(u, timeoutMs)));
  }

  get apps() {
    return [...this.procs].filter(([name]) => name !== 'nats' && name !== 'store').map(([, e]) => e.child);
  }

  async stopServices() {
    await Promise.all(this.apps.map((c) => provision.stopProcess(c, 10_000)));
  }

  async stop() {
    await this.stopServices();
    await Promise.all(['nats', 'store'].map((name) => provision.stopProcess(this.process(name), 5_000)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** pid per process name, for CPU and memory readings. */
  pids() {
    const out = {};
    for (const c of this.apps) out[out[c.benchName] ? `${c.benchName}-${c.pid}` : c.benchName] = c.pid;
    if (this.ferretdb) out.ferretdb = this.ferretdb.pid;
    out['nats-server'] = this.process('nats').pid;
    return out;
  }
}

/**
 * The benchmark's floor (scripts/bench/floor): nats-server and N bare Socket.IO fan-out processes,
 * no auth, no store. Same surface for the load generator as a BenchStack.
 */
export class FloorStack {
  constructor({ processes = 2 } = {}) {
    this.count = processes;
    this.dir = mkdtempSync(join(tmpdir(), 'chat-floor-'));
    this.apps = [];
    this.gatewayUrls = [];
  }

  async start() {
    const natsPort = await provision.freePort();
    this.nats = await provision.startNats({ port: natsPort, logFile: join(this.dir, 'nats.log') });
    const script = join(provision.ROOT, 'scripts', 'bench', 'floor', 'floor-server.mjs');
    for (let i = 0; i < this.count; i++) {
      const port = await provision.freePort();
      const args = ['--port', port, '--nats', `nats://127.0.0.1:${natsPort}`, '--index', i, '--count', this.count];
      const child = spawn(process.execPath, [script, ...args.map(String)], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.benchName = 'floor';
      this.apps.push(child);
      this.gatewayUrls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(this.gatewayUrls.map((u) => waitReady(u)));
  }

  async stop() {
    await Promise.all(this.apps.map((c) => provision.stopProcess(c, 5_000)));
    await provision.stopProcess(this.nats, 5_000);
    rmSync(this.dir, { recursive: true, force: true });
  }

  pids() {
    const out = {};
    for (const c of this.apps) out[out[c.benchName] ? `${c.benchName}-${c.pid}` : c.benchName] = c.pid;
    out['nats-server'] = this.nats.pid;
    return out;
  }
}

/** CPU seconds (user + system) each named process has used so far. */
export function cpuSeconds(pids) {
  const out = {};
  for (const [name, pid] of Object.entries(pids)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[name] = (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks of 10 ms
    } catch {
      out[name] = NaN;
    }
  }
  return out;
}

/** Each process's CPU use between two `cpuSeconds` readings, in % of one core. */
export function cpuPercent(before, after, seconds) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round(((after[k] - before[k]) / seconds) * 100)]));
}

/** p-th percentile of numbers (nearest rank). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
