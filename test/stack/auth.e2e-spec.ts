import {
  api,
  closeAllSockets,
  collect,
  connectSocket,
  disconnected,
  emitAck,
  login,
  registerAndLogin,
  uniqueName,
} from '../harness/client';
import { ISO_UTC, createRoom, expectAckError, expectError, expectUser, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// Register / login / me / logout over HTTP, the input rules, and guarantee 7 (revocation).
describe('auth over the whole stack', () => {
  let stack: Stack;
  let gw: string[];

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const register = (username: unknown, password: unknown, url = gw[0]) =>
    api(url).post('/api/auth/register', { username, password });
  const PW = 'a good password';

  describe('register', () => {
    it('201 {user} with exactly {id, username}; the name keeps its case', async () => {
      const username = uniqueName('Reg.Ok-');
      const res = await register(username, PW);
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['user']);
      expectUser(res.body.user, username);
    });

    it.each([
      ['too short', 'ab'],
      ['too long (33)', 'a'.repeat(33)],
      ['a space', 'has space'],
      ['a slash', 'a/b/c'],
      ['non-ASCII letters', 'jürgen'],
      ['an @', 'me@example'],
      ['empty', ''],
      ['a NUL', 'abc\u0000def'],
    ])('400 VALIDATION_FAILED for a username with %s', async (_, username) => {
      expectError(await register(username, PW), 400, 'VALIDATION_FAILED');
    });

    it('accepts 3 and 32 characters of [A-Za-z0-9_.-]', async () => {
      const three = `${'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]}.${Math.floor(Math.random() * 10)}`;
      const r3 = await register(three, PW);
      expect([201, 409]).toContain(r3.status); // another run may have taken it
      const long = uniqueName('x'.repeat(32)).padEnd(32, 'z').slice(0, 32);
      expect(long).toHaveLength(32);
      expect((await register(long, PW)).status).toBe(201);
    });

    it('409 USERNAME_TAKEN for a duplicate regardless of case, on either gateway', async () => {
      const username = uniqueName('Dup');
      expect((await register(username, PW, gw[0])).status).toBe(201);
      expectError(await register(username, PW, gw[1]), 409, 'USERNAME_TAKEN');
      expectError(await register(username.toUpperCase(), PW, gw[0]), 409, 'USERNAME_TAKEN');
      expectError(await register(username.toLowerCase(), 'another password', gw[1]), 409, 'USERNAME_TAKEN');
    });

    it('concurrent registrations of one name: exactly one 201, the rest 409', async () => {
      const username = uniqueName('race');
      const res = await Promise.all(
        [0, 1, 2, 3].map((i) => register(i % 2 ? username.toUpperCase() : username, PW, gw[i % 2])),
      );
      expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it.each([
      ['7 characters', 'abcdefg'],
      ['129 code points', 'p'.repeat(129)],
      ['129 emoji', '😀'.repeat(129)],
      ['a NUL', 'abcdefgh\u0000ijk'],
      ['a newline', 'abcdefgh\nijk'],
      ['a DEL', 'abcdefgh\u007fijk'],
      ['an ESC', '\u001babcdefghij'],
      ['a number', 12345678],
      ['null', null],
    ])('400 VALIDATION_FAILED for a password of %s', async (_, password) => {
      expectError(await register(uniqueName('pw'), password), 400, 'VALIDATION_FAILED');
    });

    it('accepts 8 characters, 128 ASCII and 128 emoji (code points, not UTF-16 units), and they log in', async () => {
      for (const password of ['12345678', 'q'.repeat(128), '😀'.repeat(128), 'ünï cödé 密码 pass']) {
        const username = uniqueName('pwok');
        const res = await register(username, password);
        expect(res.status).toBe(201);
        expect((await api(gw[1]).post('/api/auth/login', { username, password })).status).toBe(200);
      }
    });

    it('400 for a missing field, a non-string or an operator object', async () => {
      for (const body of [
        {},
        { username: uniqueName('nopw') },
        { password: PW },
        { username: { $gt: '' }, password: PW },
        { username: uniqueName('op'), password: { $gt: '' } },
        { username: ['array'], password: PW },
        [],
        'just a string',
        null,
      ]) {
        expectError(await api(gw[0]).post('/api/auth/register', body), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('login', () => {
    it('200 {token, expiresAt, user} and an HttpOnly SameSite=Lax sid cookie', async () => {
      const username = uniqueName('Login');
      await register(username, PW);
      const res = await api(gw[1]).post('/api/auth/login', { username, password: PW });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        token: expect.any(String),
        expiresAt: expect.stringMatching(ISO_UTC),
        user: expect.any(Object),
      });
      expectUser(res.body.user, username);
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).not.toMatch(/^sid=;/);
      // Both the token and the cookie authenticate, on both gateways.
      for (const url of gw) {
        const byToken = await api(url).get('/api/auth/me', { token: res.body.token });
        expect(byToken.status).toBe(200);
        expect(byToken.body).toEqual({ user: res.body.user });
        const byCookie = await api(url).get('/api/auth/me', { cookie: cookie!.split(';')[0] });
        expect(byCookie.body).toEqual({ user: res.body.user });
      }
    });

    it('the username is matched without regard to case, and the user keeps its registered spelling', async () => {
      const username = uniqueName('CaseLogin');
      await register(username, PW);
      for (const variant of [username.toLowerCase(), username.toUpperCase()]) {
        const res = await api(gw[1]).post('/api/auth/login', { username: variant, password: PW });
        expect(res.status).toBe(200);
        expectUser(res.body.user, username);
      }
    });

    it('401 INVALID_CREDENTIALS for a wrong password and for an unknown user, alike', async () => {
      const username = uniqueName('wrong');
      await register(username, PW);
      expectError(
        await api(gw[0]).post('/api/auth/login', { username, password: 'not the password' }),
        401,
        'INVALID_CREDENTIALS',
      );
      expectError(
        await api(gw[1]).post('/api/auth/login', { username: uniqueName('ghost'), password: PW }),
        401,
        'INVALID_CREDENTIALS',
      );
      const wrong = await api(gw[0]).post('/api/auth/login', { username, password: 'not the password' });
      expect(wrong.headers.getSetCookie().filter((c) => /^sid=[^;]+/.test(c))).toEqual([]);
    });

    it('400 (never 500) for operator objects and other non-strings as credentials', async () => {
      for (const body of [
        { username: { $ne: null }, password: { $ne: null } },
        { username: { $gt: '' }, password: PW },
        { username: 'someone', password: { $gt: '' } },
        { username: 'someone', password: 12345678 },
        {},
      ]) {
        expectError(await api(gw[1]).post('/api/auth/login', body), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('logout and revocation', () => {
    it('401 UNAUTHORIZED for /me without a session', async () => {
      expectError(await api(gw[0]).get('/api/auth/me'), 401, 'UNAUTHORIZED');
    });

    it('logout: 204; the token is refused on both gateways, its sockets on both gateways get session:revoked and are disconnected within 2 s, the other session goes on', async () => {
      const first = await registerAndLogin(gw[0], 'revoke');
      const second = await login(gw[1], first.user.username, first.password);
      const room = await createRoom(gw[0], first.token, 'revocation-room');
      // Warm any session cache on both gateways first.
      for (const url of gw) expect((await api(url).get('/api/auth/me', { token: first.token })).status).toBe(200);
      const [a0, a1, aCookie1, b0, b1] = await Promise.all([
        connectSocket(gw[0], first.token),
        connectSocket(gw[1], first.token),
        connectSocket(gw[1], { cookie: first.cookie }),
        connectSocket(gw[0], second.token),
        connectSocket(gw[1], second.token),
      ]);
      const revokedOn = [a0, a1, aCookie1].map((s) => collect(s, 'session:revoked'));
      const goneA = [a0, a1, aCookie1].map((s) => disconnected(s, 2000));
      const bRevoked = [b0, b1].map((s) => collect(s, 'session:revoked'));
      const onB1 = collect(b1, 'message:new');

      const t0 = Date.now();
      const out = await api(gw[0]).post('/api/auth/logout', undefined, { token: first.token });
      expect(out.status).toBe(204);
      expect(out.text).toBe('');
      for (const url of gw) {
        expectError(await api(url).get('/api/auth/me', { token: first.token }), 401, 'UNAUTHORIZED');
        expectError(await api(url).get('/api/rooms', { cookie: first.cookie }), 401, 'UNAUTHORIZED');
      }
      await Promise.all(goneA);
      expect(Date.now() - t0).toBeLessThan(2500);
      for (const c of revokedOn) expect(c.items).toEqual([{}]);

      // New connections with the revoked token or cookie are refused.
      for (const url of gw) {
        await expect(connectSocket(url, first.token)).rejects.toHaveProperty('message', 'UNAUTHORIZED');
        await expect(connectSocket(url, { cookie: first.cookie })).rejects.toHaveProperty('message', 'UNAUTHORIZED');
      }
      // The second session is untouched.
      expect(b0.connected && b1.connected).toBe(true);
      for (const c of bRevoked) expect(c.items).toEqual([]);
      for (const url of gw) expect((await api(url).get('/api/auth/me', { token: second.token })).status).toBe(200);
      const m = await send(b0, room.id, 'still here');
      await onB1.until((items) => items.some((x) => x.id === m.id));
      // Logging out twice is refused (the session is gone).
      expectError(await api(gw[1]).post('/api/auth/logout', undefined, { token: first.token }), 401, 'UNAUTHORIZED');
    });

    it('logout with the sid cookie revokes that session too', async () => {
      const s = await registerAndLogin(gw[1], 'cookieOut');
      const sock = await connectSocket(gw[0], s.token);
      const gone = disconnected(sock, 2000);
      const out = await api(gw[1]).post('/api/auth/logout', undefined, { cookie: s.cookie });
      expect(out.status).toBe(204);
      await gone;
      expectError(await api(gw[0]).get('/api/auth/me', { token: s.token }), 401, 'UNAUTHORIZED');
      expectAckError(
        await emitAck(
          await connectSocket(gw[0], (await login(gw[0], s.user.username, s.password)).token),
          'room:join',
          {},
        ),
        'VALIDATION_FAILED',
      );
    });
  });
});
