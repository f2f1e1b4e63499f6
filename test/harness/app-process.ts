import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infra } from './infra';

export type AppName = 'auth' | 'message' | 'gateway' | 'search';

export interface AppProcess {
  name: AppName;
  child: ChildProcess;
  /** `http://127.0.0.1:<OPS_PORT>` of a service (its /metrics, /healthz, /readyz) when the port was given. */
  opsUrl?: string;
  /** Everything the process wrote, for assertions on logs and for failure reports. */
  output(): string;
  /** SIGTERM and wait (SIGKILL after the grace period). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
}

/** Path of an app's built entry point (`npm run build` makes it). */
export function entryOf(app: AppName): string {
  const entry = join(infra.provision.ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  return entry;
}

/**
 * Rate limits out of the way of suites about something else: loopback is exempt at the gateways,
 * and the services (which suites also call straight over NATS) allow far more than any suite does.
 * test/stack/rate-limits.e2e-spec.ts sets its own.
 */
export const TEST_LIMITS: Record<string, string> = {
  RATE_LIMIT_EXEMPT: '127.0.0.0/8,::1',
  RATE_LIMIT_REGISTER: '1000000/1',
  RATE_LIMIT_SEND: '1000000/1',
  RATE_LIMIT_EDIT: '1000000/1',
  RATE_LIMIT_ROOM_CREATE: '1000000/1',
  RATE_LIMIT_DM_OPEN: '1000000/1',
  RATE_LIMIT_UPLOADS: '1000000/1',
  RATE_LIMIT_UPLOAD_MIB: '1000000/1',
};

/**
 * Starts a built app as its own process with `env` on top of a minimal environment. A service's ops
 * port is a free one of the system's (OPS_PORT=0) unless `env` names one.
 */
export function spawnApp(app: AppName, env: Record<string, string>): AppProcess {
  const ops = app === 'gateway' ? {} : { OPS_PORT: '0' };
  const child = spawn(process.execPath, [entryOf(app)], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...TEST_LIMITS, ...ops, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const opsPort = app === 'gateway' ? undefined : Number(env.OPS_PORT ?? 0);
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: app,
    child,
    opsUrl: opsPort ? `http://127.0.0.1:${opsPort}` : undefined,
    output: () => out,
    stop: async (graceMs = 8000) => {
      await infra.provision.stopProcess(child, graceMs);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
