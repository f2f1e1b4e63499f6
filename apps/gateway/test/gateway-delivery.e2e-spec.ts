import 'reflect-metadata';
import { io } from 'socket.io-client';
import {
  Json,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  disconnected,
  newClientMsgId,
  registerAndLogin,
  sleep,
} from '../../../test/harness/client';
import { createRoom, joinHttp, send } from '../../../test/harness/contract';
import { Stack, startStack } from '../../../test/harness/stack';

jest.setTimeout(90_000);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Two message instances publish concurrently, so events reach gateways out of seq order: each
// gateway's sequencer must still hand every socket 1..N once, in order. Then shutdown.
describe('gateway delivery with two message instances', () => {
  let stack: Stack;
  let gw: string[];

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, messageInstances: 2 });
    gw = stack.gatewayUrls;
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('every socket on both gateways sees seq 1..N exactly once and in order', async () => {
    const users = await Promise.all([0, 1, 2].map((i) => registerAndLogin(gw[i % 2], `seq${i}`)));
    const room = await createRoom(gw[0], users[0].token, 'seq-room');
    await Promise.all(users.slice(1).map((u) => joinHttp(gw[1], u.token, room.id)));
    const sockets = await Promise.all(users.flatMap((u) => gw.map((url) => connectSocket(url, u.token))));
    const seen = sockets.map((s) => collect<Json>(s, 'message:new'));

    const perSocket = 8;
    const acks = await Promise.all(
      sockets.flatMap((s, i) =>
        range(1, perSocket).map((k) => send(s, room.id, `s${i} m${k}`, newClientMsgId(), 20_000)),
      ),
    );
    const total = sockets.length * perSocket;
    expect(acks.map((m) => m.seq).sort((a, b) => a - b)).toEqual(range(1, total));
    for (const c of seen) await c.until((items) => items.length >= total, 15_000);
    await sleep(400); // a late duplicate would land here
    for (const c of seen) expect(c.items.map((m) => m.seq)).toEqual(range(1, total));
  });

  it('a message sent the moment a socket is connected reaches it: rooms are subscribed during the handshake', async () => {
    const [a, b] = await Promise.all([registerAndLogin(gw[0], 'fastA'), registerAndLogin(gw[1], 'fastB')]);
    const room = await createRoom(gw[0], a.token, 'fast-room');
    await joinHttp(gw[0], b.token, room.id);
    const sender = await connectSocket(gw[0], a.token);
    for (let round = 0; round < 5; round++) {
      // Nobody else on gateway 1 holds the room: this socket's handshake opens the subscription.
      const receiver = await connectSocket(gw[1], b.token);
      const heard = collect<Json>(receiver, 'message:new');
      const m = await send(sender, room.id, `right away ${round}`);
      await heard.until((items) => items.some((x) => x.id === m.id), 3000);
      receiver.close();
    }
  });

  it('SIGTERM: sockets lose their transport (so clients reconnect elsewhere), readyz fails, exit code 0', async () => {
    const user = await registerAndLogin(gw[0], 'drain');
    // A client that would reconnect: it must see a transport close, not a server-side disconnect.
    const socket = io(gw[1], { transports: ['websocket'], reconnection: false, auth: { token: user.token } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const reason = disconnected(socket, 8000);
    const stopped = stack.stopGateway(1);
    expect(await reason).toBe('transport close');
    await stopped;
    expect(stack.gateways[1].child.exitCode).toBe(0);
    await expect(api(gw[1]).get('/readyz')).rejects.toThrow();
    // The other gateway goes on.
    expect((await api(gw[0]).get('/readyz')).status).toBe(200);
    socket.close();
  });
});
