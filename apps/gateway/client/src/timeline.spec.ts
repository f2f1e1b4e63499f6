/// <reference types="jest" />
import type { MessageView } from '@app/contracts/views';
import { Timeline } from './timeline';

function message(seq: number, body = `m${seq}`): MessageView {
  return {
    id: `id-${seq}`,
    roomId: 'room',
    seq,
    author: { id: 'u1', username: 'alice' },
    body,
    attachments: [],
    clientMsgId: `c${seq}`,
    createdAt: new Date(0).toISOString(),
  };
}

describe(Timeline.name, () => {
  let sut: Timeline;

  beforeEach(() => {
    sut = new Timeline();
  });

  it('keeps one copy per seq, in seq order, whatever the arrival order', () => {
    sut.merge([message(3), message(1)]);
    const added = sut.merge([message(2), message(3, 'again'), message(1)]);

    expect(added.map((m) => m.seq)).toEqual([2]);
    expect(sut.sorted().map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(sut.size).toBe(3);
    expect(sut.get(3)?.body).toBe('again');
  });

  it('reports the new messages of a merge sorted by seq', () => {
    expect(sut.merge([message(9), message(7), message(8)]).map((m) => m.seq)).toEqual([7, 8, 9]);
  });

  it('tops out below the first hole, so catch-up asks for what is missing', () => {
    sut.merge([message(10), message(11), message(12), message(15)]);

    expect(sut.oldestSeq).toBe(10);
    expect(sut.contiguousTop()).toBe(12);
    sut.merge([message(13), message(14)]);
    expect(sut.contiguousTop()).toBe(15);
  });

  it('is empty at zero: a first join asks from the beginning', () => {
    expect(sut.contiguousTop()).toBe(0);
    expect(sut.oldestSeq).toBeUndefined();
  });

  it('revises a held message in place and ignores seqs it does not hold', () => {
    sut.merge([message(1), message(2)]);
    const revised = sut.revise(2, (m) => ({ ...m, body: 'edited', editedAt: new Date(1).toISOString() }));
    expect(revised?.body).toBe('edited');
    expect(sut.sorted().map((m) => m.body)).toEqual(['m1', 'edited']);
    expect(sut.revise(5, () => message(5))).toBeUndefined();
    expect(sut.size).toBe(2);
  });
});
