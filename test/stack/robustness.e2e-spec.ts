import type { Socket } from 'socket.io-client';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  Json,
  Session,
  api,
  closeAllSockets,
  rawHttp,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
} from '../harness/client';
import { createRoom, expectAckError, expectError, expectMessage, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// Hostile and malformed input, over HTTP and the socket: a clear 4xx / VALIDATION_FAILED, never a crash.
describe('malformed and hostile input', () => {
  let stack: Stack;
  let gw: string[];
  let user: Session;
  let room: Json;
  let sock: Socket;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls;
    user = await registerAndLogin(gw[0], 'robust');
    room = await createRoom(gw[0], user.token, 'robust-room');
    sock = await connectSocket(gw[1], user.token);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  /** The gateway still serves a normal request: nothing crashed. */
  const stillServes = async () => {
    expect(sock.connected).toBe(true);
    const m = await send(sock, room.id, 'still alive');
    expectMessage(m, { roomId: room.id, body: 'still alive' });
    for (const g of stack.gateways) expect(g.child.exitCode).toBeNull();
  };

  describe('HTTP', () => {
    it('malformed JSON: 400 VALIDATION_FAILED', async () => {
      for (const raw of ['{"username":', '{username: "x"}', "{'a':1}", '{"a":1}}', 'nul']) {
        expectError(await api(gw[0]).request('POST', '/api/auth/register', { raw }), 400, 'VALIDATION_FAILED');
        expectError(
          await api(gw[1]).request('POST', '/api/rooms', { raw, token: user.token }),
          400,
          'VALIDATION_FAILED',
        );
      }
    });

    it('a huge JSON body: 413 PAYLOAD_TOO_LARGE', async () => {
      const raw = JSON.stringify({ username: 'big_one', password: 'x'.repeat(5 * 1024 * 1024) });
      expectError(await api(gw[0]).request('POST', '/api/auth/register', { raw }), 413, 'PAYLOAD_TOO_LARGE');
      expectError(await api(gw[1]).request('POST', '/api/rooms', { raw, token: user.token }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a body that is not JSON: 4xx with the contract error body, never 500', async () => {
      const res = await api(gw[0]).request('POST', '/api/auth/login', {
        raw: 'username=a&password=b',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect([400, 415]).toContain(res.status);
      expectError(res, res.status, res.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED');
    });

    it('injection-shaped credentials: 400, never 500, and no login', async () => {
      for (const body of [
        { username: { $gt: '' }, password: { $gt: '' } },
        { username: { $ne: null }, password: 'whatever1' },
        { username: { $regex: '.*' }, password: 'whatever1' },
        { username: 'robust', password: { $ne: null }, $where: 'sleep(1000)' },
      ]) {
        for (const path of ['/api/auth/login', '/api/auth/register']) {
          expectError(await api(gw[1]).post(path, body), 400, 'VALIDATION_FAILED');
        }
      }
      expectError(
        await api(gw[1]).post('/api/dm', { username: { $ne: null } }, { token: user.token }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await api(gw[1]).post(`/api/rooms/${room.id}/members`, { username: { $ne: null } }, { token: user.token }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('Content-Encoding: supported ones decoded (a bomb is 413), others 415, on every route; never 500', async () => {
      const credentials = Buffer.from(JSON.stringify({ username: user.user.username, password: user.password }));
      for (const [encoding, body] of [
        ['gzip', gzipSync(credentials)],
        ['deflate', deflateSync(credentials)],
        ['br', brotliCompressSync(credentials)],
        ['identity, gzip', gzipSync(credentials)],
      ] as const) {
        const res = await api(gw[0]).request('POST', '/api/auth/login', {
          raw: body,
          headers: { 'content-encoding': encoding },
        });
        expect(res.status).toBe(200);
      }
      const bomb = gzipSync(Buffer.from(`{"username":"${'a'.repeat(20 * 1024 * 1024)}"}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      expectError(
        await api(gw[1]).request('POST', '/api/auth/login', { raw: bomb, headers: { 'content-encoding': 'gzip' } }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      for (const encoding of ['bogus', 'gzip, br', 'compress']) {
        expectError(
          await api(gw[0]).request('POST', '/api/auth/login', {
            raw: credentials,
            headers: { 'content-encoding': encoding },
          }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
      }
      // A body that does not decode, and the header on routes that take no body.
      for (const encoding of ['gzip', 'deflate', 'br']) {
        expectError(
          await api(gw[1]).request('POST', '/api/auth/register', {
            raw: 'not compressed',
            headers: { 'content-encoding': encoding },
          }),
          400,
          'VALIDATION_FAILED',
        );
        for (const path of ['/healthz', '/readyz', '/metrics']) {
          const headers = { 'content-encoding': encoding, 'content-type': 'application/json' };
          expect((await rawHttp(gw[0], 'GET', path, { headers, body: '{}' })).status).toBeLessThan(500);
          expect(
            (await rawHttp(gw[0], 'GET', path, { headers: { 'content-encoding': encoding } })).status,
          ).toBeLessThan(500);
        }
      }
    });

    it('prototype keys in bodies, queries and socket payloads: a 4xx, and Object.prototype untouched', async () => {
      for (const raw of [
        '{"username":{"constructor":{"prototype":{"polluted":true}}},"password":"whatever1"}',
        '{"__proto__":{"polluted":true},"username":"abc_def","password":"whatever1"}',
        '{"username":"abc_def","password":"whatever1","prototype":1}',
      ]) {
        expectError(await api(gw[0]).request('POST', '/api/auth/register', { raw }), 400, 'VALIDATION_FAILED');
        expectError(
          await api(gw[1]).request('POST', '/api/rooms', { raw, token: user.token }),
          400,
          'VALIDATION_FAILED',
        );
      }
      for (const q of ['?constructor[prototype][x]=1', '?__proto__[polluted]=1', '?before=1&constructor=2']) {
        const res = await api(gw[0]).get(`/api/rooms/${room.id}/messages${q}`, { token: user.token });
        expect(res.status).toBe(200);
        const health = await api(gw[1]).get(`/healthz${q}`);
        expect(health.status).toBe(200);
      }
      for (const event of ['room:join', 'room:leave', 'message:send']) {
        for (const payload of [
          { roomId: { constructor: 'x' } },
          JSON.parse(
            `{"roomId":"${room.id}","__proto__":{"polluted":true},"clientMsgId":"${newClientMsgId()}","body":"x"}`,
          ),
          { roomId: room.id, clientMsgId: newClientMsgId(), body: 'x', prototype: { polluted: true } },
        ]) {
          expectAckError(await emitAck(sock, event, payload), 'VALIDATION_FAILED');
        }
      }
      expect(({} as Json).polluted).toBeUndefined();
      await stillServes();
    });

    it('checks the session, then the ids, then the body; a body on a route that takes none is ignored', async () => {
      const junk = (contentType = 'application/json', token?: string) => ({
        headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: '{"broken": ',
      });
      for (const [method, path] of [
        ['GET', '/api/auth/me'],
        ['GET', `/api/rooms/${room.id}`],
        ['POST', `/api/rooms/${room.id}/join`],
        ['POST', `/api/rooms/${room.id}/leave`],
        ['POST', '/api/rooms'],
        ['POST', `/api/rooms/${room.id}/members`],
      ]) {
        for (const contentType of ['application/json', 'text/plain']) {
          const res = await rawHttp(gw[0], method, path, junk(contentType));
          expect([res.status, res.body]).toEqual([
            401,
            { error: { code: 'UNAUTHORIZED', message: expect.any(String) } },
          ]);
        }
      }
      expect((await rawHttp(gw[1], 'GET', '/api/auth/me', junk('application/json', user.token))).status).toBe(200);
      expect((await rawHttp(gw[1], 'GET', `/api/rooms/${room.id}`, junk('text/plain', user.token))).status).toBe(200);
      for (const [method, path] of [
        ['GET', '/api/rooms/no.such.room'],
        ['POST', '/api/rooms/no.such.room/join'],
        ['POST', '/api/rooms/no.such.room/members'],
        ['GET', '/api/rooms/00000000-0000-4000-8000-000000000000'],
      ]) {
        const res = await rawHttp(gw[0], method, path, junk('application/json', user.token));
        expect([res.status, res.body.error?.code]).toEqual([404, 'NOT_FOUND']);
      }
    });

    it('query injection in history parameters is a 400', async () => {
      for (const q of ['?before[$gt]=0', '?limit[$ne]=1', '?after=1&after=2']) {
        expectError(
          await api(gw[0]).get(`/api/rooms/${room.id}/messages${q}`, { token: user.token }),
          400,
          'VALIDATION_FAILED',
        );
      }
    });
  });

  describe('message bodies are data', () => {
    it('stores and returns <script>, $where, JSON and unicode verbatim', async () => {
      const bodies = [
        '<script>alert("x")</script>',
        '{"$where": "sleep(5000)"}',
        '$where',
        "'; DROP TABLE messages; --",
        '  leading and trailing  ',
        'ünïcödé 😀 密码 \u202e',
        'line1\nline2\ttab',
      ];
      const acked = [];
      for (const body of bodies) {
        const m = await send(sock, room.id, body);
        expect(m.body).toBe(body);
        acked.push(m);
      }
      const res = await api(gw[0]).get(`/api/rooms/${room.id}/messages?limit=${bodies.length}`, { token: user.token });
      expect(res.body.messages.map((m: Json) => m.body)).toEqual(bodies);
      expect(res.body.messages).toEqual(acked);
    });

    it('body length counts code points after trimming: 4000 OK (even as emoji), 4001 or blank VALIDATION_FAILED', async () => {
      expect((await send(sock, room.id, 'b'.repeat(4000))).body).toHaveLength(4000);
      expect((await send(sock, room.id, '😀'.repeat(4000))).body).toBe('😀'.repeat(4000));
      expect((await send(sock, room.id, `  ${'c'.repeat(4000)}  `)).body).toHaveLength(4004);
      // What String.prototype.trim removes: NBSP, ideographic space, BOM, line/paragraph separators too.
      const jsWhitespace = '\u00a0\u3000\ufeff\u2028\u2029\u1680\u2000\u200a\u202f\u205f';
      expect((await send(sock, room.id, `${jsWhitespace}${'d'.repeat(4000)}${jsWhitespace}`)).body).toHaveLength(
        4000 + 2 * jsWhitespace.length,
      );
      for (const body of ['b'.repeat(4001), '😀'.repeat(4001), '', '   ', '\n\t ', jsWhitespace]) {
        expectAckError(
          await emitAck(sock, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body }),
          'VALIDATION_FAILED',
        );
      }
    });
  });

  describe('socket payloads', () => {
    const events = ['room:join', 'room:leave', 'message:send'];

    it.each(events)('%s with a non-object payload: VALIDATION_FAILED', async (event) => {
      for (const payload of ['just a string', 42, null, true, [room.id], JSON.stringify({ roomId: room.id })]) {
        expectAckError(await emitAck(sock, event, payload), 'VALIDATION_FAILED');
      }
      await stillServes();
    });

    it.each(events)('%s with missing or mistyped fields: VALIDATION_FAILED', async (event) => {
      for (const payload of [{}, { roomId: 42 }, { roomId: '' }, { roomId: { $ne: null } }, { roomId: [room.id] }]) {
        expectAckError(
          await emitAck(sock, event, { clientMsgId: newClientMsgId(), body: 'x', ...payload }),
          'VALIDATION_FAILED',
        );
      }
    });

    it('message:send field rules: clientMsgId required, 1–64 of [A-Za-z0-9_-]; body a string', async () => {
      const bad: Json[] = [
        { roomId: room.id, body: 'no id' },
        { roomId: room.id, clientMsgId: '', body: 'x' },
        { roomId: room.id, clientMsgId: 'a'.repeat(65), body: 'x' },
        { roomId: room.id, clientMsgId: 'has space', body: 'x' },
        { roomId: room.id, clientMsgId: 'dot.ted', body: 'x' },
        { roomId: room.id, clientMsgId: 12345, body: 'x' },
        { roomId: room.id, clientMsgId: newClientMsgId() },
        { roomId: room.id, clientMsgId: newClientMsgId(), body: 42 },
        { roomId: room.id, clientMsgId: newClientMsgId(), body: { $where: '1' } },
        { roomId: room.id, clientMsgId: newClientMsgId(), body: ['x'] },
      ];
      for (const payload of bad) expectAckError(await emitAck(sock, 'message:send', payload), 'VALIDATION_FAILED');
      const edge = await send(sock, room.id, 'max id', 'A'.repeat(32) + '_-' + 'z'.repeat(30));
      expect(edge.clientMsgId).toHaveLength(64);
      await stillServes();
    });

    it('room:join afterSeq must be a non-negative integer', async () => {
      for (const afterSeq of [-1, 1.5, '3', 'abc', null, { $gt: 0 }]) {
        expectAckError(await emitAck(sock, 'room:join', { roomId: room.id, afterSeq }), 'VALIDATION_FAILED');
      }
    });

    it('events without an ack callback, or unknown events, do not crash the gateway', async () => {
      sock.emit('message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'fire and forget' });
      sock.emit('message:send', 'garbage');
      sock.emit('room:join');
      sock.emit('room:join', { roomId: room.id });
      sock.emit('no:such:event', { a: 1 });
      sock.emit('message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'x'.repeat(5000) });
      await sleep(500);
      await stillServes();
      const unknown = await emitAck(sock, 'no:such:event', {}, 3000).catch(() => 'no ack');
      if (unknown !== 'no ack')
        expect(unknown).toEqual({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
      await stillServes();
    });

    it('an ack-only emit (no payload) is VALIDATION_FAILED', async () => {
      const ack = await sock.timeout(3000).emitWithAck('room:join');
      expectAckError(ack, 'VALIDATION_FAILED');
    });

    it('an oversized socket frame does not take the gateway down', async () => {
      const big = await connectSocket(gw[1], user.token);
      big.emit('message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'y'.repeat(3 * 1024 * 1024) });
      await sleep(800);
      await stillServes();
      const other = await connectSocket(gw[1], user.token);
      expect((await emitAck(other, 'room:join', { roomId: room.id })).ok).toBe(true);
    });
  });
});
