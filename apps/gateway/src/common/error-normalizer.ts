import { HttpException, Logger } from '@nestjs/common';
import { ErrorBody, ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { currentRequestId, newRequestId } from '@app/logging';

/**
 * What body-parser throws (http-errors): an HTTP status, mostly a `type` tag; a body that fails to
 * decompress comes as zlib's own error with a 400 status, `expose` set and no tag.
 */
interface ParserError {
  type?: string;
  status: number;
}

function isParserError(value: unknown): value is ParserError {
  if (!(value instanceof Error)) return false;
  const { type, status, expose } = value as unknown as Record<string, unknown>;
  return typeof status === 'number' && (typeof type === 'string' || expose === true);
}

function fromParserError(err: ParserError): ErrorBody {
  switch (err.type) {
    case 'entity.too.large':
      return { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body is too large' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Unsupported body encoding or charset' };
    case 'entity.parse.failed':
      return { code: ErrorCode.VALIDATION_FAILED, message: 'Request body is not valid JSON' };
    case undefined:
      return err.status >= 500
        ? { code: ErrorCode.INTERNAL, message: 'Internal error' }
        : { code: ErrorCode.VALIDATION_FAILED, message: 'Request body could not be decoded' };
    default:
      return err.status >= 500
        ? { code: ErrorCode.INTERNAL, message: 'Internal error' }
        : { code: ErrorCode.VALIDATION_FAILED, message: 'Malformed request' };
  }
}

function messageOf(e: HttpException): string {
  const response = e.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message[0];
  return e.message;
}

/** Nest's own HttpExceptions: unknown routes, passport's 401, body parsing mapped by the router. */
function fromHttpException(e: HttpException): ErrorBody {
  const status = e.getStatus();
  const message = messageOf(e);
  switch (status) {
    case 400:
      // Express reports a path parameter with a broken %-encoding this way: such an id names nothing.
      if (message.startsWith('Failed to decode param')) return { code: ErrorCode.NOT_FOUND, message: 'Not found' };
      return { code: ErrorCode.VALIDATION_FAILED, message: 'Malformed request (invalid JSON or encoding)' };
    case 401:
      return { code: ErrorCode.UNAUTHORIZED, message: 'Authentication required' };
    case 403:
      return { code: ErrorCode.FORBIDDEN, message: 'Forbidden' };
    case 404:
    case 405:
      return { code: ErrorCode.NOT_FOUND, message };
    case 413:
      return { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body is too large' };
    case 415:
      return { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Type must be application/json' };
    case 429:
      return { code: ErrorCode.RATE_LIMITED, message: 'Too many requests' };
    case 503:
      return { code: ErrorCode.UNAVAILABLE, message: 'Service unavailable, try again' };
    default:
      return status >= 500
        ? { code: ErrorCode.INTERNAL, message: 'Internal error' }
        : { code: ErrorCode.VALIDATION_FAILED, message };
  }
}

/**
 * Any thrown value → the contract's error body. Errors we do not know are logged and become
 * INTERNAL, referenced by the request's id (X-Request-Id, or the socket event's), so no stack or
 * internal detail ever reaches a client and the reference finds every log line of the request.
 */
export function normalizeError(exception: unknown, logger: Logger, context: Record<string, unknown> = {}): ErrorBody {
  if (exception instanceof DomainError) return exception.toBody();
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isParserError(exception)) return fromParserError(exception);
  const ref = currentRequestId() ?? newRequestId();
  logger.error({ msg: 'unhandled error', ref, ...context, err: exception });
  return { code: ErrorCode.INTERNAL, message: `Internal error (ref ${ref})` };
}
