import { LastSeqHintService, RAISE_INTERVAL_MS } from './last-seq-hint.service';
import { RoomRepository } from './room.repository';

/** Records raises and lets the test decide when each write completes. */
class RecordingRooms {
  readonly raises: [string, number][] = [];
  private readonly waiting: (() => void)[] = [];

  raiseLastSeq(roomId: string, seq: number): Promise<void> {
    this.raises.push([roomId, seq]);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async completeAll(): Promise<void> {
    while (this.waiting.length > 0) {
      this.waiting.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  }
}

describe(LastSeqHintService.name, () => {
  let rooms: RecordingRooms;
  let sut: LastSeqHintService;

  beforeEach(() => {
    rooms = new RecordingRooms();
    sut = new LastSeqHintService(rooms as unknown as RoomRepository);
  });

  it('writes one raise at a time per room, paced, carrying the highest seq asked for meanwhile', async () => {
    sut.raise('r', 1);
    sut.raise('r', 2);
    sut.raise('r', 4);
    sut.raise('r', 3);
    expect(rooms.raises).toEqual([['r', 1]]);
    await rooms.completeAll();
    expect(rooms.raises).toHaveLength(1); // not before the interval
    await new Promise((r) => setTimeout(r, RAISE_INTERVAL_MS + 50));
    await rooms.completeAll();
    await sut.settled();
    expect(rooms.raises).toEqual([
      ['r', 1],
      ['r', 4],
    ]);
  });

  it('writes a room at most once per interval, also when the next raise comes after the write completed', async () => {
    sut.raise('r', 1);
    await rooms.completeAll();
    sut.raise('r', 2);
    sut.raise('r', 3);
    await rooms.completeAll();
    expect(rooms.raises).toEqual([['r', 1]]);
    await new Promise((r) => setTimeout(r, RAISE_INTERVAL_MS + 50));
    expect(rooms.raises).toEqual([
      ['r', 1],
      ['r', 3],
    ]);
  });

  it('does not write what it already raised', async () => {
    sut.raise('r', 5);
    await rooms.completeAll();
    sut.raise('r', 5);
    sut.raise('r', 2);
    expect(rooms.raises).toEqual([['r', 5]]);
  });

  it('raises different rooms side by side', () => {
    sut.raise('a', 1);
    sut.raise('b', 1);
    expect(rooms.raises).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
