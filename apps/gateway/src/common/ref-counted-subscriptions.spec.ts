import { RefCountedSubscriptions } from './ref-counted-subscriptions';

describe(RefCountedSubscriptions.name, () => {
  let opened: string[];
  let closed: string[];
  let sut: RefCountedSubscriptions;

  beforeEach(() => {
    opened = [];
    closed = [];
    sut = new RefCountedSubscriptions((key) => {
      opened.push(key);
      return () => closed.push(key);
    });
  });

  it('opens one subscription per key however many holders share it', () => {
    expect(sut.acquire('r1', 's1')).toBe(true);
    expect(sut.acquire('r1', 's2')).toBe(false);
    expect(sut.acquire('r1', 's1')).toBe(false);
    expect(opened).toEqual(['r1']);
    expect(sut.holdersOf('r1').sort()).toEqual(['s1', 's2']);
  });

  it('closes only when the last holder releases', () => {
    sut.acquire('r1', 's1');
    sut.acquire('r1', 's2');
    expect(sut.release('r1', 's1')).toBe(false);
    expect(closed).toEqual([]);
    expect(sut.release('r1', 's2')).toBe(true);
    expect(closed).toEqual(['r1']);
    expect(sut.has('r1')).toBe(false);
  });

  it('a double release or a stranger releasing changes nothing', () => {
    sut.acquire('r1', 's1');
    sut.acquire('r1', 's2');
    sut.release('r1', 's1');
    sut.release('r1', 's1');
    sut.release('r1', 'nobody');
    expect(closed).toEqual([]);
    expect(sut.holdersOf('r1')).toEqual(['s2']);
  });

  it('releases everything a departing holder held, closing what nobody else holds', () => {
    sut.acquire('r1', 's1');
    sut.acquire('r2', 's1');
    sut.acquire('r2', 's2');
    expect(sut.releaseHolder('s1')).toEqual(['r1']);
    expect(closed).toEqual(['r1']);
    expect(sut.has('r2')).toBe(true);
    expect(sut.size).toBe(1);
  });

  it('reopens a key acquired again after it closed', () => {
    sut.acquire('r1', 's1');
    sut.release('r1', 's1');
    expect(sut.acquire('r1', 's1')).toBe(true);
    expect(opened).toEqual(['r1', 'r1']);
  });
});
