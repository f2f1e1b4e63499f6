import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { httpStatusOf, toHttpError } from './http-error.mapper';

describe(toHttpError.name, () => {
  it.each([
    [ErrorCode.VALIDATION_FAILED, 400],
    [ErrorCode.UNAUTHORIZED, 401],
    [ErrorCode.INVALID_CREDENTIALS, 401],
    [ErrorCode.FORBIDDEN, 403],
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.USERNAME_TAKEN, 409],
    [ErrorCode.PAYLOAD_TOO_LARGE, 413],
    [ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415],
    [ErrorCode.RATE_LIMITED, 429],
    [ErrorCode.UNAVAILABLE, 503],
    [ErrorCode.INTERNAL, 500],
  ])('%s is HTTP %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('answers the contract body and nothing more', () => {
    const sut = toHttpError({ code: ErrorCode.NOT_FOUND, message: 'Room not found' });
    expect(sut.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Room not found' } });
  });

  it('turns RATE_LIMITED retryAfter into a Retry-After header of whole seconds, not a body field', () => {
    const sut = toHttpError({ code: ErrorCode.RATE_LIMITED, message: 'Too many attempts', retryAfter: 12.2 });
    expect(sut.headers['Retry-After']).toBe('13');
    expect(sut.body.error).toEqual({ code: 'RATE_LIMITED', message: 'Too many attempts' });
  });

  it('still sends a Retry-After when the service gave none', () => {
    expect(toHttpError({ code: ErrorCode.RATE_LIMITED, message: 'slow down' }).headers['Retry-After']).toBe('1');
  });

  it('challenges with Bearer on 401 UNAUTHORIZED only', () => {
    expect(toHttpError({ code: ErrorCode.UNAUTHORIZED, message: 'x' }).headers['WWW-Authenticate']).toBe('Bearer');
    expect(toHttpError({ code: ErrorCode.INVALID_CREDENTIALS, message: 'x' }).headers).toEqual({});
  });
});
