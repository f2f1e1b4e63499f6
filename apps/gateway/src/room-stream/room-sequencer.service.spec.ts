import { Logger } from '@nestjs/common';
import { HistoryReply, MessageView } from '@app/contracts';
import { MetricsRegistry } from '@app/metrics';
import { MetricsService } from '../metrics/metrics.service';
import { RoomFanoutService } from './room-fanout.service';
import { RoomHistory } from './room-history';
import { RoomSequencer } from './room-sequencer.service';

const ROOM = 'room-1';
const GAP_MS = 250;

function msg(seq: number): MessageView {
  return {
    id: `m${seq}`,
    roomId: ROOM,
    seq,
    author: { id: 'u1', username: 'alice' },
    body: `message ${seq}`,
    attachments: [],
    clientMsgId: `c${seq}`,
    createdAt: new Date(0).toISOString(),
  };
}

/** Records what the sequencer hands the fan-out. */
class RecordingFanout implements Pick<RoomFanoutService, 'deliver'> {
  delivered: number[] = [];
  /** Whether each delivery came with the time its NATS event arrived (a live one) or not (history). */
  live: boolean[] = [];

  deliver(_roomId: string, message: MessageView, receivedAt?: number): void {
    this.delivered.push(message.seq);
    this.live.push(receivedAt !== undefined);
  }
}

/** Answers history from a stored list, like the message service would. */
class StoredHistory extends RoomHistory {
  stored: MessageView[] = [];
  fetches: Array<{ after: number; limit: number }> = [];
  failNext = false;

  fetchAfter(_roomId: string, after: number, limit: number): Promise<HistoryReply | null> {
    this.fetches.push({ after, limit });
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('message service down'));
    }
    const newer = this.stored.filter((m) => m.seq > after);
    return Promise.resolve({ messages: newer.slice(0, limit), hasMore: newer.length > limit });
  }
}

