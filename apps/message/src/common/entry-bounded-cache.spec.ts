import { entryBoundedCache } from './entry-bounded-cache';

describe(entryBoundedCache.name, () => {
  it('holds at most its entries, dropping the least recently used', () => {
    const cache = entryBoundedCache<string, number>(3);
    ['a', 'b', 'c'].forEach((k, i) => cache.set(k, i));
    cache.get('a'); // b is now the least recently used
    cache.set('d', 3);
    expect(cache.size).toBe(3);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('counts every entry as one, whatever its value', () => {
    const cache = entryBoundedCache<string, string>(2);
    cache.set('big', 'x'.repeat(10_000));
    cache.set('small', '');
    expect(cache.size).toBe(2);
  });

  it('keeps the options it is given (ttl)', async () => {
    const cache = entryBoundedCache<string, number>(10, { ttl: 20 });
    cache.set('k', 1);
    expect(cache.get('k')).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(cache.get('k')).toBeUndefined();
  });
});
