import { retryAfterSeconds, slowdownMs, throttleKey } from './throttle-window';

describe(throttleKey.name, () => {
  it('matches usernames without regard to case', () => {
    expect(throttleKey('username', 'Alice')).toBe(throttleKey('username', 'aLICE'));
    expect(throttleKey('pair', 'Alice', '10.0.0.1')).toBe(throttleKey('pair', 'aLICE', '10.0.0.1'));
  });

  it('keeps scopes, addresses and pairs apart, and does not store the value in clear', () => {
    const sut = throttleKey('username', '10.0.0.1');
    expect(sut).not.toBe(throttleKey('ip', '10.0.0.1'));
    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(sut).not.toContain('10.0.0.1');
    expect(throttleKey('ip', '::1')).not.toBe(throttleKey('ip', '127.0.0.1'));
    expect(throttleKey('pair', 'bob', '10.0.0.1')).not.toBe(throttleKey('pair', 'bob', '10.0.0.2'));
    expect(throttleKey('pair', 'bob', '')).not.toBe(throttleKey('username', 'bob'));
  });
});

describe(retryAfterSeconds.name, () => {
  it('rounds up to whole seconds and never answers less than one', () => {
    expect(retryAfterSeconds(1500)).toBe(2);
    expect(retryAfterSeconds(60_000)).toBe(60);
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(-5)).toBe(1);
  });
});

describe(slowdownMs.name, () => {
  it('does not slow a username below its limit', () => {
    expect(slowdownMs(0, 10, 2000)).toBe(0);
    expect(slowdownMs(9, 10, 2000)).toBe(0);
  });

  it('doubles from 250 ms with each failure past the limit, up to the cap', () => {
    expect(slowdownMs(10, 10, 2000)).toBe(250);
    expect(slowdownMs(11, 10, 2000)).toBe(500);
    expect(slowdownMs(13, 10, 2000)).toBe(2000);
    expect(slowdownMs(1000, 10, 2000)).toBe(2000);
  });
});
