import 'reflect-metadata';
import { AuthSubject, ErrorCode } from '@app/contracts';
import { mongo } from 'mongoose';
import { spawnApp } from '../../../test/harness/app-process';
import { freshMongoUrl, infra } from '../../../test/harness/infra';
import { AuthFixture, PrivateMongo, exitCodeOf, expectCode, uniqueUsername } from './auth-service.fixture';
import { PrivateNats, startPrivateNats } from '../../../test/harness/infra';

jest.setTimeout(60_000);

const PW = 'correct horse battery';

let nats: PrivateNats;
beforeAll(async () => {
  nats = await startPrivateNats();
});
afterAll(async () => {
  await nats?.stop();
});

describe('auth service, database outage', () => {
  let db: PrivateMongo;
  let auth: AuthFixture;
  beforeAll(async () => {
    db = await PrivateMongo.start();
    // Longer than the service's own waits, so what we see is its answer, not our timeout.
    auth = await AuthFixture.start(nats.url, { mongoUrl: db.url('auth'), rpcTimeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await auth?.stop();
    await db?.stop();
  });

  it('answers UNAVAILABLE while the database is down, and recovers when it is back', async () => {
    const name = uniqueUsername('olga');
    const ops = auth.apps[0].opsUrl!;
    await auth.rpc.request(AuthSubject.Register, { username: name, password: PW, clientIp: '192.0.2.9' });
    expect((await readiness(ops)).status).toBe(200);
    await db.stop();
    await expectCode(auth.rpc.request(AuthSubject.Health, {}), ErrorCode.UNAVAILABLE);
    // Its own readiness says the same, naming the store; liveness stays up.
    expect(await readiness(ops)).toMatchObject({ status: 503, body: { error: { store: { status: 'down' } } } });
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    await expectCode(
      auth.rpc.request(AuthSubject.Login, { username: name, password: PW, clientIp: '192.0.2.9' }),
      ErrorCode.UNAVAILABLE,
    );
    expect(auth.output()).not.toMatch(/unhandled error/);

    await db.restart();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await auth.rpc.request(AuthSubject.Health, {}).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`auth did not recover:\n${auth.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await expect(
      auth.rpc.request(AuthSubject.Login, { username: name, password: PW, clientIp: '192.0.2.9' }),
    ).resolves.toMatchObject({ user: { username: name } });
    expect((await readiness(ops)).status).toBe(200);
  }, 90_000);
});

describe('auth service, NATS outage', () => {
  it('is not ready while its NATS server is gone, counts the reconnection, and is ready again', async () => {
    const port = await infra.provision.freePort();
    let server = await infra.provision.startNats({ port });
    const auth = await AuthFixture.start(`nats://127.0.0.1:${port}`);
    try {
      const ops = auth.apps[0].opsUrl!;
      expect((await readiness(ops)).status).toBe(200);
      await infra.provision.stopProcess(server);
      expect(await readiness(ops)).toMatchObject({ status: 503, body: { error: { nats: { status: 'down' } } } });
      server = await infra.provision.startNats({ port });
      await until(async () => (await readiness(ops)).status === 200, 20_000);
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      expect(Number(/^chat_nats_reconnects_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    } finally {
      await auth.stop();
      await infra.provision.stopProcess(server);
    }
  }, 90_000);
});

/** GET /readyz of an ops port: its status and JSON body. */
async function readiness(opsUrl: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${opsUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

async function until(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('auth service boot', () => {
  it('exits with code 1 when an index other than a TTL index cannot be built', async () => {
    const mongoUrl = freshMongoUrl('auth');
    const client = await mongo.MongoClient.connect(mongoUrl);
    try {
      // Same name as the unique index the service declares, but not unique: the server refuses it.
      await client.db().collection('users').createIndex({ usernameLower: 1 }, { name: 'usernameLower_1' });
    } finally {
      await client.close();
    }
    const app = spawnApp('auth', { NATS_URL: nats.url, MONGO_URL: mongoUrl, LOG_LEVEL: 'error' });
    expect(await exitCodeOf(app)).toBe(1);
    expect(app.output()).toContain('auth service failed to start');
    expect(app.output()).toContain('must be unique');
  });

  it.each([
    ['LOGIN_MAX_FAILURES_PER_IP', '0'],
    ['SESSION_TTL_SECONDS', 'a week'],
    ['MONGO_URL', 'http://127.0.0.1:1/auth'],
  ])('exits with code 1 and names %s when it is %s', async (name, value) => {
    const app = spawnApp('auth', { NATS_URL: nats.url, MONGO_URL: 'mongodb://127.0.0.1:1/auth', [name]: value });
    expect(await exitCodeOf(app)).toBe(1);
    expect(app.output()).toContain(name);
  });
});
