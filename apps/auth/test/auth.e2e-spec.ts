import 'reflect-metadata';
import { AuthSubject, ErrorCode, EventSubject, LoginReply, SessionRevokedEvent } from '@app/contracts';
import { JSONCodec, Subscription } from 'nats';
import { mongo } from 'mongoose';
import { hashSessionToken, newSessionToken } from '../src/session/session-token';
import { AuthFixture, expectCode, uniqueUsername } from './auth-service.fixture';
import { PrivateNats, startPrivateNats } from '../../../test/harness/infra';

jest.setTimeout(60_000);

const PW = 'correct horse battery';
const events = JSONCodec<SessionRevokedEvent>();

let nats: PrivateNats;
beforeAll(async () => {
  nats = await startPrivateNats();
});
afterAll(async () => {
  await nats?.stop();
});

describe('auth service, one instance', () => {
  let auth: AuthFixture;
  beforeAll(async () => {
    auth = await AuthFixture.start(nats.url);
  }, 60_000);
  afterAll(async () => {
    await auth?.stop();
  });

  const register = (username: string, password = PW) =>
    auth.rpc.request(AuthSubject.Register, { username, password, clientIp: '192.0.2.1' });
  const login = (username: string, password = PW, clientIp = '192.0.2.1') =>
    auth.rpc.request(AuthSubject.Login, { username, password, clientIp });
  const verify = (token: string) => auth.rpc.request(AuthSubject.Verify, { token });

  it('answers health once its database answers', async () => {
    await expect(auth.rpc.request(AuthSubject.Health, {})).resolves.toEqual({ status: 'ok', instance: 'auth-0' });
  });

  describe('register', () => {
    it('creates a user and answers its id and the name as typed', async () => {
      const username = uniqueUsername('Alice.B-c');
      const { user } = await register(username);
      expect(user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username });
    });

    it('refuses the same name in another case with USERNAME_TAKEN', async () => {
      const username = uniqueUsername('carol');
      await register(username);
      await expectCode(register(username.toUpperCase()), ErrorCode.USERNAME_TAKEN);
      await expectCode(register(username), ErrorCode.USERNAME_TAKEN);
    });

    it('counts password length in code points', async () => {
      await expect(register(uniqueUsername('emoji8'), '😀'.repeat(8))).resolves.toBeDefined();
      await expect(register(uniqueUsername('emoji128'), '😀'.repeat(128))).resolves.toBeDefined();
      await expectCode(register(uniqueUsername('emoji7'), '😀'.repeat(7)), ErrorCode.VALIDATION_FAILED);
      await expectCode(register(uniqueUsername('emoji129'), '😀'.repeat(129)), ErrorCode.VALIDATION_FAILED);
    });

    it.each<[string, unknown]>([
      ['a too short username', { username: 'ab', password: PW }],
      ['a too long username', { username: 'x'.repeat(33), password: PW }],
      ['a space in the username', { username: 'has space', password: PW }],
      ['a non-ASCII username', { username: 'zoë_smith', password: PW }],
      ['a numeric username', { username: 12345, password: PW }],
      ['a too short password', { username: 'valid_name', password: 'short12' }],
      ['a too long password', { username: 'valid_name', password: 'p'.repeat(129) }],
      ['a NUL in the password', { username: 'valid_name', password: 'password\u0000tail' }],
      ['a newline in the password', { username: 'valid_name', password: 'pass\nword123' }],
      ['a missing password', { username: 'valid_name' }],
      ['an unknown field', { username: 'valid_name', password: PW, admin: true }],
      ['an array payload', [{ username: 'valid_name', password: PW }]],
      ['a string payload', 'valid_name:password'],
      ['a null payload', null],
    ])('refuses %s with VALIDATION_FAILED', async (_case, payload) => {
      await expectCode(auth.requestRaw(AuthSubject.Register, payload), ErrorCode.VALIDATION_FAILED);
    });

    it('is served by exactly one handler', async () => {
      const replies = await auth.repliesTo(AuthSubject.Register, {
        username: uniqueUsername('once'),
        password: PW,
        clientIp: '192.0.2.1',
      });
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ response: { user: { id: expect.any(String) } } });
    });
  });

  describe('login and verify', () => {
    let username: string;
    beforeAll(async () => {
      username = uniqueUsername('dave');
      await register(username);
    });

    it('opens a session whose token verifies to the user', async () => {
      const before = Date.now();
      const reply = await login(username);
      expect(reply.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(reply.user).toEqual({ id: expect.any(String), username });
      const ttl = new Date(reply.expiresAt).getTime() - before;
      expect(reply.expiresAt).toBe(new Date(reply.expiresAt).toISOString());
      expect(ttl).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600 * 1000 + 60_000);

      await expect(verify(reply.token)).resolves.toEqual({
        sessionId: expect.any(String),
        user: reply.user,
        expiresAt: reply.expiresAt,
      });
    });

    it('matches the username without regard to case', async () => {
      const reply = await login(username.toUpperCase());
      expect(reply.user.username).toBe(username);
    });

    it('gives every login its own token and session', async () => {
      const [a, b] = [await login(username), await login(username)];
      expect(a.token).not.toBe(b.token);
      expect((await verify(a.token)).sessionId).not.toBe((await verify(b.token)).sessionId);
    });

    it('answers a wrong password and an unknown user alike, with INVALID_CREDENTIALS', async () => {
      const wrong = await expectCode(login(username, 'not the password'), ErrorCode.INVALID_CREDENTIALS);
      const unknown = await expectCode(login(uniqueUsername('ghost')), ErrorCode.INVALID_CREDENTIALS);
      expect(unknown.message).toBe(wrong.message);
      // The loose login shape: a name that could never be registered is just a wrong credential.
      await expectCode(login('x', 'y'), ErrorCode.INVALID_CREDENTIALS);
    });

    it.each<[string, unknown]>([
      ['a missing clientIp', { username: 'valid_name', password: PW }],
      ['a numeric password', { username: 'valid_name', password: 12345678, clientIp: '192.0.2.1' }],
      ['an empty username', { username: '', password: PW, clientIp: '192.0.2.1' }],
    ])('refuses a login with %s with VALIDATION_FAILED', async (_case, payload) => {
      await expectCode(auth.requestRaw(AuthSubject.Login, payload), ErrorCode.VALIDATION_FAILED);
    });

    it('refuses tokens it never issued with UNAUTHORIZED', async () => {
      await expectCode(verify(newSessionToken()), ErrorCode.UNAUTHORIZED);
      await expectCode(verify('garbage'), ErrorCode.UNAUTHORIZED);
      await expectCode(verify('x'.repeat(1024)), ErrorCode.UNAUTHORIZED);
      await expectCode(auth.requestRaw(AuthSubject.Verify, { token: '' }), ErrorCode.VALIDATION_FAILED);
      await expectCode(auth.requestRaw(AuthSubject.Verify, { token: 42 }), ErrorCode.VALIDATION_FAILED);
    });

    it('refuses an expired session even before it is deleted', async () => {
      const token = newSessionToken();
      const client = await mongo.MongoClient.connect(auth.mongoUrl);
      try {
        await client
          .db()
          .collection('sessions')
          .insertOne({
            _id: hashSessionToken(token) as never,
            userId: 'u1',
            username,
            expiresAt: new Date(Date.now() - 1000),
          });
      } finally {
        await client.close();
      }
      await expectCode(verify(token), ErrorCode.UNAUTHORIZED);
    });

    it('stores neither passwords nor tokens in clear', async () => {
      const { token } = await login(username);
      const client = await mongo.MongoClient.connect(auth.mongoUrl);
      try {
        const key = username.toLowerCase();
        const user = await client.db().collection('users').findOne({ usernameLower: key });
        const entry = await client
          .db()
          .collection('usernames')
          .findOne({ _id: key as never });
        for (const record of [user, entry]) {
          expect(record?.passwordHash).toMatch(/^\$argon2id\$/);
          expect(JSON.stringify(record)).not.toContain(PW);
        }
        expect(entry?.userId).toBe(user?._id);
        const sessions = await client.db().collection('sessions').find({}).toArray();
        expect(JSON.stringify(sessions)).not.toContain(token);
        expect(sessions.some((s) => s._id === (hashSessionToken(token) as unknown))).toBe(true);
      } finally {
        await client.close();
      }
    });
  });

  describe('logout', () => {
    let username: string;
    let sub: Subscription | undefined;
    const revoked: SessionRevokedEvent[] = [];
    beforeAll(async () => {
      username = uniqueUsername('erin');
      await register(username);
      sub = auth.nc.subscribe(EventSubject.SessionRevoked, {
        callback: (err, msg) => {
          if (!err) revoked.push(events.decode(msg.data));
        },
      });
      await auth.nc.flush();
    });
    afterAll(() => sub?.unsubscribe());

    const waitForEvent = async (sessionId: string, timeoutMs = 3000): Promise<SessionRevokedEvent | undefined> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const e = revoked.find((r) => r.sessionId === sessionId);
        if (e) return e;
        await new Promise((r) => setTimeout(r, 20));
      }
      return undefined;
    };

    it('ends that session only, announces it once, and is idempotent', async () => {
      const [first, second]: LoginReply[] = [await login(username), await login(username)];
      const session = await verify(first.token);

      await expect(auth.rpc.request(AuthSubject.Logout, { sessionId: session.sessionId })).resolves.toEqual({});
      await expectCode(verify(first.token), ErrorCode.UNAUTHORIZED);
      expect(await waitForEvent(session.sessionId)).toEqual({ sessionId: session.sessionId, userId: first.user.id });
      // The user's other session goes on.
      await expect(verify(second.token)).resolves.toMatchObject({ user: second.user });

      await expect(auth.rpc.request(AuthSubject.Logout, { sessionId: session.sessionId })).resolves.toEqual({});
      await new Promise((r) => setTimeout(r, 300));
      expect(revoked.filter((r) => r.sessionId === session.sessionId)).toHaveLength(1);
    });

    it('answers {} for a session id that names nothing, without announcing anything', async () => {
      const before = revoked.length;
      await expect(auth.rpc.request(AuthSubject.Logout, { sessionId: 'no-such-session' })).resolves.toEqual({});
      await new Promise((r) => setTimeout(r, 200));
      expect(revoked).toHaveLength(before);
      await expectCode(auth.requestRaw(AuthSubject.Logout, { sessionId: '' }), ErrorCode.VALIDATION_FAILED);
    });
  });

  describe('resolve users', () => {
    it('finds names without regard to case and leaves unknown ones out', async () => {
      const [a, b] = [uniqueUsername('Frank'), uniqueUsername('grace')];
      const ua = (await register(a)).user;
      const ub = (await register(b)).user;
      const { users } = await auth.rpc.request(AuthSubject.ResolveUsers, {
        usernames: [a.toLowerCase(), b.toUpperCase(), a, uniqueUsername('nobody')],
      });
      expect(users).toHaveLength(2);
      expect(users).toEqual(expect.arrayContaining([ua, ub]));
    });

    it('answers an empty list for none, and refuses more than 100 names', async () => {
      await expect(auth.rpc.request(AuthSubject.ResolveUsers, { usernames: [] })).resolves.toEqual({ users: [] });
      const tooMany = Array.from({ length: 101 }, (_, i) => `user_${i}`);
      await expectCode(auth.rpc.request(AuthSubject.ResolveUsers, { usernames: tooMany }), ErrorCode.VALIDATION_FAILED);
      await expectCode(auth.requestRaw(AuthSubject.ResolveUsers, { usernames: 'alice' }), ErrorCode.VALIDATION_FAILED);
      await expectCode(
        auth.requestRaw(AuthSubject.ResolveUsers, { usernames: ['x'.repeat(65)] }),
        ErrorCode.VALIDATION_FAILED,
      );
    });
  });
});
