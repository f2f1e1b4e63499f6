import 'reflect-metadata';
import { AuthSubject, ErrorCode } from '@app/contracts';
import { mongo } from 'mongoose';
import { spawnApp } from '../../../test/harness/app-process';
import { freshMongoUrl } from '../../../test/harness/infra';
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
    await auth.rpc.request(AuthSubject.Register, { username: name, password: PW, clientIp: '192.0.2.9' });
    await db.stop();
    await expectCode(auth.rpc.request(AuthSubject.Health, {}), ErrorCode.UNAVAILABLE);
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
  }, 90_000);
});

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
