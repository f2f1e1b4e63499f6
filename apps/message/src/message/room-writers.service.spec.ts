import 'reflect-metadata';
import { ErrorCode, SendMessageReply, SendMessageRequest, WriterSubject } from '@app/contracts';
import { DomainError } from '@app/errors';
import { NotDelivered, RequestServer, RpcClient } from '@app/nats';
import { JSONCodec, NatsConnection } from 'nats';
import { BEACON_EXPIRY_MS, RoomWriters } from './room-writers.service';

const codec = JSONCodec();

/** The beacon subject as NATS carries it between the instances of one suite (pure logic: no server). */
class Beacons {
  private readonly listeners: ((data: Uint8Array) => void)[] = [];
  private readonly killed = new Set<string>();
  /** What a SIGKILL leaves: that instance's beacons stop, with no goodbye. */
  kill(name: string): void {
    this.killed.add(name);
  }
  connection(name = ''): NatsConnection {
    return {
      subscribe: (_subject: string, opts: { callback: (err: null, msg: { data: Uint8Array }) => void }) => {
        const listener = (data: Uint8Array) => opts.callback(null, { data });
        this.listeners.push(listener);
        return { unsubscribe: () => this.listeners.splice(this.listeners.indexOf(listener), 1) };
      },
      publish: (subject: string, data: Uint8Array) => {
        expect(subject).toBe(WriterSubject.Beacon);
        if (this.killed.has(name)) return;
        for (const l of [...this.listeners]) l(data);
      },
      isClosed: () => false,
    } as unknown as NatsConnection;
  }
}

function instance(beacons: Beacons, address: string, rpc: Partial<RpcClient> = {}): RoomWriters {
  return new RoomWriters(beacons.connection(address), rpc as RpcClient, { address } as RequestServer);
}

const rooms = Array.from({ length: 1000 }, (_, i) => `room-${i}`);
const req = (roomId: string) => ({ roomId }) as SendMessageRequest;
const reply = { message: { seq: 1 } } as unknown as SendMessageReply;

describe(RoomWriters.name, () => {
  afterEach(() => jest.useRealTimers());

  it('writes every room itself while it is the only instance', () => {
    const sut = instance(new Beacons(), 'a');
    sut.onApplicationBootstrap();
    expect(rooms.every((r) => sut.writerOf(r) === undefined)).toBe(true);
    sut.onModuleDestroy();
  });

  it('splits the rooms between the instances that hear each other, all agreeing on each room', () => {
    const beacons = new Beacons();
    const all = ['a', 'b', 'c'].map((at) => instance(beacons, at));
    all.forEach((s) => s.onApplicationBootstrap()); // each announces itself as it starts
    all.forEach((s) => s.onApplicationBootstrap()); // and again on its next beat
    const writers = rooms.map((r) => all.map((s, i) => s.writerOf(r) ?? ['a', 'b', 'c'][i]));
    for (const w of writers) expect(new Set(w).size).toBe(1);
    const share = new Map<string, number>();
    for (const [w] of writers) share.set(w, (share.get(w) ?? 0) + 1);
    expect([...share.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const n of share.values()) expect(n).toBeGreaterThan(250); // about a third each
    all.forEach((s) => s.onModuleDestroy());
  });

  it('moves only the rooms of an instance that stops, and takes them back when it is silent too long', () => {
    jest.useFakeTimers();
    const beacons = new Beacons();
    const [a, b, c] = ['a', 'b', 'c'].map((at) => instance(beacons, at));
    [a, b, c, a, b, c].forEach((s) => s.onApplicationBootstrap());
    const before = rooms.map((r) => a.writerOf(r) ?? 'a');
    c.onModuleDestroy(); // says it is gone
    const after = rooms.map((r) => a.writerOf(r) ?? 'a');
    rooms.forEach((_, i) => {
      if (before[i] !== 'c') expect(after[i]).toBe(before[i]);
      else expect(after[i]).not.toBe('c');
    });
    expect(after).toEqual(rooms.map((r) => b.writerOf(r) ?? 'b'));

    // b is killed: no goodbye, its beacons stop. a drops it once they are overdue.
    const silenced = new Beacons();
    const lone = instance(silenced, 'a');
    const victim = instance(silenced, 'b');
    [lone, victim].forEach((s) => s.onApplicationBootstrap());
    expect(rooms.some((r) => lone.writerOf(r) === 'b')).toBe(true);
    silenced.kill('b');
    jest.advanceTimersByTime(BEACON_EXPIRY_MS + 1000);
    expect(rooms.every((r) => lone.writerOf(r) === undefined)).toBe(true);
    [a, b, lone, victim].forEach((s) => s.onModuleDestroy());
  });

  it("hands a send to the room's writer, and answers with its reply or its refusal", async () => {
    const busy = DomainError.unavailable('The room is too busy, try again');
    const request = jest.fn().mockResolvedValueOnce(reply).mockRejectedValueOnce(busy);
    const sut = instance(new Beacons(), 'a', { request });
    const here = jest.fn().mockResolvedValue(reply);
    await expect(sut.handOver('b', req('r1'), here)).resolves.toBe(reply);
    expect(request).toHaveBeenCalledWith('chat.message.send.v1', req('r1'), { at: 'b' });
    await expect(sut.handOver('b', req('r1'), here)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(here).not.toHaveBeenCalled();
  });

  it('writes the send itself, and forgets the writer, when no process answers for it', async () => {
    const beacons = new Beacons();
    const request = jest.fn().mockRejectedValue(new NotDelivered('No chat service is running'));
    const sut = instance(beacons, 'a', { request });
    const other = instance(beacons, 'b');
    [sut, other, sut, other].forEach((s) => s.onApplicationBootstrap());
    const roomOfB = rooms.find((r) => sut.writerOf(r) === 'b')!;
    const here = jest.fn().mockResolvedValue(reply);
    await expect(sut.handOver('b', req(roomOfB), here)).resolves.toBe(reply);
    expect(here).toHaveBeenCalledTimes(1);
    expect(sut.writerOf(roomOfB)).toBeUndefined();
    [sut, other].forEach((s) => s.onModuleDestroy());
  });

  it('ignores beacons it cannot read', () => {
    const beacons = new Beacons();
    const sut = instance(beacons, 'a');
    sut.onApplicationBootstrap();
    const nc = beacons.connection();
    nc.publish(WriterSubject.Beacon, new TextEncoder().encode('not json'));
    nc.publish(WriterSubject.Beacon, codec.encode({ at: 42 }));
    expect(sut.instances()).toEqual(['a']);
    sut.onModuleDestroy();
  });
});
