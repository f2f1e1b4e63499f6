import { TYPING_LAPSE_MS, TYPING_REFRESH_MIN_MS, TypingThrottle } from './typing-throttle';

describe(TypingThrottle.name, () => {
  let sut: TypingThrottle;

  beforeEach(() => {
    sut = new TypingThrottle();
  });

  it('publishes a start, then a refresh only once per second', () => {
    expect(sut.update('s1', 'r1', true, 0)).toBe(true);
    expect(sut.update('s1', 'r1', true, 300)).toBe(false);
    expect(sut.update('s1', 'r1', true, TYPING_REFRESH_MIN_MS - 1)).toBe(false);
    expect(sut.update('s1', 'r1', true, TYPING_REFRESH_MIN_MS)).toBe(true);
    expect(sut.update('s1', 'r1', true, TYPING_REFRESH_MIN_MS + 10)).toBe(false);
  });

  it('publishes a stop once, and only while the receivers still show the socket typing', () => {
    expect(sut.update('s1', 'r1', false, 0)).toBe(false);
    sut.update('s1', 'r1', true, 0);
    expect(sut.update('s1', 'r1', false, 100)).toBe(true);
    expect(sut.update('s1', 'r1', false, 200)).toBe(false);
    sut.update('s1', 'r1', true, 1000);
    // Lapsed on every receiver already: nothing left to stop.
    expect(sut.update('s1', 'r1', false, 1000 + TYPING_LAPSE_MS)).toBe(false);
  });

  it('publishes a start right after a stop (not a refresh)', () => {
    sut.update('s1', 'r1', true, 0);
    sut.update('s1', 'r1', false, 100);
    expect(sut.update('s1', 'r1', true, 200)).toBe(true);
  });

  it('keeps rooms and sockets apart', () => {
    expect(sut.update('s1', 'r1', true, 0)).toBe(true);
    expect(sut.update('s1', 'r2', true, 10)).toBe(true);
    expect(sut.update('s2', 'r1', true, 20)).toBe(true);
  });

  it('on release, names the rooms where the socket is still shown typing, and forgets them', () => {
    sut.update('s1', 'r1', true, 0);
    sut.update('s1', 'r2', true, 5000);
    sut.update('s1', 'r3', true, 5000);
    sut.update('s1', 'r3', false, 5100);
    expect(sut.release('s1', TYPING_LAPSE_MS + 1)).toEqual(['r2']);
    expect(sut.release('s1', TYPING_LAPSE_MS + 2)).toEqual([]);
    expect(sut.update('s1', 'r2', true, TYPING_LAPSE_MS + 3)).toBe(true);
  });

  it('releases one room only when asked for one', () => {
    sut.update('s1', 'r1', true, 0);
    sut.update('s1', 'r2', true, 0);
    expect(sut.release('s1', 10, 'r2')).toEqual(['r2']);
    expect(sut.release('s1', 10, 'r9')).toEqual([]);
    expect(sut.release('s1', 20)).toEqual(['r1']);
  });
});
