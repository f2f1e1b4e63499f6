import type { Socket } from 'socket.io-client';
import {
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
  type Collector,
  type Json,
  type Session,
} from '../harness/client';
import { createRoom, join } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';

// @username mentions across two gateways: who counts as mentioned (exists and may read the room),
// the `mention` event to their sockets only, `unreadMentions` in room views, read pointers, edits
// and idempotent retries.

// Waits on the index, expiry sweeps and a second gateway: generous on a loaded 2-core machine.
jest.setTimeout(60_000);
describe('mentions', () => {
  let stack: Stack;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let publicId: string;
  let privateId: string;
  let sa: Socket;
  let mentionsOf: Record<'bob' | 'carol', Collector>;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    const [g0, g1] = stack.gatewayUrls;
    [alice, bob, carol] = await Promise.all([
      registerAndLogin(g0, 'alice'),
      registerAndLogin(g1, 'bob'),
      registerAndLogin(g1, 'carol'),
    ]);
    publicId = (await createRoom(g0, alice.token, 'mentions-public', 'public')).id;
    privateId = (await createRoom(g0, alice.token, 'mentions-private', 'private', [bob.user.username])).id;
    expect((await api(g1).post(`/api/rooms/${publicId}/join`, undefined, { token: bob.token })).status).toBe(200);
    sa = await connectSocket(g0, alice.token);
    await join(sa, publicId);
    await join(sa, privateId);
    const [sb, sc] = await Promise.all([connectSocket(g1, bob.token), connectSocket(g0, carol.token)]);
    mentionsOf = { bob: collect(sb, 'mention'), carol: collect(sc, 'mention') };
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const send = async (roomId: string, body: string, clientMsgId = newClientMsgId()): Promise<Json> => {
    const ack = await emitAck(sa, 'message:send', { roomId, clientMsgId, body });
    expect(ack.ok).toBe(true);
    return ack.message;
  };
  const roomOf = async (who: Session, roomId: string): Promise<Json> => {
    const res = await api(stack.gatewayUrls[1]).get('/api/rooms', { token: who.token });
    return res.body.rooms.find((r: Json) => r.id === roomId);
  };
  const user = (s: Session) => ({ id: s.user.id, username: s.user.username });

  it('lists in `mentions` the users who exist and may read the room, in order, once each', async () => {
    const body = `hi @${bob.user.username.toUpperCase()}, @${carol.user.username} and @nobody_here_x; mail x@${bob.user.username} @${bob.user.username}`;
    const message = await send(publicId, body);
    // Public room: carol may read it without being a member. An address is no mention.
    expect(message.mentions).toEqual([user(bob), user(carol)]);
    const page = await api(stack.gatewayUrls[1]).get(`/api/rooms/${publicId}/messages`, { token: bob.token });
    expect(page.body.messages.find((m: Json) => m.id === message.id).mentions).toEqual([user(bob), user(carol)]);

    await mentionsOf.bob.until((items) => items.some((e: Json) => e.message.id === message.id));
    await mentionsOf.carol.until((items) => items.some((e: Json) => e.message.id === message.id));
    expect(mentionsOf.bob.items.find((e: Json) => e.message.id === message.id)).toEqual({ roomId: publicId, message });
  });

  it('never mentions, nor notifies, someone who may not read a private room', async () => {
    const before = mentionsOf.carol.items.length;
    const message = await send(privateId, `@${carol.user.username} @${bob.user.username} look`);
    expect(message.mentions).toEqual([user(bob)]);
    await mentionsOf.bob.until((items) => items.some((e: Json) => e.message.id === message.id));
    await sleep(300);
    expect(mentionsOf.carol.items).toHaveLength(before);
    // A message without any mention carries no `mentions` field.
    expect(await send(privateId, 'no one')).not.toHaveProperty('mentions');
  });

  it('counts unread mentions per room for members, and clears them with the read pointer', async () => {
    expect(await roomOf(bob, publicId)).toMatchObject({ unreadMentions: 1 });
    expect(await roomOf(bob, privateId)).toMatchObject({ unreadMentions: 1 });
    const second = await send(publicId, `again @${bob.user.username}`);
    expect(await roomOf(bob, publicId)).toMatchObject({ unreadMentions: 2 });

    const sb = await connectSocket(stack.gatewayUrls[0], bob.token);
    expect((await emitAck(sb, 'room:read', { roomId: publicId, seq: second.seq - 1 })).ok).toBe(true);
    expect(await roomOf(bob, publicId)).toMatchObject({ unreadMentions: 1 });
    expect((await emitAck(sb, 'room:read', { roomId: publicId, seq: second.seq })).ok).toBe(true);
    expect(await roomOf(bob, publicId)).toMatchObject({ unreadMentions: 0 });
    // The join ack's room view carries it too.
    const joined = await emitAck(sb, 'room:join', { roomId: privateId });
    expect(joined.room).toMatchObject({ unreadMentions: 1 });
  });

  it('counts a retried send once, and an edit notifies only whom it newly mentions', async () => {
    const clientMsgId = newClientMsgId();
    const first = await send(privateId, `retry @${bob.user.username}`, clientMsgId);
    const again = await send(privateId, `retry @${bob.user.username}`, clientMsgId);
    expect(again).toEqual(first);
    await mentionsOf.bob.until((items) => items.some((e: Json) => e.message.id === first.id));
    await sleep(300);
    expect(mentionsOf.bob.items.filter((e: Json) => e.message.id === first.id)).toHaveLength(1);
    expect(await roomOf(bob, privateId)).toMatchObject({ unreadMentions: 2 });

    const plain = await send(publicId, 'nobody yet');
    const edited = await emitAck(sa, 'message:edit', { messageId: plain.id, body: `now @${carol.user.username}` });
    expect(edited.message.mentions).toEqual([user(carol)]);
    await mentionsOf.carol.until((items) => items.some((e: Json) => e.message.id === plain.id));
    const dropped = await emitAck(sa, 'message:edit', { messageId: plain.id, body: 'nobody again' });
    expect(dropped.message).not.toHaveProperty('mentions');
  });
});
