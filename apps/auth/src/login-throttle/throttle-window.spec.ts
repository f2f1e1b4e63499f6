import { isOverLimit, retryAfterSeconds, throttleKey, windowStart } from './throttle-window';

describe(throttleKey.name, () => {
  it('matches usernames without regard to case', () => {
    expect(throttleKey('username', 'Alice')).toBe(throttleKey('username', 'aLICE'));
  });

  it('keeps scopes apart and does not store the value in clear', () => {
    const sut = throttleKey('username', '10.0.0.1');
    expect(sut).not.toBe(throttleKey('ip', '10.0.0.1'));
    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(sut).not.toContain('10.0.0.1');
  });

  it('keeps client addresses distinct', () => {
    expect(throttleKey('ip', '::1')).not.toBe(throttleKey('ip', '127.0.0.1'));
  });
});

describe(windowStart.name, () => {
  it('is the window length before now', () => {
    const now = new Date('2026-01-01T00:15:00.000Z');
    expect(windowStart(now, 900).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe(isOverLimit.name, () => {
  it('lets exactly `limit` attempts through and refuses the next', () => {
    expect(isOverLimit(10, 10)).toBe(false);
    expect(isOverLimit(11, 10)).toBe(true);
  });
});

describe(retryAfterSeconds.name, () => {
  const now = new Date('2026-01-01T00:10:00.000Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);

  it('waits until the limit-th newest attempt leaves the window', () => {
    // limit 3, window 900 s: attempts 100, 200, 300 and 400 s ago. Once the one 300 s ago ages
    // out (in 600 s), two remain and one more attempt fits.
    expect(retryAfterSeconds([ago(200), ago(400), ago(100), ago(300)], 3, 900, now)).toBe(600);
  });

  it('rounds up to whole seconds', () => {
    expect(retryAfterSeconds([ago(0.5)], 1, 60, now)).toBe(60);
  });

  it('never answers less than one second', () => {
    expect(retryAfterSeconds([ago(59.99)], 1, 60, now)).toBe(1);
    expect(retryAfterSeconds([ago(120)], 1, 60, now)).toBe(1);
    expect(retryAfterSeconds([], 3, 60, now)).toBe(1);
  });
});
