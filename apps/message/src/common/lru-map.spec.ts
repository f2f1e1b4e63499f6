import { LastSeqCache } from './last-seq-cache';

describe(LastSeqCache.name, () => {
  it('remembers and forgets the last seq of a room', () => {
    const sut = new LastSeqCache();
    expect(sut.get('r')).toBeUndefined();
    sut.set('r', 4);
    expect(sut.get('r')).toBe(4);
    sut.forget('r');
    expect(sut.get('r')).toBeUndefined();
  });

  it('forgets the least recently used room beyond its capacity', () => {
    const sut = new LastSeqCache(2);
    sut.set('a', 1);
    sut.set('b', 2);
    expect(sut.get('a')).toBe(1); // a is now the most recent
    sut.set('c', 3);
    expect(sut.size).toBe(2);
    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')).toBe(1);
    expect(sut.get('c')).toBe(3);
  });
});
