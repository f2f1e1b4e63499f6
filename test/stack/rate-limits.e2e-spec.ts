import { Json, api, closeAllSockets, connectSocket, emitAck, newClientMsgId, uniqueName } from '../harness/client';
import { createRoom, expectError } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(90_000);

const PW = 'rate limited one';
/** The address RATE_LIMIT_EXEMPT names; requests claim it through X-Forwarded-For (TRUST_PROXY=loopback). */
const TRUSTED = '198.51.100.7';

// Every costly action is limited, shared across gateways where a client could spread over them;
// RATE_LIMIT_EXEMPT addresses are never limited. Small limits, so the suite sees them bite.
describe('rate limits', () => {
  let stack: Stack;
  let gw: string[];

  beforeAll(async () => {
    stack = await startStack({
      gateways: 2,
      env: {
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_EXEMPT: TRUSTED,
        RATE_LIMIT_REGISTER: '4/600',
        RATE_LIMIT_SEND: '5/60',
        RATE_LIMIT_EDIT: '2/60',
        RATE_LIMIT_ROOM_CREATE: '2/600',
        RATE_LIMIT_DM_OPEN: '2/600',
        RATE_LIMIT_UPLOADS: '2/600',
        RATE_LIMIT_TYPING: '3/60',
        RATE_LIMIT_SOCKETS_PER_IP: '4',
        RATE_LIMIT_HANDSHAKES: '1000/1',
      },
    });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const expectLimited = (res: { status: number; headers: Headers; body: Json; text: string }) => {
    expectError(res as never, 429, 'RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  /** Registers from `address` (over both gateways in turn) and logs in. */
  const account = async (address: string, i = 0) => {
    const username = uniqueName('limited');
    const reg = await api(gw[i % 2]).post('/api/auth/register', { username, password: PW }, { headers: from(address) });
    expect(reg.status).toBe(201);
    const res = await api(gw[i % 2]).post('/api/auth/login', { username, password: PW }, { headers: from(address) });
    return { username, token: res.body.token as string };
  };

  it('registrations per address, over both gateways; another address, or an exempt one, goes on', async () => {
    const address = '203.0.113.1';
    for (let i = 0; i < 4; i++) await account(address, i);
    const refused = await api(gw[1]).post(
      '/api/auth/register',
      { username: uniqueName('one_more'), password: PW },
      { headers: from(address) },
    );
    expectLimited(refused);
    await account('203.0.113.2');
    for (let i = 0; i < 6; i++) await account(TRUSTED, i);
  });

  it('message:send per user, counted once over sockets on both gateways; retryAfterMs in the ack', async () => {
    const { token } = await account('203.0.113.10');
    const room = await createRoom(gw[0], token, 'limited sends');
    const sockets = [await connectSocket(gw[0], token), await connectSocket(gw[1], token)];
    const acks: Json[] = [];
    for (let i = 0; i < 7; i++) {
      acks.push(
        await emitAck(sockets[i % 2], 'message:send', {
          roomId: room.id,
          clientMsgId: newClientMsgId(),
          body: `m${i}`,
        }),
      );
    }
    expect(acks.slice(0, 5).every((a) => a.ok === true)).toBe(true);
    for (const ack of acks.slice(5)) {
      expect(ack).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.any(String), retryAfterMs: expect.any(Number) },
      });
      expect(ack.error.retryAfterMs).toBeGreaterThan(0);
    }
    // Nothing refused was stored: the room holds exactly the five acked messages.
    const history = await api(gw[1]).get(`/api/rooms/${room.id}/messages`, { token });
    expect(history.body.messages.map((m: Json) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('message:edit and typing per user', async () => {
    const { token } = await account('203.0.113.11');
    const room = await createRoom(gw[0], token, 'limited edits');
    const socket = await connectSocket(gw[0], token);
    const sent = await emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'x' });
    const edits = [];
    for (let i = 0; i < 3; i++)
      edits.push(await emitAck(socket, 'message:edit', { messageId: sent.message.id, body: `v${i}` }));
    expect(edits.map((a) => a.ok)).toEqual([true, true, false]);
    expect(edits[2].error.code).toBe('RATE_LIMITED');
    const typing = [];
    for (let i = 0; i < 4; i++) typing.push(await emitAck(socket, 'typing', { roomId: room.id, typing: i % 2 === 0 }));
    expect(typing.map((a) => a.ok)).toEqual([true, true, true, false]);
    expect(typing[3].error).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      retryAfterMs: expect.any(Number),
    });
  });

  it('room creation and DM opens per user', async () => {
    const { token } = await account('203.0.113.12');
    const peers = [await account('203.0.113.13'), await account('203.0.113.13'), await account('203.0.113.13')];
    for (let i = 0; i < 2; i++) {
      expect((await api(gw[i]).post('/api/rooms', { name: `r${i}`, kind: 'public' }, { token })).status).toBe(201);
    }
    expectLimited(await api(gw[0]).post('/api/rooms', { name: 'r3', kind: 'public' }, { token }));
    for (let i = 0; i < 2; i++) {
      expect([200, 201]).toContain(
        (await api(gw[i]).post('/api/dm', { username: peers[i].username }, { token })).status,
      );
    }
    expectLimited(await api(gw[1]).post('/api/dm', { username: peers[2].username }, { token }));
  });

  it('uploads per user', async () => {
    const { token } = await account('203.0.113.14');
    const room = await createRoom(gw[0], token, 'limited uploads');
    const upload = (i: number) => {
      const form = new FormData();
      form.append('file', new Blob([`file ${i}`], { type: 'text/plain' }), `f${i}.txt`);
      return fetch(`${gw[i % 2]}/api/rooms/${room.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
    };
    expect((await upload(0)).status).toBe(201);
    expect((await upload(1)).status).toBe(201);
    const refused = await upload(2);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Json).error.code).toBe('RATE_LIMITED');
  });

  it('sockets open at once per address; an exempt address is not limited', async () => {
    const { token } = await account('203.0.113.15');
    const headers = { extraHeaders: from('203.0.113.15') };
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await connectWith(gw[0], token, headers));
    await expect(connectWith(gw[0], token, headers)).rejects.toThrow('RATE_LIMITED');
    open.pop()?.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    open.push(await connectWith(gw[0], token, headers));
    const trusted = [];
    for (let i = 0; i < 6; i++) trusted.push(await connectWith(gw[0], token, { extraHeaders: from(TRUSTED) }));
    for (const s of [...open, ...trusted]) s.disconnect();
  });
});

/** A socket whose handshake carries `extraHeaders` (X-Forwarded-For): resolves on connect, rejects with the refusal. */
async function connectWith(url: string, token: string, opts: { extraHeaders: Record<string, string> }) {
  const { io } = await import('socket.io-client');
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token }, ...opts });
  return new Promise<ReturnType<typeof io>>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}
