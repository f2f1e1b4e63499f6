import {
  Json,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  Session,
} from '../harness/client';
import { createRoom, expectAckError, expectError, send } from '../harness/contract';
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
    const inFlight = Array.from({ length: 20 }, (_, k) =>
      emitAck(a0, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: `burst ${k}` }, 15_000).catch(
        (err: Error) => ({ ok: false, error: { code: 'NO_ACK', message: err.message } }),
      ),
    );
    await new Promise((r) => setTimeout(r, 15));
    await stack.killMessage(0);
    const burst = await Promise.all(inFlight);
    for (const ack of burst) {
      if (ack.ok) acked.push(ack.message);
      else expectAckError(ack, 'UNAVAILABLE'); // never a hang, never INTERNAL
    }

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
});
