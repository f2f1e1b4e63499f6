import 'reflect-metadata';
import { hostname } from 'node:os';
import { loadConfig } from '@app/config';
import { AuthConfig, instanceName } from './auth.config';

describe(AuthConfig.name, () => {
  it('defaults to a week of session and 10 / 100 failures per 15 minutes', () => {
    const sut = loadConfig(AuthConfig, {});
    expect(sut.SESSION_TTL_SECONDS).toBe(604_800);
    expect(sut.LOGIN_MAX_FAILURES_PER_USERNAME).toBe(10);
    expect(sut.LOGIN_MAX_FAILURES_PER_IP).toBe(100);
    expect(sut.LOGIN_FAILURE_WINDOW_SECONDS).toBe(900);
  });

  it('reads numbers from the environment', () => {
    const sut = loadConfig(AuthConfig, {
      SESSION_TTL_SECONDS: '3600',
      LOGIN_MAX_FAILURES_PER_USERNAME: '3',
      LOGIN_MAX_FAILURES_PER_IP: '7',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
      MONGO_URL: 'mongodb://db:27017/auth',
    });
    expect(sut).toMatchObject({
      SESSION_TTL_SECONDS: 3600,
      LOGIN_MAX_FAILURES_PER_USERNAME: 3,
      LOGIN_MAX_FAILURES_PER_IP: 7,
      LOGIN_FAILURE_WINDOW_SECONDS: 60,
      MONGO_URL: 'mongodb://db:27017/auth',
    });
  });

  it.each([
    ['SESSION_TTL_SECONDS', 'abc'],
    ['SESSION_TTL_SECONDS', '10'],
    ['LOGIN_MAX_FAILURES_PER_USERNAME', '0'],
    ['LOGIN_MAX_FAILURES_PER_IP', '1.5'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', '-1'],
    ['MONGO_URL', 'http://db'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig(AuthConfig, { [name]: value })).toThrow(name);
  });
});

describe(instanceName.name, () => {
  it('prefers INSTANCE_NAME and otherwise names the host and process', () => {
    expect(instanceName({ INSTANCE_NAME: 'auth-7' })).toBe('auth-7');
    expect(instanceName({ INSTANCE_NAME: '' })).toBe(`auth-${hostname()}-${process.pid}`);
  });
});
