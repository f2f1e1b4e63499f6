import 'reflect-metadata';
import { BadRequestException, HttpException, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { withRequestId } from '@app/logging';
import { normalizeError } from './error-normalizer';

/** What body-parser throws, shaped by http-errors. */
function parserError(type: string, status: number): Error {
  return Object.assign(new Error('raw parser detail'), { type, status, expose: true });
}

describe(normalizeError.name, () => {
  const logger = new Logger('spec');
  let logged: unknown[];

  beforeEach(() => {
    logged = [];
    jest.spyOn(logger, 'error').mockImplementation((entry: unknown) => {
      logged.push(entry);
    });
  });

  it('passes a DomainError through with its retryAfter', () => {
    const sut = normalizeError(new DomainError(ErrorCode.RATE_LIMITED, 'wait', 30), logger);
    expect(sut).toEqual({ code: ErrorCode.RATE_LIMITED, message: 'wait', retryAfter: 30 });
  });

  it.each([
    [new NotFoundException('Cannot GET /x'), ErrorCode.NOT_FOUND],
    [new UnauthorizedException(), ErrorCode.UNAUTHORIZED],
    [new BadRequestException('Unexpected token } in JSON'), ErrorCode.VALIDATION_FAILED],
    [new BadRequestException("Failed to decode param '%E0'"), ErrorCode.NOT_FOUND],
    [new HttpException('gone', 503), ErrorCode.UNAVAILABLE],
    [new HttpException('teapot', 418), ErrorCode.VALIDATION_FAILED],
  ])('maps Nest %p to %s', (exception, code) => {
    expect(normalizeError(exception, logger).code).toBe(code);
  });

  it.each([
    ['entity.too.large', 413, ErrorCode.PAYLOAD_TOO_LARGE],
    ['entity.parse.failed', 400, ErrorCode.VALIDATION_FAILED],
    ['charset.unsupported', 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
    ['request.aborted', 400, ErrorCode.VALIDATION_FAILED],
  ])('maps the body parser error %s to %s', (type, status, code) => {
    const sut = normalizeError(parserError(type, status), logger);
    expect(sut.code).toBe(code);
    expect(sut.message).not.toContain('raw parser detail');
  });

  it('logs an unknown error under a reference and answers INTERNAL without its details', () => {
    const sut = normalizeError(new TypeError('secret internals at db.query'), logger, { path: '/api/rooms' });
    expect(sut.code).toBe(ErrorCode.INTERNAL);
    expect(sut.message).not.toContain('secret');
    const ref = /ref ([0-9a-f-]{36})/.exec(sut.message)?.[1];
    expect(logged).toEqual([expect.objectContaining({ ref, path: '/api/rooms' })]);
  });

  it('references an unknown error by the id of the request it happened in', () => {
    const sut = withRequestId('req-42', () => normalizeError(new Error('boom'), logger));
    expect(sut.message).toBe('Internal error (ref req-42)');
    expect(logged).toEqual([expect.objectContaining({ ref: 'req-42' })]);
  });

  it('treats a thrown non-Error the same way', () => {
    expect(normalizeError('a string', logger).code).toBe(ErrorCode.INTERNAL);
    expect(logged).toHaveLength(1);
  });
});
