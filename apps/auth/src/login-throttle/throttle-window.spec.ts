import { isOverLimit, retryAfterSeconds, throttleKey, windowEnd } from './throttle-window';

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

describe(retryAfterSeconds.name, () => {
  const now = new Date('2026-01-01T00:00:00.000Z');

  it('rounds the time left up to whole seconds', () => {
    expect(retryAfterSeconds({ count: 11, expiresAt: new Date(now.getTime() + 899_001) }, now)).toBe(900);
    expect(retryAfterSeconds({ count: 11, expiresAt: new Date(now.getTime() + 1_000) }, now)).toBe(1);
  });

  it('never answers less than one second, even for a window that just closed', () => {
    expect(retryAfterSeconds({ count: 11, expiresAt: new Date(now.getTime() + 10) }, now)).toBe(1);
    expect(retryAfterSeconds({ count: 11, expiresAt: new Date(now.getTime() - 5_000) }, now)).toBe(1);
  });
});

describe(isOverLimit.name, () => {
  it('lets exactly `limit` counted attempts through and refuses the next', () => {
    const expiresAt = new Date();
    expect(isOverLimit({ count: 10, expiresAt }, 10)).toBe(false);
    expect(isOverLimit({ count: 11, expiresAt }, 10)).toBe(true);
  });
});

describe(windowEnd.name, () => {
  it('adds the window length to now', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(windowEnd(now, 900).toISOString()).toBe('2026-01-01T00:15:00.000Z');
  });
});
