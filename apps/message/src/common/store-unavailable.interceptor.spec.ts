import { isStoreUnreachable } from './store-unavailable.interceptor';

describe(isStoreUnreachable.name, () => {
  const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

  it('recognises a database that does not answer', () => {
    expect(isStoreUnreachable(named('MongoServerSelectionError'))).toBe(true);
    expect(isStoreUnreachable(named('MongoNetworkError'))).toBe(true);
    expect(isStoreUnreachable(named('MongooseServerSelectionError'))).toBe(true);
    expect(isStoreUnreachable(new Error('Operation `rooms.findOne()` buffering timed out after 10000ms'))).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isStoreUnreachable(named('MongoServerError'))).toBe(false);
    expect(isStoreUnreachable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnreachable('MongoNetworkError')).toBe(false);
  });
});
