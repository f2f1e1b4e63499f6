import { EventSubject } from '@app/contracts';
import { EventBus } from '@app/nats';
import { RECENT_PER_ROOM, RecentMessages } from './recent-messages.service';
import { Message } from './message.schema';

/** The bus as RecentMessages uses it: subscriptions per subject, publishes recorded, reconnections on demand. */
class Bus {
  readonly published: { subject: string; event: unknown }[] = [];
  readonly handlers = new Map<string, (event: never) => void>();
  reconnect?: () => void;

  subscribe(subject: string, handler: (event: never) => void) {
    this.handlers.set(subject, handler);
    return { unsubscribe: () => this.handlers.delete(subject) };
  }

  publish(subject: string, event: unknown): void {
    this.published.push({ subject, event });
  }

  onReconnect(handler: () => void): void {
    this.reconnect = handler;
  }

  hear(subject: string, event: unknown): void {
    this.handlers.get(subject)?.(event as never);
  }
}

const msg = (roomId: string, seq: number, body = `m${seq}`): Message => ({
  _id: `${roomId}:${seq}`,
  roomId,
  seq,
  body,
  clientMsgId: `c${seq}`,
  author: { id: 'u', username: 'u' },
  createdAt: new Date(),
});
const run = (roomId: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => msg(roomId, from + i));
const seqs = (docs: Message[] | null) => docs?.map((m) => m.seq) ?? null;

describe(RecentMessages.name, () => {
  let bus: Bus;
  let sut: RecentMessages;

  beforeEach(() => {
    bus = new Bus();
    sut = new RecentMessages(bus as unknown as EventBus);
    sut.onModuleInit();
  });

  it('serves a range only when it holds every seq of it', () => {
    sut.keep('r', run('r', 10, 20), sut.generation());
    expect(seqs(sut.range('r', { from: 12, to: 15, hasMore: false }))).toEqual([12, 13, 14, 15]);
    expect(sut.range('r', { from: 9, to: 12, hasMore: false })).toBeNull();
    expect(sut.range('r', { from: 19, to: 21, hasMore: false })).toBeNull();
    expect(sut.range('other', { from: 1, to: 2, hasMore: false })).toBeNull();
    expect(sut.range('r', { from: 5, to: 4, hasMore: false })).toEqual([]);
  });

  it('joins runs that touch or overlap, keeps the newer of two apart, and the newest RECENT_PER_ROOM', () => {
    sut.keep('r', run('r', 10, 20), sut.generation());
    sut.keep('r', run('r', 21, 25), sut.generation());
    sut.keep('r', run('r', 5, 12), sut.generation());
    expect(seqs(sut.range('r', { from: 5, to: 25, hasMore: false }))).toHaveLength(21);
    sut.keep('r', run('r', 40, 41), sut.generation());
    expect(sut.range('r', { from: 20, to: 25, hasMore: false })).toBeNull();
    expect(seqs(sut.range('r', { from: 40, to: 41, hasMore: false }))).toEqual([40, 41]);
    sut.keep('r', run('r', 1, 2), sut.generation()); // older and apart: not kept
    expect(seqs(sut.range('r', { from: 40, to: 41, hasMore: false }))).toEqual([40, 41]);
    sut.keep('r', run('r', 42, 41 + RECENT_PER_ROOM), sut.generation());
    expect(sut.range('r', { from: 41, to: 42, hasMore: false })).toBeNull();
    expect(sut.range('r', { from: 42, to: 41 + RECENT_PER_ROOM, hasMore: false })).toHaveLength(RECENT_PER_ROOM);
  });

  it('drops a room at a revision here, tells every instance, and keeps no fill that began before it', () => {
    sut.keep('r', run('r', 1, 10), sut.generation());
    const before = sut.generation();
    sut.revised('r', 4);
    expect(sut.range('r', { from: 1, to: 2, hasMore: false })).toBeNull();
    expect(bus.published).toEqual([{ subject: EventSubject.RoomStats, event: { roomId: 'r', revised: 4 } }]);
    sut.keep('r', run('r', 1, 10), before);
    expect(sut.range('r', { from: 1, to: 2, hasMore: false })).toBeNull();
    sut.keep('r', run('r', 1, 10), sut.generation());
    expect(seqs(sut.range('r', { from: 1, to: 2, hasMore: false }))).toEqual([1, 2]);
  });

  it('drops a room revised on another instance, and everything at a reconnection', () => {
    sut.keep('r', run('r', 1, 10), sut.generation());
    sut.keep('s', run('s', 1, 10), sut.generation());
    bus.hear(EventSubject.RoomStats, { roomId: 'r', lastSeq: 10 });
    expect(sut.range('r', { from: 1, to: 1, hasMore: false })).not.toBeNull();
    bus.hear(EventSubject.RoomStats, { roomId: 'r', revised: 3 });
    expect(sut.range('r', { from: 1, to: 1, hasMore: false })).toBeNull();
    expect(sut.range('s', { from: 1, to: 1, hasMore: false })).not.toBeNull();
    const before = sut.generation();
    bus.reconnect?.();
    expect(sut.range('s', { from: 1, to: 1, hasMore: false })).toBeNull();
    sut.keep('s', run('s', 1, 10), before);
    expect(sut.range('s', { from: 1, to: 1, hasMore: false })).toBeNull();
  });

  it('hands out frozen copies: a caller cannot change what others will read', () => {
    sut.keep('r', run('r', 1, 3), sut.generation());
    const [first] = sut.range('r', { from: 1, to: 1, hasMore: false })!;
    expect(() => {
      (first as { body: string }).body = 'changed';
    }).toThrow(TypeError);
  });
});
