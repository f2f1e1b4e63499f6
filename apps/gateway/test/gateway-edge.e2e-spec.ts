import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import {
  Session,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sidCookie,
  waitFor,
} from '../../../test/harness/client';
import { createRoom, expectAckError, expectError, join, send } from '../../../test/harness/contract';
import { infra } from '../../../test/harness/infra';
import { Stack, startStack } from '../../../test/harness/stack';

jest.setTimeout(60_000);

/** One series' value out of Prometheus text. */
async function metric(baseUrl: string, name: string): Promise<number> {
  const text = (await api(baseUrl).get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line.split(' ')[1]);
}

// The gateway as an edge: HTTP details the stack suites do not pin down, socket interest and metrics.
describe('gateway edge', () => {
  let stack: Stack;
  let gw: string[];
  let alice: Session;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls;
    alice = await registerAndLogin(gw[0], 'edgeAlice');
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  describe('HTTP', () => {
    it('login sets sid HttpOnly, SameSite=Lax, Path=/ with a Max-Age to the expiry; logout clears it', async () => {
      const res = await api(gw[0]).post('/api/auth/login', { username: alice.user.username, password: alice.password });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/i);
      const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
      const expected = (Date.parse(res.body.expiresAt) - Date.now()) / 1000;
      expect(Math.abs(maxAge - expected)).toBeLessThan(5);

      const out = await api(gw[1]).post('/api/auth/logout', undefined, { cookie: sidCookie(res.headers) });
      expect(out.status).toBe(204);
      const cleared = out.headers.getSetCookie().find((c) => c.startsWith('sid='));
      expect(cleared).toMatch(/^sid=;.*Expires=Thu, 01 Jan 1970/);
    });

    it('a POST body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await api(gw[1]).request('POST', '/api/rooms', {
        raw: 'name=x&kind=public',
        contentType: 'text/plain',
        token: alice.token,
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('RATE_LIMITED is never reached by successful logins', async () => {
      for (let i = 0; i < 12; i++) {
        const ok = await api(gw[i % 2]).post('/api/auth/login', {
          username: alice.user.username,
          password: alice.password,
        });
        expect(ok.status).toBe(200);
      }
    });

    it('CSP lets the client load its own scripts and styles and open a websocket to its origin', async () => {
      const csp = (await api(gw[0]).get('/healthz')).headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).toContain(`connect-src 'self' ${gw[0].replace('http:', 'ws:')}`);
    });

    it('serves the web client at / when it is built, and never a stack trace anywhere', async () => {
      const res = await api(gw[1]).get('/');
      if (existsSync(joinPath(infra.provision.ROOT, 'dist', 'client', 'index.html'))) {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      } else {
        expectError(res, 404, 'NOT_FOUND');
      }
      const broken = await api(gw[1]).get('/api/rooms/%E0%A4%A', { token: alice.token });
      expectError(broken, 404, 'NOT_FOUND');
    });
  });

  describe('sockets', () => {
    it('an unknown attachment id is NOT_FOUND, a repeated one VALIDATION_FAILED; an empty list is fine', async () => {
      const room = await createRoom(gw[0], alice.token, 'attach-room');
      const s = await connectSocket(gw[1], alice.token);
      const payload = { roomId: room.id, clientMsgId: newClientMsgId(), body: 'hi' };
      expectAckError(await emitAck(s, 'message:send', { ...payload, attachmentIds: ['a1'] }), 'NOT_FOUND');
      expectAckError(await emitAck(s, 'message:send', { ...payload, attachmentIds: ['a.b'] }), 'NOT_FOUND');
      expectAckError(
        await emitAck(s, 'message:send', { ...payload, attachmentIds: ['a1', 'a1'] }),
        'VALIDATION_FAILED',
      );
      expectAckError(
        await emitAck(s, 'message:send', { ...payload, body: ' ', attachmentIds: [] }),
        'VALIDATION_FAILED',
      );
      const ok = await emitAck(s, 'message:send', { ...payload, attachmentIds: [] });
      expect(ok).toMatchObject({ ok: true, message: { body: 'hi', attachments: [] } });
    });

    it('subscribes once per room however many local sockets hold it, and lets go when the last leaves', async () => {
      await waitFor(async () => (await metric(gw[1], 'chat_room_subscriptions')) === 0, 5000, 'no subscriptions');
      const bob = await registerAndLogin(gw[1], 'edgeBob');
      const room = await createRoom(gw[1], bob.token, 'interest-room');
      const first = await connectSocket(gw[1], bob.token);
      await waitFor(async () => (await metric(gw[1], 'chat_sockets_connected')) >= 1);
      await waitFor(async () => (await metric(gw[1], 'chat_room_subscriptions')) >= 1, 3000, 'room subscribed');
      const held = await metric(gw[1], 'chat_room_subscriptions');
      const second = await connectSocket(gw[1], bob.token);
      await join(second, room.id);
      await join(second, room.id);
      expect(await metric(gw[1], 'chat_room_subscriptions')).toBe(held);

      const heard = [first, second].map((s) => collect(s, 'message:new'));
      const m = await send(first, room.id, 'once each');
      for (const c of heard) await c.until((items) => items.length >= 1);
      for (const c of heard) expect(c.items).toEqual([m]);

      first.close();
      second.close();
      await waitFor(async () => (await metric(gw[1], 'chat_room_subscriptions')) === 0, 3000, 'unsubscribed');
    });

    it('counts messages in and out and observes fan-out latency', async () => {
      const room = await createRoom(gw[0], alice.token, 'metrics-room');
      const s = await connectSocket(gw[0], alice.token);
      await join(s, room.id);
      const before = {
        in: await metric(gw[0], 'chat_messages_in_total'),
        out: await metric(gw[0], 'chat_messages_out_total'),
        latency: await metric(gw[0], 'chat_fanout_latency_seconds_count'),
      };
      const heard = collect(s, 'message:new');
      await send(s, room.id, 'counted');
      await heard.until((items) => items.length === 1);
      expect(await metric(gw[0], 'chat_messages_in_total')).toBe(before.in + 1);
      expect(await metric(gw[0], 'chat_messages_out_total')).toBe(before.out + 1);
      expect(await metric(gw[0], 'chat_fanout_latency_seconds_count')).toBe(before.latency + 1);
    });

    // Last: it leaves the stack without auth.
    it('connect_error is UNAVAILABLE, not UNAUTHORIZED, when auth cannot answer', async () => {
      await Promise.all(stack.auth.map((a) => a.kill()));
      await expect(connectSocket(gw[0], 'some-token-never-cached')).rejects.toHaveProperty('message', 'UNAVAILABLE');
      expectError(await api(gw[0]).get('/api/auth/me', { token: 'x' }), 503, 'UNAVAILABLE');
      expect((await api(gw[0]).get('/readyz')).status).toBe(503);
    });
  });
});
