import { AuthSubject, ErrorCode, RequestSubject } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RpcClient } from '@app/nats';
import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { JSONCodec, NatsConnection, RequestStrategy, connect } from 'nats';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, spawnApp } from '../../../test/harness/app-process';
import { freshMongoUrl, infra, opsPort } from '../../../test/harness/infra';
import { waitForResponder } from '../../../test/harness/nats-wait';

const codec = JSONCodec<unknown>();

/** A FerretDB of this suite's own, which a test may stop and start again. */
export class PrivateMongo {
  private child?: ChildProcess;

  private constructor(
    private readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<PrivateMongo> {
    const sut = new PrivateMongo(await infra.provision.freePort(), mkdtempSync(join(tmpdir(), 'auth-ferret-')));
    await sut.restart();
    return sut;
  }

  url(db: string): string {
    return `mongodb://127.0.0.1:${this.port}/${db}`;
  }

  async restart(): Promise<void> {
    this.child = await infra.provision.startFerretdb({ port: this.port, dataDir: this.dataDir });
  }

  async stop(): Promise<void> {
    if (this.child) await infra.provision.stopProcess(this.child);
  }
}

export interface FixtureOptions {
  instances?: number;
  env?: Record<string, string>;
  mongoUrl?: string;
  rpcTimeoutMs?: number;
}

/** Auth instances on one database, and a client that talks to them as the gateway does. */
export class AuthFixture {
  readonly apps: AppProcess[] = [];

  private constructor(
    readonly natsUrl: string,
    readonly mongoUrl: string,
    readonly nc: NatsConnection,
    readonly rpc: RpcClient,
  ) {}

  /** Starts `instances` auth processes named auth-0, auth-1, … and waits until each one answers. */
  static async start(natsUrl: string, opts: FixtureOptions = {}): Promise<AuthFixture> {
    const { instances = 1, env = {}, mongoUrl = freshMongoUrl('auth'), rpcTimeoutMs = 5000 } = opts;
    const nc = await connect({ servers: natsUrl });
    const sut = new AuthFixture(natsUrl, mongoUrl, nc, new RpcClient(nc, rpcTimeoutMs));
    for (let i = 0; i < instances; i++) {
      const ops = String(await opsPort());
      sut.apps.push(
        spawnApp('auth', {
          NATS_URL: natsUrl,
          MONGO_URL: sut.mongoUrl,
          INSTANCE_NAME: `auth-${i}`,
          OPS_PORT: ops,
          ...env,
        }),
      );
    }
    try {
      await waitForResponder(natsUrl, AuthSubject.Health);
      await sut.waitForInstances(instances);
    } catch (err) {
      process.stderr.write(`auth did not start:\n${sut.output()}\n`);
      await sut.stop();
      throw err;
    }
    return sut;
  }

  /** Health is answered by one instance at a time: ask until every instance has answered. */
  async waitForInstances(n: number, timeoutMs = 20_000): Promise<Set<string>> {
    const seen = new Set<string>();
    const deadline = Date.now() + timeoutMs;
    while (seen.size < n) {
      if (Date.now() > deadline) throw new Error(`only ${[...seen].join(', ')} answered health`);
      seen.add((await this.rpc.request(AuthSubject.Health, {})).instance);
    }
    return seen;
  }

  /** Sends a payload the types would refuse, as a broken or hostile caller could. */
  requestRaw(subject: RequestSubject, data: unknown): Promise<unknown> {
    return this.rpc.request(subject, data as never);
  }

  /** Every reply one request gets within `waitMs`: a handler outside its queue group would answer twice. */
  async repliesTo(subject: RequestSubject, data: unknown, waitMs = 1500): Promise<unknown[]> {
    const replies: unknown[] = [];
    const iter = await this.nc.requestMany(subject, codec.encode({ pattern: subject, data, id: randomUUID() }), {
      strategy: RequestStrategy.Timer,
      maxWait: waitMs,
    });
    for await (const msg of iter) replies.push(codec.decode(msg.data));
    return replies;
  }

  output(): string {
    return this.apps.map((a, i) => `===== auth-${i} =====\n${a.output()}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((a) => a.stop()));
    if (!this.nc.isClosed()) await this.nc.close();
  }
}

/** The DomainError a call failed with (fails the test when it succeeded). */
export async function errorOf(call: Promise<unknown>): Promise<DomainError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

export async function expectCode(call: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const err = await errorOf(call);
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(0);
  return err;
}

let counter = 0;
/** A valid username no other test uses. */
export function uniqueUsername(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${counter}`.slice(0, 32);
}

/** The exit code of a process expected to stop by itself; one that keeps running is killed and fails the test. */
export async function exitCodeOf(app: AppProcess, timeoutMs = 20_000): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), timeoutMs);
  });
  const exited = once(app.child, 'exit').then(([code]) => code as number | null);
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (result === 'still running') await app.kill();
  return result;
}
