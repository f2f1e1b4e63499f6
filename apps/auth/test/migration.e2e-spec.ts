import 'reflect-metadata';
import { AuthSubject, ErrorCode } from '@app/contracts';
import { hash } from '@node-rs/argon2';
import { mongo } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { hashSessionToken, newSessionToken } from '../src/session/session-token';
import { AuthFixture, expectCode, uniqueUsername } from './auth-service.fixture';
import { PrivateNats, freshMongoUrl, startPrivateNats } from '../../../test/harness/infra';

jest.setTimeout(60_000);

const PW = 'correct horse battery';

/**
 * A store written by the version before keys by `_id` (users by UUID only, sessions by random id
 * with the token hash beside it and its unique index, per-attempt login documents) opens: its
 * users log in, its live sessions verify and can be ended, its expired ones are gone.
 */
describe('auth service on a store of the previous layout', () => {
  let nats: PrivateNats;
  let auth: AuthFixture | undefined;
  const mongoUrl = freshMongoUrl('authmig');
  const username = uniqueUsername('Olga');
  const [live, expired] = [newSessionToken(), newSessionToken()];
  const userId = randomUUID();

  beforeAll(async () => {
    nats = await startPrivateNats();
    const client = await mongo.MongoClient.connect(mongoUrl);
    try {
      const db = client.db();
      await db.collection('users').createIndex({ usernameLower: 1 }, { unique: true });
      await db.collection('users').insertOne({
        _id: userId as never,
        username,
        usernameLower: username.toLowerCase(),
        passwordHash: await hash(PW),
        createdAt: new Date(),
      });
      const sessions = db.collection('sessions');
      await sessions.createIndex({ tokenHash: 1 }, { unique: true });
      await sessions.createIndex({ userId: 1 });
      const session = (token: string, expiresAt: Date) => ({
        _id: randomUUID() as never,
        tokenHash: hashSessionToken(token),
        userId,
        username,
        expiresAt,
        createdAt: new Date(),
      });
      await sessions.insertMany([
        session(live, new Date(Date.now() + 3_600_000)),
        session(expired, new Date(Date.now() - 1000)),
      ]);
      await db.collection('login_attempts').insertOne({ _id: randomUUID() as never, key: 'k', at: new Date() });
    } finally {
      await client.close();
    }
    auth = await AuthFixture.start(nats.url, { mongoUrl, instances: 2 });
  }, 60_000);

  afterAll(async () => {
    await auth?.stop();
    await nats?.stop();
  });

  it('logs the old user in, in any case, and keeps the name taken', async () => {
    const reply = await auth!.rpc.request(AuthSubject.Login, {
      username: username.toUpperCase(),
      password: PW,
      clientIp: '192.0.2.7',
    });
    expect(reply.user).toEqual({ id: userId, username });
    await expectCode(
      auth!.rpc.request(AuthSubject.Register, {
        username: username.toLowerCase(),
        password: PW,
        clientIp: '192.0.2.7',
      }),
      ErrorCode.USERNAME_TAKEN,
    );
    const { users } = await auth!.rpc.request(AuthSubject.ResolveUsers, { usernames: [username] });
    expect(users).toEqual([{ id: userId, username }]);
  });

  it('verifies a live session of the old layout, and logs it out', async () => {
    const session = await auth!.rpc.request(AuthSubject.Verify, { token: live });
    expect(session.user).toEqual({ id: userId, username });
    await auth!.rpc.request(AuthSubject.Logout, { sessionId: session.sessionId });
    await expectCode(auth!.rpc.request(AuthSubject.Verify, { token: live }), ErrorCode.UNAUTHORIZED);
  });

  it('refuses the expired one, and leaves the store in the new layout', async () => {
    await expectCode(auth!.rpc.request(AuthSubject.Verify, { token: expired }), ErrorCode.UNAUTHORIZED);
    const client = await mongo.MongoClient.connect(mongoUrl);
    try {
      const db = client.db();
      expect(await db.collection('sessions').countDocuments({ tokenHash: { $exists: true } })).toBe(0);
      const indexes = (await db.collection('sessions').indexes()).map((ix) => ix.name);
      expect(indexes).not.toContain('tokenHash_1');
      expect(await db.listCollections({ name: 'login_attempts' }).toArray()).toHaveLength(0);
      expect(await db.collection('migrations').findOne({ _id: 'auth-keyed-by-id-v1' as never })).not.toBeNull();
    } finally {
      await client.close();
    }
  });
});
