import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { toAckError } from './socket-error.mapper';

describe(toAckError.name, () => {
  it('answers {ok:false, error:{code, message}}', () => {
    expect(toAckError({ code: ErrorCode.FORBIDDEN, message: 'Members only' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Members only' },
    });
  });

  it('carries the wait of RATE_LIMITED in the body, there being no header', () => {
    expect(toAckError({ code: ErrorCode.RATE_LIMITED, message: 'slow down', retryAfter: 3 })).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 3000 },
    });
    expect(toAckError({ code: ErrorCode.RATE_LIMITED, message: 'slow down', retryAfter: 0.25 }).error).toEqual({
      code: 'RATE_LIMITED',
      message: 'slow down',
      retryAfterMs: 250,
    });
  });

  it('drops a retryAfter on any other code', () => {
    const sut = toAckError({ code: ErrorCode.UNAVAILABLE, message: 'down', retryAfter: 3 });
    expect(sut.error).toEqual({ code: 'UNAVAILABLE', message: 'down' });
  });
});
