import type { Socket } from 'socket.io-client';
import {
  Json,
  Session,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  registerAndLogin,
  sleep,
  waitFor,
} from '../harness/client';
import { createRoom, expectAckError, joinHttp } from '../harness/contract';
import { Stack, startStack, waitReady } from '../harness/stack';

jest.setTimeout(60_000);

/** Short heartbeats so a crashed gateway's claims expire within seconds (3 periods). */
const HEARTBEAT_MS = 1000;
const LAPSE_MS = 6000;

// Typing and presence over two gateways: who hears what, lapses, disconnects and a crashed gateway.
describe('typing and presence across gateways', () => {
  let stack: Stack;
  let gw: string[];

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, appEnv: { gateway: { PRESENCE_HEARTBEAT_MS: String(HEARTBEAT_MS) } } });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const typing = (socket: Socket, roomId: string, value: boolean) =>
    emitAck(socket, 'typing', { roomId, typing: value });
  const usersOf = (events: Json[]) => events.map((e) => `${e.user.username}:${e.status ?? e.typing}`);

  /** Owner `a` and member `b` of a public room, plus `c` who is not in it. */
  async function roomWithMembers(prefix: string): Promise<{ a: Session; b: Session; c: Session; roomId: string }> {
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((s, i) => registerAndLogin(gw[i % 2], `${prefix}${s}`)));
    const room = await createRoom(gw[0], a.token, `${prefix}-room`);
    await joinHttp(gw[1], b.token, room.id);
    return { a, b, c, roomId: room.id };
  }

  it('typing reaches the other members on both gateways, not the typer’s own sockets, not non-members', async () => {
    const { a, b, c, roomId } = await roomWithMembers('typ');
    const [a0, a1, b0, b1, c1] = await Promise.all([
      connectSocket(gw[0], a.token),
      connectSocket(gw[1], a.token),
      connectSocket(gw[0], b.token),
      connectSocket(gw[1], b.token),
      connectSocket(gw[1], c.token),
    ]);
    const [onA1, onB0, onB1, onC1] = [a1, b0, b1, c1].map((s) => collect(s, 'typing'));

    expect(await typing(a0, roomId, true)).toEqual({ ok: true });
    await onB1.until((items) => items.length >= 1);
    await onB0.until((items) => items.length >= 1);
    expect(onB1.items[0]).toEqual({ roomId, user: a.user, typing: true });
    expect(await typing(a0, roomId, false)).toEqual({ ok: true });
    for (const c of [onB0, onB1]) await c.until((items) => items.length >= 2);
    await sleep(300);
    for (const c of [onB0, onB1]) {
      expect(c.items).toEqual([
        { roomId, user: a.user, typing: true },
        { roomId, user: a.user, typing: false },
      ]);
    }
    expect(onA1.items).toEqual([]);
    expect(onC1.items).toEqual([]);
  });

  it('refreshes within a second are not fanned out; an unrefreshed typing lapses after 6 s', async () => {
    const { a, b, roomId } = await roomWithMembers('lapse');
    const [a0, b1] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const onB1 = collect(b1, 'typing');
    const started = Date.now();
    for (let i = 0; i < 4; i++) expect(await typing(a0, roomId, true)).toEqual({ ok: true });
    await onB1.until((items) => items.length >= 1);
    await sleep(LAPSE_MS - 1500);
    expect(usersOf(onB1.items)).toEqual([`${a.user.username}:true`]);
    await onB1.until((items) => items.length >= 2, 4000);
    const lapsedAfter = Date.now() - started;
    expect(usersOf(onB1.items)).toEqual([`${a.user.username}:true`, `${a.user.username}:false`]);
    expect(onB1.items[1]).toEqual({ roomId, user: a.user, typing: false });
    expect(lapsedAfter).toBeGreaterThanOrEqual(LAPSE_MS - 500);
    expect(lapsedAfter).toBeLessThan(LAPSE_MS + 2000);
  });

  it('a disconnect ends typing at once on the other gateway', async () => {
    const { a, b, roomId } = await roomWithMembers('gone');
    const [a0, b1] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const onB1 = collect(b1, 'typing');
    await typing(a0, roomId, true);
    await onB1.until((items) => items.length >= 1);
    const closedAt = Date.now();
    a0.close();
    await onB1.until((items) => items.length >= 2, 3000);
    expect(Date.now() - closedAt).toBeLessThan(2000);
    expect(onB1.items[1]).toEqual({ roomId, user: a.user, typing: false });
  });

  it('typing is refused to non-members (FORBIDDEN), for unknown rooms (NOT_FOUND) and bad payloads (VALIDATION_FAILED)', async () => {
    const { a, c, roomId } = await roomWithMembers('deny');
    const secret = await createRoom(gw[0], a.token, 'deny-private', 'private');
    const [a0, c1] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], c.token)]);
    const onA0 = collect(a0, 'typing');
    expectAckError(await typing(c1, roomId, true), 'FORBIDDEN');
    expectAckError(await typing(c1, secret.id, true), 'FORBIDDEN');
    expectAckError(await typing(c1, '00000000-0000-4000-8000-000000000000', true), 'NOT_FOUND');
    expectAckError(await typing(c1, 'not.a>room', true), 'NOT_FOUND');
    for (const bad of [
      { roomId },
      { roomId, typing: 'yes' },
      { roomId, typing: 1 },
      { roomId: 42, typing: true },
      { roomId: '', typing: true },
      { roomId, typing: true, extra: 1 },
      null,
      'typing',
    ]) {
      expectAckError(await emitAck(a0, 'typing', bad), 'VALIDATION_FAILED');
    }
    await sleep(300);
    expect(onA0.items).toEqual([]);
  });

  it('presence: online once for two shared rooms, across gateways; offline only after the last socket anywhere', async () => {
    const [p, q, z] = await Promise.all(['presP', 'presQ', 'presZ'].map((n, i) => registerAndLogin(gw[i % 2], n)));
    const [r1, r2] = await Promise.all([createRoom(gw[0], p.token, 'pres-1'), createRoom(gw[0], p.token, 'pres-2')]);
    await Promise.all([joinHttp(gw[1], q.token, r1.id), joinHttp(gw[1], q.token, r2.id)]);
    const [p0, z0] = await Promise.all([connectSocket(gw[0], p.token), connectSocket(gw[0], z.token)]);
    const [onP0, onZ0] = [p0, z0].map((s) => collect(s, 'presence'));

    const q1 = await connectSocket(gw[1], q.token);
    const onQ1 = collect(q1, 'presence');
    await onP0.until((items) => items.length >= 1);
    expect(onP0.items[0]).toEqual({ user: q.user, status: 'online' });
    const listed = await emitAck(p0, 'presence:list', { roomId: r1.id });
    expect(listed.ok).toBe(true);
    expect(listed.users.map((u: Json) => u.id).sort()).toEqual([p.user.id, q.user.id].sort());

    // A second socket on the other gateway, then the first one goes: still online.
    const q0 = await connectSocket(gw[0], q.token);
    q1.close();
    await sleep(800);
    expect(onP0.items).toEqual([{ user: q.user, status: 'online' }]);

    q0.close();
    await onP0.until((items) => items.length >= 2);
    await sleep(300);
    expect(onP0.items).toEqual([
      { user: q.user, status: 'online' },
      { user: q.user, status: 'offline' },
    ]);
    expect(onZ0.items).toEqual([]);
    expect(onQ1.items.filter((e: Json) => e.user.id === q.user.id)).toEqual([]);
    expect((await emitAck(p0, 'presence:list', { roomId: r2.id })).users).toEqual([p.user]);
    expectAckError(await emitAck(z0, 'presence:list', { roomId: r1.id }), 'FORBIDDEN');
  });

  it('presence: a room joined later on another gateway lists its online members there, and hears their offline', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'lateA'), registerAndLogin(gw[1], 'lateB')]);
    const room = await createRoom(gw[0], a.token, 'late-room');
    const a0 = await connectSocket(gw[0], a.token);
    // Gateway 1 holds nobody of the room yet: it learns who is online there when b joins.
    const b1 = await connectSocket(gw[1], b.token);
    const onB1 = collect(b1, 'presence');
    expect((await emitAck(b1, 'room:join', { roomId: room.id })).ok).toBe(true);
    const listed = async () => (await emitAck(b1, 'presence:list', { roomId: room.id })).users as Json[];
    await waitFor(async () => (await listed()).length >= 2, 3000, 'the room’s online members listed');
    expect((await listed()).map((u) => u.id).sort()).toEqual([a.user.id, b.user.id].sort());
    // Members of a room joined later get no `online` for those already there.
    await sleep(300);
    expect(onB1.items).toEqual([]);
    a0.close();
    await onB1.until((items) => items.length >= 1);
    await sleep(300);
    expect(onB1.items).toEqual([{ user: a.user, status: 'offline' }]);
  });

  it('presence across a NATS outage: claims lapse while it is down, come back with it; the gateways keep serving', async () => {
    const [s, t] = await Promise.all([registerAndLogin(gw[0], 'outS'), registerAndLogin(gw[1], 'outT')]);
    const room = await createRoom(gw[0], s.token, 'outage-room');
    await joinHttp(gw[1], t.token, room.id);
    const s0 = await connectSocket(gw[0], s.token);
    const onS0 = collect(s0, 'presence');
    await connectSocket(gw[1], t.token);
    await onS0.until((items) => items.length >= 1);

    await stack.killNats();
    // No word from gateway 1 for 3 periods: its claims lapse, as for a crashed gateway.
    await waitFor(() => onS0.items.length >= 2, 3 * HEARTBEAT_MS + 3000, 'offline while NATS is down');
    await stack.startNats();
    await waitFor(() => onS0.items.length >= 3, 15_000, 'online again once NATS is back');
    await sleep(500);
    expect(onS0.items).toEqual([
      { user: t.user, status: 'online' },
      { user: t.user, status: 'offline' },
      { user: t.user, status: 'online' },
    ]);
    await Promise.all(gw.map((url) => waitReady(url, 15_000)));
    const listed = await emitAck(s0, 'presence:list', { roomId: room.id });
    expect(listed.users.map((u: Json) => u.id).sort()).toEqual([s.user.id, t.user.id].sort());
  });

  // Last: it kills gateway 1.
  it('a SIGKILLed gateway: its users go offline after 3 missed heartbeats, their typing lapses', async () => {
    const [s, t] = await Promise.all([registerAndLogin(gw[0], 'crashS'), registerAndLogin(gw[1], 'crashT')]);
    const room = await createRoom(gw[0], s.token, 'crash-room');
    await joinHttp(gw[1], t.token, room.id);
    const s0 = await connectSocket(gw[0], s.token);
    const [onPresence, onTyping] = [collect(s0, 'presence'), collect(s0, 'typing')];
    const t1 = await connectSocket(gw[1], t.token);
    await onPresence.until((items) => items.length >= 1);
    await typing(t1, room.id, true);
    await onTyping.until((items) => items.length >= 1);

    const killedAt = Date.now();
    await stack.gateways[1].kill();
    await waitFor(() => onPresence.items.length >= 2, 3 * HEARTBEAT_MS + 3000, 'offline after the crash');
    const offlineAfter = Date.now() - killedAt;
    expect(onPresence.items).toEqual([
      { user: t.user, status: 'online' },
      { user: t.user, status: 'offline' },
    ]);
    // Nobody said goodbye: it is the missed heartbeats that tell.
    expect(offlineAfter).toBeGreaterThanOrEqual(HEARTBEAT_MS);
    await onTyping.until((items) => items.length >= 2, LAPSE_MS + 1000);
    expect(onTyping.items[1]).toEqual({ roomId: room.id, user: t.user, typing: false });
  });
});
