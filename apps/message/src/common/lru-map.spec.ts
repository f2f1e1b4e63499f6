import { LruMap } from './lru-map';

describe(LruMap.name, () => {
  it('remembers and forgets values', () => {
    const sut = new LruMap<number>(10);
    expect(sut.get('r')).toBeUndefined();
    sut.set('r', 4);
    expect(sut.get('r')).toBe(4);
    sut.delete('r');
    expect(sut.get('r')).toBeUndefined();
  });

  it('forgets the least recently used entry beyond its capacity', () => {
    const sut = new LruMap<number>(2);
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
