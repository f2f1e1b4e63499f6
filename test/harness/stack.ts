import 'reflect-metadata';
import { AuthSubject, ChatSubject } from '@app/contracts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppName, AppProcess, spawnApp } from './app-process';
import { freshMongoUrl, infra, opsPort, startPrivateNats } from './infra';
import { waitForResponder } from './nats-wait';

export interface StackOptions {
  gateways?: number;
  messageInstances?: number;
  /** Search service instances (each with an index of its own); 1 by default. */
  searchInstances?: number;
  authInstances?: number;
  /** Extra variables for every app (e.g. LOGIN_MAX_FAILURES_PER_USERNAME). */
  env?: Record<string, string>;
  /** Extra variables for one kind of app only; applied on top of `env`. */
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  /** How long the whole stack may take to become ready. */
  readyTimeoutMs?: number;
}

export interface Stack {
  /** `http://127.0.0.1:<port>` of each gateway, in start order. */
  gatewayUrls: string[];
  natsUrl: string;
  mongoUrl: string;
  auth: AppProcess[];
  message: AppProcess[];
  search: AppProcess[];
  /** Where the search instances keep their index files (`<INSTANCE_NAME>.sqlite`). */
  searchDataDir: string;
  gateways: AppProcess[];
  /** SIGKILL message instance `i` (the crash case); its slot stays dead until `startMessage(i)`. */
  killMessage(i?: number): Promise<void>;
  /** Starts message instance `i` again and waits until the message service answers on NATS. */
  startMessage(i?: number): Promise<void>;
  /** SIGKILL then start again: `killMessage(i)` + `startMessage(i)`. */
  restartMessage(i?: number): Promise<void>;
  /** SIGKILL auth instance `i`; `startAuth(i)` brings it back and waits until auth answers on NATS. */
  killAuth(i?: number): Promise<void>;
  startAuth(i?: number): Promise<void>;
  /** SIGKILL search instance `i`; `startSearch(i)` starts it again on the same index file. */
  killSearch(i?: number): Promise<void>;
  startSearch(i?: number): Promise<void>;
  /** SIGTERM gateway `i` (its URL then refuses connections). */
  stopGateway(i: number): Promise<void>;
  /** SIGKILL the stack's nats-server; `startNats()` brings it back on the same port (clients reconnect). */
  killNats(): Promise<void>;
  startNats(): Promise<void>;
  /** Everything every app wrote, labelled: for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

const DEFAULT_READY_MS = 60_000;

/**
 * Starts the whole stack as real processes on the run's NATS and FerretDB (one fresh database
 * per stack): auth ×N, message ×N, gateways ×N on free loopback ports. Resolves once every
 * gateway answers `GET /readyz` with 200; on failure, prints what the apps wrote and stops them.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  // A NATS of the stack's own: no other suite's services can join its queue groups.
  const nats = await startPrivateNats();
  const natsUrl = nats.url;
  const mongoUrl = freshMongoUrl('stack');
  const gatewayCount = opts.gateways ?? 1;
  const readyTimeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_MS;

  // Each service instance keeps its ops port across restarts, so a suite can scrape it by slot.
  const opsPorts = new Map<string, number>();
  const counts: [AppName, number][] = [
    ['auth', opts.authInstances ?? 1],
    ['message', opts.messageInstances ?? 1],
    ['search', opts.searchInstances ?? 1],
  ];
  for (const [app, n] of counts) {
    for (let i = 0; i < n; i++) opsPorts.set(`${app}-${i}`, await opsPort());
  }

  const envOf = (app: AppName, i: number, extra: Record<string, string> = {}): Record<string, string> => ({
    NATS_URL: natsUrl,
    INSTANCE_NAME: `${app}-${i}`,
    ...(app === 'gateway' ? {} : { MONGO_URL: mongoUrl, OPS_PORT: String(opsPorts.get(`${app}-${i}`)) }),
    ...opts.env,
    ...opts.appEnv?.[app],
    ...extra,
  });
  const spawnMessage = (i: number) => spawnApp('message', envOf('message', i));
  const spawnAuth = (i: number) => spawnApp('auth', envOf('auth', i));
  const searchDir = mkdtempSync(join(tmpdir(), 'chat-search-'));
  const spawnSearch = (i: number) => spawnApp('search', envOf('search', i, { SEARCH_DATA_DIR: searchDir }));

  const auth = Array.from({ length: opts.authInstances ?? 1 }, (_, i) => spawnAuth(i));
  const message = Array.from({ length: opts.messageInstances ?? 1 }, (_, i) => spawnMessage(i));
  const search = Array.from({ length: opts.searchInstances ?? 1 }, (_, i) => spawnSearch(i));
  const ports = await Promise.all(Array.from({ length: gatewayCount }, () => infra.provision.freePort()));
  const gateways = ports.map((port, i) =>
    spawnApp('gateway', envOf('gateway', i, { PORT: String(port), HOST: '127.0.0.1' })),
  );
  const gatewayUrls = ports.map((port) => `http://127.0.0.1:${port}`);

  const all = () => [...auth, ...message, ...search, ...gateways];
  const output = () =>
    all()
      .map((p, idx) => `===== ${p.name} (#${idx}, pid ${p.child.pid}) =====\n${p.output()}`)
      .join('\n');
  const stop = async () => {
    // Edges first, so no client request lands on a half-stopped backend.
    await Promise.all(gateways.map((g) => g.stop(3000)));
    await Promise.all([...auth, ...message, ...search].map((p) => p.stop(3000)));
    await nats.stop();
  };

  try {
    await Promise.race([
      Promise.all([
        ...gatewayUrls.map((url) => waitReady(url, readyTimeoutMs)),
        ...(search.length > 0 ? [waitForResponder(natsUrl, ChatSubject.Search, readyTimeoutMs)] : []),
      ]),
      failOnEarlyExit(all()),
    ]);
  } catch (err) {
    process.stderr.write(`startStack failed: ${(err as Error).message}\n${output()}\n`);
    await stop();
    throw err;
  }

  const cameBack = async (proc: AppProcess, subject: string) => {
    try {
      await Promise.race([waitForResponder(natsUrl, subject, readyTimeoutMs), failOnEarlyExit([proc])]);
    } catch (err) {
      process.stderr.write(`${proc.name} did not come back: ${(err as Error).message}\n${proc.output()}\n`);
      throw err;
    }
  };

  const stack: Stack = {
    gatewayUrls,
    natsUrl,
    mongoUrl,
    auth,
    message,
    search,
    searchDataDir: searchDir,
    gateways,
    output,
    stop,
    killMessage: async (i = 0) => {
      await message[i].kill();
    },
    startMessage: async (i = 0) => {
      message[i] = spawnMessage(i);
      await cameBack(message[i], ChatSubject.Health);
    },
    restartMessage: async (i = 0) => {
      await stack.killMessage(i);
      await stack.startMessage(i);
    },
    killAuth: async (i = 0) => {
      await auth[i].kill();
    },
    startAuth: async (i = 0) => {
      auth[i] = spawnAuth(i);
      await cameBack(auth[i], AuthSubject.Health);
    },
    killSearch: async (i = 0) => {
      await search[i].kill();
    },
    startSearch: async (i = 0) => {
      search[i] = spawnSearch(i);
      await cameBack(search[i], ChatSubject.Search);
    },
    stopGateway: async (i: number) => {
      await gateways[i].stop(3000);
    },
    killNats: () => nats.kill(),
    startNats: () => nats.start(),
  };
  return stack;
}

/** Polls `GET /readyz` until 200. */
export async function waitReady(baseUrl: string, timeoutMs = DEFAULT_READY_MS, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error(`stopped waiting for ${baseUrl}/readyz`);
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${baseUrl}/readyz not 200 after ${timeoutMs} ms (last: ${last})`);
}

/** Rejects as soon as one of the processes exits (never resolves otherwise). */
function failOnEarlyExit(procs: AppProcess[]): Promise<never> {
  return new Promise((_, reject) => {
    for (const p of procs) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        reject(new Error(`${p.name} exited during start-up (code ${p.child.exitCode}, signal ${p.child.signalCode})`));
        return;
      }
      p.child.once('exit', (code, signal) =>
        reject(new Error(`${p.name} exited during start-up (code ${code}, signal ${signal})`)),
      );
    }
  });
}