describe(RoomSequencer.name, () => {
  let fanout: RecordingFanout;
  let history: StoredHistory;
  let metrics: MetricsService;
  let sut: RoomSequencer;
  const count = async (counter: 'seqGapFills' | 'seqSkips') => (await metrics[counter].get()).values[0]?.value ?? 0;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    jest.useFakeTimers();
    fanout = new RecordingFanout();
    history = new StoredHistory();
    metrics = new MetricsService(new MetricsRegistry());
    sut = new RoomSequencer(fanout, history, GAP_MS, metrics);
  });

  afterEach(() => {
    sut.onModuleDestroy();
    jest.useRealTimers();
  });

  it('delivers the next seq at once', () => {
    sut.seed(ROOM, 4);
    sut.push(ROOM, msg(5));
    sut.push(ROOM, msg(6));
    expect(fanout.delivered).toEqual([5, 6]);
    expect(sut.lastDelivered(ROOM)).toBe(6);
  });

  it('drops duplicates and anything at or below the seed', () => {
    sut.seed(ROOM, 4);
    sut.push(ROOM, msg(3));
    sut.push(ROOM, msg(4));
    sut.push(ROOM, msg(5));
    sut.push(ROOM, msg(5));
    expect(fanout.delivered).toEqual([5]);
  });

  it('puts two events that arrive swapped back in order without asking history', async () => {
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(2));
    expect(fanout.delivered).toEqual([]);
    sut.push(ROOM, msg(1));
    expect(fanout.delivered).toEqual([1, 2]);
    expect(fanout.live).toEqual([true, true]);
    await jest.advanceTimersByTimeAsync(GAP_MS * 2);
    expect(history.fetches).toEqual([]);
    expect(await count('seqGapFills')).toBe(0);
  });

  it('fills a gap from history after the wait, then goes on in order', async () => {
    history.stored = [msg(1), msg(2), msg(3), msg(4)];
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(4));
    await jest.advanceTimersByTimeAsync(GAP_MS - 1);
    expect(fanout.delivered).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(history.fetches).toEqual([{ after: 0, limit: 3 }]);
    expect(fanout.delivered).toEqual([1, 2, 3, 4]);
    // Read from history, 1-3 have no arrival to time their fan-out from; 4 waited here for them.
    expect(fanout.live).toEqual([false, false, false, true]);
    expect(await count('seqGapFills')).toBe(1);
    expect(await count('seqSkips')).toBe(0);
    // The missing ones arriving late are duplicates now.
    sut.push(ROOM, msg(2));
    sut.push(ROOM, msg(5));
    expect(fanout.delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it('holds events that arrive before the seed and delivers those above it once seeded', () => {
    sut.open(ROOM);
    sut.push(ROOM, msg(7));
    sut.push(ROOM, msg(6));
    sut.push(ROOM, msg(5));
    expect(fanout.delivered).toEqual([]);
    sut.seed(ROOM, 5);
    expect(fanout.delivered).toEqual([6, 7]);
  });

  it('keeps its own position when seeded again from an older snapshot', () => {
    sut.seed(ROOM, 2);
    sut.push(ROOM, msg(3));
    sut.seed(ROOM, 1);
    sut.push(ROOM, msg(3));
    expect(fanout.delivered).toEqual([3]);
  });

  it('skips a gap history cannot fill rather than stalling the room', async () => {
    history.failNext = true;
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(3));
    await jest.advanceTimersByTimeAsync(GAP_MS);
    expect(fanout.delivered).toEqual([3]);
    sut.push(ROOM, msg(4));
    expect(fanout.delivered).toEqual([3, 4]);
    // Seqs 1 and 2 were given up; nothing came from history.
    expect(await count('seqSkips')).toBe(2);
    expect(await count('seqGapFills')).toBe(0);
  });

  it('ignores rooms it does not track, and forgets a closed room', async () => {
    sut.push('other', msg(1));
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(2));
    sut.close(ROOM);
    await jest.advanceTimersByTimeAsync(GAP_MS * 2);
    expect(fanout.delivered).toEqual([]);
    expect(history.fetches).toEqual([]);
    expect(sut.lastDelivered(ROOM)).toBeNull();
  });

  it('remembers recent deliveries for sockets that join just after them', () => {
    sut.seed(ROOM, 0);
    [1, 2, 3].forEach((s) => sut.push(ROOM, msg(s)));
    expect(sut.deliveredAfter(ROOM, 1).map((m) => m.seq)).toEqual([2, 3]);
    expect(sut.deliveredAfter(ROOM, 3)).toEqual([]);
  });

  it('catches up once on request, for messages published before the subscription took effect', async () => {
    history.stored = [msg(1), msg(2), msg(3)];
    sut.seed(ROOM, 1);
    sut.catchUp(ROOM);
    await jest.advanceTimersByTimeAsync(GAP_MS);
    expect(fanout.delivered).toEqual([2, 3]);
    expect(history.fetches).toEqual([{ after: 1, limit: 100 }]);
    expect(await count('seqGapFills')).toBe(1);
    sut.push(ROOM, msg(3));
    sut.push(ROOM, msg(4));
    expect(fanout.delivered).toEqual([2, 3, 4]);
  });

  it('a catch-up that finds nothing delivers nothing and leaves the room live', async () => {
    history.stored = [msg(1)];
    sut.seed(ROOM, 1);
    sut.catchUp(ROOM);
    await jest.advanceTimersByTimeAsync(GAP_MS);
    expect(fanout.delivered).toEqual([]);
    expect(await count('seqGapFills')).toBe(0);
    sut.push(ROOM, msg(2));
    expect(fanout.delivered).toEqual([2]);
  });

  it('pages history when the gap is wider than one page', async () => {
    history.stored = Array.from({ length: 150 }, (_, i) => msg(i + 1));
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(150));
    await jest.advanceTimersByTimeAsync(GAP_MS);
    expect(history.fetches.map((f) => f.after)).toEqual([0, 100]);
    expect(fanout.delivered).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    // One gap, however many pages it took.
    expect(await count('seqGapFills')).toBe(1);
  });

  it('revises held and recently delivered copies without delivering or reordering anything', () => {
    const bodies: string[] = [];
    fanout.deliver = (_roomId, message) => {
      fanout.delivered.push(message.seq);
      bodies.push(message.body);
    };
    sut.seed(ROOM, 0);
    sut.push(ROOM, msg(1));
    sut.push(ROOM, msg(3));
    sut.revise(ROOM, 1, (m) => ({ ...m, body: 'edited 1' }));
    sut.revise(ROOM, 3, (m) => ({ ...m, body: '', deleted: true }));
    sut.revise(ROOM, 7, () => msg(99));
    expect(fanout.delivered).toEqual([1]);
    sut.push(ROOM, msg(2));
    expect(fanout.delivered).toEqual([1, 2, 3]);
    expect(bodies).toEqual(['message 1', 'message 2', '']);
    expect(sut.deliveredAfter(ROOM, 0).map((m) => m.body)).toEqual(['edited 1', 'message 2', '']);
  });
});
