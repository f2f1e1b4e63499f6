import { ChatSubject } from '@app/contracts';
import { NatsConnection, connect } from 'nats';
import {
  Session,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
} from '../harness/client';
import { createRoom, joinHttp } from '../harness/contract';
import { scrape, sumOf } from '../harness/metrics';
import { Stack, startStack } from '../harness/stack';
import { io } from 'socket.io-client';

jest.setTimeout(90_000);

const CONCURRENCY = 2;
const USERS = 12;
const SOCKETS_PER_USER = 4;

/**
 * HANDSHAKE_CONCURRENCY bounds the handshakes loading their rooms at once: watched on the real NATS
 * server, by counting the gateway's room-list requests that have not been answered yet.
 */
describe('handshake admission', () => {
  let stack: Stack;
  let gw: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    stack = await startStack({
      gateways: 1,
      appEnv: { gateway: { HANDSHAKE_CONCURRENCY: String(CONCURRENCY), RATE_LIMIT_HANDSHAKES: '1000/1' } },
    });
    gw = stack.gatewayUrls[0];
    nc = await connect({ servers: stack.natsUrl });
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await nc?.close();
    await stack?.stop();
  });

  it('a burst of handshakes loads at most HANDSHAKE_CONCURRENCY room lists at once, and every socket gets its rooms', async () => {
    const users: Session[] = await Promise.all(
      Array.from({ length: USERS }, (_, i) => registerAndLogin(gw, `gate${i}`)),
    );
    const room = await createRoom(gw, users[0].token, 'gate-room');
    for (const u of users.slice(1)) await joinHttp(gw, u.token, room.id);

    // Requests the message service has not answered yet: a copy of each request, and every reply inbox.
    const open = new Set<string>();
    let mostOpen = 0;
    let requests = 0;
    const requestsSeen = nc.subscribe(ChatSubject.ListRooms, {
      callback: (_err, msg) => {
        if (!msg.reply) return;
        requests += 1;
        open.add(msg.reply);
        mostOpen = Math.max(mostOpen, open.size);
      },
    });
    const repliesSeen = nc.subscribe('_INBOX.>', { callback: (_err, msg) => open.delete(msg.subject) });
    await nc.flush();

    const sockets = await Promise.all(
      users.flatMap((u) => Array.from({ length: SOCKETS_PER_USER }, () => connectSocket(gw, u.token, 20_000))),
    );
    await nc.flush();
    requestsSeen.unsubscribe();
    repliesSeen.unsubscribe();

    expect(requests).toBe(USERS * SOCKETS_PER_USER);
    expect(mostOpen).toBeGreaterThanOrEqual(1);
    expect(mostOpen).toBeLessThanOrEqual(CONCURRENCY);

    // Each socket was subscribed to its room during the handshake: one send reaches all of them.
    const inboxes = sockets.map((s) => collect(s, 'message:new'));
    const ack = await emitAck(sockets[0], 'message:send', {
      roomId: room.id,
      clientMsgId: newClientMsgId(),
      body: 'through the gate',
    });
    expect(ack).toMatchObject({ ok: true });
    await Promise.all(inboxes.map((inbox) => inbox.until((items) => items.length === 1)));
    for (const inbox of inboxes) expect(inbox.items.map((m) => m.body)).toEqual(['through the gate']);
  });

  it('a socket gone while its handshake waits or loads leaves no room subscription behind', async () => {
    const users: Session[] = await Promise.all(Array.from({ length: 4 }, (_, i) => registerAndLogin(gw, `gone${i}`)));
    for (const [i, u] of users.entries()) await createRoom(gw, u.token, `gone-room-${i}`);
    // Closed at once, or a few milliseconds into the handshake: waiting at the gate, loading, or connected.
    const sockets = Array.from({ length: 200 }, (_, i) => {
      const s = io(gw, {
        auth: { token: users[i % users.length].token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      setTimeout(() => s.close(), i % 100);
      return s;
    });
    let subscriptions = NaN;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
      subscriptions = sumOf(await scrape(gw), 'chat_room_subscriptions');
      if (subscriptions === 0) break;
    }
    for (const s of sockets) s.close();
    expect(subscriptions).toBe(0);
  });
});
