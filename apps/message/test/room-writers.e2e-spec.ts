import 'reflect-metadata';
import { ChatSubject, ErrorCode, WriterBeacon, WriterSubject } from '@app/contracts';
import { NotDelivered } from '@app/nats';
import { JSONCodec } from 'nats';
import { sendKeyOf } from '../src/message/message-id';
import { writerAmong } from '../src/message/room-writers.service';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(90_000);

const codec = JSONCodec<WriterBeacon>();

/** Two real instances on one NATS and one database: each room is written by one of them. */
describe('message service: one writer per room', () => {
  const fx = new MessageServiceFixture();
  const alice = aUser('alice');
  let addresses: string[] = [];

  beforeAll(async () => {
    await fx.start(2);
    // Their beacons name them; once both have beaten twice, each has heard the other.
    const heard = new Map<string, number>();
    const sub = fx.nc.subscribe(WriterSubject.Beacon, {
      callback: (_err, msg) => {
        const { at } = codec.decode(msg.data);
        heard.set(at, (heard.get(at) ?? 0) + 1);
      },
    });
    const deadline = Date.now() + 15_000;
    while (heard.size < 2 || [...heard.values()].some((n) => n < 2)) {
      if (Date.now() > deadline) throw new Error(`beacons heard: ${JSON.stringify([...heard])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    sub.unsubscribe();
    addresses = [...heard.keys()].sort();
  });
  afterAll(() => fx.stop());

  it('serves a send addressed to one instance, and says so at once when no instance has that address', async () => {
    const { room } = await fx.request(ChatSubject.CreateRoom, {
      actor: alice,
      name: 'direct',
      kind: 'public',
      members: [],
    });
    for (const [i, at] of addresses.entries()) {
      const reply = await fx.rpc.request(
        ChatSubject.SendMessage,
        { actor: alice, roomId: room.id, clientMsgId: `direct-${i}`, body: 'to one' },
        { at },
      );
      expect(reply.message.seq).toBe(i + 1);
    }
    const nobody = fx.rpc.request(
      ChatSubject.SendMessage,
      { actor: alice, roomId: room.id, clientMsgId: 'direct-x', body: 'to none' },
      { at: 'no-such-instance' },
    );
    await expect(nobody).rejects.toBeInstanceOf(NotDelivered);
    await expect(nobody).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });

  it("has every room's sends, whichever instance they reach, written by that room's writer", async () => {
    const rooms = await Promise.all(
      Array.from(
        { length: 16 },
        async (_, r) =>
          (await fx.request(ChatSubject.CreateRoom, { actor: alice, name: `w${r}`, kind: 'public', members: [] })).room,
      ),
    );
    await Promise.all(
      rooms.flatMap((room) =>
        Array.from({ length: 20 }, (_, i) =>
          fx.request(ChatSubject.SendMessage, {
            actor: alice,
            roomId: room.id,
            clientMsgId: `${room.id}-${i}`,
            body: `m${i}`,
          }),
        ),
      ),
    );
    const writers = new Set<string>();
    for (const room of rooms) {
      const keys = await fx.db
        .collection<{ _id: string; owner?: string }>('send_keys')
        .find({ _id: { $in: Array.from({ length: 20 }, (_, i) => sendKeyOf(alice.id, `${room.id}-${i}`)) } })
        .toArray();
      const owners = new Set(keys.map((k) => k.owner));
      expect({ room: room.id, owners: [...owners] }).toEqual({
        room: room.id,
        owners: [writerAmong(addresses, room.id)],
      });
      writers.add([...owners][0]!);
    }
    expect(writers.size).toBe(2); // 16 rooms over 2 instances: both write some (1 in 32,768 they would not)
  });
});
