import { parseTrustProxy } from './trust-proxy';

describe(parseTrustProxy.name, () => {
  it.each([
    ['false', false],
    ['', false],
    ['TRUE', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('reads %j', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });
});
