import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { GatewayConfig } from './gateway.config';

describe(GatewayConfig.name, () => {
  it('has the documented defaults', () => {
    const sut = loadConfig(GatewayConfig, {});
    expect(sut).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      SESSION_CACHE_TTL_MS: 2000,
      COOKIE_SECURE: false,
      TRUST_PROXY: 'false',
      SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(sut.CLIENT_DIR).toMatch(/client$/);
  });

  it('converts environment strings to numbers and booleans', () => {
    const sut = loadConfig(GatewayConfig, {
      PORT: '3917',
      SESSION_CACHE_TTL_MS: '0',
      COOKIE_SECURE: 'true',
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_MS: '2500',
    });
    expect(sut).toMatchObject({
      PORT: 3917,
      SESSION_CACHE_TTL_MS: 0,
      COOKIE_SECURE: true,
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_MS: 2500,
    });
  });

  it('reads COOKIE_SECURE=false as false, not as a truthy string', () => {
    expect(loadConfig(GatewayConfig, { COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['COOKIE_SECURE', 'maybe'],
    ['SESSION_CACHE_TTL_MS', '-1'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig(GatewayConfig, { [name]: value })).toThrow(name);
  });
});
