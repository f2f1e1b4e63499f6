import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provision = require('../../scripts/lib/provision.cjs') as Provision;

interface Provision {
  ROOT: string;
  startNats(o: { port: number; logFile?: string; jetstreamDir?: string }): Promise<ChildProcess>;
  startFerretdb(o: { port: number; dataDir: string; logFile?: string }): Promise<ChildProcess>;
  freePort(): Promise<number>;
  portInUse(port: number, host?: string): Promise<boolean>;
  waitForPort(port: number, host?: string, timeoutMs?: number): Promise<void>;
  spawnLogged(bin: string, args: string[], logFile?: string, env?: NodeJS.ProcessEnv): ChildProcess;
  stopProcess(child: ChildProcess, graceMs?: number): Promise<void>;
}

export interface StartedInfra {
  natsUrl: string;
  mongoUrl: string;
  stop(): Promise<void>;
}

export const infra = {
  provision,

  async start(dir: string): Promise<StartedInfra> {
    const natsPort = await provision.freePort();
    const mongoPort = await provision.freePort();
    const nats = await provision.startNats({ port: natsPort, logFile: join(dir, 'nats.log') });
    const ferret = await provision.startFerretdb({
      port: mongoPort,
      dataDir: join(dir, 'ferretdb'),
      logFile: join(dir, 'ferretdb.log'),
    });
    return {
      natsUrl: `nats://127.0.0.1:${natsPort}`,
      mongoUrl: `mongodb://127.0.0.1:${mongoPort}`,
      stop: async () => {
        await Promise.all([provision.stopProcess(nats), provision.stopProcess(ferret)]);
      },
    };
  },
};

/** Below Linux's ephemeral range (ip_local_port_range, 32768–60999): never a port `freePort()` hands out. */
const OPS_PORTS = { from: 20_000, to: 32_000 };

/**
 * A free port for a service's ops port (/metrics, /readyz), which it binds only seconds after it
 * starts. Taken outside the range `freePort()` draws from, so that another suite's NATS or gateway
 * cannot be given the same port meanwhile (and its clients end up talking to our HTTP port).
 */
export async function opsPort(): Promise<number> {
  for (;;) {
    const port = OPS_PORTS.from + Math.floor(Math.random() * (OPS_PORTS.to - OPS_PORTS.from));
    if (!(await provision.portInUse(port))) return port;
  }
}

export interface PrivateNats {
  url: string;
  /** SIGKILL (a crash); `start()` brings it back on the same port and JetStream directory. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A nats-server of the caller's own. On the run's shared one, the queue groups of every suite's
 * service instances would be one: a request could be served by another suite's instance, on
 * another database, as soon as Jest runs suites side by side.
 */
export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await provision.freePort();
  // JetStream on: the search service keeps the room events in a stream.
  const jetstreamDir = mkdtempSync(join(tmpdir(), 'chat-js-'));
  let server = await provision.startNats({ port, jetstreamDir });
  return {
    url: `nats://127.0.0.1:${port}`,
    kill: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const gone = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await gone;
    },
    start: async () => {
      server = await provision.startNats({ port, jetstreamDir });
    },
    stop: () => provision.stopProcess(server),
  };
}

/** NATS URL of the run's server (set by the global setup), for suites that start no service. */
export function testNatsUrl(): string {
  const url = process.env.TEST_NATS_URL;
  if (!url) throw new Error('TEST_NATS_URL is not set: run the suites through jest (global setup)');
  return url;
}

/** A MongoDB URL naming a database of its own, so suites never see each other's data. */
export function freshMongoUrl(prefix: string): string {
  const base = process.env.TEST_MONGO_URL;
  if (!base) throw new Error('TEST_MONGO_URL is not set: run the suites through jest (global setup)');
  const db = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.replace(/[^\w]/g, '_');
  return `${base.replace(/\/+$/, '')}/${db}`;
}
