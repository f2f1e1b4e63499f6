import { reportedRefusal, sortOutBatch } from './batch-outcome';
import { Message } from './message.schema';

const at = new Date('2026-01-01T00:00:00.000Z');

function msg(seq: number, author: string, clientMsgId: string, body = 'hi', createdAt = at): Message {
  return { _id: `r:${seq}`, roomId: 'r', seq, author: { id: author, username: author }, body, clientMsgId, createdAt };
}

/** A batch of three sends by alice at seqs 5, 6, 7. */
const batch = [msg(5, 'alice', 'a'), msg(6, 'alice', 'b'), msg(7, 'alice', 'c')];

describe(sortOutBatch.name, () => {
  it('a stored prefix then a free seq (refused by its clientMsgId): the prefix is mine, the free one is named', () => {
    const sut = sortOutBatch(batch, [batch[0], null, null]);
    expect(sut).toEqual({ states: ['mine', 'free', 'free'], known: 5, firstFree: 1, overtaken: false });
  });

  it('another send holding a seq: taken, the next attempt starts past it, no free send to check', () => {
    const sut = sortOutBatch(batch, [batch[0], msg(6, 'bob', 'x'), null]);
    expect(sut).toEqual({ states: ['mine', 'taken', 'free'], known: 6, firstFree: undefined, overtaken: true });
  });

  it('all seqs taken by another instance: known is the end of the batch', () => {
    const sut = sortOutBatch(batch, [msg(5, 'bob', 'x'), msg(6, 'bob', 'y'), msg(7, 'bob', 'z')]);
    expect(sut.states).toEqual(['taken', 'taken', 'taken']);
    expect(sut.known).toBe(7);
    expect(sut.firstFree).toBeUndefined();
  });

  it('the same send written by another writer (a concurrent retry) is "same", not mine', () => {
    const other = msg(5, 'alice', 'a', 'hi', new Date(at.getTime() + 3));
    const otherBody = msg(6, 'alice', 'b', 'other body');
    const sut = sortOutBatch(batch, [other, otherBody, null]);
    expect(sut.states).toEqual(['same', 'same', 'free']);
    expect(sut.firstFree).toBeUndefined(); // refused for its seq, not for its clientMsgId: nothing to look for
  });

  it('nothing stored: known stays before the batch, the first send is the one to check', () => {
    expect(sortOutBatch(batch, [null, null, null])).toEqual({
      states: ['free', 'free', 'free'],
      known: 4,
      firstFree: 0,
      overtaken: false,
    });
  });

  it('reads createdAt as stored (a string from some drivers) when telling mine apart', () => {
    const asStored = { ...batch[0], createdAt: at.toISOString() as unknown as Date };
    expect(sortOutBatch(batch, [asStored, null, null]).states[0]).toBe('mine');
  });

  it('counts a hole as the end of what exists, whatever lies beyond it', () => {
    const sut = sortOutBatch(batch, [null, batch[1], batch[2]]);
    expect(sut.known).toBe(4);
    expect(sut.states).toEqual(['free', 'mine', 'mine']);
  });
});

describe(reportedRefusal.name, () => {
  it('reads the refused position of an ordered bulk write, as mongod and FerretDB report it', () => {
    expect(reportedRefusal({ code: 11000, writeErrors: [{ index: 2, code: 11000 }] }, 5)).toBe(2);
    expect(reportedRefusal({ code: 11000, writeErrors: { index: 0 } }, 5)).toBe(0);
  });

  it('has no answer for an error without a usable position', () => {
    expect(reportedRefusal(new Error('connection reset'), 5)).toBeUndefined();
    expect(reportedRefusal({ writeErrors: [{ index: 5 }] }, 5)).toBeUndefined();
    expect(reportedRefusal({ writeErrors: [{ index: '1' }] }, 5)).toBeUndefined();
    expect(reportedRefusal(null, 5)).toBeUndefined();
  });
});
