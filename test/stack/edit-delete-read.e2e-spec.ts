import {
  Json,
  Session,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  registerAndLogin,
  sleep,
} from '../harness/client';
import { createRoom, expectAckError, expectMessage, join, send } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

// Edits, deletes and read pointers over two gateways: who hears what (once), acks and error codes.
describe('message:edit, message:delete and room:read across gateways', () => {
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

  /** Owner `a` and member `b` of a private room, plus `c` who is not in it. */
  async function privateRoom(prefix: string): Promise<{ a: Session; b: Session; c: Session; roomId: string }> {
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((s, i) => registerAndLogin(gw[i % 2], `${prefix}${s}`)));
    const room = await createRoom(gw[0], a.token, `${prefix}-room`, 'private', [b.user.username]);
    return { a, b, c, roomId: room.id };
  }

  /** Sockets: a on gw0 and gw1, b on gw0 and gw1, c (outsider) on gw1. */
  async function sockets(s: { a: Session; b: Session; c: Session }) {
    const [a0, a1, b0, b1, c1] = await Promise.all([
      connectSocket(gw[0], s.a.token),
      connectSocket(gw[1], s.a.token),
      connectSocket(gw[0], s.b.token),
      connectSocket(gw[1], s.b.token),
      connectSocket(gw[1], s.c.token),
    ]);
    return { a0, a1, b0, b1, c1, members: [a0, a1, b0, b1] };
  }

  it('an edit reaches every member socket on both gateways once, with editedAt; history has it', async () => {
    const s = await privateRoom('edit');
    const { b1, c1, members } = await sockets(s);
    const sent = await send(b1, s.roomId, 'first');
    const onMembers = members.map((x) => collect(x, 'message:updated'));
    const onC = collect(c1, 'message:updated');

    const ack = await emitAck(b1, 'message:edit', { messageId: sent.id, body: 'second' });
    expect(ack.ok).toBe(true);
    expectMessage(ack.message, { id: sent.id, seq: sent.seq, body: 'second', editedAt: expect.any(String) });
    for (const c of onMembers) await c.until((items) => items.length >= 1);
    await sleep(300);
    for (const c of onMembers) expect(c.items).toEqual([ack.message]);
    expect(onC.items).toEqual([]);

    const page = await api(gw[0]).get(`/api/rooms/${s.roomId}/messages`, { token: s.a.token });
    expect(page.body.messages.find((m: Json) => m.seq === sent.seq)).toEqual(ack.message);
    const rejoin = await join(members[0], s.roomId, sent.seq - 1);
    expect(rejoin.missed[0]).toEqual(ack.message);
  });

  it('edit errors: not the author FORBIDDEN, unknown NOT_FOUND, bad body VALIDATION_FAILED', async () => {
    const s = await privateRoom('editerr');
    const { a0, b1, c1 } = await sockets(s);
    const sent = await send(b1, s.roomId, 'mine');
    expectAckError(await emitAck(a0, 'message:edit', { messageId: sent.id, body: 'owner edit' }), 'FORBIDDEN');
    expectAckError(await emitAck(c1, 'message:edit', { messageId: sent.id, body: 'outsider' }), 'FORBIDDEN');
    for (const messageId of [`${s.roomId}:9999`, 'nope', '../x:1', `${s.roomId}:0`]) {
      expectAckError(await emitAck(b1, 'message:edit', { messageId, body: 'x' }), 'NOT_FOUND');
      expectAckError(await emitAck(b1, 'message:delete', { messageId }), 'NOT_FOUND');
    }
    for (const body of ['', '  ', 'x'.repeat(4001), 42]) {
      expectAckError(await emitAck(b1, 'message:edit', { messageId: sent.id, body }), 'VALIDATION_FAILED');
    }
    expectAckError(await emitAck(b1, 'message:edit', { body: 'x' }), 'VALIDATION_FAILED');
  });

  it('a delete leaves a tombstone, reaches every member socket once, and deleting again is ok', async () => {
    const s = await privateRoom('del');
    const { a1, b0, c1, members } = await sockets(s);
    const byB = await send(b0, s.roomId, 'oops');
    const byA = await send(a1, s.roomId, 'owner says');
    const onMembers = members.map((x) => collect(x, 'message:deleted'));
    const onC = collect(c1, 'message:deleted');

    expectAckError(await emitAck(b0, 'message:delete', { messageId: byA.id }), 'FORBIDDEN');
    expectAckError(await emitAck(c1, 'message:delete', { messageId: byB.id }), 'FORBIDDEN');
    expect(await emitAck(a1, 'message:delete', { messageId: byB.id })).toEqual({ ok: true });
    expect(await emitAck(b0, 'message:delete', { messageId: byB.id })).toEqual({ ok: true });
    for (const c of onMembers) await c.until((items) => items.length >= 1);
    await sleep(300);
    for (const c of onMembers) expect(c.items).toEqual([{ id: byB.id, roomId: s.roomId, seq: byB.seq }]);
    expect(onC.items).toEqual([]);

    const page = await api(gw[1]).get(`/api/rooms/${s.roomId}/messages`, { token: s.b.token });
    expect(page.body.messages.map((m: Json) => m.seq)).toEqual([byB.seq, byA.seq]);
    expectMessage(page.body.messages[0], { id: byB.id, body: '', deleted: true });
    expectAckError(await emitAck(b0, 'message:edit', { messageId: byB.id, body: 'back' }), 'NOT_FOUND');
  });

  it('room:read moves the pointer forward only, tells the members once, and shows in unread', async () => {
    const s = await privateRoom('read');
    const { a0, b1, c1, members } = await sockets(s);
    for (let i = 0; i < 3; i++) await send(a0, s.roomId, `m${i}`);
    const unreadOf = async (session: Session) =>
      (await api(gw[1]).get('/api/rooms', { token: session.token })).body.rooms.find((r: Json) => r.id === s.roomId)
        .unread;
    expect(await unreadOf(s.b)).toBe(3);
    const onMembers = members.map((x) => collect(x, 'room:read'));
    const onC = collect(c1, 'room:read');

    expect(await emitAck(b1, 'room:read', { roomId: s.roomId, seq: 2 })).toEqual({ ok: true });
    expect(await emitAck(b1, 'room:read', { roomId: s.roomId, seq: 1 })).toEqual({ ok: true });
    expect(await unreadOf(s.b)).toBe(1);
    expect(await emitAck(b1, 'room:read', { roomId: s.roomId, seq: 50 })).toEqual({ ok: true });
    expect(await unreadOf(s.b)).toBe(0);
    for (const c of onMembers) await c.until((items) => items.length >= 2);
    await sleep(300);
    for (const c of onMembers) {
      expect(c.items).toEqual([
        { roomId: s.roomId, user: s.b.user, seq: 2 },
        { roomId: s.roomId, user: s.b.user, seq: 3 },
      ]);
    }
    expect(onC.items).toEqual([]);

    expectAckError(await emitAck(c1, 'room:read', { roomId: s.roomId, seq: 1 }), 'FORBIDDEN');
    expectAckError(await emitAck(b1, 'room:read', { roomId: 'no-such-room', seq: 1 }), 'NOT_FOUND');
    for (const seq of [-1, 1.5, '2', undefined]) {
      expectAckError(await emitAck(b1, 'room:read', { roomId: s.roomId, seq }), 'VALIDATION_FAILED');
    }
  });
});
