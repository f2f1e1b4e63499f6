import {
  Json,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  disconnected,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  waitFor,
  Session,
} from '../harness/client';
import { createRoom, expectAckError, expectError, join, send } from '../harness/contract';
import { Stack, startStack, waitReady } from '../harness/stack';

jest.setTimeout(90_000);

// Guarantee 2 (durability), and UNAVAILABLE (not a hang) while the message service is down.
describe('durability when the message service dies', () => {
  let stack: Stack;
  let gw: string[];
  let alice: Session;
  let bob: Session;
  let room: Json;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, messageInstances: 1 });
    gw = stack.gatewayUrls;
    [alice, bob] = await Promise.all([registerAndLogin(gw[0], 'durA'), registerAndLogin(gw[1], 'durB')]);
    room = await createRoom(gw[0], alice.token, 'durable');
    const joined = await api(gw[1]).post(`/api/rooms/${room.id}/join`, undefined, { token: bob.token });
    if (joined.status !== 200) throw new Error(`join: ${joined.status} ${joined.text}`);
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const history = async (url: string, token: string): Promise<Json[]> => {
    const res = await api(url).get(`/api/rooms/${room.id}/messages?after=0&limit=100`, { token });
    expect(res.status).toBe(200);
    return res.body.messages;
  };

  it('acked messages survive a SIGKILL of the message service; sends while it is down answer UNAVAILABLE promptly', async () => {
    const a0 = await connectSocket(gw[0], alice.token);
    const b1 = await connectSocket(gw[1], bob.token);
    const acked: Json[] = [];
    for (let k = 1; k <= 5; k++) acked.push(await send(a0, room.id, `durable ${k}`));

    // A burst in flight when the process dies: whatever was acked must be stored.
    let okSoFar = 0;
    const inFlight = Array.from({ length: 30 }, (_, k) =>
      emitAck(a0, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: `burst ${k}` }, 15_000).then(
        (ack: Json) => {
          if (ack?.ok) okSoFar++;
          return ack;
        },
        (err: Error) => ({ ok: false, error: { code: 'NO_ACK', message: err.message } }),
      ),
    );
    await waitFor(() => okSoFar >= 3, 10_000, 'first burst acks'); // kill it mid-burst
    await stack.killMessage(0);
    const burst = await Promise.all(inFlight);
    for (const ack of burst) {
      if (ack.ok) acked.push(ack.message);
      else expectAckError(ack, 'UNAVAILABLE'); // never a hang, never INTERNAL
    }
    process.stderr.write(`burst at the kill: ${burst.filter((x) => x.ok).length}/${burst.length} acked\n`);

    // While it is down: prompt UNAVAILABLE on the socket and over HTTP, and not ready.
    for (const s of [a0, b1]) {
      const t0 = Date.now();
      const ack = await emitAck(
        s,
        'message:send',
        { roomId: room.id, clientMsgId: newClientMsgId(), body: 'nobody home' },
        8000,
      );
      expectAckError(ack, 'UNAVAILABLE');
      expect(Date.now() - t0).toBeLessThan(6000);
    }
    expectError(await api(gw[1]).get(`/api/rooms/${room.id}/messages`, { token: bob.token }), 503, 'UNAVAILABLE');
    expectError(await api(gw[0]).get('/api/rooms', { token: alice.token }), 503, 'UNAVAILABLE');
    for (const url of gw) expect((await api(url).get('/readyz')).status).toBe(503);
    expect(a0.connected && b1.connected).toBe(true);

    await stack.startMessage(0);
    await Promise.all(gw.map((url) => waitReady(url, 20_000)));

    // Every acked message is there, exactly as acked; seqs are 1..K with no gap.
    const stored = await history(gw[1], bob.token);
    const byId = new Map(stored.map((m) => [m.id, m]));
    for (const m of acked) expect(byId.get(m.id)).toEqual(m);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));

    // Life goes on after the restart: the next message takes the next seq and reaches the other gateway.
    const onB = collect(b1, 'message:new');
    const next = await send(a0, room.id, 'after the restart');
    expect(next.seq).toBe(stored.length + 1);
    await onB.until((items) => items.some((m) => m.id === next.id), 5000);
  });

  it('a retry of an acked clientMsgId after the restart returns the stored message', async () => {
    const a1 = await connectSocket(gw[1], alice.token);
    const id = newClientMsgId();
    const first = await send(a1, room.id, 'before second crash', id);
    await stack.restartMessage(0);
    const retry = await send(a1, room.id, 'retried after crash', id);
    expect(retry).toEqual(first);
    const stored = await history(gw[0], alice.token);
    expect(stored.filter((m) => m.clientMsgId === id)).toEqual([first]);
  });

  it('auth down: login and register answer 503 UNAVAILABLE promptly; back up, they work again', async () => {
    await stack.killAuth(0);
    for (const url of gw) {
      const t0 = Date.now();
      expectError(
        await api(url).post('/api/auth/login', { username: alice.user.username, password: alice.password }),
        503,
        'UNAVAILABLE',
      );
      expectError(
        await api(url).post('/api/auth/register', { username: 'during_outage', password: 'long enough' }),
        503,
        'UNAVAILABLE',
      );
      expect(Date.now() - t0).toBeLessThan(12_000);
      expect((await api(url).get('/readyz')).status).toBe(503);
    }
    await stack.startAuth(0);
    await Promise.all(gw.map((url) => waitReady(url, 20_000)));
    expect(
      (await api(gw[1]).post('/api/auth/login', { username: alice.user.username, password: alice.password })).status,
    ).toBe(200);
  });

  it('a gateway stops (SIGTERM): its sockets are disconnected, reconnect to the other one and catch up without a gap', async () => {
    const b0 = await connectSocket(gw[0], bob.token);
    const a1 = await connectSocket(gw[1], alice.token);
    const seen = collect(b0, 'message:new');
    const before = await send(a1, room.id, 'before the gateway stops');
    await seen.until((items) => items.some((m) => m.id === before.id));
    const lastSeen = Math.max(...seen.items.map((m) => m.seq));
    const gone = disconnected(b0, 15_000);
    await stack.stopGateway(0);
    await gone;
    const missed: Json[] = [];
    for (let k = 0; k < 3; k++) missed.push(await send(a1, room.id, `while b reconnects ${k}`));
    const b1 = await connectSocket(gw[1], bob.token);
    const ack = await join(b1, room.id, lastSeen);
    expect(ack.missed).toEqual(missed);
    expect(ack.hasMore).toBe(false);
    await expect(connectSocket(gw[0], bob.token, 2000)).rejects.toBeDefined();
  });
});
